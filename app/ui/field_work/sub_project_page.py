"""One sub-project's page: who and what it is, and its timeline of field work."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (QCheckBox, QDialog, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QTableView, QVBoxLayout, QWidget)

from app.errors import AppError
from app.i18n import N_, _
from app.models import CONSTRUCTION_STATUSES
from app.services import sub_projects, timeline
from app.services.fields import wan_text
from app.services.timeline import TimelineEntry
from app.services.workspace import Workspace
from app.ui.dialogs.history_dialog import HistoryDialog, open_history
from app.ui.errors import show_error
from app.ui.field_work.visit_dialog import VisitDialog
from app.ui.item_views import read_only_rows
from app.ui.ledger.step_dialogs import ProblemDialog, RectifyDialog, VerifyDialog

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_KIND_COLOURS = {"visit": QColor("#1f5fa8"), "problem": QColor("#a85a00"), "rectification": QColor("#2e7d32"),
                 "verification": QColor("#2e7d32"), "training": QColor("#6a4c93")}
_LATE = QColor("#c62828")
COLUMNS = (N_("日期"), N_("事项"), N_("内容"), N_("状态 / 人员"))
#: the record a timeline entry stands for, by the entry's kind
ENTITY_OF_KIND = {"visit": "guidance_visits", "problem": "problems", "rectification": "problems",
                  "verification": "problems", "training": "trainings", "acceptance": "acceptances"}


class TimelineModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.entries: list[TimelineEntry] = []

    def set_entries(self, entries: list[TimelineEntry]) -> None:
        self.beginResetModel()
        self.entries = entries
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=_DISPLAY):
        if role == _DISPLAY and orientation == Qt.Orientation.Horizontal:
            return _(COLUMNS[section])
        return None

    def data(self, index: QModelIndex, role: int = _DISPLAY):
        if not index.isValid() or index.row() >= len(self.entries):
            return None
        entry = self.entries[index.row()]
        values = (entry.day.isoformat(), entry.label, entry.summary, entry.state)
        if role == _DISPLAY:
            return values[index.column()].replace("\n", " ")
        if role == _TOOLTIP and index.column() == 2:
            return entry.summary
        if role == _FOREGROUND:
            if entry.overdue and index.column() == 3:
                return _LATE
            if index.column() == 1:
                return _KIND_COLOURS.get(entry.kind)
        return None


class SubProjectPage(QDialog):
    """``changed`` is emitted whenever something was saved from the page."""

    help_topic = "visits"

    changed = Signal()

    def __init__(self, ws: Workspace, uid: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.uid = uid
        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.details = QGridLayout()
        self.model = TimelineModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        read_only_rows(self.table, single=True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 95)
        self.table.setColumnWidth(1, 130)
        self.table.setColumnWidth(3, 170)
        self.table.activated.connect(self.open_entry)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        self.new_visit = QPushButton(_("新建现场指导…"))
        self.new_visit.setToolTip(_("Ctrl+N"))
        self.rectify_button = QPushButton(_("登记整改…"))
        self.verify_button = QPushButton(_("复查…"))
        self.history_button = QPushButton(_("变更历史…"))
        self.history_button.setToolTip(_("选中事项（问题、现场指导、验收）的各个版本（Ctrl+H）"))
        self.all_history_button = QPushButton(_("子项目全部历史…"))
        self.all_history_button.setToolTip(_("子项目及其现场指导、问题、验收的全部变更（Ctrl+Shift+H）"))
        self.new_visit.clicked.connect(self.add_visit)
        self.rectify_button.clicked.connect(lambda: self._step(RectifyDialog))
        self.verify_button.clicked.connect(lambda: self._step(VerifyDialog))
        self.history_button.clicked.connect(lambda _checked=False: self.show_history())
        self.all_history_button.clicked.connect(lambda _checked=False: self.show_all_history())
        QShortcut(QKeySequence.StandardKey.New, self, activated=self.add_visit)
        QShortcut(QKeySequence("Ctrl+H"), self, activated=self.show_history)
        QShortcut(QKeySequence("Ctrl+Shift+H"), self, activated=self.show_all_history)
        buttons = QHBoxLayout()
        for button in (self.new_visit, self.rectify_button, self.verify_button, self.history_button,
                       self.all_history_button):
            buttons.addWidget(button)
        self.show_trainings = QCheckBox(_("显示建设期间的培训"))
        self.show_trainings.toggled.connect(lambda _on: self.reload())
        buttons.addWidget(self.show_trainings)
        buttons.addStretch(1)
        self.summary = QLabel()
        buttons.addWidget(self.summary)

        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addLayout(self.details)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.resize(980, 640)
        self.reload()

    def reload(self) -> None:
        detail = sub_projects.get(self.ws, self.uid)
        self.setWindowTitle(_("子项目 — {code} {name}").format(code=detail.code, name=detail.name))
        badge = _("　<span style='color:#b8860b'>★ 示范点</span>") if detail.demonstration_site else ""
        self.header.setText(f"<h2 style='margin:0'>{detail.code}　{detail.name}{badge}</h2>")
        pairs = [
            (_("县（区）"), detail.division_name), (_("总规项目"), detail.master_project_label),
            (_("项目业主"), detail.owner_unit), (_("建设状态"), _(CONSTRUCTION_STATUSES[detail.construction_status])),
            (_("总投资"), _("{n} 万元").format(n=wan_text(detail.investment_yuan)) if detail.investment_yuan is not None
             else ""),
            (_("建设期"), " — ".join(d.isoformat() for d in (detail.start_date, detail.finish_date) if d)),
            (_("分管领导"), " ".join(x for x in (detail.archive_lead, detail.archive_lead_phone) if x)),
            (_("档案人员"), " ".join(x for x in (detail.archivist, detail.archivist_phone) if x)),
        ]
        while self.details.count():
            self.details.takeAt(0).widget().deleteLater()
        for n, (label, value) in enumerate(pairs):
            caption = QLabel(label + "：")
            caption.setStyleSheet("color: #666;")
            self.details.addWidget(caption, n // 2, (n % 2) * 2)
            self.details.addWidget(QLabel(value), n // 2, (n % 2) * 2 + 1)
        self.details.setColumnStretch(1, 1)
        self.details.setColumnStretch(3, 1)
        entries = timeline.for_sub_project(self.ws, self.uid, today=date.today(),
                                           trainings=self.show_trainings.isChecked())
        self.model.set_entries(entries)
        visits = sum(e.kind == "visit" for e in entries)
        problems = [e for e in entries if e.kind == "problem"]
        late = sum(e.overdue for e in problems)
        self.summary.setText(_("现场指导 {v} 次 · 问题 {p} 个 · 超期 {late} 个").format(
            v=visits, p=len(problems), late=late))
        self._update_buttons()

    def current(self) -> TimelineEntry | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.entries[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        entry = self.current()
        is_problem = entry is not None and entry.kind == "problem"
        self.rectify_button.setEnabled(is_problem and entry.problem_state == "open")
        self.verify_button.setEnabled(is_problem and entry.problem_state == "rectified")
        self.history_button.setEnabled(entry is not None and entry.kind in ENTITY_OF_KIND)

    def show_history(self) -> HistoryDialog | None:
        """The selected entry's record: a problem (whichever of its steps is selected), a visit ..."""
        entry = self.current()
        if entry is None or entry.kind not in ENTITY_OF_KIND:
            return None
        return open_history(self, self.ws, ENTITY_OF_KIND[entry.kind], entry.uid)

    def show_all_history(self) -> HistoryDialog | None:
        return open_history(self, self.ws, "sub_projects", self.uid)

    def add_visit(self) -> None:
        dialog = VisitDialog(self.ws, self.uid, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.reload()
            self.changed.emit()

    def _step(self, dialog_class) -> None:
        entry = self.current()
        if entry is None:
            return
        try:
            dialog = dialog_class(self.ws, entry.uid, self)
        except AppError as exc:
            show_error(self, exc)
            return
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.reload()
            self.changed.emit()

    def open_entry(self, index: QModelIndex) -> None:
        entry = self.model.entries[index.row()]
        if entry.kind in ("problem", "rectification", "verification"):
            self._step(ProblemDialog)
