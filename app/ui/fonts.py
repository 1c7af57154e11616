"""The CJK font the application ships, so Chinese never draws as boxes on a bare system."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from app import resources

UI_POINT_SIZE = 10


def install_ui_font(app: QApplication) -> str:
    """Register the shipped font and make it the application's default; returns its family."""
    font_file = resources.find(resources.UI_FONT)
    font_id = QFontDatabase.addApplicationFont(str(font_file)) if font_file else -1
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        return app.font().family()
    family = families[0]
    app.setFont(QFont(family, UI_POINT_SIZE))
    return family
