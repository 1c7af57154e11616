"""The history of any record: every version, what changed from what to what, who, where, why."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, update

from app.errors import NotFound
from app.models import AuditEntry, RecordRevision
from app.services import acceptances, attachments, checklists, history, notices, problems, sub_projects, visits
from tests.conftest import sub_project_input

OLD = "竣工图未签字"
NEW = "竣工图未签字（设计单位）"
REASON = "原记录漏写责任单位"


@pytest.fixture
def sub(ws, master, lushan):
    return sub_projects.create(ws, sub_project_input(master, lushan))


def _visit(ws, sub, *descriptions):
    visit = visits.create(ws, sub.uid, {"visit_date": "2015-03-02", "kind": "mid_term_check", "archivists": "张晓梅"},
                          [{"category": "as_built", "description": d, "responsible_person": "李建国",
                            "deadline": "2015-04-30"} for d in descriptions])
    return visit, problems.for_sub_project(ws, sub.uid)


def _corrected(ws, sub):
    _v, [p] = _visit(ws, sub, OLD)
    p = problems.rectify(ws, p.uid, rectification="已补签", rectified_by="李建国", rectified_on="2015-04-02")
    p = problems.verify(ws, p.uid, passed=True, note="到位")
    raw = {"category": "signature", "description": NEW, "responsible_person": "李建国", "found_on": "2015-03-02",
           "deadline": "2015-04-30"}
    return problems.correct(ws, p.uid, raw, reason=REASON, expected_rev=p.rev)


def test_a_corrected_problem_shows_both_versions_the_change_and_the_reason(ws, sub):
    fixed = _corrected(ws, sub)
    record = history.for_record(ws, "problems", fixed.uid)

    assert record.entity_label == "问题" and record.title.endswith(NEW)
    assert sub.code in record.title
    assert [r.action for r in record.revisions] == ["correct", "verify", "rectify", "create"]
    correction, *_rest, first = record.revisions
    # both versions are there, whole
    assert first.data["description"] == OLD and correction.data["description"] == NEW
    assert first.data["state"] == "open" and correction.data["state"] == "verified"
    # and the correction says what it changed, and why
    changed = {c.field: (c.old, c.new) for c in correction.changes}
    assert changed["问题描述"] == (OLD, NEW)
    assert changed["问题类别"] == ("竣工图不规范", "签字盖章不全")
    assert correction.action_label == "更正" and correction.note == REASON
    assert correction.operator == "张晓梅" and correction.node.startswith("芦山县")
    assert correction.rev == fixed.rev and correction.parent_rev == record.revisions[1].rev

    lines = record.lines()
    line = next(x for x in lines if x.field == "问题描述" and x.action == "更正")
    assert (line.old, line.new, line.note) == (OLD, NEW, REASON)
    states = [(x.action, x.old, x.new) for x in lines if x.field == "状态"]
    assert states == [("复查通过", "已整改", "已复查"), ("登记整改", "待整改", "已整改"), ("新建", "", "待整改")]


def test_a_sub_projects_history_takes_in_its_visits_problems_and_acceptances(ws, sub):
    fixed = _corrected(ws, sub)
    template = checklists.get(ws, checklists.ensure_default(ws))
    acceptance = acceptances.create(ws, sub.uid, {"acceptance_date": "2016-05-10"}, template_uid=template.uid)

    record = history.for_record(ws, "sub_projects", sub.uid)
    entities = {r.entity for r in record.revisions}
    assert {"sub_projects", "guidance_visits", "problems", "acceptances"} <= entities
    assert record.title == f"{sub.code} {sub.name}"
    assert record.revisions[0].record_uid == acceptance.uid  # newest first
    correction = next(r for r in record.revisions if r.action == "correct")
    assert correction.record_uid == fixed.uid and correction.record == NEW and correction.note == REASON
    visit = next(r for r in record.revisions if r.entity == "guidance_visits")
    assert visit.record == "2015-03-02 中间检查" and visit.entity_label == "现场指导"
    # the old function still gives the flat lines of the same history
    assert len(history.for_sub_project(ws, sub.uid)) == len(record.lines())


def test_a_notice_history_has_its_opinions_and_its_attachments(ws, tmp_path):
    notice = notices.create(ws, {"number": "雅重建委〔2016〕3号", "title": "督导情况通报", "issue_date": "2016-05-12",
                                 "issuer": "雅安市档案局"}, [{"division_uid": None, "text": "请按期整改。"}])
    notices.issue(ws, notice.uid, expected_rev=notice.rev)
    scan = tmp_path / "通报盖章件.pdf"
    scan.write_bytes(b"%PDF-1.4 sealed notice")
    attachments.attach(ws, owner_entity="notices", owner_uid=notice.uid, source=scan, role="sealed_notice")

    record = history.for_record(ws, "notices", notice.uid)
    assert record.title == "雅重建委〔2016〕3号 督导情况通报"
    assert [r.entity for r in record.revisions][:2] == ["attachments", "notices"]
    added = record.revisions[0]
    assert added.record == "通报盖章件.pdf" and added.entity_label == "附件"
    assert {c.field: c.new for c in added.changes}["附件类别"] == "盖章通报扫描件"
    issued = record.revisions[1]
    assert issued.action_label == "印发" and [(c.old, c.new) for c in issued.changes] == [("草稿", "已印发")]
    item = next(r for r in record.revisions if r.entity == "notice_items")
    assert item.record == "第 1 条" and {c.field: c.new for c in item.changes}["督导意见"] == "请按期整改。"


def test_a_revision_from_another_node_without_an_audit_row_still_reads(ws, sub):
    raw = sub_projects.get(ws, sub.uid).form_values() | {"archivist": "赵敏"}
    updated = sub_projects.update(ws, sub.uid, raw)
    with ws.db.write() as session:  # what a merge leaves: the revision, no local audit row
        session.execute(delete(AuditEntry).where(AuditEntry.rev == updated.rev))
    newest = history.for_record(ws, "sub_projects", sub.uid).revisions[0]
    assert newest.action_label == "修改" and newest.note == ""
    assert [(c.field, c.old, c.new) for c in newest.changes] == [("档案人员", "王芳", "赵敏")]
    assert newest.at.year >= 2024


def test_an_unknown_record_is_refused(ws):
    with pytest.raises(NotFound):
        history.for_record(ws, "problems", "00000000-0000-7000-8000-000000000000")
    with pytest.raises(ValueError):
        history.for_record(ws, "no_such_table", "x")


def test_steps_that_came_from_an_older_node_are_named_from_what_they_changed(ws, sub):
    fixed = _corrected(ws, sub)
    with ws.db.write() as session:
        # a city that merged a package from a version whose revisions did not carry their
        # step: no audit rows here, no step or reason on the revisions
        session.execute(delete(AuditEntry).where(AuditEntry.record_uid == fixed.uid))
        session.execute(update(RecordRevision).where(RecordRevision.record_uid == fixed.uid)
                        .values(action="", note=""))
    record = history.for_record(ws, "problems", fixed.uid)
    assert [r.action_label for r in record.revisions] == ["更正", "复查通过", "登记整改", "新建"]
    assert record.revisions[0].note == ""


def test_a_revision_carries_its_step_and_reason_without_the_audit_log(ws, sub):
    fixed = _corrected(ws, sub)
    with ws.db.write() as session:  # what a merge at the city leaves: revisions, no local audit rows
        session.execute(delete(AuditEntry).where(AuditEntry.record_uid == fixed.uid))
    record = history.for_record(ws, "problems", fixed.uid)
    assert [(r.action, r.note) for r in record.revisions] == [
        ("correct", REASON), ("verify", ""), ("rectify", ""), ("create", "")]
