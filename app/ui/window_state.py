"""The main window's size, layout, splitter and register columns, kept between sessions."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter

from app.ui.register.register_view import RegisterView

SETTINGS_GROUP = "main_window"
DEFAULT_SIZE = (1360, 800)


def restore_window_state(window: QMainWindow, splitter: QSplitter, register: RegisterView) -> None:
    """As the user left them; a first start gets the default size. The register's saved sort
    order is restored before its first search, so that search already uses it."""
    settings = QSettings()
    settings.beginGroup(SETTINGS_GROUP)
    geometry = settings.value("geometry")
    if geometry:
        window.restoreGeometry(geometry)
    else:
        window.resize(*DEFAULT_SIZE)
    state = settings.value("state")
    if state:
        window.restoreState(state)
    layout = settings.value("splitter")
    if layout:
        splitter.restoreState(layout)
    header = settings.value("register_header")
    if header:
        register.restore_header_state(header)
    settings.endGroup()


def save_window_state(window: QMainWindow, splitter: QSplitter, register: RegisterView) -> None:
    settings = QSettings()
    settings.beginGroup(SETTINGS_GROUP)
    settings.setValue("geometry", window.saveGeometry())
    settings.setValue("state", window.saveState())
    settings.setValue("splitter", splitter.saveState())
    settings.setValue("register_header", register.header_state())
    settings.endGroup()
    settings.sync()
