"""The problem ledger's state machine, overdue rule and official-record protection."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.errors import StaleRecord, ValidationError
from app.models import AuditEntry, GuidanceVisit, Problem, RecordRevision
from app.services import problems, sub_projects, visits
from app.services.problems import TransitionRefused, is_overdue
from tests.conftest import sub_project_input


@pytest.fixture
def sub(ws, master, lushan):
    return sub_projects.create(ws, sub_project_input(master, lushan))


def visit_with(ws, sub, *descriptions, day="2015-03-02", deadline="2015-04-30"):
    visit = visits.create(ws, sub.uid, {"visit_date": day, "kind": "mid_term_check", "archivists": "张晓梅、王芳",
                                        "unit_people": "李建国", "content": "检查竣工图编制"},
                          [{"category": "as_built", "description": d, "responsible_person": "李建国",
                            "deadline": deadline} for d in descriptions])
    return visit, problems.for_sub_project(ws, sub.uid)


def counts(ws):
    with ws.db.read() as session:
        return tuple(session.scalar(select(func.count()).select_from(m))
                     for m in (GuidanceVisit, Problem, RecordRevision, AuditEntry))


def test_a_visit_and_its_problems_are_saved_together(ws, sub):
    visit, found = visit_with(ws, sub, "竣工图未加盖竣工图章", "监理日志缺 2014 年 5 月")
    assert visit.problem_count == 2
    assert [p.state for p in found] == ["open", "open"]
    assert all(p.visit_uid == visit.uid and p.found_on == date(2015, 3, 2) for p in found)


def test_a_bad_problem_refuses_the_whole_visit(ws, sub):
    before = counts(ws)
    with pytest.raises(ValidationError) as info:
        visits.create(ws, sub.uid, {"visit_date": "2015-03-02", "kind": "mid_term_check", "archivists": "张晓梅"},
                      [{"description": "好的问题", "deadline": "2015-04-01"},
                       {"description": "", "deadline": "2015-01-01"}])
    errors = info.value.field_errors
    assert errors["problem:2:description"] == "第 2 个问题：“问题描述”不能为空。"
    assert "“整改时限”（2015-01-01）不能早于“发现日期”（2015-03-02）" in errors["problem:2:deadline"]
    assert counts(ws) == before


def test_the_ledger_allows_exactly_open_rectified_verified_and_back(ws, sub):
    _visit, [p] = visit_with(ws, sub, "缺少收集范围和保管期限表")
    with pytest.raises(TransitionRefused) as info:
        problems.verify(ws, p.uid, passed=True)
    assert info.value.message == "问题当前为“待整改”，不能改为“已复查”。"

    p = problems.rectify(ws, p.uid, rectification="已补编保管期限表", rectified_by="李建国",
                         rectified_on="2015-04-10", expected_rev=p.rev)
    assert p.state == "rectified"
    with pytest.raises(TransitionRefused):
        problems.rectify(ws, p.uid, rectification="再次", rectified_by="李建国", rectified_on="2015-04-11")

    with pytest.raises(ValidationError) as info:
        problems.verify(ws, p.uid, passed=False, note="")
    assert "“复查结论”不能为空" in info.value.field_errors["verification_note"]
    p = problems.verify(ws, p.uid, passed=False, note="期限表未经审批", expected_rev=p.rev)
    assert p.state == "open" and p.verification_note == "期限表未经审批"

    p = problems.rectify(ws, p.uid, rectification="已报审批", rectified_by="李建国", rectified_on="2015-05-01")
    p = problems.verify(ws, p.uid, passed=True, note="整改到位", verified_on="2015-05-06")
    assert p.state == "verified" and p.verified_by == "张晓梅" and p.verified_on == date(2015, 5, 6)
    for move in (lambda: problems.rectify(ws, p.uid, rectification="x", rectified_by="y", rectified_on="2015-06-01"),
                 lambda: problems.verify(ws, p.uid, passed=False, note="x")):
        with pytest.raises(TransitionRefused):
            move()
    with ws.db.read() as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.record_uid == p.uid)
                                  .order_by(AuditEntry.id)).all()
    assert actions == ["create", "rectify", "reject", "rectify", "verify"]


def test_overdue_is_past_the_deadline_and_not_rectified():
    today = date(2015, 5, 1)
    assert is_overdue("open", today - timedelta(days=1), today)
    assert not is_overdue("open", today, today)
    assert not is_overdue("rectified", today - timedelta(days=30), today)
    assert not is_overdue("verified", today - timedelta(days=30), today)


def test_a_verified_problem_is_never_edited_in_place_and_a_correction_keeps_both(ws, sub):
    _visit, [p] = visit_with(ws, sub, "竣工图未签字")
    p = problems.rectify(ws, p.uid, rectification="已补签", rectified_by="李建国", rectified_on="2015-04-02")
    p = problems.verify(ws, p.uid, passed=True, note="到位")
    raw = {"category": "signature", "description": "竣工图未签字（设计单位）", "responsible_person": "李建国",
           "found_on": "2015-03-02", "deadline": "2015-04-30"}
    before = counts(ws)
    with pytest.raises(TransitionRefused) as info:
        problems.update(ws, p.uid, raw)
    assert "已复查的问题属于正式记录" in info.value.message
    with pytest.raises(TransitionRefused):
        problems.delete(ws, p.uid)
    assert counts(ws) == before

    with pytest.raises(ValidationError):
        problems.correct(ws, p.uid, raw, reason="")
    fixed = problems.correct(ws, p.uid, raw, reason="原记录漏写责任单位", expected_rev=p.rev)
    assert fixed.description == "竣工图未签字（设计单位）" and fixed.state == "verified"
    with ws.db.read() as session:
        revisions = session.scalars(select(RecordRevision).where(RecordRevision.record_uid == p.uid)
                                    .order_by(RecordRevision.id)).all()
        audit = session.scalars(select(AuditEntry).where(AuditEntry.record_uid == p.uid)
                                .order_by(AuditEntry.id.desc())).first()
    assert revisions[-2].data["description"] == "竣工图未签字" and revisions[-1].data["description"].endswith("（设计单位）")
    assert audit.action == "correct" and audit.note == "原记录漏写责任单位"
    with pytest.raises(StaleRecord):
        problems.correct(ws, p.uid, {**raw, "description": "又改"}, reason="再改", expected_rev=p.rev)


def test_deleting_a_visit_takes_its_open_problems_but_not_rectified_ones(ws, sub):
    visit, [p] = visit_with(ws, sub, "问题甲")
    problems.rectify(ws, p.uid, rectification="改了", rectified_by="李", rectified_on="2015-04-01")
    with pytest.raises(TransitionRefused):
        visits.delete(ws, visit.uid)
    other, _found = visit_with(ws, sub, "问题乙", day="2015-05-01", deadline="2015-06-01")
    visits.delete(ws, other.uid)
    assert [x.description for x in problems.for_sub_project(ws, sub.uid)] == ["问题甲"]


def test_a_visit_date_in_the_future_is_refused(ws, sub):
    with pytest.raises(ValidationError) as info:
        visits.create(ws, sub.uid, {"visit_date": (date.today() + timedelta(days=3)).isoformat(),
                                    "kind": "supervision", "archivists": "张晓梅"})
    assert "不能晚于今天" in info.value.field_errors["visit_date"]
