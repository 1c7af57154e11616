"""The progress figures behind the dashboard and the statistics report: grouped SQL, no Qt.

Every count is taken per (division, sector) of the live sub-project it belongs to, and
dated events also per month, so one pass over each table serves the dashboard (per
division, all time), the report (per division and per sector, one year) and the monthly
progress lines. Tombstoned records never count, and neither does anything hanging from
a tombstoned sub-project.

What a ``Period`` (a year, for the report) means for each figure:

- the register (sub-projects, investment, demonstration sites, construction status) is
  what is registered now: sub-projects carry no registration date;
- progress is cumulative up to the period's end: sub-projects visited at least once,
  sub-projects with a passed acceptance, valid certificates;
- events are those dated within the period: problems found (with their state today and
  overdue judged today by the ledger's rule), acceptances passed and failed, certificates
  issued, trainings and attendance.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, fields
from datetime import date

from sqlalchemy import and_, case, false, func, select, true

from app.i18n import _
from app.models import Acceptance, Certificate, Division, GuidanceVisit, Problem, SubProject, Training
from app.services import ledger
from app.services.divisions import CITY_CODE
from app.services.ledger import LedgerFilter
from app.services.workspace import Workspace

_s = SubProject.__table__
_v = GuidanceVisit.__table__
_p = Problem.__table__
_a = Acceptance.__table__
_c = Certificate.__table__
_t = Training.__table__

#: the figures' passes run this many at a time (the machines are laptops with 2 cores)
PARALLEL_QUERIES = 2

#: (division uid, sector); trainings belong to a division only (sector None)
Key = tuple[str, str | None]


@dataclass(frozen=True)
class Period:
    """Inclusive dates; ``None`` leaves that side open."""

    start: date | None = None
    end: date | None = None

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    def holds_month(self, month: str) -> bool:
        """``month`` ("YYYY-MM") lies within the period (periods here are whole months)."""
        return ((self.start is None or month >= self.start.isoformat()[:7])
                and (self.end is None or month <= self.end.isoformat()[:7]))

    def reaches_month(self, month: str) -> bool:
        """``month`` is not after the period's end: it counts towards a cumulative figure."""
        return self.end is None or month <= self.end.isoformat()[:7]


@dataclass
class Counts:
    """The figures of one group (a division, a sector, a pair of them, or the whole city)."""

    sub_projects: int = 0
    investment_yuan: int = 0
    demonstration_sites: int = 0
    under_construction: int = 0
    completed: int = 0
    #: sub-projects visited at least once (现场指导)
    visited: int = 0
    problems_found: int = 0
    problems_open: int = 0
    problems_overdue: int = 0
    problems_rectified: int = 0
    problems_verified: int = 0
    #: sub-projects with at least one open (待整改) / overdue problem
    with_open_problems: int = 0
    with_overdue_problems: int = 0
    acceptances_passed: int = 0
    acceptances_failed: int = 0
    #: sub-projects with at least one passed acceptance (档案验收合格)
    accepted: int = 0
    #: valid certificates (cumulative) and those issued within the period
    certificates: int = 0
    certificates_issued: int = 0
    trainings: int = 0
    attendance: int = 0

    def add(self, other: Counts) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass
class Tally:
    """Counts per (division uid, sector), and per month the new progress of each division."""

    period: Period
    today: date
    groups: dict[Key, Counts] = field(default_factory=lambda: defaultdict(Counts))
    #: division uid -> month "YYYY-MM" -> {"visited", "accepted", "certificates"}: new that month
    monthly: dict[str, dict[str, dict[str, int]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(lambda: dict.fromkeys(MONTHLY_SERIES, 0))))

    def by_division(self) -> dict[str, Counts]:
        return _roll_up(self.groups, lambda key: key[0])

    def by_sector(self) -> dict[str, Counts]:
        # trainings have no sector: they stay in the divisions' and the total's figures only
        return _roll_up(((k, v) for k, v in self.groups.items() if k[1] is not None), lambda key: key[1])

    def absorb(self, other: Tally) -> None:
        """Add ``other``'s counts (of the same period) to these."""
        for key, counts in other.groups.items():
            self.groups[key].add(counts)
        for division, months in other.monthly.items():
            for month, values in months.items():
                mine = self.monthly[division][month]
                for name, n in values.items():
                    mine[name] += n

    def total(self) -> Counts:
        whole = Counts()
        for counts in self.groups.values():
            whole.add(counts)
        return whole


#: the monthly progress series, in drawing order
MONTHLY_SERIES = ("visited", "accepted", "certificates")


@dataclass(frozen=True)
class DivisionFigures:
    """One row of a table of figures: a division (``uid`` set) or the whole (``uid`` None)."""

    uid: str | None
    name: str
    counts: Counts
    #: the city's own row (市本级: its trainings), which holds no sub-projects
    is_city: bool = False

    def value(self, key: str) -> int:
        return getattr(self.counts, key)


def division_rows(ws: Workspace, tally: Tally) -> tuple[bool, list[DivisionFigures]]:
    """Whether this installation is the city's, and the divisions its tables list, in their order.

    The city's lists every county; a county's lists itself and any other division its data
    holds. The city's own row (市本级) appears only when it has figures: it organises
    city-level trainings but owns no sub-projects.
    """
    by_division = tally.by_division()
    with ws.db.read() as session:
        divisions = session.execute(select(Division.uid, Division.code, Division.name)
                                    .where(Division.deleted.is_(False)).order_by(Division.sort_order)).all()
        local_code = session.scalar(select(Division.code).where(Division.uid == ws.division_uid))
    city = local_code in (None, CITY_CODE)
    rows: list[DivisionFigures] = []
    for uid, code, name in divisions:
        counts = by_division.get(uid)
        has_data = counts is not None and any(counts.as_dict().values())
        if code == CITY_CODE:
            if has_data:
                rows.append(DivisionFigures(uid, _("{city}（市本级）").format(city=name), counts, is_city=True))
        elif city or uid == ws.division_uid or has_data:
            rows.append(DivisionFigures(uid, name, counts or Counts()))
    return city, rows


def _roll_up(items, key_of) -> dict[str, Counts]:
    items = items.items() if isinstance(items, dict) else items
    out: dict[str, Counts] = defaultdict(Counts)
    for key, counts in items:
        out[key_of(key)].add(counts)
    return dict(out)


def _month(column):
    # dates are stored as ISO text: the month is its first seven characters
    return func.substr(column, 1, 7)


def _within(column, period: Period) -> list:
    where = []
    if period.start is not None:
        where.append(column >= period.start)
    if period.end is not None:
        where.append(column <= period.end)
    return where


_LIVE_SUB = _s.c.deleted == false()


def tally(ws: Workspace, period: Period | None = None, *, today: date | None = None,
          problem_states: bool = True) -> Tally:
    """All figures for ``period`` (all time when None); "overdue" is judged on ``today``.

    ``problem_states=False`` leaves problems found, rectified and verified at 0: counting
    them reads every problem, while open and overdue ones come through an index (the
    dashboard shows only those).
    """
    period = period or Period()
    result = Tally(period=period, today=today or date.today())
    # the longest first; each pass counts into its own tally on its own connection, two at a
    # time (SQLite runs a query without holding the GIL), and the parts are added up here
    steps = [_visits, _acceptances, _certificates, _register, *([_problem_states] if problem_states else []),
             _open_problems, _overdue, _trainings]

    def run(step) -> Tally:
        part = Tally(period=period, today=result.today)
        with ws.db.read() as session:
            step(session, part)
        return part

    with ThreadPoolExecutor(max_workers=PARALLEL_QUERIES, thread_name_prefix="figures") as pool:
        for part in pool.map(run, steps):
            result.absorb(part)
    return result


def _register(session, result: Tally) -> None:
    for division, sector, n, money, demo, building, done in session.execute(
            select(_s.c.division_uid, _s.c.sector, func.count(), func.coalesce(func.sum(_s.c.investment_yuan), 0),
                   func.sum(case((_s.c.demonstration_site, 1), else_=0)),
                   func.sum(case((_s.c.construction_status == "under_construction", 1), else_=0)),
                   func.sum(case((_s.c.construction_status == "completed", 1), else_=0)))
            .where(_LIVE_SUB).group_by(_s.c.division_uid, _s.c.sector)):
        counts = result.groups[division, sector]
        counts.sub_projects, counts.investment_yuan, counts.demonstration_sites = n, money, demo
        counts.under_construction, counts.completed = building, done


def _per_sub_project_then_group(session, inner, aggregates):
    """Aggregate ``inner`` (one row per sub-project, column ``u``) per (division, sector, extra...).

    Grouping each table by sub-project first joins one row per sub-project to the register
    instead of every record: a third of the time for visits and problems.
    """
    x = inner.subquery()
    keys = [c for c in x.c if c.name not in ("u",) and not c.name.startswith("n_")]
    query = (select(_s.c.division_uid, _s.c.sector, *keys, *aggregates(x))
             .select_from(x.join(_s, _s.c.uid == x.c.u)).where(_LIVE_SUB)
             .group_by(_s.c.division_uid, _s.c.sector, *keys))
    return session.execute(query)


def _visits(session, result: Tally) -> None:
    first = (select(_v.c.sub_project_uid.label("u"), _month(func.min(_v.c.visit_date)).label("month"))
             .where(_v.c.deleted == false()).group_by(_v.c.sub_project_uid))
    for division, sector, month, n in _per_sub_project_then_group(session, first, lambda x: [func.count()]):
        result.monthly[division][month]["visited"] += n
        if result.period.reaches_month(month):
            result.groups[division, sector].visited += n


def _open_problems(session, result: Tally) -> None:
    # the few open problems come through the (state, deadline) index: no scan of the whole ledger
    inner = (select(_p.c.sub_project_uid.label("u"), func.count().label("n_open"))
             .where(_p.c.deleted == false(), _p.c.state == "open", *_within(_p.c.found_on, result.period))
             .group_by(_p.c.sub_project_uid))
    for division, sector, open_, subs in _per_sub_project_then_group(
            session, inner, lambda x: [func.sum(x.c.n_open), func.count()]):
        counts = result.groups[division, sector]
        counts.problems_open, counts.with_open_problems = open_, subs


def _problem_states(session, result: Tally) -> None:
    """Found, rectified and verified: every problem of the period (the report's columns)."""
    state = _p.c.state
    inner = (select(_p.c.sub_project_uid.label("u"), func.count().label("n_found"),
                    func.sum(case((state == "rectified", 1), else_=0)).label("n_rectified"),
                    func.sum(case((state == "verified", 1), else_=0)).label("n_verified"))
             .where(_p.c.deleted == false(), *_within(_p.c.found_on, result.period)).group_by(_p.c.sub_project_uid))
    for division, sector, found, rectified, verified in _per_sub_project_then_group(
            session, inner, lambda x: [func.sum(x.c.n_found), func.sum(x.c.n_rectified), func.sum(x.c.n_verified)]):
        counts = result.groups[division, sector]
        counts.problems_found, counts.problems_rectified, counts.problems_verified = found, rectified, verified


def _overdue(session, result: Tally) -> None:
    # the ledger's own filter decides what "overdue" is (problems.is_overdue in SQL)
    inner = ledger.filtered(
        select(_p.c.sub_project_uid.label("u"), func.count().label("n_overdue")).select_from(_p),
        LedgerFilter(overdue=True, today=result.today),
    ).where(*_within(_p.c.found_on, result.period)).group_by(_p.c.sub_project_uid)
    for division, sector, overdue, subs in _per_sub_project_then_group(
            session, inner, lambda x: [func.sum(x.c.n_overdue), func.count()]):
        counts = result.groups[division, sector]
        counts.problems_overdue, counts.with_overdue_problems = overdue, subs


def _acceptances(session, result: Tally) -> None:
    # one pass, per sub-project: its passes and failures within the period, and its first pass
    passed, failed = _a.c.conclusion == "pass", _a.c.conclusion == "fail"
    in_period = and_(true(), *_within(_a.c.acceptance_date, result.period))
    inner = (select(_a.c.sub_project_uid.label("u"),
                    _month(func.min(case((passed, _a.c.acceptance_date)))).label("month"),
                    func.sum(case((and_(passed, in_period), 1), else_=0)).label("n_passed"),
                    func.sum(case((and_(failed, in_period), 1), else_=0)).label("n_failed"))
             .where(_a.c.deleted == false(), _a.c.status == "concluded").group_by(_a.c.sub_project_uid))
    for division, sector, month, n_passed, n_failed, n in _per_sub_project_then_group(
            session, inner, lambda x: [func.sum(x.c.n_passed), func.sum(x.c.n_failed), func.count()]):
        counts = result.groups[division, sector]
        counts.acceptances_passed += n_passed
        counts.acceptances_failed += n_failed
        if month is not None:  # the sub-projects whose first pass was in that month
            result.monthly[division][month]["accepted"] += n
            if result.period.reaches_month(month):
                counts.accepted += n


def _certificates(session, result: Tally) -> None:
    for division, sector, month, n in session.execute(
            select(_s.c.division_uid, _s.c.sector, _month(_c.c.issued_on), func.count())
            .select_from(_c.join(_a, _a.c.uid == _c.c.acceptance_uid).join(_s, _s.c.uid == _a.c.sub_project_uid))
            .where(_c.c.deleted == false(), _c.c.status == "valid", _a.c.deleted == false(), _LIVE_SUB)
            .group_by(_s.c.division_uid, _s.c.sector, _month(_c.c.issued_on))):
        result.monthly[division][month]["certificates"] += n
        counts = result.groups[division, sector]
        if result.period.reaches_month(month):
            counts.certificates += n
        if result.period.holds_month(month):
            counts.certificates_issued += n


def _trainings(session, result: Tally) -> None:
    for division, sessions, attendance in session.execute(
            select(_t.c.division_uid, func.count(), func.coalesce(func.sum(_t.c.attendance), 0))
            .where(_t.c.deleted == false(), *_within(_t.c.held_on, result.period)).group_by(_t.c.division_uid)):
        # a sector of None keeps trainings out of the per-sector figures
        counts = result.groups[division, None]
        counts.trainings, counts.attendance = sessions, attendance


def months_between(first: str, last: str) -> list[str]:
    """Every "YYYY-MM" from ``first`` to ``last`` inclusive."""
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def month_axis(monthly: dict[str, dict[str, int]]) -> list[str]:
    """Every month from the first to the last with any figure."""
    months = sorted(m for m, values in monthly.items() if any(values.values()))
    return months_between(months[0], months[-1]) if months else []


def cumulative(monthly: dict[str, dict[str, int]], axis: list[str],
               series: Iterable[str] = MONTHLY_SERIES) -> dict[str, list[int]]:
    """Each series summed up to each month of ``axis`` (months before the axis count in its first)."""
    running = dict.fromkeys(series, 0)
    for month, values in monthly.items():
        if axis and month < axis[0]:
            for name in running:
                running[name] += values.get(name, 0)
    out: dict[str, list[int]] = {name: [] for name in running}
    for month in axis:
        values = monthly.get(month, {})
        for name in running:
            running[name] += values.get(name, 0)
            out[name].append(running[name])
    return out
