"""导出统计报表…: ask the year and the file, write the workbook on the worker (progress, Cancel)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QInputDialog, QWidget

from app.i18n import _
from app.reports import registry
from app.reports.statistics_xlsx import default_name
from app.services.workspace import Workspace
from app.ui.file_dialogs import ask_save_path
from app.ui.worker import Task, run_task

REPORT = "statistics"


def ask_year(parent: QWidget | None, default: int) -> int | None:
    year, ok = QInputDialog.getInt(parent, _("导出统计报表"), _("统计年度："), default, 2008, 2100)
    return year if ok else None


def export_statistics_dialog(parent: QWidget | None, ws: Workspace, *, default_year: int | None = None,
                             on_done: Callable[[Path], None] | None = None) -> Task | None:
    """Ask, then write; None when the user stops before the work starts."""
    year = ask_year(parent, default_year or date.today().year)
    if year is None:
        return None
    path = ask_save_path(parent, _("导出统计报表"), default_name(year))
    if path is None:
        return None

    def work(cancel, progress) -> Path:
        return registry.run(ws, REPORT, year=year, out_path=path, cancel=cancel, progress=progress)

    return run_task(parent, _("导出统计报表"), work, on_done=on_done)
