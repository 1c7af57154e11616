"""The master-project dialog: messages beside the fields, text kept, good input saved."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from app.services import divisions, master_projects
from app.ui.dialogs.master_project_dialog import MasterProjectDialog


@pytest.fixture(autouse=True)
def no_message_boxes(monkeypatch):
    def boom(*args, **kwargs):
        raise AssertionError(f"unexpected message box: {args[1:]}")
    for name in ("warning", "critical", "information", "question"):
        monkeypatch.setattr(QMessageBox, name, boom)


def _open(qtbot, ws, **kwargs) -> MasterProjectDialog:
    dialog = MasterProjectDialog(ws, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _fill(dialog: MasterProjectDialog, **values: str) -> None:
    for key, text in values.items():
        getattr(dialog, key).setText(text)  # keyClicks cannot type Chinese


def test_new_dialog_lists_the_nine_divisions_and_preselects_the_node(qtbot, ws, lushan):
    dialog = _open(qtbot, ws)
    assert dialog.windowTitle() == "新建总规项目"
    names = [dialog.division.itemText(i) for i in range(dialog.division.count())]
    assert len(names) == 9 and "雅安市" not in names and "芦天宝飞地产业园区" in names
    assert dialog.division.currentText() == "芦山县"

    tianquan = divisions.find_division(ws, "天全县")
    assert _open(qtbot, ws, division_uid=tianquan.uid).division.currentText() == "天全县"


def test_refuses_empty_name_and_bad_investment_beside_the_fields(qtbot, ws):
    dialog = _open(qtbot, ws)
    _fill(dialog, plan_code="511826-ZG-0100", name="  ", sector="交通", owner_unit="芦山县交通运输局",
          investment="一千二百万")

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible() and dialog.result_info is None
    assert dialog.errors.message_for("name") == "“总规项目名称”不能为空。"
    assert dialog.errors.message_for("investment") == "“总投资（万元）”应为数字（单位：万元），不能是“一千二百万”。"
    assert dialog.errors.message_for("plan_code") == ""
    assert not dialog.errors.slots["name"].error.isHidden()
    assert dialog.errors.slots["plan_code"].error.isHidden()
    # What the user typed stays, to be corrected rather than typed again.
    assert dialog.investment.text() == "一千二百万" and dialog.owner_unit.text() == "芦山县交通运输局"
    assert master_projects.find_by_code(ws, "511826-ZG-0100") is None

    _fill(dialog, name="芦山县道路交通恢复重建", investment="1,200.5")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.errors.message_for("name") == ""
    saved = master_projects.find_by_code(ws, "511826-ZG-0100")
    assert saved == dialog.result_info
    assert (saved.name, saved.investment_yuan, saved.sector, saved.foreign_loan) == (
        "芦山县道路交通恢复重建", 12_005_000, "交通", False)


def test_saves_a_new_project(qtbot, ws):
    dialog = _open(qtbot, ws)
    _fill(dialog, plan_code="511827-ZG-0007", name="宝兴县灵关镇学校重建", sector="教育",
          owner_unit="宝兴县教育局", investment="3560")
    dialog.division.setCurrentIndex(dialog.division.findText("宝兴县"))
    qtbot.keyClick(dialog.foreign_loan, Qt.Key.Key_Space)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.plan_code, Qt.Key.Key_Return)  # Enter saves: 保存 is the default button
    info = dialog.result_info
    assert info is not None and info.foreign_loan is True
    assert info.division_uid == divisions.find_division(ws, "宝兴县").uid
    assert master_projects.get(ws, info.uid) == info


def test_duplicate_code_is_named_beside_the_code(qtbot, ws, master):
    dialog = _open(qtbot, ws)
    _fill(dialog, plan_code=master.plan_code, name="另一个项目")
    dialog.accept()
    assert dialog.isVisible()
    assert master.name in dialog.errors.message_for("plan_code")


def test_edit_fills_the_form_and_updates(qtbot, ws, master):
    dialog = _open(qtbot, ws, uid=master.uid)
    assert master.plan_code in dialog.windowTitle()
    assert dialog.name.text() == master.name and dialog.investment.text() == "1200"
    assert dialog.division.currentText() == "芦山县"
    _fill(dialog, owner_unit="芦山县龙门镇人民政府")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    updated = master_projects.get(ws, master.uid)
    assert updated.owner_unit == "芦山县龙门镇人民政府" and updated.rev != master.rev


def test_stale_edit_is_reported_and_the_dialog_stays(qtbot, ws, master, monkeypatch):
    dialog = _open(qtbot, ws, uid=master.uid)
    master_projects.update(ws, master.uid, {"plan_code": master.plan_code, "name": "改名", "sector": "",
                                            "division_uid": master.division_uid, "owner_unit": "",
                                            "investment": "", "foreign_loan": False})
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    _fill(dialog, sector="公共服务")
    dialog.accept()
    assert dialog.isVisible() and dialog.result_info is None
    assert len(shown) == 1 and "已被其他操作修改" in shown[0]
    assert master_projects.get(ws, master.uid).name == "改名"
