"""Field work through the real widgets: a visit typed from the keyboard, the ledger's steps."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from app.services import problems, sub_projects, visits
from app.ui.field_work.visit_dialog import VisitDialog
from app.ui.ledger.ledger_page import LedgerPage
from app.ui.ledger.step_dialogs import RectifyDialog, VerifyDialog
from app.ui.main_window import MainWindow
from tests.conftest import sub_project_input


@pytest.fixture
def sub(ws, master, lushan):
    return sub_projects.create(ws, sub_project_input(master, lushan))


def type_keys(qtbot, text: str) -> None:
    """Type into whatever has focus, as a user would (Latin text: QTest types only Latin-1)."""
    qtbot.keyClicks(QApplication.focusWidget(), text)


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def test_a_visit_with_two_problems_is_entered_from_the_keyboard(qtbot, ws, sub):
    dialog = VisitDialog(ws, sub.uid)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.visit_date.edit.hasFocus())

    dialog.visit_date.edit.selectAll()
    type_keys(qtbot, "2015-03-02")
    # date -> calendar button -> kind -> archivists (pre-filled) -> unit people -> content
    for _ in range(5):
        press(qtbot, Qt.Key.Key_Tab)
    assert dialog.content.hasFocus()
    type_keys(qtbot, "Checked as-built drawings and file arrangement.")

    for description, person in (("As-built drawings lack the seal", "Li"), ("Supervision log incomplete", "Wang")):
        press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: QApplication.focusWidget() is not None
                        and QApplication.focusWidget().parent() is dialog.table.viewport())
        type_keys(qtbot, description)
        press(qtbot, Qt.Key.Key_Tab)
        type_keys(qtbot, person)
        press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted)
    saved = visits.for_sub_project(ws, sub.uid)
    assert len(saved) == 1 and saved[0].visit_date == date(2015, 3, 2) and saved[0].problem_count == 2
    assert saved[0].archivists == "张晓梅" and saved[0].content.startswith("Checked as-built")
    found = problems.for_sub_project(ws, sub.uid)
    assert [(p.description, p.responsible_person) for p in found] == [
        ("As-built drawings lack the seal", "Li"), ("Supervision log incomplete", "Wang")]
    assert all(p.deadline == date(2015, 4, 1) for p in found)  # a month after the visit


def test_a_bad_problem_row_is_marked_and_nothing_is_saved(qtbot, ws, sub):
    dialog = VisitDialog(ws, sub.uid)
    qtbot.addWidget(dialog)
    dialog.visit_date.setText("2015-03-02")
    dialog.add_problem()
    dialog.problems.setData(dialog.problems.index(0, 1), "Missing retention schedule")
    dialog.problems.setData(dialog.problems.index(0, 3), "2015-01-01")
    dialog.accept()
    assert dialog.result() == 0
    assert "第 1 个问题：“整改时限”（2015-01-01）不能早于“发现日期”（2015-03-02）" in dialog.problem_message.text()
    assert dialog.problems.data(dialog.problems.index(0, 1), int(Qt.ItemDataRole.BackgroundRole)) is not None
    assert visits.for_sub_project(ws, sub.uid) == []


def _problem(ws, sub, description, deadline):
    visits.create(ws, sub.uid, {"visit_date": "2015-03-02", "kind": "mid_term_check", "archivists": "张晓梅"},
                  [{"description": description, "deadline": deadline, "responsible_person": "李"}])
    return next(p for p in problems.for_sub_project(ws, sub.uid) if p.description == description)


def test_rectify_and_verify_from_the_ledger(qtbot, ws, sub, monkeypatch):
    p = _problem(ws, sub, "Retention schedule missing", "2015-04-01")
    page = LedgerPage(ws)
    qtbot.addWidget(page)
    page.select_uid(p.uid)
    assert page.rectify_button.isEnabled() and not page.verify_button.isEnabled()

    def fill_rectify(dialog):
        dialog.rectification.setPlainText("补编了保管期限表")
        dialog.rectified_on.setText("2015-03-20")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(RectifyDialog, "exec", fill_rectify)
    qtbot.mouseClick(page.rectify_button, Qt.MouseButton.LeftButton)
    assert problems.get(ws, p.uid).state == "rectified"
    assert page.verify_button.isEnabled() and not page.rectify_button.isEnabled()
    assert page.model.index(page.model.row_of_uid(p.uid), 7).data() == "已整改"

    def pass_verify(dialog):
        dialog.note.setPlainText("整改到位")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(VerifyDialog, "exec", pass_verify)
    qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    verified = problems.get(ws, p.uid)
    assert verified.state == "verified" and verified.verified_by == "张晓梅"
    assert page.model.index(page.model.row_of_uid(p.uid), 7).data() == "已复查"


def test_the_ledger_filters_to_overdue(qtbot, ws, sub):
    late = _problem(ws, sub, "Late one", "2015-04-01")
    _problem(ws, sub, "Not due yet", (date.today() + timedelta(days=30)).isoformat())
    rectified = _problem(ws, sub, "Late but rectified", "2015-04-01")
    problems.rectify(ws, rectified.uid, rectification="done", rectified_by="李", rectified_on="2015-03-10")
    page = LedgerPage(ws)
    qtbot.addWidget(page)
    assert page.model.rowCount() == 3
    page.filter_bar.overdue.setChecked(True)
    assert page.model.rowCount() == 1
    assert page.model.uid_at(0) == late.uid
    assert page.model.index(0, 7).data() == "待整改（超期）"
    assert page.counts.text() == "显示 1 条，其中超期 1 条"
    assert page.model.index(0, 3).data(int(Qt.ItemDataRole.BackgroundRole)) is not None


def test_the_ledger_is_a_module_of_the_main_window(qtbot, ws, sub):
    _problem(ws, sub, "Open problem", "2015-04-01")
    window = MainWindow(ws)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    item = window.navigation.modules["ledger"]
    qtbot.mouseClick(window.navigation.viewport(), Qt.MouseButton.LeftButton,
                     pos=window.navigation.visualItemRect(item).center())
    page = window.pages.currentWidget()
    assert isinstance(page, LedgerPage) and page.model.rowCount() == 1


def test_photos_chosen_while_typing_a_visit_are_attached_to_it_on_save(qtbot, ws, sub, tmp_path, monkeypatch):
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QFileDialog

    from app.services import attachments

    photo = tmp_path / "site.png"
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(0x3366AA)
    image.save(str(photo))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(photo)], ""))
    dialog = VisitDialog(ws, sub.uid)
    qtbot.addWidget(dialog)
    dialog.visit_date.setText("2015-03-02")
    dialog.attachments.add_action.trigger()
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    qtbot.waitUntil(lambda: len(attachments.list_for(ws, "guidance_visits", dialog.saved.uid)) == 1)
    [stored] = attachments.list_for(ws, "guidance_visits", dialog.saved.uid)
    assert stored.filename == "site.png" and stored.role == "photo"


def test_check_attachments_reports_an_altered_file(qtbot, ws, sub, tmp_path, monkeypatch):
    import os
    import stat

    from PySide6.QtWidgets import QMessageBox

    from app.services import attachments

    visit = visits.create(ws, sub.uid, {"visit_date": "2015-03-02", "kind": "mid_term_check", "archivists": "张"})
    scan = tmp_path / "sign-in.pdf"
    scan.write_bytes(b"%PDF-1.4 sign-in sheet")
    info = attachments.attach(ws, owner_entity="guidance_visits", owner_uid=visit.uid, source=scan, role="scan")
    stored = attachments.path_of(ws, info)
    os.chmod(stored, stat.S_IWRITE | stat.S_IREAD)
    stored.write_bytes(b"%PDF-1.4 something else")
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warned.append(text))
    window = MainWindow(ws)
    qtbot.addWidget(window)
    task = window.check_attachments()
    qtbot.waitUntil(lambda: not task.running)
    assert warned and "sign-in.pdf" in warned[0] and "文件已被改动" in warned[0]
