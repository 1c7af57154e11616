"""Demo field work: visits, the problem ledger, supervision, notices and trainings (no Qt).

A city node gets the seed's city figures once (3 supervision groups going out in 3 rounds,
each round re-checking what the last one left, 3 notices of 2016 with 34 opinions, 31 city
trainings with 1,341 attendances); every node gets visits and problems for the new
sub-projects and county trainings. The ``ws`` fixture (conftest) serves 芦山县.
"""

from __future__ import annotations

import io
import re
import shutil
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from app.errors import Cancelled
from app.i18n import _
from app.models import (
    AuditEntry,
    GuidanceVisit,
    Notice,
    NoticeItem,
    Problem,
    RecordRevision,
    RoundRecheck,
    SubProject,
    SupervisionGroup,
    SupervisionRound,
    Training,
)
from app.reports import notice_pdf
from app.services import demo, divisions, node, notices, stats, supervision
from app.services.demo_field_work import EARLY_MARGIN_DAYS, FIRST_VISIT_DAY
from app.services.problems import is_overdue
from app.services.tasks import CancelToken
from app.services.workspace import Workspace

SUBS = 400


def _city_workspace(path: Path) -> Workspace:
    ws = Workspace.open(path)
    city = divisions.find_division(ws, divisions.CITY_CODE)
    node.setup_node(ws, division_uid=city.uid, operator="市档案局演示")
    return ws


@pytest.fixture(scope="module")
def city_db(tmp_path_factory) -> tuple[Path, demo.DemoResult]:
    path = tmp_path_factory.mktemp("city") / "c.db"
    ws = _city_workspace(path)
    result = demo.generate(ws, sub_projects=SUBS)
    ws.close()
    return path, result


@pytest.fixture
def city(city_db) -> Workspace:
    """The generated city database, to read (tests that write make their own)."""
    ws = Workspace.open(city_db[0])
    yield ws
    ws.close()


def _all(ws: Workspace, model) -> list:
    with ws.db.read() as session:
        return list(session.scalars(select(model).where(model.deleted.is_(False)).order_by(model.id)))


def _count(ws: Workspace, model, *where) -> int:
    with ws.db.read() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


# -- visits ---------------------------------------------------------------------------------
def test_every_sub_project_is_visited_about_three_times(city) -> None:
    subs = _all(city, SubProject)
    visits = _all(city, GuidanceVisit)
    per_sub = Counter(v.sub_project_uid for v in visits)
    assert len(subs) == SUBS
    assert all(per_sub[s.uid] >= 1 for s in subs)
    assert set(per_sub) == {s.uid for s in subs}
    assert 2.5 <= len(visits) / SUBS <= 3.5
    kinds = Counter(v.kind for v in visits)
    assert set(kinds) == {"early_intervention", "mid_term_check", "ongoing_guidance", "supervision"}
    # the first visit of each sub-project is the early intervention
    first = {}
    for v in sorted(visits, key=lambda v: (v.visit_date, v.id)):
        first.setdefault(v.sub_project_uid, v)
    assert all(v.kind == "early_intervention" for v in first.values())


def test_visits_fall_in_the_construction_period_and_never_in_the_future(city) -> None:
    today = date.today()
    subs = {s.uid: s for s in _all(city, SubProject)}
    for v in _all(city, GuidanceVisit):
        sub = subs[v.sub_project_uid]
        assert FIRST_VISIT_DAY <= v.visit_date <= today
        if sub.start_date:
            assert v.visit_date >= sub.start_date - timedelta(days=EARLY_MARGIN_DAYS)
        if sub.finish_date:
            assert v.visit_date <= sub.finish_date
        assert v.archivists and v.unit_people and v.content
        assert sub.archivist in v.unit_people


def test_visits_are_made_by_the_division_archivists_and_meet_the_unit_people(city) -> None:
    subs = {s.uid: s for s in _all(city, SubProject)}
    by_division: dict[str, set[str]] = {}
    for v in _all(city, GuidanceVisit):
        if v.kind != "supervision":
            by_division.setdefault(subs[v.sub_project_uid].division_uid, set()).update(v.archivists.split("、"))
    # a county's bureau is a small team, not a new name per visit
    assert all(len(names) <= 8 for names in by_division.values())
    assert len(by_division) == 9


# -- problems ----------------------------------------------------------------------------------
def test_problems_are_raised_on_visits_with_deadlines_after_they_were_found(city) -> None:
    visits = {v.uid: v for v in _all(city, GuidanceVisit)}
    subs = {s.uid: s for s in _all(city, SubProject)}
    problems = _all(city, Problem)
    assert 1.7 <= len(problems) / SUBS <= 2.3
    for p in problems:
        visit = visits[p.visit_uid]
        assert p.sub_project_uid == visit.sub_project_uid
        assert p.found_on == visit.visit_date
        assert 15 <= (p.deadline - p.found_on).days <= 60
        assert p.description and "{" not in p.description
        assert p.responsible_person in (subs[p.sub_project_uid].archivist, subs[p.sub_project_uid].archive_lead)
        assert p.source == ("supervision" if visit.kind == "supervision" else "visit")
    assert len({p.category for p in problems}) >= 8


def test_problem_states_follow_the_ledger(city) -> None:
    today = date.today()
    problems = _all(city, Problem)
    states = Counter(p.state for p in problems)
    assert states["verified"] > states["rectified"] > 0 and states["open"] > 0
    assert 0.01 <= states["open"] / len(problems) <= 0.08
    for p in problems:
        if p.state == "verified":
            assert p.rectification and p.rectified_by and p.verified_by and p.verification_note
            assert p.found_on <= p.rectified_on <= p.verified_on <= today
        elif p.state == "rectified":
            assert p.rectification and p.found_on <= p.rectified_on <= today
            assert p.verified_on is None and not p.verification_note
        else:
            assert is_overdue(p.state, p.deadline, today)
            if p.verification_note:  # back from a failed verification
                assert p.rectified_on <= p.verified_on
    assert any(p.state == "open" and p.verification_note for p in problems)
    assert any(p.state == "open" and not p.rectification for p in problems)
    # most were rectified by their deadline, some a little after
    rectified = [p for p in problems if p.rectified_on]
    late = sum(p.rectified_on > p.deadline for p in rectified)
    assert 0 < late < len(rectified) / 3


# -- supervision, notices, trainings on a city node ----------------------------------------------
def test_three_rounds_of_three_groups_cover_the_nine_divisions(city) -> None:
    rounds = _all(city, SupervisionRound)
    assert [(r.number, r.name, r.start_date.strftime("%Y-%m")) for r in rounds] == [
        (1, "首轮", "2015-03"), (2, "第二轮", "2015-09"), (3, "第三轮", "2016-04")]
    groups = _all(city, SupervisionGroup)
    nine = {d.uid for d in divisions.list_divisions(city, include_city=False)}
    for r in rounds:
        mine = [g for g in groups if g.round_uid == r.uid]
        assert [g.name for g in mine] == ["第一督导组", "第二督导组", "第三督导组"]
        covered = [uid for g in mine for uid in g.division_uids]
        assert sorted(covered) == sorted(nine)
        people = [g.leader for g in mine] + [m for g in mine for m in g.members.split("、")]
        assert all(people) and len(people) == len(set(people))  # nobody in two groups of a round


def test_each_later_round_re_checks_what_the_round_before_left_open(city) -> None:
    rounds = _all(city, SupervisionRound)
    problems = {p.uid: p for p in _all(city, Problem)}
    rechecks = _all(city, RoundRecheck)
    by_round = {r.uid: [c for c in rechecks if c.round_uid == r.uid] for r in rounds}
    assert by_round[rounds[0].uid] == []
    for previous, current in zip(rounds, rounds[1:]):
        mine = by_round[current.uid]
        assert mine, f"{current.name} re-checks nothing"
        # the service's rule: what the last round raised or carried without finding it
        # rectified, and the ledger has not verified
        left = {uid for uid, p in problems.items() if p.round_uid == previous.uid and p.state != "verified"}
        left |= {c.problem_uid for c in by_round[previous.uid]
                 if c.result != "rectified" and problems[c.problem_uid].state != "verified"}
        assert {c.problem_uid for c in mine} == left
        # and what it did not carry was verified before it started: the past reads right
        for p in problems.values():
            if p.round_uid == previous.uid and p.uid not in left:
                assert p.verified_on < current.start_date
        for c in mine:
            p = problems[c.problem_uid]
            assert current.start_date <= c.checked_on <= current.end_date and c.note
            # found rectified exactly when the unit had rectified it by then and it held
            held = p.state != "open" and p.rectified_on is not None and p.rectified_on <= c.checked_on
            assert c.result == ("rectified" if held else "not_rectified")
    later = [c for r in rounds[1:] for c in by_round[r.uid]]
    assert {c.result for c in later} == {"rectified", "not_rectified"}
    # the third round re-checks problems of both earlier rounds
    raised_in = {problems[c.problem_uid].round_uid for c in by_round[rounds[2].uid]}
    assert raised_in == {rounds[0].uid, rounds[1].uid}
    # a fourth round would re-check what the third left
    name, pending = supervision.carry_over_preview(city)
    assert name == "第四轮" and pending > 0


def test_re_checks_are_recorded_as_a_group_records_them(city) -> None:
    listed = {c.uid: c for r in supervision.list_rounds(city) for c in supervision.carried_over(city, r.uid)}
    assert listed and {c.result for c in listed.values()} <= {"rectified", "not_rectified"}
    with city.db.read() as session:
        steps = Counter(session.scalars(select(AuditEntry.action).where(AuditEntry.entity == "round_rechecks")))
        revisions = session.scalar(select(func.count()).select_from(RecordRevision)
                                   .where(RecordRevision.entity == "round_rechecks"))
    # started pending with the round, then the group's finding: two revisions each
    assert steps == {"create": len(listed), "recheck": len(listed)} and revisions == 2 * len(listed)
    rounds = supervision.list_rounds(city)
    assert [(r.name, r.group_count) for r in rounds] == [("首轮", 3), ("第二轮", 3), ("第三轮", 3)]
    assert [r.rechecks_pending for r in rounds] == [0, 0, 0]
    assert sum(r.rechecks_done for r in rounds) == len(listed)


def test_a_share_of_problems_is_raised_in_the_rounds(city) -> None:
    rounds = {r.uid: r for r in _all(city, SupervisionRound)}
    visits = {v.uid: v for v in _all(city, GuidanceVisit)}
    problems = _all(city, Problem)
    in_rounds = [p for p in problems if p.round_uid]
    assert 0.05 <= len(in_rounds) / len(problems) <= 0.4
    for p in in_rounds:
        r = rounds[p.round_uid]
        assert p.source == "supervision" and visits[p.visit_uid].kind == "supervision"
        assert r.start_date <= p.found_on <= r.end_date
    assert {p.round_uid for p in in_rounds} == set(rounds)


def test_three_notices_of_2016_with_34_opinions(city) -> None:
    notices = _all(city, Notice)
    assert [n.number for n in notices] == [f"雅重建委〔2016〕{n}号" for n in (1, 2, 3)]
    assert all(n.status == "issued" and n.issue_date.year == 2016 and n.title and n.issuer for n in notices)
    assert "第一轮督导情况的通报" in notices[0].title
    items = _all(city, NoticeItem)
    assert len(items) == 34
    assert [sum(i.notice_uid == n.uid for i in items) for n in notices] == [12, 11, 11]
    problems = {p.uid: p for p in _all(city, Problem)}
    subs = {s.uid: s for s in _all(city, SubProject)}
    nine = {d.uid: d.name for d in divisions.list_divisions(city, include_city=False)}
    round_of = {n.uid: n.round_uid for n in notices}
    for item in items:
        # the printed notice heads each opinion with its division: the text does not repeat it
        assert item.division_uid in nine and item.text and not item.text.startswith(nine[item.division_uid])
        for uid in item.problem_uids:
            p = problems[uid]
            assert subs[p.sub_project_uid].division_uid == item.division_uid
            assert p.round_uid == round_of[item.notice_uid]
    assert sum(bool(i.problem_uids) for i in items) >= 10
    for notice in notices:
        assert {i.division_uid for i in items if i.notice_uid == notice.uid} == set(nine)
        assert [i.seq for i in items if i.notice_uid == notice.uid] == list(
            range(1, sum(i.notice_uid == notice.uid for i in items) + 1))


def test_each_printed_opinion_names_its_division_once(city) -> None:
    nine = [d.name for d in divisions.list_divisions(city, include_city=False)]
    for listed in notices.list_notices(city):
        detail = notices.get(city, listed.uid)
        pdf = PdfReader(io.BytesIO(notice_pdf.render_notice_bytes(detail)))
        # whitespace and the page numbers ("— 2 —") out, so an opinion reads on across pages
        text = re.sub(r"—\d+—", "", "".join("".join(page.extract_text().split()) for page in pdf.pages))
        starts = []
        for n, item in enumerate(detail.items, start=1):
            head = f"{notice_pdf.chinese_numeral(n)}、{item.division_name}："
            starts.append(text.index(head, starts[-1] if starts else 0))
            assert text.startswith(head + "".join(item.text.split()), starts[-1])
        starts.append(text.index(notice_pdf.chinese_date(detail.issue_date), starts[-1]))
        for item, begin, end in zip(detail.items, starts, starts[1:]):
            opinion = text[begin:end]
            assert opinion.count(item.division_name + "：") == 1, opinion
            assert sum(opinion.count(name + "：") for name in nine) == 1, opinion


def test_31_city_trainings_with_1341_attendances_and_county_trainings(city) -> None:
    trainings = _all(city, Training)
    city_level = [t for t in trainings if t.level == "city"]
    assert len(city_level) == 31
    assert sum(t.attendance for t in city_level) == 1341
    assert all(date(2013, 8, 1) <= t.held_on <= date(2016, 12, 31) for t in city_level)
    assert {t.organiser for t in city_level} == {"雅安市档案局"}
    city_uid = divisions.find_division(city, divisions.CITY_CODE).uid
    assert {t.division_uid for t in city_level} == {city_uid}
    county = [t for t in trainings if t.level == "county"]
    names = {d.uid: d.name for d in divisions.list_divisions(city, include_city=False)}
    assert {t.division_uid for t in county} == set(names)
    for t in county:
        assert t.attendance > 0 and t.topic and t.held_on <= date.today()
        assert t.organiser.startswith(names[t.division_uid])
    per_year = Counter((t.division_uid, t.held_on.year) for t in county)
    assert all(1 <= n <= 4 for n in per_year.values())


def test_stats_match_direct_counts(city, city_db) -> None:
    figures = stats.collect(city)
    today = date.today()
    problems = _all(city, Problem)
    visits = _all(city, GuidanceVisit)
    trainings = _all(city, Training)
    assert figures["visits"] == len(visits) == city_db[1].field_work.visits
    assert figures["sub_projects_visited"] == len({v.sub_project_uid for v in visits}) == SUBS
    assert figures["problems_by_state"] == {s: sum(p.state == s for p in problems)
                                            for s in ("open", "rectified", "verified")}
    assert figures["overdue_problems"] == sum(is_overdue(p.state, p.deadline, today) for p in problems)
    assert figures["trainings_by_level"]["city"] == {"sessions": 31, "attendance": 1341}
    county = [t for t in trainings if t.level == "county"]
    assert figures["trainings_by_level"]["county"] == {"sessions": len(county),
                                                      "attendance": sum(t.attendance for t in county)}
    # the seed's 3 groups, sent out in each of the 3 rounds (9 group records)
    assert (figures["supervision_rounds"], figures["supervision_groups"]) == (3, 3)
    assert figures["entities"]["supervision_groups"] == 9
    rechecks = _all(city, RoundRecheck)
    by_round = figures["supervision_by_round"]
    assert list(by_round) == ["首轮", "第二轮", "第三轮"]
    for r in _all(city, SupervisionRound):
        mine = [c for c in rechecks if c.round_uid == r.uid]
        assert by_round[r.name] == {
            "groups": 3, "problems_raised": sum(p.round_uid == r.uid for p in problems),
            "rechecks": {result: sum(c.result == result for c in mine)
                         for result in ("pending", "rectified", "not_rectified")}}
    assert by_round["首轮"]["rechecks"] == {"pending": 0, "rectified": 0, "not_rectified": 0}
    assert (figures["notices"], figures["notice_opinions"]) == (3, 34)
    assert figures["demonstration_sites"] == round(SUBS * 28 / 4055)
    assert figures["entities"]["guidance_visits"] == len(visits)  # the existing keys stay
    result = city_db[1].field_work
    assert (result.problems, result.notices, result.notice_opinions, result.city_trainings) == (
        len(problems), 3, 34, 31)
    assert (result.supervision_rounds, result.supervision_groups, result.round_rechecks) == (3, 9, len(rechecks))


def test_every_field_work_record_has_a_revision_and_an_audit_row(city) -> None:
    with city.db.read() as session:
        for model in (GuidanceVisit, Problem, Notice, NoticeItem, SupervisionRound, SupervisionGroup, RoundRecheck,
                      Training):
            rows = set(session.execute(select(model.uid, model.rev)).all())
            revisions = set(session.execute(select(RecordRevision.record_uid, RecordRevision.rev)
                                            .where(RecordRevision.entity == model.__tablename__)).all())
            audited = session.scalar(select(func.count()).select_from(AuditEntry).where(
                AuditEntry.entity == model.__tablename__, AuditEntry.action == "create"))
            assert rows and rows <= revisions and audited == len(rows)


def test_a_second_run_on_the_city_adds_field_work_but_no_second_set_of_city_records(tmp_path) -> None:
    ws = _city_workspace(tmp_path / "c.db")
    try:
        demo.generate(ws, sub_projects=60)
        rechecks = _count(ws, RoundRecheck)
        again = demo.generate(ws, sub_projects=40)
        assert again.field_work.round_rechecks == 0 and _count(ws, RoundRecheck) == rechecks
        assert again.field_work.visits > 40 and again.field_work.notices == 0
        assert (again.field_work.supervision_rounds, again.field_work.city_trainings,
                again.field_work.county_trainings) == (0, 0, 0)
        assert _count(ws, Notice) == 3 and _count(ws, NoticeItem) == 34
        assert _count(ws, SupervisionRound) == 3 and _count(ws, SupervisionGroup) == 9
        assert _count(ws, Training, Training.level == "city") == 31
        figures = stats.collect(ws)
        assert figures["sub_projects_visited"] == 100
        assert figures["trainings_by_level"]["city"]["attendance"] == 1341
        # the second run's supervision visits still belong to the rounds made by the first
        rounds = {r.uid for r in _all(ws, SupervisionRound)}
        assert {p.round_uid for p in _all(ws, Problem) if p.round_uid} <= rounds
    finally:
        ws.close()


# -- a county node ---------------------------------------------------------------------------------
def test_a_county_node_gets_visits_and_its_own_trainings_but_no_city_records(ws: Workspace) -> None:
    result = demo.generate(ws, sub_projects=120)
    assert _count(ws, Notice) == _count(ws, NoticeItem) == 0
    assert _count(ws, SupervisionRound) == _count(ws, SupervisionGroup) == 0
    assert _count(ws, Training, Training.level == "city") == 0
    county = _all(ws, Training)
    assert county and {t.division_uid for t in county} == {ws.division_uid}
    assert {t.organiser for t in county} == {"芦山县档案局"}
    figures = stats.collect(ws)
    assert figures["sub_projects_visited"] == 120 == result.sub_projects
    assert figures["visits"] == result.field_work.visits
    assert sum(figures["problems_by_state"].values()) == result.field_work.problems > 0
    assert all(p.round_uid is None for p in _all(ws, Problem))
    assert (figures["notices"], figures["supervision_rounds"]) == (0, 0)
    demo.generate(ws, sub_projects=30)
    assert len(_all(ws, Training)) == len(county)  # county trainings come once too


# -- reproducible, cancellable, with one progress bar -------------------------------------------------
def test_same_seed_gives_the_same_field_work(template_db: Path, tmp_path: Path) -> None:
    def content(name: str, seed: int) -> list[tuple]:
        path = tmp_path / name
        shutil.copy(template_db, path)
        workspace = Workspace.open(path)
        try:
            demo.generate(workspace, sub_projects=80, seed=seed)
            subs = {s.uid: s.code for s in _all(workspace, SubProject)}
            visits = sorted((subs[v.sub_project_uid], v.visit_date, v.kind, v.archivists, v.content)
                            for v in _all(workspace, GuidanceVisit))
            problems = sorted((subs[p.sub_project_uid], p.found_on, p.description, p.state, p.verified_on)
                              for p in _all(workspace, Problem))
            trainings = sorted((t.held_on, t.topic, t.attendance) for t in _all(workspace, Training))
            return [visits, problems, trainings]
        finally:
            workspace.close()

    first = content("a.db", 5)
    assert first == content("b.db", 5)
    assert first != content("c.db", 6)


def test_same_seed_gives_the_same_re_checks_on_the_city(tmp_path: Path) -> None:
    def content(name: str) -> list[tuple]:
        workspace = _city_workspace(tmp_path / name)
        try:
            demo.generate(workspace, sub_projects=200, seed=7)
            return [(r.name, c.sub_project_code, c.description, c.result, c.note, c.checked_on)
                    for r in supervision.list_rounds(workspace) for c in supervision.carried_over(workspace, r.uid)]
        finally:
            workspace.close()

    first = content("a.db")
    assert first and first == content("b.db")


def test_cancel_during_the_field_work_rolls_everything_back(ws: Workspace) -> None:
    token = CancelToken()
    seen: list[str] = []

    def cancel_in_field_work(done: int, total: int, message: str) -> None:
        seen.append(message)
        if message != _("正在生成演示数据…"):
            token.cancel()

    with pytest.raises(Cancelled):
        demo.generate(ws, sub_projects=1500, cancel=token, progress=cancel_in_field_work)
    assert _("正在生成现场指导、问题台账和培训记录…") in seen
    assert _count(ws, SubProject) == _count(ws, GuidanceVisit) == _count(ws, Problem) == 0
    assert _count(ws, Training) == 0


def test_one_progress_bar_runs_forward_to_its_end(tmp_path) -> None:
    ws = _city_workspace(tmp_path / "c.db")
    try:
        calls: list[tuple[int, int, str]] = []
        result = demo.generate(ws, sub_projects=300, progress=lambda *call: calls.append(call))
        total = result.master_projects + result.sub_projects
        done = [d for d, _t, _m in calls]
        assert done == sorted(done) and {t for _d, t, _m in calls} == {total}
        assert calls[-1] == (total, total, _("正在生成演示数据…"))
        # the register takes part of the bar, the field work the rest
        assert any(0 < d < total for d, _t, m in calls if m != _("正在生成演示数据…"))
    finally:
        ws.close()
