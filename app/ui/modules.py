"""The main window's modules: their names in the navigation pane and where their pages live.

Pages are imported and built the first time they are opened, so start-up stays fast.
A page takes ``(ws, parent)``, may have ``refresh()``, and may emit ``changed`` (data
changed: the window refreshes what depends on it) and ``open_sub_project(uid)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from app.i18n import NC_, pgettext
from app.services.workspace import Workspace


@dataclass(frozen=True)
class Module:
    key: str
    #: marked in the "navigation" context: a screen is "Notices" where one record is a "Notice"
    label: str
    #: "package.module:ClassName"
    page: str

    def title(self) -> str:
        """The module's name as the navigation pane shows it, in the current language."""
        return pgettext("navigation", self.label)


MODULES: tuple[Module, ...] = (
    Module("dashboard", NC_("navigation", "统计概览"), "app.ui.dashboard.dashboard_page:DashboardPage"),
    Module("ledger", NC_("navigation", "问题台账"), "app.ui.ledger.ledger_page:LedgerPage"),
    Module("visits", NC_("navigation", "现场指导"), "app.ui.field_work.visits_page:VisitsPage"),
    Module("supervision", NC_("navigation", "督导"), "app.ui.supervision.supervision_page:SupervisionPage"),
    Module("notices", NC_("navigation", "通报"), "app.ui.notices.notices_page:NoticesPage"),
    Module("trainings", NC_("navigation", "培训"), "app.ui.trainings.trainings_page:TrainingsPage"),
    Module("acceptances", NC_("navigation", "档案验收"), "app.ui.acceptance.acceptances_page:AcceptancesPage"),
    Module("checklists", NC_("navigation", "验收检查表"), "app.ui.checklists.checklists_page:ChecklistsPage"),
    Module("assessment", NC_("navigation", "年度考核"), "app.ui.assessment.assessment_page:AssessmentPage"),
    Module("conflicts", NC_("navigation", "冲突处理"), "app.ui.sync.conflicts_page:ConflictsPage"),
    Module("nodes", NC_("navigation", "节点与数据包"), "app.ui.sync.nodes_page:NodesPage"),
)


#: what takes long to import the first time (the charts' plotting library, ~0.25 s): loaded
#: once the window stands idle, so the first page that needs it does not wait for it
SLOW_IMPORTS = ("app.ui.dashboard.charts",)
#: how long after start the window is left alone before that
IDLE_PRELOAD_MS = 1500


def preload_when_idle() -> None:
    """Import ``SLOW_IMPORTS`` on the GUI thread once start-up has settled (a plotting
    library creates Qt objects as it loads: not in a worker)."""
    QTimer.singleShot(IDLE_PRELOAD_MS, lambda: [import_module(name) for name in SLOW_IMPORTS])


def make_page(module: Module, ws: Workspace, parent: QWidget) -> QWidget:
    path, _sep, name = module.page.partition(":")
    return getattr(import_module(path), name)(ws, parent)
