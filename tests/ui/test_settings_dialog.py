"""设置: checked before it closes, stored where the core reads it at start, used by the print path."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPageSize
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox

from app.services import divisions, enrolment, sub_project_search, sub_projects
from app.services import settings as app_settings
from app.ui import backup_actions
from app.ui.acceptance.pdf_preview import new_printer
from app.ui.dialogs import settings_dialog
from app.ui.dialogs.settings_dialog import SettingsDialog
from app.ui.main_window import MainWindow
from tests.conftest import sub_project_input


@pytest.fixture(autouse=True)
def own_home(tmp_path, monkeypatch):
    monkeypatch.setenv(app_settings.HOME_ENV, str(tmp_path / "home"))


def click_save(qtbot, dialog):
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)


def test_bad_input_is_named_beside_its_field_and_what_was_typed_stays(qtbot, ws, tmp_path):
    dialog = SettingsDialog(ws)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.division_label.text() == "芦山县" and dialog.operator.text() == "张晓梅"
    assert dialog.node_code_label.text().startswith("511826")
    dialog.operator.setText("  ")
    dialog.backups_keep.setText("十份")
    dialog.backup_folder.setText("备份/相对路径")
    click_save(qtbot, dialog)

    assert dialog.isVisible() and dialog.result() == 0
    assert "“操作员姓名”" in dialog.errors.message_for("operator")
    assert "1 到 100 之间的整数" in dialog.errors.message_for("backups_keep")
    assert "完整路径" in dialog.errors.message_for("backup_folder")
    assert dialog.errors.message_for("data_folder") == ""
    assert dialog.backups_keep.text() == "十份" and dialog.backup_folder.text() == "备份/相对路径"
    assert not app_settings.settings_path().exists() and ws.operator == "张晓梅"

    dialog.operator.setText("李娜")
    dialog.backups_keep.setText("5")
    dialog.backup_folder.setText(str(tmp_path / "U盘" / "备份"))
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.paper.setCurrentIndex(dialog.paper.findData("A3"))
    click_save(qtbot, dialog)

    assert dialog.result() == QDialog.DialogCode.Accepted
    saved = app_settings.load()
    assert (saved.backups_keep, saved.language, saved.paper_size) == (5, "en", "A3")
    assert saved.backup_folder == str(tmp_path / "U盘" / "备份")
    assert ws.operator == "李娜"


def test_the_key_fingerprint_is_shown_once_the_node_has_a_key(qtbot, ws):
    dialog = SettingsDialog(ws)
    qtbot.addWidget(dialog)
    assert "尚未生成" in dialog.fingerprint_label.text()
    identity = enrolment.local_identity(ws)
    dialog = SettingsDialog(ws)
    qtbot.addWidget(dialog)
    assert dialog.fingerprint_label.text() == identity.fingerprint


def test_the_dialog_says_what_a_new_data_folder_will_do(qtbot, ws, tmp_path):
    app_settings.save(app_settings.Settings(data_folder=str(ws.db.path.parent)))
    dialog = SettingsDialog(ws)
    qtbot.addWidget(dialog)
    assert str(ws.db.path) in dialog.data_note.text()
    dialog.data_folder.setText(str(tmp_path / "新的数据文件夹"))
    assert dialog.data_folder_change() == "copy" and "复制到该文件夹" in dialog.data_note.text()
    other = tmp_path / "另一台电脑的数据"
    other.mkdir()
    (other / "archive.db").write_bytes(b"")
    dialog.data_folder.setText(str(other))
    assert dialog.data_folder_change() == "switch" and "已有数据库" in dialog.data_note.text()


def test_on_a_database_given_with_db_the_data_folder_is_only_stored(qtbot, ws, tmp_path):
    dialog = SettingsDialog(ws)  # no settings: the configured database is elsewhere
    qtbot.addWidget(dialog)
    assert "--db" in dialog.data_note.text()
    dialog.data_folder.setText(str(tmp_path / "以后用的文件夹"))
    assert dialog.data_folder_change() == "store"
    click_save(qtbot, dialog)
    assert app_settings.load().data_folder == str(tmp_path / "以后用的文件夹")


def test_a_new_data_folder_gets_a_verified_copy_and_the_window_reopens_on_it(qtbot, ws, tmp_path, monkeypatch,
                                                                              master):
    sub_projects.create(ws, sub_project_input(master, divisions.find_division(ws, "芦山县")))
    app_settings.save(app_settings.Settings(data_folder=str(ws.db.path.parent)))
    window = MainWindow(ws)
    qtbot.addWidget(window)
    target = tmp_path / "D盘" / "档案"

    def exec_with_new_folder(dialog):
        dialog.data_folder.setText(str(target))
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(SettingsDialog, "exec", exec_with_new_folder)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.StandardButton.Ok)
    settings_dialog.open_settings(window)
    qtbot.waitUntil(lambda: any(w.ws.db.path == target / "archive.db" for w in backup_actions._windows),
                    timeout=20000)
    reopened = next(w for w in backup_actions._windows if w.ws.db.path == target / "archive.db")
    qtbot.addWidget(reopened)
    assert sub_project_search.count_live(reopened.ws) == 1
    assert app_settings.load().data_dir() == target
    assert not window.isVisible() and (ws.db.path.parent / "archive.db").exists()  # the old folder stays
    backup_actions._windows.clear()
    reopened.ws.close()


def test_the_printer_path_uses_the_paper_of_the_settings(qtbot):
    assert new_printer().pageLayout().pageSize().id() == QPageSize.PageSizeId.A4
    app_settings.save(app_settings.Settings(paper_size="A3", printer="不存在的打印机"))
    printer = new_printer()
    assert printer.pageLayout().pageSize().id() == QPageSize.PageSizeId.A3
    assert printer.printerName() != "不存在的打印机"  # a printer not connected is not forced on the job


def test_settings_open_with_ctrl_comma_from_the_tools_menu(qtbot, ws):
    window = MainWindow(ws)
    qtbot.addWidget(window)
    assert window.act_settings.shortcut().toString() == "Ctrl+,"
    menus = {a.text(): [x.text() for x in a.menu().actions()] for a in window.menuBar().actions() if a.menu()}
    assert "设置…" in menus["工具(&T)"]
    assert {"备份…", "恢复…"} <= set(menus["文件(&F)"])


def test_the_language_chosen_applies_at_the_next_start(monkeypatch):
    from app.i18n import current_language, set_language
    from app.ui import application, selftest

    app_settings.save(app_settings.Settings(language="en"))
    seen = []
    monkeypatch.setattr(selftest, "main", lambda argv: seen.append(current_language()) or 0)
    try:
        assert application.main(["main.py", "--self-test"]) == 0
    finally:
        set_language("zh_CN")
    assert seen == ["en"]
