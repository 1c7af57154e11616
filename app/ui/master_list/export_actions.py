"""File > 导出: the register (all or what the table shows) and the blank template, off the GUI thread."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QWidget

from app.i18n import N_, _
from app.services.master_list.exporter import export_register, write_template
from app.services.sub_project_search import SubProjectFilter
from app.services.workspace import Workspace
from app.ui.worker import Task, run_task

_LAST_FOLDER = "export/last_folder"
_FILTER = N_("Excel 工作簿 (*.xlsx)")


def _ask_path(parent: QWidget | None, title: str, name: str) -> Path | None:
    folder = QSettings().value(_LAST_FOLDER, str(Path.home()))
    chosen, _selected = QFileDialog.getSaveFileName(parent, title, str(Path(folder) / name), _(_FILTER))
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() != ".xlsx":
        path = path.with_suffix(".xlsx")
    QSettings().setValue(_LAST_FOLDER, str(path.parent))
    return path


def export_register_dialog(parent: QWidget | None, ws: Workspace, *, flt: SubProjectFilter | None = None,
                           sort: str = "code", descending: bool = False,
                           on_done=None) -> Task | None:
    """Ask where, then export in the background; ``flt`` exports only what the table shows."""
    name = _("子项目清单-{day}.xlsx").format(day=date.today().isoformat())
    path = _ask_path(parent, _("导出子项目清单"), name)
    if path is None:
        return None

    def work(cancel, progress):
        return export_register(ws, path, flt=flt, sort=sort, descending=descending, cancel=cancel,
                               progress=progress)

    return run_task(parent, _("导出子项目清单"), work, on_done=lambda count: on_done and on_done(path, count))


def save_template_dialog(parent: QWidget | None) -> Path | None:
    path = _ask_path(parent, _("保存空白清单模板"), _("子项目清单模板.xlsx"))
    if path is not None:
        write_template(path)
    return path
