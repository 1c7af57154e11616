"""File choosers that remember the folder used last."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QWidget

from app.i18n import N_, _

_LAST_FOLDER = "export/last_folder"
_FILTER = N_("Excel 工作簿 (*.xlsx)")


def ask_save_path(parent: QWidget | None, title: str, name: str) -> Path | None:
    """Where to save an .xlsx, starting in the folder used last."""
    folder = QSettings().value(_LAST_FOLDER, str(Path.home()))
    chosen, _selected = QFileDialog.getSaveFileName(parent, title, str(Path(folder) / name), _(_FILTER))
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() != ".xlsx":
        path = path.with_suffix(".xlsx")
    QSettings().setValue(_LAST_FOLDER, str(path.parent))
    return path
