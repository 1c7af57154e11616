"""The retention dialog: created from the default list, edited, refused rows pointed at."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QLineEdit, QMessageBox

from app.services import retention, sub_projects
from app.ui.dialogs.retention_dialog import ERROR_BACKGROUND, RetentionDialog, RetentionItemsModel, summary_text
from tests.conftest import sub_project_input

M = RetentionItemsModel
DEFAULT_SUMMARY = "共 16 类：永久 9 类，30年 5 类，10年 2 类"


@pytest.fixture
def sub_uid(ws, master, lushan) -> str:
    return sub_projects.create(ws, sub_project_input(master, lushan)).uid


def _open(qtbot, ws, uid) -> RetentionDialog:
    dialog = RetentionDialog(ws, sub_project_uid=uid)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _column(dialog: RetentionDialog, column: int) -> list:
    return [dialog.model.index(r, column).data() for r in range(dialog.model.rowCount())]


def _type_class(dialog: RetentionDialog, row: int, text: str):
    """Type into the 文件类别 cell's editor (opened by 添加, or by us), as a user would."""
    index = dialog.model.index(row, M.CLASS)
    if dialog.view.indexWidget(index) is None:
        dialog.view.setCurrentIndex(index)
        dialog.view.edit(index)
    editor = dialog.view.indexWidget(index)
    assert isinstance(editor, QLineEdit)
    editor.setText(text)  # keyClicks cannot type Chinese
    return editor


def _fail_on_message_box(monkeypatch) -> None:
    def boom(*args, **kwargs):
        raise AssertionError(f"unexpected message box: {args[1:]}")
    for name in ("warning", "critical", "information", "question"):
        monkeypatch.setattr(QMessageBox, name, boom)


def test_creates_a_schedule_from_the_default_list(qtbot, ws, sub_uid, monkeypatch):
    _fail_on_message_box(monkeypatch)
    assert retention.schedule_for(ws, sub_uid) is None
    dialog = _open(qtbot, ws, sub_uid)

    assert "511826-ZG-0001-01" in dialog.windowTitle()
    assert dialog.note.isVisible() and "默认清单" in dialog.note.text()
    assert dialog.model.rowCount() == 16
    assert _column(dialog, M.NUMBER) == list(range(1, 17))
    assert dialog.summary.text() == DEFAULT_SUMMARY
    assert dialog.reset_button.isVisible()

    dialog.accept()

    assert dialog.result() == QDialog.DialogCode.Accepted
    saved = retention.schedule_for(ws, sub_uid)
    assert saved is not None and saved == dialog.result_schedule
    assert saved.items == retention.default_schedule(ws).items


def test_edit_saves_a_new_revision(qtbot, ws, sub_uid, monkeypatch):
    _fail_on_message_box(monkeypatch)
    created = retention.create_for(ws, sub_uid)
    dialog = _open(qtbot, ws, sub_uid)
    assert not dialog.note.isVisible()

    # Change a period through the real combo-box editor.
    period = dialog.model.index(14, M.PERIOD)  # 安全生产及文明施工文件, 10年
    dialog.view.setCurrentIndex(period)
    dialog.view.edit(period)
    combo = dialog.view.indexWidget(period) or dialog.view.findChild(QComboBox)
    assert isinstance(combo, QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == ["永久", "30年", "10年", "长期", "短期"]
    combo.setCurrentIndex(combo.findText("30年"))
    combo.activated.emit(combo.currentIndex())
    assert period.data() == "30年"

    # Add a row after the last one and name it.
    dialog.view.selectRow(15)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.model.rowCount() == 17 and dialog.model.index(16, M.NUMBER).data() == 17
    editor = _type_class(dialog, 16, "灾后重建项目影像及测绘成果")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next turn of the loop
    qtbot.waitUntil(lambda: dialog.model.index(16, M.CLASS).data() == "灾后重建项目影像及测绘成果")
    assert dialog.summary.text() == "共 17 类：永久 10 类，30年 6 类，10年 1 类"

    dialog.accept()

    assert dialog.result() == QDialog.DialogCode.Accepted
    saved = retention.schedule_for(ws, sub_uid)
    assert saved.rev != created.rev and saved.uid == created.uid
    assert saved.items[14] == {"document_class": "安全生产及文明施工文件", "retention": "30y"}
    assert saved.items[-1] == {"document_class": "灾后重建项目影像及测绘成果", "retention": "permanent"}
    assert len(saved.items) == 17


@pytest.mark.parametrize("bad_text, message", [
    ("竣工图", "第 17 行的文件类别“竣工图”与第 11 行重复。"),
    ("   ", "“第 17 行的文件类别”不能为空。"),
])
def test_bad_row_is_named_marked_and_nothing_saved(qtbot, ws, sub_uid, monkeypatch, bad_text, message):
    _fail_on_message_box(monkeypatch)
    dialog = _open(qtbot, ws, sub_uid)
    dialog.view.selectRow(15)
    dialog.add_button.click()
    _type_class(dialog, 16, bad_text)

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # the editor is still open

    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert retention.schedule_for(ws, sub_uid) is None  # not even the copy of the default list
    assert dialog.error_area.isVisible()
    assert message in dialog.error_area.text()
    assert dialog.model.index(16, M.CLASS).data(Qt.ItemDataRole.BackgroundRole).color() == ERROR_BACKGROUND
    assert dialog.model.index(15, M.CLASS).data(Qt.ItemDataRole.BackgroundRole) is None
    assert dialog.model.index(16, M.CLASS).data(Qt.ItemDataRole.ToolTipRole) == message
    assert dialog.model.rowCount() == 17 and dialog.model.index(16, M.CLASS).data() == bad_text  # edits kept
    assert dialog.view.currentIndex().row() == 16

    # Fixing the row clears its mark, and the save then goes through.
    qtbot.keyClick(_type_class(dialog, 16, "质量监督文件"), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.model.index(16, M.CLASS).data() == "质量监督文件")
    assert dialog.model.index(16, M.CLASS).data(Qt.ItemDataRole.BackgroundRole) is None
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert retention.schedule_for(ws, sub_uid).items[-1]["document_class"] == "质量监督文件"


def test_an_empty_list_is_refused(qtbot, ws, sub_uid, monkeypatch):
    _fail_on_message_box(monkeypatch)
    retention.create_for(ws, sub_uid)
    before = retention.schedule_for(ws, sub_uid)
    dialog = _open(qtbot, ws, sub_uid)
    dialog.model.remove_rows(range(dialog.model.rowCount()))
    assert dialog.summary.text() == "共 0 类"
    dialog.accept()
    assert dialog.isVisible() and "至少需要一个文件类别" in dialog.error_area.text()
    assert retention.schedule_for(ws, sub_uid) == before


def test_move_remove_and_restore_default(qtbot, ws, sub_uid):
    dialog = _open(qtbot, ws, sub_uid)
    first, second = _column(dialog, M.CLASS)[:2]
    dialog.view.selectRow(0)
    assert not dialog.up_button.isEnabled() and dialog.down_button.isEnabled()
    dialog.down_button.click()
    assert _column(dialog, M.CLASS)[:2] == [second, first]
    assert dialog.view.currentIndex().row() == 1
    dialog.up_button.click()
    assert _column(dialog, M.CLASS)[:2] == [first, second]

    dialog.view.selectRow(0)
    dialog.remove_button.click()
    assert dialog.model.rowCount() == 15 and _column(dialog, M.CLASS)[0] == second
    assert _column(dialog, M.NUMBER)[0] == 1

    dialog.reset_button.click()
    assert dialog.model.rowCount() == 16 and dialog.summary.text() == DEFAULT_SUMMARY


def test_stale_schedule_shows_the_error_and_stays_open(qtbot, ws, sub_uid, monkeypatch):
    schedule = retention.create_for(ws, sub_uid)
    dialog = _open(qtbot, ws, sub_uid)
    # Someone else saves first (another window, an import).
    retention.save_items(ws, schedule.uid, schedule.items[:-1], expected_rev=schedule.rev)
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    _type_class(dialog, 0, "项目立项及审批文件")
    dialog.accept()
    assert dialog.isVisible() and len(shown) == 1 and "已被其他操作修改" in shown[0]
    assert dialog.model.index(0, M.CLASS).data() == "项目立项及审批文件"


def test_default_list_mode(qtbot, ws, monkeypatch):
    _fail_on_message_box(monkeypatch)
    before = retention.default_schedule(ws)
    dialog = RetentionDialog(ws, sub_project_uid=None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.reset_button.isVisible() and "默认" in dialog.windowTitle()
    dialog.model.setData(dialog.model.index(15, M.PERIOD), "30y")
    dialog.accept()
    after = retention.default_schedule(ws)
    assert after.rev != before.rev and after.items[15]["retention"] == "30y"


def test_summary_text_lists_only_periods_in_use():
    assert summary_text([]) == "共 0 类"
    assert summary_text([{"document_class": "a", "retention": "long"},
                         {"document_class": "b", "retention": "permanent"}]) == "共 2 类：永久 1 类，长期 1 类"
