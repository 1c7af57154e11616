"""变更历史 from the ledger, the sub-project page and the notices page, through the real widgets."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.services import notices, problems, sub_projects, visits
from app.ui.dialogs.history_dialog import HistoryDialog, HistoryTableModel
from app.ui.field_work.sub_project_page import SubProjectPage
from app.ui.ledger.ledger_page import LedgerPage
from app.ui.main_window import MainWindow
from app.ui.notices.notices_page import NoticesPage
from tests.conftest import sub_project_input

M = HistoryTableModel
OLD = "竣工图未签字"
NEW = "竣工图未签字（设计单位）"
REASON = "原记录漏写责任单位"
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def sub(ws, master, lushan):
    return sub_projects.create(ws, sub_project_input(master, lushan))


@pytest.fixture
def corrected(ws, sub):
    visits.create(ws, sub.uid, {"visit_date": "2015-03-02", "kind": "mid_term_check", "archivists": "张晓梅"},
                  [{"category": "as_built", "description": OLD, "responsible_person": "李建国",
                    "deadline": "2015-04-30"}])
    [p] = problems.for_sub_project(ws, sub.uid)
    problems.rectify(ws, p.uid, rectification="已补签", rectified_by="李建国", rectified_on="2015-04-02")
    p = problems.verify(ws, p.uid, passed=True, note="到位")
    raw = {"category": "as_built", "description": NEW, "responsible_person": "李建国", "found_on": "2015-03-02",
           "deadline": "2015-04-30"}
    return problems.correct(ws, p.uid, raw, reason=REASON, expected_rev=p.rev)


def rows(dialog: HistoryDialog) -> list[list[str]]:
    proxy = dialog.proxy
    return [[proxy.index(r, c).data() for c in range(proxy.columnCount())] for r in range(proxy.rowCount())]


def opened(parent) -> HistoryDialog:
    [dialog] = [d for d in parent.findChildren(HistoryDialog) if d.isVisible()]
    return dialog


def assert_shows_the_correction(dialog: HistoryDialog) -> None:
    correction = [r for r in rows(dialog) if r[M.ACTION] == "更正"]
    assert [(r[M.FIELD], r[M.OLD], r[M.NEW], r[M.NOTE]) for r in correction] == [("问题描述", OLD, NEW, REASON)]
    first = [r for r in rows(dialog) if r[M.ACTION] == "新建" and r[M.FIELD] == "问题描述"]
    assert [(r[M.OLD], r[M.NEW]) for r in first] == [("", OLD)]  # the old version, as it was entered
    index = dialog.proxy.index(rows(dialog).index(correction[0]), M.ACTION)
    assert index.data(int(Qt.ItemDataRole.ForegroundRole)) is not None  # marked in amber


def test_ctrl_h_on_the_selected_problem_in_the_ledger_shows_its_versions(qtbot, ws, corrected):
    page = LedgerPage(ws)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    assert not page.history_button.isEnabled()
    page.select_uid(corrected.uid)
    assert page.history_button.isEnabled() and page.history_action in page.table.actions()
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_H, CTRL)

    dialog = opened(page)
    assert dialog.windowTitle().startswith("变更历史 — 问题：") and NEW in dialog.windowTitle()
    assert_shows_the_correction(dialog)
    assert [r[M.ACTION] for r in rows(dialog)][0] == "更正"  # newest first
    dialog.close()


def test_in_the_main_window_the_ledgers_ctrl_h_wins_over_the_registers(qtbot, ws, sub, corrected):
    window = MainWindow(ws)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.register.table.selectRow(0)
    assert window.act_history.isEnabled()  # the register's Ctrl+H is live too
    page = window.show_module("ledger")
    page.select_uid(corrected.uid)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_H, CTRL)
    dialog = opened(page)
    assert dialog.entity == "problems" and dialog.uid == corrected.uid
    dialog.close()


def test_the_edit_form_of_a_verified_problem_opens_its_history(qtbot, ws, corrected):
    from app.ui.ledger.step_dialogs import ProblemDialog

    form = ProblemDialog(ws, corrected.uid)
    qtbot.addWidget(form)
    qtbot.mouseClick(form.history_button, Qt.MouseButton.LeftButton)
    assert_shows_the_correction(opened(form))
    assert form.saved is None  # looking at the history saves nothing


def test_the_sub_project_page_shows_the_history_of_a_problem_row_and_of_everything(qtbot, ws, sub, corrected):
    page = SubProjectPage(ws, sub.uid)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()  # its keys are the window's
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
    assert not page.history_button.isEnabled()
    row = next(n for n, e in enumerate(page.model.entries) if e.kind == "problem")
    page.table.selectRow(row)
    assert page.history_button.isEnabled()
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_H, CTRL)
    dialog = opened(page)
    assert dialog.entity == "problems"
    assert_shows_the_correction(dialog)
    dialog.close()

    qtbot.mouseClick(page.all_history_button, Qt.MouseButton.LeftButton)
    everything = opened(page)
    assert everything.windowTitle() == f"变更历史 — {sub.code} {sub.name}"
    objects = {r[M.ENTITY].split(" · ")[0] for r in rows(everything)}
    assert {"重建子项目", "现场指导", "问题"} <= objects
    assert any(r[M.NOTE] == REASON for r in rows(everything))


def test_the_notices_page_shows_a_notices_history(qtbot, ws):
    notice = notices.create(ws, {"number": "雅重建委〔2016〕3号", "title": "督导情况通报", "issue_date": "2016-05-12",
                                 "issuer": "雅安市档案局"}, [{"division_uid": None, "text": "请按期整改。"}])
    notices.issue(ws, notice.uid, expected_rev=notice.rev)
    page = NoticesPage(ws)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    page.table.selectRow(0)
    assert page.history_button.isEnabled()
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_H, CTRL)
    dialog = opened(page)
    assert dialog.header.text() == "通报：雅重建委〔2016〕3号 督导情况通报"
    issued = [r for r in rows(dialog) if r[M.ACTION] == "印发"]
    assert [(r[M.FIELD], r[M.OLD], r[M.NEW]) for r in issued] == [("状态", "草稿", "已印发")]
    assert any(r[M.ENTITY] == "督导意见 · 第 1 条" and r[M.NEW] == "请按期整改。" for r in rows(dialog))
    dialog.close()
