"""帮助: F1 opens the user guide at the current screen's page; 关于 names version, node, database, licences."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from app import __version__
from app.ui.help import guide_pages
from app.ui.help.about_dialog import AboutDialog
from app.ui.help.dialog_help import DialogHelp, install_dialog_help
from app.services import sub_projects
from app.ui.main_window import MainWindow
from app.ui.modules import MODULES
from app.ui.navigation import REGISTER
from tests.conftest import sub_project_input


@pytest.fixture
def window(qtbot, ws):
    win = MainWindow(ws)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_f1_opens_the_guide_at_the_register_page(qtbot, window):
    qtbot.keyClick(window.register.table, Qt.Key.Key_F1)
    guide = window.help_window
    qtbot.waitUntil(guide.isVisible)
    assert guide.current_key() == "02-register"
    assert guide.browser.toPlainText().startswith("子项目登记")
    assert guide.page_list.count() == len(guide_pages.pages()) >= 8


def test_f1_on_a_module_opens_the_page_explaining_it(qtbot, window):
    window.show_module("ledger")
    window.act_guide.trigger()
    assert window.help_window.current_key() == "04-field-work"
    window.show_module("acceptances")
    window.act_guide.trigger()
    assert window.help_window.current_key() == "06-acceptance"


def test_the_help_menu_holds_the_guide_and_about(window):
    help_menu = window.menuBar().actions()[-1].menu()
    texts = [a.text() for a in help_menu.actions() if not a.isSeparator()]
    assert texts == ["用户指南", "关于"]
    assert "F1" in [s.toString() for s in window.act_guide.shortcuts()]


def test_choosing_a_page_in_the_list_shows_it_with_its_pictures(qtbot, window):
    guide = window.show_guide(REGISTER)
    row = next(i for i in range(guide.page_list.count()) if guide.page_list.item(i).text() == "档案验收与证书")
    guide.page_list.setCurrentRow(row)
    assert guide.current_key() == "06-acceptance"
    html = guide.browser.toHtml()
    assert "help-topics" not in guide.browser.toPlainText()
    # every screenshot is found next to the guide, and wide ones are scaled to the column
    images = re.findall(r"<img [^>]*>", html)
    assert len(images) >= 4
    folder = guide_pages.page_for_topic("acceptances").path.parent
    assert all((folder / re.search(r'src="([^"]+)"', tag).group(1)).is_file() for tag in images)
    assert any('width="760"' in tag for tag in images)


def test_every_page_has_a_title_and_its_pictures_and_links_exist():
    pages = guide_pages.pages()
    keys = {p.key for p in pages}
    # screens, and the dialogs that open the guide themselves (settings; backups share its page)
    known_topics = {m.key for m in MODULES} | {REGISTER, "setup", "help", "master-list", "settings", "backup"}
    for page in pages:
        text = page.path.read_text(encoding="utf-8")
        assert page.title and page.title != page.key, page.key
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            assert (page.path.parent / target).is_file() or target[:-3] in keys, (page.key, target)
        assert set(page.topics) <= known_topics, (page.key, page.topics)
    assert guide_pages.page_for_topic("no-such-screen", pages).key == guide_pages.HOME


def test_a_soft_wrapped_chinese_line_reads_without_a_space():
    assert guide_pages.display_text("<!-- help-topics: x -->\n第一行\n第二行\nEnglish\nwords") == \
        "第一行第二行\nEnglish\nwords"


def test_about_shows_version_node_database_and_the_font_licence(qtbot, ws, monkeypatch):
    shown = []
    monkeypatch.setattr(AboutDialog, "exec", lambda self: shown.append(self) or QDialog.DialogCode.Accepted)
    win = MainWindow(ws)
    qtbot.addWidget(win)
    win.act_about.trigger()
    [dialog] = shown
    qtbot.addWidget(dialog)
    info = dialog.info.toPlainText()
    assert __version__ in info
    assert "芦山县" in info and dialog.facts.node_code in info and dialog.facts.node_uid in info
    assert str(ws.db.path) in info
    assert "WenQuanYi Micro Hei" in info and "Apache-2.0" in info
    licences = dialog.licence_list.toPlainText()
    for name in ("WenQuanYi Micro Hei", "Qt", "PySide6", "SQLAlchemy", "reportlab", "alembic", "bagit"):
        assert name in licences, name
    assert "Apache" in dialog.font_text.toPlainText()
    dialog.copy_to_clipboard()
    from PySide6.QtGui import QGuiApplication

    assert str(ws.db.path) in QGuiApplication.clipboard().text()


def test_the_settings_dialogs_help_button_opens_its_page(qtbot, ws):
    from app.ui.dialogs.settings_dialog import SettingsDialog

    window = MainWindow(ws)
    qtbot.addWidget(window)
    dialog = SettingsDialog(ws, window)
    qtbot.addWidget(dialog)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Help).click()
    assert dialog._guide_window.current_key() == "10-backup-settings"


@pytest.fixture
def dialog_help(qapp):
    install_dialog_help(qapp)
    install_dialog_help(qapp)  # once per application, however often it is asked
    assert len(qapp.findChildren(DialogHelp)) == 1


def test_f1_in_a_modal_dialog_opens_its_page_in_a_guide_the_dialog_does_not_block(qtbot, window, master, lushan,
                                                                                    dialog_help):
    from app.ui.field_work.visit_dialog import VisitDialog

    record = sub_projects.create(window.ws, sub_project_input(master, lushan))
    dialog = VisitDialog(window.ws, record.uid, parent=window)
    qtbot.addWidget(dialog)
    dialog.open()  # window-modal, as exec() would be, without blocking the test
    qtbot.waitExposed(dialog)
    qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_F1)
    guide = dialog._guide_window
    qtbot.waitUntil(guide.isVisible)
    assert guide.current_key() == "04-field-work"
    # a child of the modal dialog: Qt lets the user scroll and click it while the form waits
    assert guide.parentWidget() is dialog and guide.isWindow()
    assert getattr(window, "help_window", None) is None  # the main window's own F1 did not fire as well


def test_f1_in_a_dialog_without_a_page_of_its_own_opens_the_current_screens(qtbot, window, dialog_help):
    window.show_module("ledger")
    dialog = QDialog(window)
    _press_help_key(qtbot, dialog)
    assert dialog._guide_window.current_key() == "04-field-work"


def test_the_first_start_dialog_has_its_page_before_any_main_window(qtbot, ws, dialog_help):
    from app.ui.dialogs.setup_dialog import SetupDialog

    dialog = SetupDialog(ws)
    _press_help_key(qtbot, dialog)
    assert dialog._guide_window.current_key() == "01-setup"


def _press_help_key(qtbot, dialog: QDialog) -> None:
    qtbot.addWidget(dialog)
    dialog.open()  # window-modal, as exec() would be, without blocking the test
    qtbot.waitExposed(dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_F1)


def test_every_dialog_names_a_page_the_guide_has():
    import importlib
    import pkgutil

    import app.ui

    for info in pkgutil.walk_packages(app.ui.__path__, "app.ui."):
        importlib.import_module(info.name)
    dialogs = _subclasses(QDialog)
    named = {cls: cls.help_topic for cls in dialogs if cls.__module__.startswith("app.ui.")}
    assert len(named) >= 30
    missing = [cls.__qualname__ for cls, topic in named.items() if not topic]
    assert missing == []
    pages = guide_pages.pages()
    for cls, topic in named.items():
        assert guide_pages.page_for_topic(topic, pages).key != guide_pages.HOME or topic == "help", (cls, topic)


def _subclasses(cls):
    out = set()
    for sub in cls.__subclasses__():
        out.add(sub)
        out |= _subclasses(sub)
    return out
