"""Attachments of acceptances and notices through the real dialogs: roles chosen beside the
buttons, files added after the record became official, removed from it only with a reason."""

from __future__ import annotations


import pytest
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from app.services import acceptances, attachments, checklists, history, notices, sub_projects
from app.ui.acceptance.acceptance_dialog import FILES_TAB, AcceptanceDialog
from app.ui.notices import NoticeDialog
from app.ui.notices.opinions_model import DIVISION, TEXT
from tests.conftest import UNANIMOUS_GROUP, sub_project_input

GROUP = UNANIMOUS_GROUP


pytestmark = pytest.mark.usefixtures("private_temp")


@pytest.fixture
def files(tmp_path):
    made = {}
    for name, content in (("签到表.pdf", b"%PDF-1.4 sign-in sheet"), ("验收意见书.pdf", b"%PDF-1.4 signed letter"),
                          ("通报盖章件.pdf", b"%PDF-1.4 sealed notice")):
        made[name] = tmp_path / name
        made[name].write_bytes(content)
    return made


def choose(monkeypatch, *paths) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: ([str(p) for p in paths], "")))


def answer(monkeypatch, text: str, ok: bool = True) -> list[str]:
    asked: list[str] = []
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: asked.append(a[2]) or (text, ok)))
    return asked


def shown_names(strip) -> list[str]:
    return [strip.model.index(r).data() for r in range(strip.model.rowCount())]


@pytest.fixture
def concluded(ws, master, lushan):
    sub = sub_projects.create(ws, sub_project_input(master, lushan))
    a = acceptances.create(ws, sub.uid, {"acceptance_date": "2016-05-10"})
    template = checklists.get(ws, checklists.ensure_default(ws))
    acceptances.set_members(ws, a.uid, GROUP)
    acceptances.set_scores(ws, a.uid, {i.uid: ({"passed": True} if i.kind == "pass_fail" else
                                               {"self_score": str(i.max_score), "group_score": str(i.max_score)})
                                       for i in template.items})
    return acceptances.conclude(ws, a.uid)


def test_a_concluded_acceptance_takes_its_sign_in_sheet_and_keeps_it_without_a_reason(
        qtbot, ws, concluded, files, monkeypatch):
    dialog = AcceptanceDialog(ws, concluded.uid)
    qtbot.addWidget(dialog)
    assert dialog.read_only and dialog.tabs.tabText(FILES_TAB) == "附件"
    dialog.tabs.setCurrentIndex(FILES_TAB)
    strip = dialog.attachments
    combo = strip.role_combo
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "签字的验收意见书", "签到表", "抽查案卷照片", "扫描件", "其他"]
    assert strip.add_action.isEnabled()  # read-only form, open strip

    combo.setCurrentIndex(combo.findData("sign_in"))
    choose(monkeypatch, files["签到表.pdf"])
    with qtbot.waitSignal(strip.changed, timeout=5000):
        strip.add_action.trigger()
    [info] = attachments.list_for(ws, "acceptances", concluded.uid)
    assert info.role == "sign_in" and shown_names(strip) == ["签到表\n签到表.pdf"]
    assert acceptances.get(ws, concluded.uid).rev == concluded.rev  # the acceptance is as concluded

    # removing it asks why; cancelling or giving no reason leaves it where it is
    strip.view.setCurrentIndex(strip.model.index(0))
    asked = answer(monkeypatch, "", ok=False)
    strip.remove_action.trigger()
    assert "已作出结论" in asked[0] and len(attachments.list_for(ws, "acceptances", concluded.uid)) == 1
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: warned.append(a[2])))
    answer(monkeypatch, "  ")
    strip.remove_action.trigger()
    assert "须说明原因" in warned[0] and len(attachments.list_for(ws, "acceptances", concluded.uid)) == 1

    answer(monkeypatch, "签到表扫错了项目")
    strip.view.setCurrentIndex(strip.model.index(0))  # the refused removal reloaded the list
    with qtbot.waitSignal(strip.changed, timeout=5000):
        strip.remove_action.trigger()
    assert attachments.list_for(ws, "acceptances", concluded.uid) == [] and shown_names(strip) == []
    removed = history.for_record(ws, "acceptances", concluded.uid).revisions[0]
    assert (removed.record, removed.action, removed.note) == ("签到表.pdf", "delete", "签到表扫错了项目")


def test_a_new_notice_takes_files_chosen_before_it_was_saved_and_after_issue_its_sealed_scan(
        qtbot, ws, files, monkeypatch):
    dialog = NoticeDialog(ws)
    qtbot.addWidget(dialog)
    strip = dialog.attachments
    assert strip.current_role() == "sealed_notice"
    strip.role_combo.setCurrentIndex(strip.role_combo.findData("other"))
    choose(monkeypatch, files["签到表.pdf"])
    strip.add_action.trigger()
    assert strip.pending_files() == [files["签到表.pdf"]]  # waits for the notice
    dialog.number.setText("雅重建委[2016]3号")
    dialog.title_edit.setText("督导情况通报")
    dialog.issue_date.setText("2016-05-12")
    dialog.issuer.setText("雅安市档案局")
    dialog.add_item()
    dialog.table.setCurrentIndex(dialog.opinions.index(0, DIVISION))  # leave the opened editor, as Save would
    assert dialog.opinions.setData(dialog.opinions.index(0, TEXT), "请按期整改。")
    dialog.accept()
    assert dialog.saved is not None, dialog.message.text() + dialog.item_message.text()
    [early] = attachments.list_for(ws, "notices", dialog.saved.uid)
    assert (early.filename, early.role) == ("签到表.pdf", "other")

    issued = notices.issue(ws, dialog.saved.uid, expected_rev=dialog.saved.rev)
    view = NoticeDialog(ws, issued.uid)
    qtbot.addWidget(view)
    assert view.read_only and "扫描件仍可在下方添加" in view.banner.text()
    strip = view.attachments
    assert strip.current_role() == "sealed_notice"
    choose(monkeypatch, files["通报盖章件.pdf"])
    with qtbot.waitSignal(strip.changed, timeout=5000):
        strip.add_action.trigger()
    scans = [a for a in attachments.list_for(ws, "notices", issued.uid) if a.role == "sealed_notice"]
    assert [a.filename for a in scans] == ["通报盖章件.pdf"]
    assert "盖章通报扫描件\n通报盖章件.pdf" in shown_names(strip)
    after = notices.get(ws, issued.uid)
    assert (after.rev, after.status) == (issued.rev, "issued")
