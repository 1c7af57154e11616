"""An English start: the language stored in the settings (or --lang) reaches every text of the window.

The window's modules are imported by this file before the language changes, as a start imports
them before ``main()`` runs: a text translated at import time would show up here in Chinese.
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QLineEdit, QMenu, QToolBar

from app.i18n import DEFAULT_LANGUAGE, current_language, set_language
from app.services import demo, divisions
from app.services import settings as app_settings
from app.ui.application import language_from_args, start_language
from app.ui.main_window import MainWindow
from app.ui.qt_translations import install_qt_translations

HAN = re.compile(r"[\u4e00-\u9fff]")
OPERATOR = "张晓梅"  # the conftest's operator: data, as are division names and demo records


@pytest.fixture
def stored_english(monkeypatch, tmp_path, qapp):
    monkeypatch.setenv(app_settings.HOME_ENV, str(tmp_path / "home"))
    app_settings.save(app_settings.Settings(language="en"))
    yield
    set_language(DEFAULT_LANGUAGE)
    install_qt_translations(qapp)


def _menu_texts(menu: QMenu, path: str) -> list[tuple[str, str]]:
    texts = [(path, menu.title())]
    for action in menu.actions():
        where = f"{path} > {action.text()}"
        texts += [(where, action.text()), (where, action.toolTip()), (where, action.statusTip())]
        if action.menu() is not None:
            texts += _menu_texts(action.menu(), where)
    return texts


def _chrome(window: MainWindow) -> list[tuple[str, str]]:
    """(where, text) of the menus, toolbars, navigation, title, status bar and the register's headers."""
    texts = [("window title", window.windowTitle())]
    for action in window.menuBar().actions():
        texts += _menu_texts(action.menu(), action.text()) if action.menu() else [("menu bar", action.text())]
    for toolbar in window.findChildren(QToolBar):
        texts.append(("toolbar", toolbar.windowTitle()))
        for action in toolbar.actions():
            texts += [(f"toolbar {action.text()}", action.text()), (f"toolbar {action.text()}", action.toolTip())]
    nav = window.navigation
    for i in range(nav.topLevelItemCount()):
        item = nav.topLevelItem(i)
        texts.append(("navigation", item.text(0)))
        texts += [("navigation", item.child(j).text(0)) for j in range(item.childCount())]
    model = window.register.table.model()
    for column in range(model.columnCount()):
        for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            texts.append((f"register header {column}", str(model.headerData(column, Qt.Orientation.Horizontal, role) or "")))
    bar = window.register.filter_bar
    for combo in bar.findChildren(QComboBox):
        texts += [("register filter", combo.itemText(i)) for i in range(combo.count())]
    texts += [("register filter", edit.placeholderText()) for edit in bar.findChildren(QLineEdit)]
    texts += [("register filter", label.text()) for label in bar.findChildren(QLabel)]
    texts += [("status bar", label.text()) for label in window.statusBar().findChildren(QLabel)]
    return texts


def _chinese_left(texts: list[tuple[str, str]], data: set[str]) -> list[tuple[str, str]]:
    left = []
    for where, text in texts:
        stripped = text
        for name in sorted(data, key=len, reverse=True):
            stripped = stripped.replace(name, "")
        if HAN.search(stripped):
            left.append((where, text))
    return left


def test_the_language_of_the_settings_applies_at_start_and_lang_overrides_it(stored_english):
    assert start_language([], app_settings.load()) == "en" == current_language()
    assert start_language(["--db", "x.db", "--lang", "zh_CN"], app_settings.load()) == "zh_CN"
    assert start_language(["--lang=en"], app_settings.Settings()) == "en"
    assert start_language(["--lang", "fr"], app_settings.Settings()) == DEFAULT_LANGUAGE  # unknown: the settings'
    assert language_from_args(["--demo"]) is None


def test_an_english_start_shows_no_chinese_in_menus_toolbar_navigation_title_and_headers(
        stored_english, qapp, qtbot, ws):
    demo.generate(ws, sub_projects=30)
    start_language([], app_settings.load())
    install_qt_translations(qapp)  # as create_application does: none for English
    window = MainWindow(ws)
    qtbot.addWidget(window)
    window.show()
    QApplication.processEvents()
    texts = _chrome(window)
    data = {d.name for d in divisions.list_divisions(ws)} | {OPERATOR}
    assert _chinese_left(texts, data) == []
    assert ("&File", "&File") in texts and len(texts) > 100
    headers = [t for w, t in texts if w.startswith("register header")]
    assert "Sub-project code" in headers
    assert window.windowTitle().startswith("Ya'an Reconstruction Projects Field Archive Kit")
    # a screen of many records reads in the plural, where one record is "Notice"
    navigation = [t for w, t in texts if w == "navigation"]
    assert {"Notices", "Trainings", "Guidance visits", "Archive acceptances"} <= set(navigation)


def test_the_check_finds_chinese_in_a_chinese_start(qtbot, ws):
    set_language(DEFAULT_LANGUAGE)
    window = MainWindow(ws)
    qtbot.addWidget(window)
    data = {d.name for d in divisions.list_divisions(ws)} | {OPERATOR}
    left = dict(_chinese_left(_chrome(window), data))
    assert "window title" in left and "register header 0" in left
