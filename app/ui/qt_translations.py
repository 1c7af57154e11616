"""Qt's own strings (standard buttons, file dialogs, context menus) in the user's language.

Our texts go through gettext (``app.i18n``); Qt's come from the ``qtbase`` catalogs that
PySide6 ships, loaded here once, as Picard's ``picard/i18n/qt.py`` does.
"""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from app.i18n import current_language


def install_qt_translations(app: QApplication, language: str | None = None) -> bool:
    """Load ``qtbase_<language>`` (Chinese by default); returns whether one was found.
    English needs none: Qt's own strings are English."""
    language = language or current_language()
    existing = getattr(app, "_qt_translator", None)
    if existing is not None:
        app.removeTranslator(existing)
        app._qt_translator = None
    if language.startswith("en"):
        return False
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(QLocale(language), "qtbase", "_", folder):
        return False
    app.installTranslator(translator)
    app._qt_translator = translator  # kept alive with the application
    return True
