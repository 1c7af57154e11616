"""The sub-project dialog validates before it closes, shows messages by the field, keeps the text."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from app.services import sub_project_search, sub_projects
from app.ui.dialogs.sub_project_dialog import SubProjectDialog
from tests.conftest import sub_project_input


def click_save(qtbot, dialog):
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)


def fill_valid(dialog, master):
    dialog.code.setText("511826-ZG-0001-09")
    dialog.name.setText("古城村农房重建二期")
    dialog.master.setCurrentIndex(dialog.master.findData(master.uid))
    dialog.owner_unit.setText("龙门乡人民政府")
    dialog.investment.setText("88.8")
    dialog.start_date.setText("2014年3月1日")
    dialog.finish_date.setText("2015.6.30")
    dialog.archivist.setText("王芳")
    dialog.archivist_phone.setText("13881612345")


def test_new_dialog_defaults_to_this_nodes_county(qtbot, ws, lushan, master):
    dialog = SubProjectDialog(ws)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "新建子项目"
    assert dialog.division.currentData() == lushan.uid
    assert dialog.master.findData(master.uid) >= 0


def test_bad_input_is_refused_beside_the_field_and_the_text_is_kept(qtbot, ws, master):
    dialog = SubProjectDialog(ws)
    qtbot.addWidget(dialog)
    dialog.show()
    fill_valid(dialog, master)
    dialog.investment.setText("三百万")
    dialog.archivist_phone.setText("1388161234")
    dialog.finish_date.setText("2013-01-01")
    click_save(qtbot, dialog)

    assert dialog.isVisible() and dialog.result() == 0
    assert "“总投资（万元）”应为数字" in dialog.errors.message_for("investment")
    assert "“档案人员电话”格式不正确" in dialog.errors.message_for("archivist_phone")
    assert "“完工日期”（2013-01-01）不能早于“开工日期”（2014-03-01）" in dialog.errors.message_for("finish_date")
    assert dialog.errors.message_for("name") == ""
    # what the user typed is still there to correct
    assert dialog.investment.text() == "三百万"
    assert dialog.archivist_phone.text() == "1388161234"
    assert sub_project_search.count_live(ws) == 0

    dialog.investment.setText("300")
    dialog.archivist_phone.setText("13881612345")
    dialog.finish_date.setText("2015-06-30")
    click_save(qtbot, dialog)
    assert dialog.result() == 1
    assert dialog.saved.investment_yuan == 3_000_000
    assert dialog.saved.start_date.isoformat() == "2014-03-01"
    assert sub_project_search.count_live(ws) == 1


def test_required_fields_and_master_project_are_named(qtbot, ws, master):
    dialog = SubProjectDialog(ws)
    qtbot.addWidget(dialog)
    dialog.master.setEditText("不存在的总规项目")
    click_save(qtbot, dialog)
    assert "“子项目编号”不能为空" in dialog.errors.message_for("code")
    assert "“子项目名称”不能为空" in dialog.errors.message_for("name")
    assert "请选择所属的“总规项目”" in dialog.errors.message_for("master_project_uid")
    assert dialog.master.currentText() == "不存在的总规项目"


def test_edit_shows_stored_values_and_saves_a_new_revision(qtbot, ws, master, lushan):
    created = sub_projects.create(ws, sub_project_input(master, lushan))
    dialog = SubProjectDialog(ws, uid=created.uid)
    qtbot.addWidget(dialog)
    assert dialog.code.text() == created.code
    assert dialog.investment.text() == "356.5"
    assert dialog.master.currentData() == master.uid
    dialog.archivist.setText("赵敏")
    click_save(qtbot, dialog)
    assert dialog.result() == 1
    assert sub_projects.get(ws, created.uid).archivist == "赵敏"
    assert dialog.saved.rev.startswith("2-")


def test_a_form_left_open_while_the_record_changed_is_refused(qtbot, ws, master, lushan, monkeypatch):
    created = sub_projects.create(ws, sub_project_input(master, lushan))
    dialog = SubProjectDialog(ws, uid=created.uid)
    qtbot.addWidget(dialog)
    sub_projects.update(ws, created.uid, sub_project_input(master, lushan, name="别处改过的名称"))
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    dialog.name.setText("我的修改")
    click_save(qtbot, dialog)
    assert dialog.result() == 0 and "已被其他操作修改" in shown[0]
    assert dialog.name.text() == "我的修改"
    assert sub_projects.get(ws, created.uid).name == "别处改过的名称"


def test_the_planned_completion_acceptance_is_entered_checked_and_shown_again(qtbot, ws, master, lushan):
    created = sub_projects.create(ws, sub_project_input(master, lushan))
    dialog = SubProjectDialog(ws, uid=created.uid)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.completion_acceptance_date.text() == ""
    dialog.completion_acceptance_date.edit.setFocus()
    qtbot.keyClicks(dialog.completion_acceptance_date.edit, "2015.5.1")
    click_save(qtbot, dialog)
    assert dialog.result() == 0
    assert dialog.errors.message_for("completion_acceptance_date") == (
        "“计划竣工验收日期”（2015-05-01）不能早于“完工日期”（2015-06-30）。")
    assert sub_projects.get(ws, created.uid).completion_acceptance_date is None

    dialog.completion_acceptance_date.setText("2015.10.8")
    click_save(qtbot, dialog)
    assert dialog.result() == 1
    assert sub_projects.get(ws, created.uid).completion_acceptance_date.isoformat() == "2015-10-08"
    again = SubProjectDialog(ws, uid=created.uid)
    qtbot.addWidget(again)
    assert again.completion_acceptance_date.text() == "2015-10-08"
