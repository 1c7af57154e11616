"""Supervision rounds: numbering, groups, and what a new round carries over for re-checking."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.errors import StaleRecord, ValidationError
from app.models import (
    AuditEntry,
    Problem,
    RecordRevision,
    RoundRecheck,
    SupervisionGroup,
    SupervisionRound,
)
from app.services import divisions, records, sub_projects, supervision
from tests.conftest import sub_project_input


@pytest.fixture
def sub(ws, master, lushan):
    return sub_projects.create(ws, sub_project_input(master, lushan))


def add_problem(ws, sub, description, *, state="open", round_uid=None, deleted=False):
    """A problem written straight into the ledger, in whatever state the test needs."""
    done = state in ("rectified", "verified")
    with ws.db.write() as session:
        p = records.create(session, ws, Problem, {
            "sub_project_uid": sub.uid, "source": "supervision" if round_uid else "visit", "round_uid": round_uid,
            "category": "collection", "description": description, "responsible_person": "李建国",
            "found_on": date(2016, 3, 1), "deadline": date(2016, 4, 30), "state": state,
            "rectification": "已补齐" if done else "", "rectified_by": "李建国" if done else "",
            "rectified_on": date(2016, 4, 20) if done else None,
            "verification_note": "整改到位" if state == "verified" else "",
            "verified_by": "张晓梅" if state == "verified" else "",
            "verified_on": date(2016, 5, 1) if state == "verified" else None})
        if deleted:
            records.delete(session, ws, p)
        return p.uid


def counts(ws):
    with ws.db.read() as session:
        return tuple(session.scalar(select(func.count()).select_from(m))
                     for m in (SupervisionRound, SupervisionGroup, RoundRecheck, RecordRevision, AuditEntry))


def test_chinese_numbers_spell_round_and_group_names():
    assert [supervision.round_name(n) for n in (1, 2, 3, 10, 11, 20, 23)] == [
        "首轮", "第二轮", "第三轮", "第十轮", "第十一轮", "第二十轮", "第二十三轮"]
    assert supervision.round_name(120) == "第120轮"


def test_rounds_are_numbered_and_named_in_order(ws):
    first = supervision.start_round(ws, start_date="2016-03-01", notes="市档案局领导带队")
    second = supervision.start_round(ws, start_date="2016/6/1", end_date="2016年6月30日")
    third = supervision.start_round(ws, start_date=date(2016, 9, 1))
    assert [(r.number, r.name) for r in (first, second, third)] == [(1, "首轮"), (2, "第二轮"), (3, "第三轮")]
    assert second.end_date == date(2016, 6, 30)
    listed = supervision.list_rounds(ws)
    assert [r.name for r in listed] == ["首轮", "第二轮", "第三轮"]
    assert listed[0].notes == "市档案局领导带队"


def test_round_dates_are_validated_and_refusals_change_nothing(ws):
    supervision.start_round(ws, start_date="2016-03-01")
    before = counts(ws)
    with pytest.raises(ValidationError) as info:
        supervision.start_round(ws, start_date="2016-06-01", end_date="2016-05-01")
    assert info.value.field_errors == {"end_date": "“结束日期”（2016-05-01）不能早于“开始日期”（2016-06-01）。"}
    with pytest.raises(ValidationError) as info:
        supervision.start_round(ws, start_date="")
    assert info.value.field_errors == {"start_date": "“开始日期”不能为空。"}
    with pytest.raises(ValidationError) as info:
        supervision.start_round(ws, start_date="2016-02-01")
    assert "不能早于上一轮“首轮”的开始日期（2016-03-01）" in info.value.field_errors["start_date"]
    with pytest.raises(ValidationError) as info:
        supervision.start_round(ws, start_date="2016-13-01")
    assert "“开始日期”不是有效日期" in info.value.field_errors["start_date"]
    assert counts(ws) == before


def test_update_round_keeps_its_name_and_refuses_a_stale_form(ws):
    first = supervision.start_round(ws, start_date="2016-03-01")
    changed = supervision.update_round(ws, first.uid, start_date="2016-03-02", end_date="2016-03-31",
                                       notes="分片区督导", expected_rev=first.rev)
    assert (changed.name, changed.end_date, changed.notes) == ("首轮", date(2016, 3, 31), "分片区督导")
    with pytest.raises(StaleRecord):
        supervision.update_round(ws, first.uid, start_date="2016-03-05", expected_rev=first.rev)
    supervision.start_round(ws, start_date="2016-06-01")
    with pytest.raises(ValidationError) as info:
        supervision.update_round(ws, first.uid, start_date="2016-07-01")
    assert "不能晚于下一轮“第二轮”的开始日期（2016-06-01）" in info.value.field_errors["start_date"]


def test_the_first_round_carries_nothing(ws, sub):
    add_problem(ws, sub, "现场指导发现的问题")
    first = supervision.start_round(ws, start_date="2016-03-01")
    assert supervision.carried_over(ws, first.uid) == []
    assert first.rechecks_total == 0


def test_a_new_round_carries_exactly_the_problems_not_verified(ws, sub):
    first = supervision.start_round(ws, start_date="2016-03-01")
    open_one = add_problem(ws, sub, "未建立项目档案管理制度", round_uid=first.uid)
    rectified = add_problem(ws, sub, "竣工图未加盖竣工图章", state="rectified", round_uid=first.uid)
    add_problem(ws, sub, "已复查的问题", state="verified", round_uid=first.uid)
    add_problem(ws, sub, "已删除的问题", round_uid=first.uid, deleted=True)
    add_problem(ws, sub, "现场指导发现、不属于督导的问题")
    fixed_by_recheck = add_problem(ws, sub, "监理文件不全", round_uid=first.uid)

    assert supervision.carry_over_preview(ws) == ("第二轮", 3)
    second = supervision.start_round(ws, start_date="2016-06-01")
    carried = supervision.carried_over(ws, second.uid)
    assert {c.problem_uid for c in carried} == {open_one, rectified, fixed_by_recheck}
    assert all(c.result == "pending" and c.raised_in == "首轮" for c in carried)
    row = next(c for c in carried if c.problem_uid == rectified)
    assert (row.sub_project_code, row.sub_project_name, row.division_name) == (
        sub.code, sub.name, "芦山县")
    assert (row.description, row.deadline, row.problem_state) == ("竣工图未加盖竣工图章", date(2016, 4, 30),
                                                                  "rectified")

    # The group finds one problem rectified (the ledger has not verified it yet) and raises a new one.
    recheck = next(c for c in carried if c.problem_uid == fixed_by_recheck)
    supervision.record_recheck(ws, recheck.uid, result="rectified", note="已补齐监理文件",
                               checked_on="2016-06-10", expected_rev=recheck.rev)
    still_open = next(c for c in carried if c.problem_uid == open_one)
    supervision.record_recheck(ws, still_open.uid, result="not_rectified", note="制度仍未印发",
                               checked_on="2016-06-10")
    new_in_second = add_problem(ws, sub, "声像档案未整理", round_uid=second.uid)

    third = supervision.start_round(ws, start_date="2016-09-01")
    assert {c.problem_uid for c in supervision.carried_over(ws, third.uid)} == {open_one, rectified, new_in_second}
    rounds = {r.name: r for r in supervision.list_rounds(ws)}
    assert (rounds["首轮"].problems_raised, rounds["首轮"].rechecks_total) == (4, 0)  # the deleted one not counted
    assert (rounds["第二轮"].problems_raised, rounds["第二轮"].rechecks_pending, rounds["第二轮"].rechecks_done) == (
        1, 1, 2)
    assert (rounds["第三轮"].rechecks_pending, rounds["第三轮"].rechecks_done) == (3, 0)
    with ws.db.read() as session:
        assert {p.uid: p.state for p in session.scalars(select(Problem))}[fixed_by_recheck] == "open"


def test_recording_a_recheck_makes_an_audited_revision(ws, sub):
    first = supervision.start_round(ws, start_date="2016-03-01")
    add_problem(ws, sub, "未编制保管期限表", round_uid=first.uid)
    second = supervision.start_round(ws, start_date="2016-06-01")
    [pending] = supervision.carried_over(ws, second.uid)

    done = supervision.record_recheck(ws, pending.uid, result="已整改到位", note="已编制并审批",
                                      checked_on="2016-06-12", expected_rev=pending.rev)
    assert (done.result, done.note, done.checked_on) == ("rectified", "已编制并审批", date(2016, 6, 12))
    assert done.rev != pending.rev
    with ws.db.read() as session:
        revisions = session.scalars(select(RecordRevision).where(RecordRevision.record_uid == pending.uid)
                                    .order_by(RecordRevision.id)).all()
        audits = session.scalars(select(AuditEntry).where(AuditEntry.record_uid == pending.uid)
                                 .order_by(AuditEntry.id)).all()
    assert [r.rev for r in revisions] == [pending.rev, done.rev]
    assert revisions[1].parent_rev == pending.rev
    assert [a.action for a in audits] == ["create", "recheck"]
    assert audits[1].changes["result"] == ["pending", "rectified"] and audits[1].operator == "张晓梅"
    with pytest.raises(StaleRecord):
        supervision.record_recheck(ws, pending.uid, result="not_rectified", note="x", checked_on="2016-06-13",
                                   expected_rev=pending.rev)


def test_recheck_refusals_name_the_field_and_change_nothing(ws, sub):
    first = supervision.start_round(ws, start_date="2016-03-01")
    add_problem(ws, sub, "未编制保管期限表", round_uid=first.uid)
    second = supervision.start_round(ws, start_date="2016-06-01")
    [pending] = supervision.carried_over(ws, second.uid)
    before = counts(ws)
    cases = [
        ({"result": "pending", "checked_on": "2016-06-12"}, "result", "请选择“复查结果”：已整改到位或仍未整改。"),
        ({"result": "差不多", "checked_on": "2016-06-12"}, "result", "“复查结果”应为以下之一"),
        ({"result": "not_rectified", "note": "", "checked_on": "2016-06-12"}, "note", "写明仍存在的问题"),
        ({"result": "rectified", "checked_on": ""}, "checked_on", "“复查日期”不能为空。"),
        ({"result": "rectified", "checked_on": "2016-05-01"}, "checked_on", "不能早于第二轮督导的开始日期（2016-06-01）"),
        ({"result": "rectified", "checked_on": date.today() + timedelta(days=1)}, "checked_on", "不能晚于今天"),
    ]
    for kwargs, key, message in cases:
        with pytest.raises(ValidationError) as info:
            supervision.record_recheck(ws, pending.uid, **kwargs)
        assert message in info.value.field_errors[key], kwargs
    assert counts(ws) == before
    assert supervision.get_recheck(ws, pending.uid).result == "pending"


def test_groups_of_a_round(ws, lushan):
    first = supervision.start_round(ws, start_date="2016-03-01")
    tianquan = divisions.find_division(ws, "天全县")
    assert supervision.suggest_group_name(ws, first.uid) == "第一督导组"
    group = supervision.create_group(ws, first.uid, {
        "name": "第一督导组", "leader": "陈志强", "members": "刘洋, 王芳，赵磊  周敏",
        "division_uids": [lushan.uid, tianquan.uid], "sectors": "城乡住房、公共服务"})
    assert group.members == "刘洋、王芳、赵磊、周敏"
    assert group.division_names == ("天全县", "芦山县")  # in the divisions' usual order
    assert supervision.suggest_group_name(ws, first.uid) == "第二督导组"
    assert supervision.get_round(ws, first.uid).group_count == 1

    before = counts(ws)
    with pytest.raises(ValidationError) as info:
        supervision.create_group(ws, first.uid, {"name": "第一督导组", "leader": " ", "division_uids": ["nope"]})
    assert info.value.field_errors == {
        "name": "本轮已有名为“第一督导组”的督导组，“督导组名称”不能重复。",
        "leader": "“组长”不能为空。",
        "division_uids": "“督导县（区）”中有不存在的县（区），请重新选择。",
    }
    assert counts(ws) == before

    changed = supervision.update_group(ws, group.uid, {**group.form_values(), "leader": "李明"},
                                       expected_rev=group.rev)
    assert changed.leader == "李明" and changed.members == group.members
    second = supervision.start_round(ws, start_date="2016-06-01")
    supervision.create_group(ws, second.uid, {"name": "第一督导组", "leader": "陈志强"})  # a new round may reuse it
    supervision.delete_group(ws, group.uid, expected_rev=changed.rev)
    assert supervision.list_groups(ws, first.uid) == []
    assert [g.name for g in supervision.list_groups(ws, second.uid)] == ["第一督导组"]
