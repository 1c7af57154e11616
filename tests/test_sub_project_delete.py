"""Deleting a sub-project: refused while it is part of the official record; otherwise its
own records go with it.

Refused, naming why: an issued certificate (a voided one too), a concluded acceptance, a
problem rectified or verified, a problem cited by an issued notice. The database is then
exactly as before. Allowed: the retention schedule, the visits, their open problems and
the acceptances in progress (with group and scores) are tombstoned with it.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models import Acceptance, AcceptanceGroupMember, AcceptanceScore, GuidanceVisit, Problem, RetentionSchedule
from app.services import acceptances, certificates, checklists, ledger, notices, problems, retention, sub_projects
from app.services import visits
from app.services.sub_projects import DeletionRefused
from tests.conftest import sub_project_input
from tests.db_snapshot import db_snapshot
from tests.test_acceptances import GROUP, _score_all


@pytest.fixture
def sub(ws, master, lushan):
    return sub_projects.create(ws, sub_project_input(master, lushan))


@pytest.fixture
def other(ws, master, lushan):
    return sub_projects.create(ws, sub_project_input(master, lushan, code="511826-ZG-0001-02", name="古城村农房重建二期"))


@pytest.fixture
def template(ws):
    return checklists.get(ws, checklists.ensure_default(ws))


def visit_with(ws, sub, *descriptions):
    visit = visits.create(ws, sub.uid, {"visit_date": "2015-03-02", "kind": "mid_term_check", "archivists": "张晓梅"},
                          [{"category": "as_built", "description": d, "responsible_person": "李建国",
                            "deadline": "2015-04-30"} for d in descriptions])
    return visit, [p for p in problems.for_sub_project(ws, sub.uid) if p.visit_uid == visit.uid]


def concluded(ws, sub, template, *, fail=False):
    a = acceptances.create(ws, sub.uid, {"acceptance_date": "2016-05-10"})
    acceptances.set_members(ws, a.uid, GROUP)
    veto = next(i for i in template.items if i.code == "2.8")
    _score_all(ws, a, template, override={veto.uid: {"passed": False}} if fail else {})
    if fail:
        return acceptances.conclude(ws, a.uid, opinions=["补编竣工图"], rectification_deadline="2016-08-10")
    return acceptances.conclude(ws, a.uid)


def refused(ws, uids) -> str:
    """Delete (one or many), expect the refusal, and show the database did not change."""
    before = db_snapshot(ws)
    with pytest.raises(DeletionRefused) as info:
        if len(uids) == 1:
            sub_projects.delete(ws, uids[0])
        else:
            sub_projects.delete_many(ws, uids)
    assert db_snapshot(ws) == before
    assert not sub_projects.deletion_plan(ws, uids).allowed
    return info.value.message


def test_an_issued_certificate_blocks_the_deletion_and_still_verifies(ws, sub, template):
    done = concluded(ws, sub, template)
    [cert] = certificates.for_acceptance(ws, done.uid)
    message = refused(ws, [sub.uid])
    assert message == (f"子项目“{sub.code} {sub.name}”已签发验收合格证书 {cert.number}号，"
                       "属于正式档案记录，不能删除。")
    assert sub_projects.get(ws, sub.uid).code == sub.code
    assert certificates.verify(ws, cert.qr_text).ok


def test_a_voided_certificate_still_blocks_it(ws, sub, template):
    done = concluded(ws, sub, template)
    [cert] = certificates.for_acceptance(ws, done.uid)
    certificates.void(ws, cert.uid, reason="项目已撤销")
    message = refused(ws, [sub.uid])
    assert f"验收合格证书 {cert.number}号虽已作废，仍须保留" in message


def test_a_failed_acceptance_blocks_it_with_its_date_and_conclusion(ws, sub, template):
    concluded(ws, sub, template, fail=True)
    message = refused(ws, [sub.uid])
    assert "已有作出结论的档案验收（2016-05-10，结论“不合格”）" in message


def test_verified_and_rectified_problems_block_it(ws, sub):
    _visit, [first, second, _third] = visit_with(ws, sub, "缺保管期限表", "竣工图未盖章", "监理日志不全")
    problems.rectify(ws, first.uid, rectification="已补制", rectified_by="李建国", rectified_on="2015-04-10")
    problems.verify(ws, first.uid, passed=True, verified_on="2015-04-20")
    problems.rectify(ws, second.uid, rectification="已加盖", rectified_by="李建国", rectified_on="2015-04-12")
    message = refused(ws, [sub.uid])
    assert message == (f"子项目“{sub.code} {sub.name}”问题台账中有 1 个问题已复查销号；"
                       "问题台账中有 1 个问题已有整改记录，属于正式档案记录，不能删除。")


def test_a_problem_cited_by_an_issued_notice_blocks_it(ws, sub, lushan):
    _visit, [problem] = visit_with(ws, sub, "竣工图未盖章")
    draft = notices.create(ws, {"number": "雅重建委〔2016〕3号", "title": "督导情况通报", "issue_date": "2016-05-12",
                                "issuer": "雅安市档案局"},
                           [{"division_uid": lushan.uid, "text": "竣工图未盖章。", "problem_uids": [problem.uid]}])
    assert sub_projects.deletion_plan(ws, [sub.uid]).allowed  # a draft notice is no record yet
    notices.issue(ws, draft.uid, draft.rev)
    assert "有问题已被通报 雅重建委〔2016〕3号 引用" in refused(ws, [sub.uid])


def test_deleting_several_is_all_or_nothing_and_names_each_blocked_one(ws, sub, other, template):
    concluded(ws, sub, template)
    visit_with(ws, other, "竣工图未盖章")
    message = refused(ws, [other.uid, sub.uid])
    assert message.startswith("选中的 2 个子项目中有 1 个不能删除，未删除任何子项目：\n")
    assert sub.code in message and other.code not in message
    assert sub_projects.get(ws, other.uid) and len(visits.for_sub_project(ws, other.uid)) == 1


def _live(ws, model, **where):
    with ws.db.read() as session:
        query = select(model.uid).where(model.deleted.is_(False),
                                        *(getattr(model, k) == v for k, v in where.items()))
        return set(session.scalars(query))


def test_a_deletable_sub_project_takes_its_visits_open_problems_and_drafts_with_it(ws, sub, other, template):
    retention.create_for(ws, sub.uid)
    visit_with(ws, sub, "缺保管期限表", "竣工图未盖章")
    visit_with(ws, sub)
    draft = acceptances.create(ws, sub.uid, {"acceptance_date": "2016-05-10"})
    acceptances.set_members(ws, draft.uid, GROUP)
    _score_all(ws, draft, template)
    _visit, [kept] = visit_with(ws, other, "监理日志不全")

    plan = sub_projects.deletion_plan(ws, [sub.uid])
    assert plan.allowed and (plan.visits, plan.problems, plan.acceptances) == (2, 2, 1)
    assert sub_projects.delete(ws, sub.uid) == plan

    assert _live(ws, GuidanceVisit, sub_project_uid=sub.uid) == set()
    assert _live(ws, Problem, sub_project_uid=sub.uid) == set()
    assert _live(ws, Acceptance, sub_project_uid=sub.uid) == set()
    assert _live(ws, AcceptanceGroupMember, acceptance_uid=draft.uid) == set()
    assert _live(ws, AcceptanceScore, acceptance_uid=draft.uid) == set()
    assert _live(ws, RetentionSchedule, sub_project_uid=sub.uid) == set()
    # the ledger no longer lists (or counts as overdue) the problems of a deleted sub-project
    rows = ledger.fetch_rows(ws, ledger.search_ids(ws, ledger.LedgerFilter()))
    assert [r.uid for r in rows.values()] == [kept.uid]
    assert len(visits.for_sub_project(ws, other.uid)) == 1
