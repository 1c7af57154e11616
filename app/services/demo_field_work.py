"""Demo field work (演示数据：现场指导、问题台账、督导、通报、培训) for freshly made sub-projects.

``demo.generate`` calls ``build`` inside its write transaction once the sub-projects are
in. Every new sub-project is visited at least once, about three times on average: 提前介入
near its start, then 中间检查, 全程指导 and 督导, never after today, never before May 2013.
About two problems per sub-project are raised on those visits; most were rectified and
verified, some wait for verification, about 4% are still open (overdue today), a few of
them after a failed verification.

A city node also gets, once per database, what the seed reports for the city: its three
supervision groups going out in three rounds (2015-03, 2015-09, 2016-04), whose visits raise
a share of the problems; the rounds are started through the supervision service, so the
second and third carry over what the round before left open and record what the groups
found on re-checking it; the three notices of 2016 with 34 opinions; 31 city-level
trainings with 1,341 attendances. Every node gets county-level trainings for its divisions, once.
Deterministic from the caller's random generator (uids and today aside); Qt-free; every
record goes through ``records.bulk_create``. The Chinese text lives in ``demo_field_data``.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.i18n import _
from app.models import (
    Division,
    GuidanceVisit,
    Notice,
    NoticeItem,
    Problem,
    RoundRecheck,
    SupervisionGroup,
    SupervisionRound,
    Training,
)
from app.services import demo_field_data as data
from app.services import records, supervision
from app.services.tasks import CancelToken, ProgressSink, no_progress
from app.services.demo_city import SEPARATOR, CityWorkPlanner, spread_days
from app.services.workspace import Workspace

#: no visit before the month after the earthquake of 20 April 2013
FIRST_VISIT_DAY = date(2013, 5, 1)
#: the demo's reconstruction ends with 2017 (as ``demo.LAST_DAY``)
LAST_DAY = date(2017, 12, 31)
#: 提前介入 may come this many days before the start date
EARLY_MARGIN_DAYS = 30
#: not started yet: pre-construction guidance from mid-2015
PRE_START_FIRST, PRE_START_SPAN = date(2015, 6, 1), 700
#: a suspended works is visited until it stops (days after its start)
SUSPENDED_AFTER = (90, 540)

VISIT_COUNTS = (1, 2, 3, 4, 5, 6)
VISIT_COUNT_CUM = tuple(itertools.accumulate((13, 21, 28, 21, 11, 6)))
#: a visit in the middle half of the works is a 中间检查 this often (else 全程指导)
MID_TERM_SHARE = 0.6
#: a city round visits this share of the works under way during it
ROUND_VISIT_SHARE = 0.25
#: a county node's own 督导 replaces this share of later visits
COUNTY_SUPERVISION_SHARE = 0.08

PROBLEM_COUNTS = (0, 1, 2, 3, 4)
PROBLEM_COUNT_CUM: dict[str, tuple[int, ...]] = {
    kind: tuple(itertools.accumulate(weights)) for kind, weights in {
        "early_intervention": (65, 27, 7, 1, 0),
        "mid_term_check": (47, 32, 15, 5, 1),
        "ongoing_guidance": (56, 28, 12, 3, 1),
        "supervision": (28, 35, 24, 9, 4),
    }.items()
}
#: problem categories by visit kind: what each kind of visit usually finds
CATEGORY_WEIGHTS: dict[str, dict[str, int]] = {
    "early_intervention": {"organisation": 40, "rules": 40, "collection": 10, "storage": 10},
    "mid_term_check": {"collection": 30, "arrangement": 18, "signature": 25, "audio_visual": 12, "rules": 5,
                       "storage": 5, "other": 5},
    "ongoing_guidance": {"collection": 20, "arrangement": 20, "signature": 12, "as_built": 22,
                         "audio_visual": 14, "storage": 5, "other": 7},
    "supervision": {"organisation": 8, "rules": 10, "collection": 22, "arrangement": 14, "signature": 10,
                    "as_built": 16, "audio_visual": 10, "storage": 4, "other": 6},
}
CATEGORY_CUM: dict[str, tuple[tuple[str, ...], tuple[int, ...]]] = {
    kind: (tuple(weights), tuple(itertools.accumulate(weights.values()))) for kind, weights in CATEGORY_WEIGHTS.items()
}
DEADLINE_DAYS = (15, 15, 20, 30, 30, 30, 45, 60)
OPEN_SHARE = 0.04
RECTIFIED_SHARE = 0.07
#: of the open problems, those back from a failed verification
FAILED_SHARE = 0.35
#: rectified by the deadline this often, else a little after
ON_TIME_SHARE = 0.82
#: a later visit this close after the rectification is where it was verified
VERIFY_ON_VISIT_DAYS = 60

#: (number, start, end) of the city's rounds
ROUNDS = ((1, date(2015, 3, 2), date(2015, 3, 27)), (2, date(2015, 9, 7), date(2015, 9, 30)),
          (3, date(2016, 4, 5), date(2016, 4, 28)))
BUREAU_STAFF = 8
CITY_STAFF, CITY_LEADERS, COMMITTEE_STAFF = 12, 3, 6
#: progress weight of field work per sub-project, against one per master or sub-project
WEIGHT_PER_SUB = 5


class DivisionLike(Protocol):
    uid: str
    code: str
    name: str


@dataclass(frozen=True)
class FieldWorkCounts:
    visits: int = 0
    problems: int = 0
    supervision_rounds: int = 0
    #: group records: each round sends out its own three groups
    supervision_groups: int = 0
    #: problems the new rounds carried over from the round before and re-checked
    round_rechecks: int = 0
    notices: int = 0
    notice_opinions: int = 0
    city_trainings: int = 0
    county_trainings: int = 0


class ProgressSplit:
    """One progress bar of ``total`` steps over two phases, shared by weight.

    ``first`` takes the first phase's (done, total) on the same scale, ``second`` any
    (done, of); the bar only moves forward and ends at ``total``.
    """

    def __init__(self, progress: ProgressSink, total: int, first_weight: int, second_weight: int) -> None:
        self.progress, self.total = progress, total
        whole = first_weight + second_weight
        self.cut = total * first_weight // whole if whole else total

    def first(self, done: int, total: int, text: str) -> None:
        self.progress(self.cut * done // total if total else self.cut, self.total, text)

    def second(self, done: int, of: int, text: str) -> None:
        step = (self.total - self.cut) * done // of if of else self.total - self.cut
        self.progress(self.cut + step, self.total, text)


@dataclass(frozen=True)
class _Round:
    uid: str
    number: int
    name: str
    start: date
    end: date
    #: division uid -> (group name, leader, members)
    groups: Mapping[str, tuple[str, str, list[str]]]


def build(session: Session, ws: Workspace, rng: random.Random, subs: Sequence[Mapping[str, Any]],
          sub_uids: Sequence[str], divisions: Sequence[DivisionLike], *, today: date | None = None,
          cancel: CancelToken | None = None, progress: ProgressSink = no_progress,
          message: str = "") -> FieldWorkCounts:
    """Visits, problems, trainings (and on a city node rounds and notices) for ``subs``.

    ``sub_uids`` are the uids ``bulk_create`` gave ``subs``, in order. Runs inside the
    caller's write transaction; a cancel between batches rolls everything back.
    """
    if not subs:
        return FieldWorkCounts()
    plan = _Planner(session, ws, rng, divisions, today or date.today())
    text = _("正在生成现场指导、问题台账和培训记录…")
    progress(0, 1, text)
    for n, (sub, uid) in enumerate(zip(subs, sub_uids, strict=True)):
        plan.sub_project(sub, uid)
        if cancel is not None and n % records.BULK_BATCH == 0:
            cancel.check()
    plan.notices()
    plan.trainings()

    # New rounds are started as a user starts them, in order, each once the problems of
    # the round before are in: supervision.begin_round then lists what that round left
    # open for re-checking, and the group's findings are recorded before the next round.
    in_new_round = {r["uid"]: [] for r in plan.rounds_new}
    before_rounds = []
    for row in plan.problems:
        in_new_round.get(row["round_uid"], before_rounds).append(row)
    later = [(Notice, plan.notices_new), (NoticeItem, plan.items_new), (Training, plan.trainings_new)]
    total = (len(plan.visits) + len(plan.problems) + sum(len(rows) for _model, rows in later)
             + len(plan.rounds_new) + len(plan.groups_new))
    done = 0

    def insert(model, rows: list[dict[str, Any]]) -> None:
        nonlocal done
        if not rows:
            return

        def sink(count: int, _total: int, _text: str, base: int = done) -> None:
            progress(base + count, total, text)

        records.bulk_create(session, ws, model, rows, total=total, cancel=cancel, progress=sink, message=text)
        done += len(rows)

    insert(GuidanceVisit, plan.visits)
    insert(Problem, before_rounds)
    rechecks = 0
    for row in plan.rounds_new:
        supervision.begin_round(session, ws, start_date=row["start_date"], end_date=row["end_date"],
                                notes=row["notes"], uid=row["uid"])
        for group in plan.groups_new:
            if group["round_uid"] == row["uid"]:
                supervision.add_group(session, ws, row["uid"], {k: v for k, v in group.items() if k != "round_uid"})
        done += 1 + sum(g["round_uid"] == row["uid"] for g in plan.groups_new)
        progress(done, total, text)
        rechecks += plan.recheck(session, ws, row["uid"])
        if cancel is not None:
            cancel.check()
        insert(Problem, in_new_round[row["uid"]])
    for model, rows in later:
        insert(model, rows)
    progress(total, total, message or text)
    return FieldWorkCounts(
        visits=len(plan.visits), problems=len(plan.problems), supervision_rounds=len(plan.rounds_new),
        supervision_groups=len(plan.groups_new), round_rechecks=rechecks, notices=len(plan.notices_new),
        notice_opinions=len(plan.items_new), city_trainings=sum(t["level"] == "city" for t in plan.trainings_new),
        county_trainings=sum(t["level"] == "county" for t in plan.trainings_new))


def _pick(rng: random.Random, items: Sequence[Any], cum_weights: Sequence[float]) -> Any:
    return items[bisect.bisect(cum_weights, rng.random() * cum_weights[-1])]


_SURNAME_CUM = tuple(itertools.accumulate(1 / (rank + 4) for rank in range(len(data.SURNAMES))))


def _people(rng: random.Random, count: int) -> list[str]:
    """``count`` different names drawn as ``demo`` draws the units' people."""
    names: list[str] = []
    while len(names) < count:
        pool = data.GIVEN_MALE if rng.random() < 0.55 else data.GIVEN_FEMALE
        given = rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.7 else "")
        name = _pick(rng, data.SURNAMES, _SURNAME_CUM) + given
        if name not in names:
            names.append(name)
    return names


def _staff(key: str, count: int) -> list[str]:
    # Seeded by the office: the same bureau has the same people in every run.
    return _people(random.Random(f"staff:{key}"), count)


class _Planner(CityWorkPlanner):
    """Plans every row in memory first; ``build`` then inserts them table by table."""

    def __init__(self, session: Session, ws: Workspace, rng: random.Random, divisions: Sequence[DivisionLike],
                 today: date) -> None:
        self.session, self.rng, self.today = session, rng, today
        self.last_day = min(LAST_DAY, today)
        rows = session.execute(select(Division.uid, Division.code, Division.name, Division.kind, Division.sort_order)
                               .where(Division.deleted.is_(False)).order_by(Division.sort_order)).all()
        self.all_divisions = [r for r in rows if r.kind != "city"]
        self.city = next((r for r in rows if r.kind == "city"), None)
        self.is_city = self.city is not None and ws.division_uid == self.city.uid
        self.divisions = list(divisions)
        self.by_uid = {r.uid: r for r in rows}
        self.staff = {r.uid: _staff(r.code, BUREAU_STAFF) for r in self.all_divisions}
        city_people = _staff(self.city.code if self.city else "city", CITY_STAFF)
        self.city_leaders, self.city_staff = city_people[:CITY_LEADERS], city_people[CITY_LEADERS:]
        self.committee = _staff("committee", COMMITTEE_STAFF)

        self.visits: list[dict[str, Any]] = []
        self.problems: list[dict[str, Any]] = []
        self.rounds_new: list[dict[str, Any]] = []
        self.groups_new: list[dict[str, Any]] = []
        self.notices_new: list[dict[str, Any]] = []
        self.items_new: list[dict[str, Any]] = []
        self.trainings_new: list[dict[str, Any]] = []
        self.rounds: list[_Round] = self._rounds() if self.is_city else []
        #: (round number, division uid) -> [(problem uid, category, sub-project name)] for notices
        self.round_problems: dict[tuple[int, str], list[tuple[str, str, str]]] = {}
        self.round_subs: dict[int, int] = {}
        #: (round uid, sub-project uid) -> the day the round's group was on site
        self.round_visits: dict[tuple[str, str], date] = {}

    # -- supervision rounds ---------------------------------------------------------
    def _live_count(self, model, *where) -> int:
        return self.session.scalar(select(func.count()).select_from(model).where(model.deleted.is_(False), *where)) or 0

    def _rounds(self) -> list[_Round]:
        existing = {r.number: r for r in self.session.scalars(
            select(SupervisionRound).where(SupervisionRound.deleted.is_(False)))}
        if existing:
            # Rounds made before (by hand or an earlier demo): new visits fall in them too.
            groups: dict[str, dict[str, tuple[str, str, list[str]]]] = {}
            for g in self.session.scalars(select(SupervisionGroup).where(SupervisionGroup.deleted.is_(False))
                                          .order_by(SupervisionGroup.id)):
                for division_uid in g.division_uids or []:
                    groups.setdefault(g.round_uid, {})[division_uid] = (
                        g.name, g.leader, [m for m in g.members.split(SEPARATOR) if m])
            return [_Round(r.uid, r.number, r.name, r.start_date, r.end_date or r.start_date + timedelta(days=25),
                           groups.get(r.uid, {})) for _n, r in sorted(existing.items())]
        codes = {r.code: r.uid for r in self.all_divisions}
        made = []
        for (number, start, end), name, note in zip(ROUNDS, data.ROUND_NAMES, data.ROUND_NOTES, strict=True):
            if start > self.today:
                break
            uid = records.new_uid()
            # started through supervision.begin_round by ``build``, which names it (首轮 ...)
            self.rounds_new.append({"uid": uid, "number": number, "name": name, "start_date": start,
                                    "end_date": min(end, self.today), "notes": note})
            covered: dict[str, tuple[str, str, list[str]]] = {}
            # Nobody is in two groups of one round.
            staff = self.rng.sample(self.city_staff, 2 * len(data.GROUP_NAMES))
            committee = self.rng.sample(self.committee, len(data.GROUP_NAMES))
            for g, (group_name, (area, sectors)) in enumerate(zip(data.GROUP_NAMES, data.GROUP_AREAS, strict=True)):
                members = staff[2 * g:2 * g + 2] + [committee[g]]
                leader = self.city_leaders[g % len(self.city_leaders)]
                division_uids = [codes[c] for c in area if c in codes]
                self.groups_new.append({"round_uid": uid, "name": group_name, "leader": leader,
                                        "members": SEPARATOR.join(members), "division_uids": division_uids,
                                        "sectors": sectors})
                covered.update({d: (group_name, leader, members) for d in division_uids})
            made.append(_Round(uid, number, name, start, min(end, self.today), covered))
        return made

    # -- one sub-project's visits and problems ----------------------------------------
    def sub_project(self, sub: Mapping[str, Any], uid: str) -> None:
        rng = self.rng
        start, finish, status = sub["start_date"], sub["finish_date"], sub["construction_status"]
        division_uid = sub["division_uid"]
        staff = self.staff.get(division_uid) or self.city_staff
        primary = rng.randrange(len(staff))
        if start is None:
            # Not started: guidance on the preparations only.
            lo = PRE_START_FIRST + timedelta(days=rng.randrange(PRE_START_SPAN))
            hi = min(lo + timedelta(days=rng.randrange(60, 300)), self.last_day)
            lo = min(lo, hi)
            first = lo
            count = 1 if rng.random() < 0.6 else 2
        else:
            lo = start
            if finish is not None:
                hi = finish
            elif status == "suspended":
                hi = start + timedelta(days=rng.randrange(*SUSPENDED_AFTER))
            else:
                hi = LAST_DAY
            hi = min(hi, self.today)
            if rng.random() < 0.65:
                first = start - timedelta(days=rng.randint(1, EARLY_MARGIN_DAYS))
            else:
                first = start + timedelta(days=rng.randrange(21))
            first = min(max(first, FIRST_VISIT_DAY), max(hi, FIRST_VISIT_DAY), self.today)
            count = _pick(rng, VISIT_COUNTS, VISIT_COUNT_CUM)
        # (day, kind, round)
        plan: list[tuple[date, str, _Round | None]] = [(first, "early_intervention", None)]
        later = [(d, "", None) for d in spread_days(rng, first + timedelta(days=1), hi, count - 1)]
        if start is not None:
            for rnd in self.rounds:
                a, b = max(rnd.start, first + timedelta(days=1)), min(rnd.end, hi)
                if a <= b and division_uid in rnd.groups and rng.random() < ROUND_VISIT_SHARE:
                    if later:
                        later.pop(rng.randrange(len(later)))
                    day = a + timedelta(days=rng.randrange((b - a).days + 1))
                    later.append((day, "supervision", rnd))
                    self.round_subs[rnd.number] = self.round_subs.get(rnd.number, 0) + 1
                    self.round_visits[(rnd.uid, uid)] = day
            if not self.is_city and later and rng.random() < COUNTY_SUPERVISION_SHARE:
                i = rng.randrange(len(later))
                if not later[i][1]:
                    later[i] = (later[i][0], "supervision", None)
        span = max((hi - lo).days, 1)
        for day, kind, rnd in later:
            if not kind:
                middle = 0.25 <= (day - lo).days / span <= 0.75
                kind = "mid_term_check" if middle and rng.random() < MID_TERM_SHARE else "ongoing_guidance"
            plan.append((day, kind, rnd))
        plan.sort(key=lambda p: p[0])

        lead, archivist = sub["archive_lead"], sub["archivist"]
        division = self.by_uid.get(division_uid)
        fields = {"owner": sub["owner_unit"], "lead": lead, "archivist": archivist, "round": "", "group": "",
                  "county": division.name if division else ""}
        visits: list[tuple[date, str, str, str]] = []  # (day, uid, kind, first archivist)
        for day, kind, rnd in plan:
            people = [staff[primary]]
            if rnd is not None:
                group_name, leader, members = rnd.groups[division_uid]
                people = [leader, *([rng.choice(members)] if members else []), staff[primary]]
                fields["round"], fields["group"] = rnd.name, group_name
                opener = rng.choice(data.VISIT_OPENERS["supervision"])
            elif kind == "supervision":
                people = [staff[0], staff[primary]] if primary else [staff[0], staff[1]]
                opener = rng.choice(data.VISIT_OPENERS["county_supervision"])
            else:
                if rng.random() < 0.55:
                    other = rng.randrange(len(staff) - 1)
                    people.append(staff[other + (other >= primary)])
                opener = rng.choice(data.VISIT_OPENERS[kind])
            checks = data.VISIT_CHECKS[kind]
            content = (opener.format_map(fields) + "".join(rng.sample(checks, 1 + (rng.random() < 0.5)))
                       + rng.choice(data.VISIT_ADVICE[kind]))
            if kind in ("early_intervention", "supervision") or rng.random() < 0.3:
                unit_people = lead if lead == archivist else lead + SEPARATOR + archivist
            else:
                unit_people = archivist
            visit_uid = records.new_uid()
            self.visits.append({"uid": visit_uid, "sub_project_uid": uid, "visit_date": day, "kind": kind,
                                "archivists": SEPARATOR.join(people), "unit_people": unit_people,
                                "content": content})
            visits.append((day, visit_uid, kind, people[-1]))
        days = [v[0] for v in visits]
        for (day, visit_uid, kind, verifier), (_day, _kind, rnd) in zip(visits, plan, strict=True):
            for _n in range(_pick(rng, PROBLEM_COUNTS, PROBLEM_COUNT_CUM[kind])):
                problem_uid = self._problem(sub, uid, day, visit_uid, kind, rnd, verifier, days, visits)
                if rnd is not None:
                    self.round_problems.setdefault((rnd.number, division_uid), []).append(
                        (problem_uid, self.problems[-1]["category"], sub["name"]))

    def _problem(self, sub: Mapping[str, Any], sub_uid: str, found: date, visit_uid: str, kind: str,
                 rnd: _Round | None, verifier: str, days: list[date], visits: list[tuple[date, str, str, str]]) -> str:
        rng = self.rng
        category = _pick(rng, *CATEGORY_CUM[kind])
        description, rectification = rng.choice(data.PROBLEM_TEXTS[category])
        if "{" in description:
            end = found.year * 12 + found.month - 2 - rng.randrange(2)
            if end % 12 == 0:
                end -= 1  # never "1月至1月": end in the December before
            beg = max(end - rng.randint(1, 3), end - end % 12)
            description = description.format(y=end // 12, m1=beg % 12 + 1, m2=end % 12 + 1, n=rng.randint(2, 6))
        deadline = found + timedelta(days=rng.choice(DEADLINE_DAYS))
        responsible = sub["archivist"] if rng.random() < 0.6 else sub["archive_lead"]
        row: dict[str, Any] = {
            "uid": records.new_uid(), "sub_project_uid": sub_uid, "visit_uid": visit_uid,
            "source": "supervision" if kind == "supervision" else "visit",
            "round_uid": rnd.uid if rnd is not None else None, "acceptance_uid": None, "category": category,
            "description": description, "responsible_person": responsible, "found_on": found, "deadline": deadline,
            "state": "open", "rectification": "", "rectified_by": "", "rectified_on": None,
            "verification_note": "", "verified_by": "", "verified_on": None,
        }
        roll = rng.random()
        failed = roll < OPEN_SHARE * FAILED_SHARE
        if roll >= OPEN_SHARE or failed:
            if rng.random() < ON_TIME_SHARE:
                rectified = found + timedelta(days=rng.randint(3, max((deadline - found).days, 3)))
            else:
                rectified = deadline + timedelta(days=rng.randint(1, 25))
            rectified = min(rectified, self.today)
            row.update(state="rectified", rectification=rectification,
                       rectified_by=responsible if rng.random() < 0.8 else sub["archivist"], rectified_on=rectified)
            if failed or roll >= OPEN_SHARE + RECTIFIED_SHARE:
                # Checked on the next visit when there is one soon after, else on a call of its own.
                at = bisect.bisect_right(days, rectified)
                if at < len(days) and (days[at] - rectified).days <= VERIFY_ON_VISIT_DAYS:
                    verified, verified_by = days[at], visits[at][3]
                else:
                    verified, verified_by = min(rectified + timedelta(days=rng.randint(2, 30)), self.today), verifier
                notes = data.VERIFICATION_FAILED if failed else data.VERIFICATION_PASSED
                row.update(state="open" if failed else "verified", verification_note=rng.choice(notes),
                           verified_by=verified_by, verified_on=verified)
        self.problems.append(row)
        return row["uid"]

    # -- re-checks of what the previous round left ----------------------------------------
    def recheck(self, session: Session, ws: Workspace, round_uid: str) -> int:
        """Record, through the supervision service, what the group found on re-checking each
        problem ``begin_round`` carried into the round; returns how many were recorded.

        Found on the day the group visited the sub-project in this round (else a day of the
        round): rectified when the unit had rectified it by then and the rectification held;
        else still not rectified, with what the group saw. A problem raised in a round is
        verified, if at all, within about 145 days, before the next round starts, so the
        problems unverified today are exactly those the round found still open.
        """
        rnd = next(r for r in self.rounds if r.uid == round_uid)
        rows = session.execute(
            select(RoundRecheck, Problem.sub_project_uid, Problem.state, Problem.rectified_on,
                   Problem.verification_note)
            .join(Problem, Problem.uid == RoundRecheck.problem_uid)
            .where(RoundRecheck.round_uid == round_uid, RoundRecheck.deleted.is_(False),
                   RoundRecheck.result == "pending")
            .order_by(Problem.id)).all()
        rng, span = self.rng, (rnd.end - rnd.start).days + 1
        for record, sub_uid, state, rectified_on, failed_note in rows:
            day = self.round_visits.get((round_uid, sub_uid)) or rnd.start + timedelta(days=rng.randrange(span))
            held = state in ("rectified", "verified") and rectified_on is not None and rectified_on <= day
            if held:
                result, note = "rectified", rng.choice(data.RECHECK_RECTIFIED)
            elif failed_note:
                result, note = "not_rectified", rng.choice(data.VERIFICATION_FAILED)
            else:
                result, note = "not_rectified", rng.choice(data.RECHECK_NOT_RECTIFIED)
            supervision.write_recheck(session, ws, record, result=result, note=note, checked_on=day)
        return len(rows)
