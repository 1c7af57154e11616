"""Acceptances and notices take attachments too, with roles that fit them, and the
official record keeps its files: added after issue or conclusion, removed only with a reason."""

from __future__ import annotations


import pytest
from sqlalchemy import select

from app.errors import ValidationError
from app.models import AuditEntry
from app.services import acceptances, attachments, checklists, history, notices, sub_projects
from tests.conftest import UNANIMOUS_GROUP, sub_project_input

GROUP = UNANIMOUS_GROUP


pytestmark = pytest.mark.usefixtures("private_temp")


@pytest.fixture
def files(tmp_path):
    made = {}
    for name, content in (("验收意见书.pdf", b"%PDF-1.4 signed opinion letter"), ("签到表.pdf", b"%PDF-1.4 sign-in"),
                          ("抽查案卷.jpg", b"\xff\xd8\xff\xe0 sampled volume"), ("通报盖章件.pdf", b"%PDF-1.4 sealed")):
        path = tmp_path / name
        path.write_bytes(content)
        made[name] = path
    return made


@pytest.fixture
def acceptance(ws, master, lushan):
    sub = sub_projects.create(ws, sub_project_input(master, lushan))
    return acceptances.create(ws, sub.uid, {"acceptance_date": "2016-05-10"})


def _conclude(ws, uid):
    template = checklists.get(ws, checklists.ensure_default(ws))
    acceptances.set_members(ws, uid, GROUP)
    acceptances.set_scores(ws, uid, {i.uid: ({"passed": True} if i.kind == "pass_fail" else
                                             {"self_score": str(i.max_score), "group_score": str(i.max_score)})
                                     for i in template.items})
    return acceptances.conclude(ws, uid)


def _attach(ws, entity, uid, path, role):
    return attachments.attach(ws, owner_entity=entity, owner_uid=uid, source=path, role=role)


def _note(ws, info):
    with ws.db.read() as session:
        return session.scalar(select(AuditEntry.note).where(AuditEntry.record_uid == info.uid,
                                                            AuditEntry.action == "delete"))


def test_an_acceptance_keeps_its_letter_sign_in_sheet_and_sample_photos(ws, acceptance, files):
    assert attachments.roles_for("acceptances")[0] == "opinion_letter"
    letter = _attach(ws, "acceptances", acceptance.uid, files["验收意见书.pdf"], "opinion_letter")
    sheet = _attach(ws, "acceptances", acceptance.uid, files["签到表.pdf"], "sign_in")
    [photo] = attachments.attach_many(ws, owner_entity="acceptances", owner_uid=acceptance.uid,
                                      sources=[files["抽查案卷.jpg"]])
    assert photo.role == "sample_photo" and photo.role_label == "抽查案卷照片"  # guessed in the owner's words
    assert letter.role_label == "签字的验收意见书"
    assert [a.uid for a in attachments.list_for(ws, "acceptances", acceptance.uid)] == [letter.uid, sheet.uid,
                                                                                         photo.uid]
    with pytest.raises(ValidationError) as info:
        _attach(ws, "acceptances", acceptance.uid, files["通报盖章件.pdf"], "sealed_notice")
    assert "不适用于档案验收的附件" in info.value.field_errors["role"]
    # a draft acceptance's file goes without ceremony
    attachments.remove(ws, sheet.uid, expected_rev=sheet.rev)
    assert attachments.sealed_reason(ws, "acceptances", acceptance.uid) == ""


def test_a_concluded_acceptance_takes_files_but_gives_them_up_only_with_a_reason(ws, acceptance, files):
    done = _conclude(ws, acceptance.uid)
    assert done.status == "concluded"
    # the opinion letter is signed at the meeting, then scanned: it comes after the conclusion
    letter = _attach(ws, "acceptances", acceptance.uid, files["验收意见书.pdf"], "opinion_letter")
    assert acceptances.get(ws, acceptance.uid).rev == done.rev  # the acceptance itself did not change
    assert "已作出结论" in attachments.sealed_reason(ws, "acceptances", acceptance.uid)
    with pytest.raises(ValidationError) as info:
        attachments.remove(ws, letter.uid, expected_rev=letter.rev)
    assert "须说明原因" in info.value.field_errors["reason"]
    assert len(attachments.list_for(ws, "acceptances", acceptance.uid)) == 1

    attachments.remove(ws, letter.uid, expected_rev=letter.rev, reason="扫描件页序错误，已重新扫描")
    assert attachments.list_for(ws, "acceptances", acceptance.uid) == []
    assert _note(ws, letter) == "扫描件页序错误，已重新扫描"
    assert attachments.check(ws, letter) == attachments.OK  # the bytes stay
    removed = history.for_record(ws, "acceptances", acceptance.uid).revisions[0]
    assert (removed.record, removed.action_label, removed.note) == ("验收意见书.pdf", "删除", "扫描件页序错误，已重新扫描")


def test_an_issued_notice_takes_its_sealed_scan_and_does_not_change(ws, files):
    draft = notices.create(ws, {"number": "雅重建委〔2016〕3号", "title": "督导情况通报", "issue_date": "2016-05-12",
                                "issuer": "雅安市档案局"}, [{"division_uid": None, "text": "请按期整改。"}])
    assert attachments.roles_for("notices") == ("sealed_notice", "scan", "other")
    early = _attach(ws, "notices", draft.uid, files["签到表.pdf"], "other")
    attachments.remove(ws, early.uid)  # a draft's file: no reason needed

    issued = notices.issue(ws, draft.uid, expected_rev=draft.rev)
    scan = _attach(ws, "notices", issued.uid, files["通报盖章件.pdf"], "sealed_notice")
    assert scan.role_label == "盖章通报扫描件"
    after = notices.get(ws, issued.uid)
    assert (after.rev, after.status) == (issued.rev, "issued")  # the notice is as issued
    with pytest.raises(ValidationError) as info:
        _attach(ws, "notices", issued.uid, files["抽查案卷.jpg"], "sample_photo")
    assert "不适用于通报的附件" in info.value.field_errors["role"]
    with pytest.raises(ValidationError) as info:
        attachments.remove(ws, scan.uid, reason="   ")
    assert "该通报已印发" in info.value.field_errors["reason"]
    assert [a.uid for a in attachments.list_for(ws, "notices", issued.uid)] == [scan.uid]

    # a correction supersedes the notice; the old one's scan is still part of its record
    correction = notices.correct(ws, issued.uid)
    notices.issue(ws, correction.uid)
    assert notices.get(ws, issued.uid).status == "superseded"
    assert attachments.sealed_reason(ws, "notices", issued.uid)
    assert attachments.list_for(ws, "notices", correction.uid) == []
    attachments.remove(ws, scan.uid, reason="误将更正稿的扫描件附在原通报上")
    assert _note(ws, scan) == "误将更正稿的扫描件附在原通报上"
