"""An acceptance entered from the keyboard through the real dialog, concluded, certified.

QTest types Latin-1 only (Chinese would abort the process): dates, numbers, Tab, score
keys, vote keys, Ctrl+Tab and Ctrl+Enter are typed; names and the opinion are set as text
in the editor the keyboard opened.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QMessageBox

from app.services import acceptances, certificates, checklists, problems, sub_projects
from app.ui.acceptance.acceptance_dialog import CONCLUSION_TAB, GROUP_TAB, HEADER_TAB, SCORING_TAB, AcceptanceDialog
from app.ui.acceptance.group_model import KEYS as MEMBER_KEYS
from app.ui.acceptance.score_model import COL_GROUP, COL_SELF
from tests.conftest import sub_project_input

NAMES = ["杨建华", "陈丽", "刘强", "周敏", "吴刚"]


@pytest.fixture
def sub(ws, master, lushan):
    return sub_projects.create(ws, sub_project_input(master, lushan, completion_acceptance_date="2016-07-20"))


@pytest.fixture
def template(ws):
    return checklists.get(ws, checklists.ensure_default(ws))


@pytest.fixture
def dialog(qtbot, ws, sub):
    a = acceptances.create(ws, sub.uid, {"acceptance_date": "2016-05-10"})
    shown = AcceptanceDialog(ws, a.uid)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    shown.activateWindow()
    return shown


def type_text(qtbot, text: str) -> None:
    """Each key to whatever has focus, as a keyboard does (Latin only: QTest types Latin-1)."""
    for char in text:
        qtbot.keyClick(QApplication.focusWidget(), char)


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def fill_group(qtbot, dialog, votes=("Home",) * 4 + ("End",)) -> None:
    """Names typed into the table's model (Chinese); each vote picked in its combo by key."""
    dialog.tabs.setCurrentIndex(GROUP_TAB)
    model, table = dialog.group.model, dialog.group.table
    assert len(model.rows) == 5 and model.rows[0]["role"] == "leader"  # the suggested group
    for row, name in enumerate(NAMES):
        model.setData(model.index(row, MEMBER_KEYS.index("name")), name)
    vote_column = MEMBER_KEYS.index("vote")
    for row, key in enumerate(votes):
        index = model.index(row, vote_column)
        table.setFocus()
        table.setCurrentIndex(index)  # every edit trigger: the combo opens on the cell
        combo = table.indexWidget(index)
        assert isinstance(combo, QComboBox)
        # Home: the first choice (同意); End: the last (未表决) -- then Up once: 弃权
        qtbot.keyClick(combo, Qt.Key.Key_Home if key == "Home" else Qt.Key.Key_End)
        if key == "End":
            qtbot.keyClick(combo, Qt.Key.Key_Up)
            qtbot.keyClick(combo, Qt.Key.Key_Up)  # 不同意
    table.setCurrentIndex(model.index(0, 0))


def key_in_order(qtbot, dialog, key: str, text: str) -> None:
    """Tab to the next field, which must be ``key``'s, and type ``text`` over what it holds."""
    press(qtbot, Qt.Key.Key_Tab)
    editor = dialog.header.editors[key]
    assert QApplication.focusWidget() is getattr(editor, "edit", editor), key
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, text)


def test_a_whole_acceptance_entered_from_the_keyboard_issues_the_certificate(qtbot, ws, dialog, template,
                                                                                 monkeypatch):
    header = dialog.header
    # 基本情况: the sub-project's planned completion acceptance, and the 3-month warning in amber
    assert dialog.tabs.currentIndex() == HEADER_TAB
    assert header.planned.text() == "2016-07-20（子项目登记的计划）"
    assert header.timing.text() == ("档案验收（2016-05-10）距竣工验收（2016-07-20）不足 3 个月："
                                    "按规定档案验收应在竣工验收 3 个月前完成。")
    assert header.timing.isVisibleTo(dialog)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    key_in_order(qtbot, dialog, "application_date", "2016-04-08")
    # the warning follows the date as it is typed, on both sides of three months
    key_in_order(qtbot, dialog, "acceptance_date", "2016-04-21")
    assert "档案验收（2016-04-21）距竣工验收（2016-07-20）不足 3 个月" in header.timing.text()
    assert header.timing.isVisibleTo(dialog)
    press(qtbot, Qt.Key.Key_Backspace)
    type_text(qtbot, "0")
    assert header.timing.isHidden()  # 2016-04-20: exactly three months before
    for key, value in (("total_volumes", "125"), ("sampled_volumes", "10"), ("total_drawings", "310"),
                       ("sampled_drawings", "31"), ("accepted_volumes", "125"), ("accepted_items", "1840"),
                       ("accepted_drawings", "312")):
        key_in_order(qtbot, dialog, key, value)
    assert header.volume_share.text().endswith("8.0%") and header.drawing_share.text().endswith("10.0%")

    # 验收小组 (Ctrl+Tab): each name in the editor the cell opened, Tab across, the vote by key
    press(qtbot, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert dialog.tabs.currentIndex() == GROUP_TAB
    group = dialog.group.model
    assert [row["role"] for row in group.rows] == ["leader"] + ["member"] * 4  # the suggested group
    for row, name in enumerate(NAMES):
        assert dialog.group.table.currentIndex().row() == row
        QApplication.focusWidget().setText(name)
        for _column in range(MEMBER_KEYS.index("vote")):
            press(qtbot, Qt.Key.Key_Tab)  # unit, unit name and role as suggested
        assert isinstance(QApplication.focusWidget(), QComboBox)
        if row < 4:
            press(qtbot, Qt.Key.Key_Home)  # the first choice: 同意
            press(qtbot, Qt.Key.Key_Tab)  # on to the next member's name
        else:
            for key in (Qt.Key.Key_End, Qt.Key.Key_Up, Qt.Key.Key_Up):  # 未表决, 弃权, 不同意
                press(qtbot, key)
    assert [r["vote"] for r in group.rows] == ["agree"] * 4 + ["disagree"]
    assert "✓" in dialog.group.checks.text() and "同意 4 票" in dialog.group.checks.text()

    # 评分 (Ctrl+Tab from the vote): self-score, Tab, the group's score, Enter, item after item
    press(qtbot, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert dialog.tabs.currentIndex() == SCORING_TAB
    table, model = dialog.scoring.table, dialog.scoring.model
    qtbot.waitUntil(lambda: table.hasFocus())
    assert table.currentIndex().column() == COL_GROUP and table.currentIndex().row() == model.first_item_row()
    assert dialog.scoring.verdict.text() == "尚不能作出结论"
    sheet = {i.code: ("1" if i.kind == "pass_fail" else f"{i.max_score:g}") for i in template.items}
    sheet["1.4"], sheet["2.4"] = "2.5", "3.5"  # 6 points off: 94
    own = {i.code: f"{i.max_score:g}" for i in template.items if i.kind == "score"}
    own["2.4"] = "4"  # the unit thought better of itself
    for n, item in enumerate(template.items):
        assert model.rows[table.currentIndex().row()].item.uid == item.uid, item.code
        if item.kind == "score":
            press(qtbot, Qt.Key.Key_Left)
            type_text(qtbot, own[item.code])
            press(qtbot, Qt.Key.Key_Tab)
            assert table.currentIndex().column() == COL_GROUP
        type_text(qtbot, sheet[item.code])
        press(qtbot, Qt.Key.Key_Return)
        if n == 10:  # half-way: the total follows the typing
            so_far = sum(float(sheet[i.code]) for i in template.items[:11] if i.kind == "score")
            assert dialog.scoring.total.text() == f"{so_far:g} / 100 分"
            assert dialog.scoring.progress.text() == "已评 11 / 29 项"
    assert dialog.scoring.total.text() == "94 / 100 分"
    assert "优良" in dialog.scoring.grade.text()
    assert dialog.scoring.verdict.text() == "合格（总分 94 分，等级“优良”）"
    # the section rows carry live subtotals; pass/fail items read 合格 and take no self-score
    assert model.data(model.index(0, COL_GROUP)) == "18.5"
    veto_row = model.row_of_item(next(i.uid for i in template.items if i.code == "2.8"))
    assert model.data(model.index(veto_row, COL_GROUP)) == "合格"
    assert model.data(model.index(veto_row, 0)) == "2.8（否决）"
    assert not model.flags(model.index(veto_row, COL_SELF)) & Qt.ItemFlag.ItemIsEditable

    # 结论 (Ctrl+Tab): the opinion as text; Ctrl+Enter saves everything typed
    press(qtbot, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert dialog.tabs.currentIndex() == CONCLUSION_TAB
    assert QApplication.focusWidget() is dialog.conclusion.opinion
    dialog.conclusion.opinion.setPlainText("档案齐全完整，同意通过验收。")
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.saved_note.text() == "已保存。"
    saved = acceptances.get(ws, dialog.detail.uid)
    assert saved.status == "draft" and saved.values["acceptance_date"].isoformat() == "2016-04-20"
    assert saved.values["application_date"].isoformat() == "2016-04-08"
    assert saved.values["completion_acceptance_date"].isoformat() == "2016-07-20"
    assert (saved.values["total_drawings"], saved.values["sampled_drawings"]) == (310, 31)
    item_2_4 = next(i for i in template.items if i.code == "2.4")
    assert (saved.scores[item_2_4.uid].self_score, saved.scores[item_2_4.uid].group_score) == (4, 3.5)

    # Ctrl+Shift+Enter: the conclusion and its reasons confirmed, the certificate issued
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kw: asked.append(args[2])
                        or QMessageBox.StandardButton.Yes)
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: dialog.read_only)
    assert "合格（总分 94 分，等级“优良”）" in asked[0] and "同意 4 票" in asked[0]
    done = acceptances.get(ws, dialog.detail.uid)
    assert (done.status, done.conclusion, done.grade, done.total_score) == ("concluded", "pass", "优良", 94)
    assert done.values["accepted_items"] == 1840 and done.values["sampled_volumes"] == 10
    assert done.values["opinion"] == "档案齐全完整，同意通过验收。"
    assert [m.vote for m in done.members] == ["agree"] * 4 + ["disagree"] and done.members[1].name == "陈丽"
    [cert] = certificates.for_acceptance(ws, done.uid)
    assert cert.status == "valid" and cert.facts["total_score"] == 94
    assert cert.facts["acceptance_date"] == "2016-04-20" and cert.facts["accepted_drawings"] == 312
    assert cert.number in dialog.conclusion.record.text()
    assert dialog.tabs.currentIndex() == CONCLUSION_TAB
    # read-only now: nothing can be typed in
    assert not model.flags(model.index(model.first_item_row(), COL_GROUP)) & Qt.ItemFlag.ItemIsEditable
    assert dialog.save_button.isHidden() and dialog.header.editors["accepted_items"].isReadOnly()


def test_without_a_planned_date_the_header_says_so_and_warns_nothing(qtbot, ws, master, lushan):
    bare = sub_projects.create(ws, sub_project_input(master, lushan, code="511826-ZG-0001-07"))
    a = acceptances.create(ws, bare.uid, {"acceptance_date": "2016-05-10"})
    shown = AcceptanceDialog(ws, a.uid)
    qtbot.addWidget(shown)
    assert "子项目未登记" in shown.header.planned.text()
    assert shown.header.timing.isHidden()


def test_a_failed_veto_shows_why_and_conclude_needs_opinions_and_a_deadline(qtbot, ws, dialog, template, monkeypatch):
    fill_group(qtbot, dialog, votes=("Home",) * 5)
    model = dialog.scoring.model
    for item in template.items:
        value = ("0" if item.code == "2.8" else "1") if item.kind == "pass_fail" else f"{item.max_score:g}"
        model.setData(model.index(model.row_of_item(item.uid), COL_GROUP), value)
    assert dialog.scoring.verdict.text() == "不合格（总分 100 分）"
    reasons = dialog.conclusion.reasons.text()
    assert "否决项 2.8“编制了竣工图（否决项）”不合格" in reasons
    assert not dialog.conclusion.rectification.isHidden()

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert dialog.conclude() is False
    assert dialog.tabs.currentIndex() == CONCLUSION_TAB
    assert "至少写一条整改意见" in dialog.errors.message_for("opinions")
    assert "整改期限" in dialog.errors.message_for("rectification_deadline")
    assert acceptances.get(ws, dialog.detail.uid).status == "draft"

    dialog.conclusion.opinions.setPlainText("补编竣工图并加盖竣工图章\n\n补齐监理日志")
    dialog.conclusion.deadline.setText("2016-08-10")
    assert dialog.conclude() is True
    done = acceptances.get(ws, dialog.detail.uid)
    assert done.conclusion == "fail" and certificates.for_acceptance(ws, done.uid) == []
    found = [p.description for p in problems.for_sub_project(ws, done.sub_project_uid) if p.source == "acceptance"]
    assert found == ["补编竣工图并加盖竣工图章", "补齐监理日志"]
    assert "整改期限：2016-08-10" in dialog.conclusion.record.text()
    assert dialog.conclusion.opinions.isReadOnly()
    assert dialog.conclusion.opinions.toPlainText() == "补编竣工图并加盖竣工图章\n补齐监理日志"


def test_refused_input_is_shown_where_it_belongs_and_kept(qtbot, ws, dialog, template):
    dialog.header.editors["sampled_volumes"].setText("20")
    dialog.header.editors["total_volumes"].setText("10")
    group = dialog.group.model
    group.setData(group.index(0, MEMBER_KEYS.index("name")), "杨建华")
    group.setData(group.index(2, MEMBER_KEYS.index("unit_name")), "县财政局")  # a member without a name
    model = dialog.scoring.model
    first = template.items[0]
    model.setData(model.index(model.row_of_item(first.uid), COL_GROUP), "7")  # the maximum is 2
    assert dialog.save() is False
    assert "不能多于" in dialog.errors.message_for("sampled_volumes")
    assert dialog.tabs.currentIndex() == HEADER_TAB
    assert 2 in dialog.group.model.errors and "第 2 位成员的姓名" in dialog.group.errors.text()
    assert first.uid in model.errors and "0 到 2 分" in dialog.scoring.errors.text()
    # everything typed is still there
    assert dialog.header.editors["sampled_volumes"].text() == "20"
    assert model.typed[first.uid]["group"] == "7" and group.rows[2]["unit_name"] == "县财政局"

    dialog.header.editors["sampled_volumes"].setText("8")
    group.setData(group.index(2, MEMBER_KEYS.index("name")), "刘强")
    model.setData(model.index(model.row_of_item(first.uid), COL_GROUP), "1.5")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Enter saves
    assert dialog.saved_note.text() == "已保存。"
    assert not model.errors and not dialog.group.model.errors and not dialog.errors.message_for("sampled_volumes")
    saved = acceptances.get(ws, dialog.detail.uid)
    assert saved.values["sampled_volumes"] == 8 and [m.name for m in saved.members] == ["杨建华", "刘强"]
    assert saved.scores[first.uid].group_score == 1.5


def test_a_concluded_acceptance_opens_read_only(qtbot, ws, sub, template):
    a = acceptances.create(ws, sub.uid, {"acceptance_date": "2016-05-10"})
    acceptances.set_members(ws, a.uid, [{"name": n, "role": "leader" if k == 0 else "member", "vote": "agree"}
                                        for k, n in enumerate(NAMES)])
    acceptances.set_scores(ws, a.uid, {i.uid: ({"passed": True} if i.kind == "pass_fail"
                                               else {"group_score": str(i.max_score)}) for i in template.items})
    acceptances.conclude(ws, a.uid)
    dialog = AcceptanceDialog(ws, a.uid)
    qtbot.addWidget(dialog)
    assert dialog.read_only and dialog.conclude_button.isHidden()
    assert dialog.scoring.total.text() == "100 / 100 分"
    assert "合格证书" in dialog.conclusion.record.text()
    assert not dialog.group.model.flags(dialog.group.model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable


def test_ctrl_shift_tab_leaves_a_table_for_the_page_before_and_keeps_the_keyboard_there(qtbot, dialog):
    dialog.start_scoring()
    qtbot.waitUntil(lambda: dialog.scoring.table.hasFocus())
    back = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    press(qtbot, Qt.Key.Key_Backtab, back)
    assert dialog.tabs.currentIndex() == GROUP_TAB
    assert dialog.group.isAncestorOf(QApplication.focusWidget())
    press(qtbot, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert dialog.tabs.currentIndex() == SCORING_TAB and dialog.scoring.table.hasFocus()
