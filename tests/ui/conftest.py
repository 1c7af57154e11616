"""Qt test setup: offscreen, the shipped font, settings kept in a temporary folder."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from app.ui.fonts import install_ui_font
from app.ui.qt_translations import install_qt_translations


@pytest.fixture(autouse=True)
def qt_environment(qapp, tmp_path):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    install_ui_font(qapp)
    install_qt_translations(qapp)
    yield
