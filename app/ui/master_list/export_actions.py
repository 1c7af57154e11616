"""File > 导出: the register (all or what the table shows) and the blank template, off the GUI thread."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QWidget

from app.i18n import _
from app.services.master_list.exporter import export_register, write_template
from app.services.sub_project_search import SubProjectFilter
from app.services.workspace import Workspace
from app.ui.file_dialogs import ask_save_path
from app.ui.worker import Task, run_task


def export_register_dialog(parent: QWidget | None, ws: Workspace, *, flt: SubProjectFilter | None = None,
                           sort: str = "code", descending: bool = False,
                           on_done=None) -> Task | None:
    """Ask where, then export in the background; ``flt`` exports only what the table shows."""
    name = _("子项目清单-{day}.xlsx").format(day=date.today().isoformat())
    path = ask_save_path(parent, _("导出子项目清单"), name)
    if path is None:
        return None

    def work(cancel, progress):
        return export_register(ws, path, flt=flt, sort=sort, descending=descending, cancel=cancel,
                               progress=progress)

    return run_task(parent, _("导出子项目清单"), work, on_done=lambda count: on_done and on_done(path, count))


def save_template_dialog(parent: QWidget | None) -> Path | None:
    path = ask_save_path(parent, _("保存空白清单模板"), _("子项目清单模板.xlsx"))
    if path is not None:
        write_template(path)
    return path
