"""The supervision page through its widgets: start a round, see what it carries, record re-checks."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from app.models import Problem
from app.services import divisions, records, sub_projects, supervision
from app.ui.supervision import SupervisionPage
from app.ui.supervision.dialogs import GroupDialog, RecheckDialog, RoundDialog
from tests.conftest import sub_project_input


@pytest.fixture
def sub(ws, master, lushan):
    return sub_projects.create(ws, sub_project_input(master, lushan))


def raise_problem(ws, sub, description, round_uid, state="open"):
    with ws.db.write() as session:
        return records.create(session, ws, Problem, {
            "sub_project_uid": sub.uid, "source": "supervision", "round_uid": round_uid, "category": "collection",
            "description": description, "responsible_person": "李建国", "found_on": date(2016, 3, 2),
            "deadline": date(2016, 4, 30), "state": state}).uid


def filling(**steps):
    """An ``exec`` replacement: fill the dialog's fields, press Save, report how it ended."""
    def run(dialog):
        for name, value in steps.items():
            widget = getattr(dialog, name)
            if hasattr(widget, "setChecked"):
                widget.setChecked(value)
            elif hasattr(widget, "setPlainText"):
                widget.setPlainText(value)
            else:
                widget.setText(value)
        dialog.accept()
        run.dialog = dialog
        return dialog.result()
    return run


def column_texts(model, key):
    column = model._keys.index(key)
    return [model.data(model.index(row, column), int(Qt.ItemDataRole.DisplayRole)) for row in range(model.rowCount())]


def test_start_a_round_from_the_page_and_see_the_carried_over_problems(qtbot, ws, sub, monkeypatch):
    first = supervision.start_round(ws, start_date="2016-03-01")
    raise_problem(ws, sub, "未建立档案管理制度", first.uid)
    raise_problem(ws, sub, "竣工图未盖章", first.uid, state="rectified")
    raise_problem(ws, sub, "已经复查销号", first.uid, state="verified")
    page = SupervisionPage(ws)
    qtbot.addWidget(page)
    assert column_texts(page.rounds, "name") == ["首轮"]
    assert "首轮督导没有需要复查的上一轮问题" in page.rechecks_title.text()
    assert page.recheck_button.isEnabled() is False

    monkeypatch.setattr(RoundDialog, "exec", filling(start_date="2016-06-01", notes="重点督导上一轮问题"))
    with qtbot.waitSignal(page.changed):
        qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    assert column_texts(page.rounds, "name") == ["首轮", "第二轮"]
    assert page.current_round().name == "第二轮"
    assert sorted(column_texts(page.rechecks, "description")) == ["未建立档案管理制度", "竣工图未盖章"]
    assert set(column_texts(page.rechecks, "result")) == {"待复查"}
    assert set(column_texts(page.rechecks, "raised_in")) == {"首轮"}
    assert page.rechecks_summary.text() == "共 2 个，待复查 2 个，已复查 0 个"

    page.rechecks_view.selectRow(0)
    assert page.recheck_button.isEnabled()
    picked = page.current_recheck()
    monkeypatch.setattr(RecheckDialog, "exec", filling(not_rectified=True, note="仍未印发制度",
                                                       checked_on="2016-06-15"))
    qtbot.mouseClick(page.recheck_button, Qt.MouseButton.LeftButton)
    row = page.rechecks.row_of(picked.uid)
    assert page.rechecks.row_at(row).result == "not_rectified"
    assert column_texts(page.rechecks, "result")[row] == "仍未整改"
    assert page.current_recheck().uid == picked.uid  # the edited row stays selected
    assert page.rechecks_summary.text() == "共 2 个，待复查 1 个，已复查 1 个"
    assert column_texts(page.rounds, "done") == ["0", "1"]


def test_a_refused_round_keeps_the_dialog_open_with_the_message_beside_the_field(qtbot, ws):
    supervision.start_round(ws, start_date="2016-03-01")
    dialog = RoundDialog(ws)
    qtbot.addWidget(dialog)
    assert "将开始“第二轮”督导" in dialog.intro.text()
    dialog.start_date.setText("2016-06-01")
    dialog.end_date.setText("2016-05-01")
    dialog.accept()
    assert dialog.result() == 0 and dialog.saved is None
    assert dialog.errors.message_for("end_date") == "“结束日期”（2016-05-01）不能早于“开始日期”（2016-06-01）。"
    assert [r.name for r in supervision.list_rounds(ws)] == ["首轮"]


def test_groups_are_added_and_edited_from_the_page(qtbot, ws, lushan, monkeypatch):
    supervision.start_round(ws, start_date="2016-03-01")
    page = SupervisionPage(ws)
    qtbot.addWidget(page)

    def fill_group(dialog):
        assert dialog.name.text() == "第一督导组"  # suggested
        dialog.leader.setText("陈志强")
        dialog.members.setText("刘洋，王芳")
        dialog.set_division_uids([lushan.uid])
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(GroupDialog, "exec", fill_group)
    qtbot.mouseClick(page.group_button, Qt.MouseButton.LeftButton)
    assert column_texts(page.groups, "name") == ["第一督导组"]
    assert column_texts(page.groups, "members") == ["刘洋、王芳"]
    assert column_texts(page.groups, "divisions") == ["芦山县"]
    assert column_texts(page.rounds, "groups") == ["1"]
    assert page.current_group() is not None

    baoxing = divisions.find_division(ws, "宝兴县")

    def edit_group(dialog):
        assert dialog.division_uids() == [lushan.uid]
        dialog.set_division_uids([lushan.uid, baoxing.uid])
        dialog.leader.setText("")
        dialog.accept()
        assert dialog.errors.message_for("leader") == "“组长”不能为空。"  # refused, still open
        dialog.leader.setText("李明")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(GroupDialog, "exec", edit_group)
    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    assert column_texts(page.groups, "leader") == ["李明"]
    assert column_texts(page.groups, "divisions") == ["芦山县、宝兴县"]
