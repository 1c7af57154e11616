"""Acceptance scoring, group rules, conclusions and certificates, against hand-worked examples."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from app.errors import AppError, ValidationError
from app.services import acceptances, certificates, checklists, problems, sub_projects
from app.services.acceptance_result import Member, Score, evaluate
from tests.conftest import sub_project_input

GROUP = [
    {"name": "杨建华", "unit_kind": "reconstruction_committee", "role": "leader", "vote": "agree"},
    {"name": "陈丽", "unit_kind": "archives_bureau", "role": "deputy", "vote": "agree"},
    {"name": "刘强", "unit_kind": "finance_bureau", "vote": "agree"},
    {"name": "周敏", "unit_kind": "development_commission", "vote": "agree"},
    {"name": "吴刚", "unit_kind": "housing_bureau", "vote": "disagree"},
]


@pytest.fixture
def template(ws):
    return checklists.get(ws, checklists.ensure_default(ws))


@pytest.fixture
def sub(ws, master, lushan):
    return sub_projects.create(ws, sub_project_input(master, lushan))


def full_marks(template, *, minus: dict[str, float] | None = None, fail: set[str] = frozenset()):
    minus = minus or {}
    scores = {}
    for item in template.items:
        if item.kind == "pass_fail":
            scores[item.uid] = Score(item.uid, None, None, item.code not in fail, "")
        else:
            scores[item.uid] = Score(item.uid, item.max_score, item.max_score - minus.get(item.code, 0), None, "")
    return scores


def members(votes=("agree",) * 4 + ("disagree",), leaders=1):
    return [Member(str(n), f"m{n}", "other", "", "leader" if n < leaders else "member", v)
            for n, v in enumerate(votes)]


def test_default_checklist_has_three_parts_and_about_thirty_items(template):
    assert [s.title for s in template.sections] == ["基础管理工作", "档案的完整、准确、系统", "档案安全"]
    assert [s.max_score for s in template.sections] == [20, 60, 20] and template.total_score == 100
    assert len(template.items) == 29 and sum(i.veto for i in template.items) == 2
    assert template.sections[1].floor == 36


def test_totals_grades_and_a_pass_by_majority(template):
    result = evaluate(template, full_marks(template, minus={"1.4": 2, "2.4": 3.5, "3.2": 1}), members())
    assert [s[1] for s in result.section_scores] == [18, 56.5, 19]
    assert result.total == 93.5 and result.grade == "优良" and result.conclusion == "pass"
    result = evaluate(template, full_marks(template, minus={"2.7": 8, "2.4": 8, "3.1": 5}), members())
    assert result.total == 79 and result.grade == "合格" and result.conclusion == "pass"


def test_below_seventy_fails(template):
    cut = {"1.1": 2, "1.2": 3, "1.3": 3, "1.4": 4, "1.5": 3, "1.6": 3, "3.1": 5, "3.2": 5, "3.5": 4, "2.7": 3}
    result = evaluate(template, full_marks(template, minus=cut), members())
    assert result.total == 65 and result.grade == "" and result.conclusion == "fail"
    assert "总分 65 分，低于合格线 70 分" in result.reasons


def test_a_section_below_its_floor_fails_whatever_the_total(template):
    # part 2 loses 25 of 60 (35 < floor 36) yet the total is 75
    cut = {"2.1": 6, "2.2": 4, "2.3": 4, "2.4": 8, "2.7": 3}
    result = evaluate(template, full_marks(template, minus=cut), members())
    assert result.total == 75 and result.grade == "合格" and result.conclusion == "fail"
    assert result.floors == ["“档案的完整、准确、系统”得 35 分，低于该部分最低分 36 分"]


def test_a_failed_veto_item_fails_a_perfect_score(template):
    result = evaluate(template, full_marks(template, fail={"2.8"}), members())
    assert result.total == 100 and result.conclusion == "fail"
    assert result.vetoes == ["否决项 2.8“编制了竣工图（否决项）”不合格"]
    non_veto = evaluate(template, full_marks(template, fail={"3.7"}), members())
    assert non_veto.conclusion == "pass"


@pytest.mark.parametrize(("votes", "leaders", "expected"), [
    (("agree",) * 4, 1, ["验收小组至少 5 人，现有 4 人。", "验收小组人数应为单数，现有 4 人。"]),
    (("agree",) * 6, 1, ["验收小组人数应为单数，现有 6 人。"]),
    (("agree",) * 5, 0, ["验收小组应有且只有一名组长，现有 0 名。"]),
    (("agree",) * 5, 2, ["验收小组应有且只有一名组长，现有 2 名。"]),
])
def test_group_rules(template, votes, leaders, expected):
    result = evaluate(template, full_marks(template), members(votes, leaders))
    assert result.group_problems == expected and result.conclusion == ""


def test_no_majority_fails_and_missing_votes_or_scores_leave_it_open(template):
    tie = evaluate(template, full_marks(template), members(("agree", "agree", "disagree", "disagree", "abstain")))
    assert tie.conclusion == "fail" and "同意票 2 票，未超过验收小组半数（5 人）" in tie.reasons
    pending = evaluate(template, full_marks(template), members(("agree",) * 4 + ("",)))
    assert pending.conclusion == "" and "尚有 1 位成员未表决" in pending.reasons
    scores = full_marks(template)
    del scores[template.items[0].uid]
    assert evaluate(template, scores, members()).missing == ["1.1"]


def _score_all(ws, acceptance, template, **kwargs):
    raw = {i.uid: ({"passed": True} if i.kind == "pass_fail" else {"self_score": str(i.max_score),
                                                                    "group_score": str(i.max_score)})
           for i in template.items}
    raw.update(kwargs.get("override", {}))
    acceptances.set_scores(ws, acceptance.uid, raw)


def test_a_pass_issues_a_numbered_certificate_and_freezes_the_acceptance(ws, sub, template):
    a = acceptances.create(ws, sub.uid, {"acceptance_date": "2016-05-10", "application_date": "2016-04-28",
                                         "accepted_volumes": "126", "accepted_items": "1840", "accepted_drawings": "312"})
    acceptances.set_members(ws, a.uid, GROUP)
    _score_all(ws, a, template)
    done = acceptances.conclude(ws, a.uid)
    assert done.conclusion == "pass" and done.grade == "优良" and done.total_score == 100
    [cert] = certificates.for_acceptance(ws, a.uid)
    assert cert.number.startswith(f"{date.today().year}-511826") and cert.number.endswith("-00001")
    assert cert.facts["sub_project_name"] == sub.name and len(cert.facts["members"]) == 5
    with pytest.raises(AppError):
        acceptances.update(ws, a.uid, {"opinion": "改一下"})
    assert certificates.verify(ws, cert.qr_text).ok


def test_a_fail_writes_its_opinions_into_the_ledger_and_a_reinspection_links_back(ws, sub, template):
    a = acceptances.create(ws, sub.uid, {"acceptance_date": "2016-05-10"})
    acceptances.set_members(ws, a.uid, GROUP)
    veto = next(i for i in template.items if i.code == "2.8")
    _score_all(ws, a, template, override={veto.uid: {"passed": False}})
    with pytest.raises(ValidationError) as info:
        acceptances.conclude(ws, a.uid)
    assert set(info.value.field_errors) == {"rectification_deadline", "opinions"}
    done = acceptances.conclude(ws, a.uid, opinions=["补编竣工图并加盖竣工图章", "补齐监理日志"],
                                rectification_deadline="2016-08-10")
    assert done.conclusion == "fail" and certificates.for_acceptance(ws, a.uid) == []
    found = [p for p in problems.for_sub_project(ws, sub.uid) if p.source == "acceptance"]
    assert [p.description for p in found] == ["补编竣工图并加盖竣工图章", "补齐监理日志"]
    assert all(p.deadline == date(2016, 8, 10) for p in found)
    again = acceptances.reinspect(ws, a.uid, {"acceptance_date": "2016-08-20"})
    assert again.previous_uid == a.uid and len(again.members) == 5 and again.status == "draft"


def test_scores_out_of_range_are_refused_naming_the_item(ws, sub, template):
    a = acceptances.create(ws, sub.uid, {"acceptance_date": "2016-05-10"})
    item = next(i for i in template.items if i.code == "1.4")
    with pytest.raises(ValidationError) as info:
        acceptances.set_scores(ws, a.uid, {item.uid: {"group_score": "5"}})
    assert info.value.field_errors == {"item:1.4": "第 1.4 项的验收赋分应在 0 到 4 分之间，不能是 5。"}
    with pytest.raises(ValidationError):
        acceptances.set_scores(ws, a.uid, {item.uid: {"self_score": "2.3"}})


def test_timing_warning_and_sample_shares():
    values = {"acceptance_date": date(2016, 5, 10), "completion_acceptance_date": date(2016, 7, 1),
              "sampled_volumes": 10, "total_volumes": 125, "sampled_drawings": 31, "total_drawings": 310}
    assert "不足 3 个月" in acceptances.timing_warning(values)
    assert acceptances.timing_warning({**values, "completion_acceptance_date": date(2016, 9, 1)}) == ""
    assert acceptances.sample_shares(values) == (0.08, 0.1)


def test_a_template_version_in_use_is_never_changed_and_old_acceptances_keep_it(ws, sub, template):
    a = acceptances.create(ws, sub.uid, {"acceptance_date": "2016-05-10"})
    with pytest.raises(AppError):
        checklists.save_draft(ws, template.uid, checklists.content_of(template))
    content = checklists.content_of(template)
    content["sections"][0]["items"][0]["text"] = "分管领导明确，档案工作列入议事日程"
    draft = checklists.new_version(ws, template.uid, content)
    checklists.activate(ws, draft.uid)
    assert checklists.get(ws, template.uid).status == "retired"
    assert acceptances.get(ws, a.uid).template_uid == template.uid
    assert checklists.get(ws, template.uid).items[0].text.startswith("项目法人")
    newer = acceptances.create(ws, sub.uid, {"acceptance_date": "2016-06-10"})
    assert newer.template_uid == draft.uid


def certify(ws, sub, template=None):
    """A passed acceptance of ``sub`` by the default checklist (or ``template``): its certificate."""
    template = template or checklists.get(ws, checklists.ensure_default(ws))
    a = acceptances.create(ws, sub.uid, {"acceptance_date": "2016-05-10"})
    acceptances.set_members(ws, a.uid, GROUP)
    _score_all(ws, a, template)
    acceptances.conclude(ws, a.uid)
    return certificates.for_acceptance(ws, a.uid)[0]


def test_an_issued_certificate_cannot_be_changed_even_by_plain_sql(ws, sub, template):
    cert = certify(ws, sub, template)
    con = sqlite3.connect(ws.db.path)
    try:
        for statement in ("UPDATE certificates SET number = 'X' WHERE uid = ?",
                          "UPDATE certificates SET facts = '{}' WHERE uid = ?",
                          "DELETE FROM certificates WHERE uid = ?"):
            with pytest.raises(sqlite3.IntegrityError, match="immutable"):
                con.execute(statement, (cert.uid,))
    finally:
        con.close()
    assert certificates.get(ws, cert.uid).number == cert.number


def test_reissue_voids_with_a_reason_and_renumbers(ws, sub, template):
    cert = certify(ws, sub, template)
    with pytest.raises(ValidationError):
        certificates.reissue(ws, cert.uid, reason="")
    new = certificates.reissue(ws, cert.uid, reason="原证书项目业主名称有误")
    old = certificates.get(ws, cert.uid)
    assert old.status == "void" and old.void_reason == "原证书项目业主名称有误"
    assert new.number != cert.number and new.replaces_uid == cert.uid and new.number.endswith("-00002")
    voided = certificates.verify(ws, old.qr_text)
    assert not voided.ok and "已于" in voided.message and "作废" in voided.message
    assert certificates.verify(ws, new.qr_text).ok
    con = sqlite3.connect(ws.db.path)
    try:
        with pytest.raises(sqlite3.IntegrityError):
            con.execute("UPDATE certificates SET status = 'valid' WHERE uid = ?", (cert.uid,))
    finally:
        con.close()


def test_verify_rejects_an_altered_qr_text(ws, sub, template):
    cert = certify(ws, sub, template)
    text = cert.qr_text
    assert certificates.verify(ws, text).ok
    for altered in (text.replace(cert.facts["sub_project_code"], "2014999"), text[:-1] + ("0" if text[-1] != "0" else "1"),
                    text.replace(cert.number, cert.number[:-1] + "9"), "hello", ""):
        assert not certificates.verify(ws, altered).ok


def test_nine_offline_nodes_issuing_a_thousand_each_never_collide(tmp_path):
    from app.services import divisions, master_projects, node
    from app.services.workspace import Workspace

    numbers = set()
    names = ["雨城区", "名山区", "荥经县", "汉源县", "石棉县", "天全县", "芦山县", "宝兴县", "芦天宝飞地产业园区"]
    for n, name in enumerate(names):
        ws = Workspace.open(tmp_path / f"n{n}.db")
        division = divisions.find_division(ws, name)
        node.setup_node(ws, division_uid=division.uid, operator="x")
        master = master_projects.create(ws, {"plan_code": "M1", "name": "总规", "division_uid": division.uid})
        sub = sub_projects.create(ws, sub_project_input(master, division))
        acceptance = acceptances.create(ws, sub.uid, {"acceptance_date": "2016-05-10"})
        with ws.db.write() as session:
            for _ in range(1000):
                issued = certificates._issue(session, ws, acceptance.uid, lambda number, day: {"number": number})
                numbers.add(issued.number)
        ws.close()
    assert len(numbers) == 9000


def test_saving_the_whole_form_is_all_or_nothing(ws, sub, template):
    a = acceptances.create(ws, sub.uid, {"acceptance_date": "2016-05-10"})
    item = template.items[0]
    with pytest.raises(ValidationError) as info:
        acceptances.save(ws, a.uid, header={"acceptance_date": "2016-05-10", "accepted_volumes": "12"},
                         members=[{"name": ""}], scores={item.uid: {"group_score": "99"}})
    assert set(info.value.field_errors) == {"member:1", f"item:{item.code}"}
    unchanged = acceptances.get(ws, a.uid)
    assert unchanged.members == () and unchanged.scores == {} and unchanged.values["accepted_volumes"] is None
    saved = acceptances.save(ws, a.uid, header={"acceptance_date": "2016-05-10", "accepted_volumes": "12"},
                             members=GROUP, scores={item.uid: {"group_score": "2"}}, expected_rev=a.rev)
    assert saved.values["accepted_volumes"] == 12 and len(saved.members) == 5 and saved.scores[item.uid].group_score == 2
