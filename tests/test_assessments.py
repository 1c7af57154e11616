"""Yearly assessment (考核): hand-counted deductions, ranking, publishing, corrections, refusals."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.errors import AppError, ValidationError
from app.models import Assessment, AssessmentScore, Node, RecordRevision
from app.services import assessments, attachments, divisions, problems, records
from app.services.records import RecordFrozen
from tests.assessment_support import assessed_template, city  # noqa: F401  (fixtures)
from tests.assessment_support import AS_OF, COMPUTED_TOTALS, EXPECTED, PUBLICATION, score_manual_items
from tests.db_snapshot import db_snapshot


def _by_key(view) -> dict[tuple[str, str], assessments.ScoreView]:
    return {(s.subject_name, s.item.code): s for s in view.scores}


def test_every_deduction_equals_the_hand_count(city):
    view = assessments.compute(city, 2016, as_of=AS_OF)
    scores = _by_key(view)
    assert {key: (scores[key].score, scores[key].deduction) for key in EXPECTED} == EXPECTED
    fx = city.fx
    # the records behind each deduction
    assert [e["uid"] for e in scores["芦山县", "4.1"].evidence] == [fx.problems["p1"], fx.problems["p2"]]
    assert [e["uid"] for e in scores["芦山县", "3.2"].evidence] == [fx.subs["A2"]]
    assert [e["uid"] for e in scores["芦山县", "1.2"].evidence] == [fx.subs["A2"]]
    assert [e["uid"] for e in scores["天全县", "5.1"].evidence] == [fx.failed_acceptance]
    assert [e["uid"] for e in scores["天全县", "5.2"].evidence] == [fx.subs["B2"]]
    assert scores["天全县", "4.1"].figures["overdue"] == 16 and len(scores["天全县", "4.1"].evidence) == 16
    assert [e["label"][:7] for e in scores["芦山县", "7.1"].evidence] == ["2016年3月", "2016年7月"]
    assert "每个扣 1 分，最多扣 15 分：扣 15 分" in scores["天全县", "4.1"].explanation
    assert "1/2 个已完工子项目持有有效合格证书（50.0%）" in scores["天全县", "5.2"].explanation
    # a county without any record loses only where a record was due (training, packages)
    empty = {code: s.deduction for (name, code), s in scores.items() if name == "雨城区" and not s.manual}
    assert empty == {"1.2": 0, "2.2": 0, "3.1": 0, "3.2": 0, "4.1": 0, "5.1": 0, "5.2": 0, "6.1": 6, "6.2": 4,
                     "7.1": 10}
    totals = {s.name: s.total for s in view.divisions}
    assert totals["芦山县"] == COMPUTED_TOTALS["芦山县"] and totals["天全县"] == COMPUTED_TOTALS["天全县"]
    assert totals["宝兴县"] == COMPUTED_TOTALS["宝兴县"] and totals["雨城区"] == COMPUTED_TOTALS["empty"]
    assert all(s.unscored == 3 for s in view.divisions)


def test_tombstoned_records_never_count(city):
    scores = _by_key(assessments.compute(city, 2016, as_of=AS_OF))
    fx = city.fx
    assert fx.problems["p5"] not in {e["uid"] for e in scores["芦山县", "4.1"].evidence}  # deleted problem
    assert fx.subs["B2"] in {e["uid"] for e in scores["天全县", "3.2"].evidence}  # its only visit was deleted
    assert scores["天全县", "6.1"].figures == {"value": 120, "target": 100, "measure": "attendance", "sessions": 1}
    # the deleted sub-project A4 is in no population
    assert scores["芦山县", "1.2"].figures["total"] == 3


def test_departments_answer_for_their_sectors(city):
    scores = _by_key(assessments.compute(city, 2016, as_of=AS_OF))
    # 住建 (城乡住房, 城镇建设): A1, A3, B2, C1; its overdue problems are A1's p1 and p2
    assert scores["市住房城乡建设局", "1.2"].figures == {"total": 4, "done": 4, "missing": 0}
    assert scores["市住房城乡建设局", "4.1"].deduction == 2
    # 发改委 (基础设施): B1 with 16 overdue problems, capped at 15
    assert scores["市发展改革委", "4.1"].deduction == 15
    assert ("市发展改革委", "7.1") not in scores  # packages and trainings score counties only


def test_ranking_with_hand_scores(city):
    view = assessments.compute(city, 2016, as_of=AS_OF)
    score_manual_items(city, view, {("宝兴县", "1.1"): (3, "领导小组未纳入年度目标考核")})
    view = assessments.get(city, view.uid)
    ranking = [(s.name, s.total, s.rank) for s in view.divisions]
    assert ranking[-3:] == [("芦山县", 79.73, 7), ("宝兴县", 78.0, 8), ("天全县", 53.0, 9)]
    assert {r for _name, total, r in ranking[:6]} == {1} and all(total == 80 for _n, total, _r in ranking[:6])
    assert [s.grade for s in view.divisions][-3:] == ["合格", "合格", "不合格"]
    assert view.unscored == 0


def test_a_published_assessment_stays_when_data_changes_and_its_correction_keeps_both(city):
    view = assessments.compute(city, 2016, as_of=AS_OF)
    score_manual_items(city, view)
    published = assessments.publish(city, view.uid, PUBLICATION)
    assert published.status == "published" and all(s.frozen for s in published.scores)
    before = [(s.subject_key, s.item.code, s.score, s.deduction, s.explanation) for s in published.scores]
    # later a problem of 2016 in 宝兴 turns out overdue
    problems.create(city, {"category": "other", "description": "补登：声像档案缺失", "found_on": "2016-05-01",
                           "deadline": "2016-06-01"}, sub_project_uid=city.fx.subs["C1"])
    again = assessments.get(city, published.uid)
    assert [(s.subject_key, s.item.code, s.score, s.deduction, s.explanation) for s in again.scores] == before
    assert again.standings == published.standings
    with pytest.raises(AppError, match="已发布"):
        assessments.compute(city, 2016, as_of=AS_OF)

    correction = assessments.correct(city, published.uid, reason="宝兴县补登了一个超期问题")
    assert correction.status == "draft" and correction.supersedes_uid == published.uid
    assert correction.as_of == AS_OF and correction.unscored == 0  # hand scores came along
    assert _by_key(correction)["宝兴县", "4.1"].deduction == 1
    assert assessments.correct(city, published.uid, reason="再来一次").uid == correction.uid
    defaults = assessments.publish_defaults(city, correction.uid)
    assert defaults["number"] == "雅重建委〔2017〕2号（更正）"
    fixed = assessments.publish(city, correction.uid, defaults)
    old = assessments.get(city, published.uid)
    assert old.status == "superseded" and old.superseded_by_uid == fixed.uid
    assert old.superseded_by_number == "雅重建委〔2017〕2号（更正）" and fixed.supersedes_number == "雅重建委〔2017〕2号"
    assert [(s.subject_key, s.item.code, s.score, s.deduction, s.explanation) for s in old.scores] == before
    assert [r.status for r in assessments.list_assessments(city, year=2016)] == ["published", "superseded"]
    assert assessments.current(city, 2016).uid == fixed.uid


def test_refusals_leave_the_database_unchanged(city):
    view = assessments.compute(city, 2016, as_of=AS_OF)
    score_manual_items(city, view)
    published = assessments.publish(city, view.uid, PUBLICATION)
    manual = next(s for s in published.scores if s.manual)
    snapshot = db_snapshot(city)
    refusals = [
        lambda: assessments.score_manual(city, manual.uid, score="1", note="改分"),
        lambda: assessments.discard(city, published.uid),
        lambda: assessments.publish(city, published.uid, PUBLICATION),
        lambda: assessments.compute(city, 2016, as_of=AS_OF),
        lambda: assessments.correct(city, published.uid, reason=""),
    ]
    for refuse in refusals:
        with pytest.raises(AppError):
            refuse()
    # and past the services: the records themselves refuse
    for model, uid in ((Assessment, published.uid), (AssessmentScore, manual.uid)):
        with pytest.raises(RecordFrozen, match="正式记录"):
            with city.db.write() as session:
                record = session.scalar(select(model).where(model.uid == uid))
                records.update(session, city, record, {"explanation": "x"} if model is AssessmentScore
                               else {"title": "改标题"})
        with pytest.raises(RecordFrozen):
            with city.db.write() as session:
                records.delete(session, city, session.scalar(select(model).where(model.uid == uid)))
    assert db_snapshot(city) == snapshot


def test_a_county_cannot_assess_or_publish(city):
    view = assessments.compute(city, 2016, as_of=AS_OF)
    score_manual_items(city, view)
    # the same file as a county's node: a draft must not be published there
    lushan = divisions.find_division(city, "芦山县")
    with city.db.write() as session:
        session.execute(Node.__table__.update().where(Node.is_local.is_(True)).values(division_uid=lushan.uid))
    city.reload_identity()
    snapshot = db_snapshot(city)
    for refuse in (lambda: assessments.publish(city, view.uid, PUBLICATION),
                   lambda: assessments.compute(city, 2016, as_of=AS_OF),
                   lambda: assessments.score_manual(city, view.scores[0].uid, score="5", note="")):
        with pytest.raises(AppError, match="只有市档案局可以"):
            refuse()
    assert db_snapshot(city) == snapshot
    # what a county may do: look at its own figures, and see only what the city published
    trial = assessments.preview(city, 2016, as_of=AS_OF)
    assert [s.name for s in trial.standings] == ["芦山县"] and trial.uid == ""
    assert _by_key(trial)["芦山县", "4.1"].deduction == 2
    assert assessments.list_assessments(city) == []


def test_a_hand_score_needs_a_reason_for_a_deduction_and_keeps_its_evidence(city, tmp_path):
    view = assessments.compute(city, 2016, as_of=AS_OF)
    item = _by_key(view)["天全县", "1.1"]
    with pytest.raises(ValidationError) as info:
        assessments.score_manual(city, item.uid, score="3", note="")
    assert set(info.value.field_errors) == {"note"}
    with pytest.raises(ValidationError, match="0 到 5 分"):
        assessments.score_manual(city, item.uid, score="6", note="多给")
    scored = assessments.score_manual(city, item.uid, score="3", note="领导小组成立晚于规定时间")
    assert (scored.score, scored.deduction, scored.scored_by) == (3, 2, "市局考核组")
    assert "理由：领导小组成立晚于规定时间" in scored.explanation
    scan = tmp_path / "会议纪要.pdf"
    scan.write_bytes(b"%PDF-1.4 minutes")
    attachments.attach(city, owner_entity=assessments.ATTACHMENT_OWNER, owner_uid=item.uid, source=scan, role="scan")
    # computing again keeps the hand score; nothing else changed, so no new revisions either
    with city.db.read() as session:
        revisions = session.query(RecordRevision).count()
    again = assessments.compute(city, 2016)
    assert _by_key(again)["天全县", "1.1"].score == 3
    with city.db.read() as session:
        assert session.query(RecordRevision).count() == revisions + 1  # the assessment's computed_at only
    score_manual_items(city, again, {("天全县", "1.1"): (3, "领导小组成立晚于规定时间")})
    published = assessments.publish(city, again.uid, PUBLICATION)
    fixed = assessments.correct(city, published.uid, reason="核对佐证材料")
    carried = _by_key(fixed)["天全县", "1.1"]
    assert (carried.score, carried.note) == (3, "领导小组成立晚于规定时间")
    assert [a.filename for a in attachments.list_for(city, assessments.ATTACHMENT_OWNER, carried.uid)] == ["会议纪要.pdf"]


def test_reference_date_and_years():
    assert assessments.default_as_of(2016, today=date(2017, 3, 1)) == date(2016, 12, 31)
    assert assessments.default_as_of(2017, today=date(2017, 3, 1)) == date(2017, 3, 1)
    with pytest.raises(ValidationError):
        assessments.default_as_of(2018, today=date(2017, 3, 1))


def test_a_draft_can_be_discarded_and_a_reference_date_must_fall_in_its_year(city):
    with pytest.raises(ValidationError, match="不在 2016 年度内"):
        assessments.compute(city, 2016, as_of="2017-01-01")
    view = assessments.compute(city, 2016, as_of=AS_OF)
    assessments.discard(city, view.uid)
    assert assessments.list_assessments(city) == []
    assert assessments.compute(city, 2016, as_of="2016-06-30").as_of == date(2016, 6, 30)
