"""Qt's own strings (standard buttons, file dialogs, context menus) in the user's language.

Our texts go through gettext (``app.i18n``); Qt's come from the ``qtbase`` catalogs that
PySide6 ships, loaded here once, as Picard's ``picard/i18n/qt.py`` does.
"""

from __future__ import annotations

from pathlib import Path

import PySide6
from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from app import resources
from app.i18n import current_language


def qt_translations_dir() -> str:
    """Where ``qtbase_*.qm`` are: Qt's own answer first, then where PySide6's wheels and a
    PyInstaller bundle put them (``PySide6/Qt/translations`` on Linux and macOS,
    ``PySide6/translations`` on Windows), in case a frozen Qt looks in the wrong place."""
    candidates = [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]
    for base in (resources.frozen_root(), Path(PySide6.__file__).resolve().parent.parent):
        if base is not None:
            candidates += [base / "PySide6" / "Qt" / "translations", base / "PySide6" / "translations"]
    for folder in candidates:
        if any(folder.glob("qtbase_*.qm")):
            return str(folder)
    return str(candidates[0])


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
    folder = qt_translations_dir()
    if not translator.load(QLocale(language), "qtbase", "_", folder):
        return False
    app.installTranslator(translator)
    app._qt_translator = translator  # kept alive with the application
    return True
