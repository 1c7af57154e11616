"""The computed items of an assessment (考核): what each metric measures and how it scores.

A rule item names a metric by key and gives its parameters; the code here is the one
place that knows how to measure it. Each metric reads the records once for all subjects
(``YearData``), never counts a tombstoned record, and judges on the assessment's
reference date (``as_of``) so a past year always gives the same figures:

- a problem is overdue by the ledger's own rule (``problems.is_overdue``) on the state it
  had that day: rectified or verified later counts as still open then;
- a certificate counts when it was issued by then and not voided by then;
- visits, acceptances, trainings and packages count up to that day.

Every outcome says why in Chinese and lists the records behind the deduction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import cached_property
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import N_, _
from app.models import (CONSTRUCTION_STATUSES, VISIT_KINDS, Acceptance, Certificate, GuidanceVisit, Node, Package,
                        Problem, RetentionSchedule, SubProject, Training)
from app.services.problems import is_overdue

#: the most records kept behind one score row (the count is always kept in ``figures``)
EVIDENCE_LIMIT = 500
#: packages carry UTC times; the month a county sent one in is Ya'an's (China Standard Time)
LOCAL_TIME = timezone(timedelta(hours=8))


@dataclass(frozen=True)
class Subject:
    """Who is scored: a county (division) or a city department answering for some sectors."""

    kind: str  # "division" | "department"
    key: str  # division uid | department code
    name: str
    division_uid: str | None = None
    sectors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    score: float
    deduction: float
    figures: dict[str, Any]
    explanation: str
    evidence: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Param:
    label: str  # msgid
    kind: str  # "number" | "choice" | "list"
    default: Any
    choices: tuple[str, ...] = ()
    #: the allowed codes of a list or choice and their labels (either may be written)
    vocabulary: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Metric:
    key: str
    label: str  # msgid
    params: dict[str, Param]
    #: the subject kinds it can score (trainings and packages belong to counties only)
    subjects: frozenset[str]
    measure: Callable[[YearData, Subject, float, dict[str, Any]], Outcome]


@dataclass(frozen=True)
class _Sub:
    uid: str
    code: str
    name: str
    division_uid: str
    sector: str
    status: str
    finish_date: date | None
    staffed: bool

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"


def state_on(state: str, rectified_on: date | None, day: date) -> str:
    """The ledger state a problem had on ``day``: rectified later means still open then."""
    if state != "open" and rectified_on is not None and rectified_on <= day:
        return state
    return "open"


def rounded(value: float) -> float:
    return round(value + 0.0, 2)


def number_text(value: float) -> str:
    return f"{rounded(value):g}"


class YearData:
    """What a year's assessment reads, loaded once per kind of record on first use."""

    def __init__(self, session: Session, year: int, as_of: date, local_node: str | None = None) -> None:
        self.session, self.year, self.as_of, self.local_node = session, year, as_of, local_node
        self.year_start = date(year, 1, 1)
        self.year_end = min(date(year, 12, 31), as_of)
        self._by_subject: dict[tuple[str, str], list[_Sub]] = {}

    @cached_property
    def subs(self) -> list[_Sub]:
        rows = self.session.execute(select(
            SubProject.uid, SubProject.code, SubProject.name, SubProject.division_uid, SubProject.sector,
            SubProject.construction_status, SubProject.finish_date, SubProject.archive_lead, SubProject.archivist)
            .where(SubProject.deleted.is_(False)).order_by(SubProject.code))
        return [_Sub(uid, code, name, division, sector or "", status, finish, bool((lead or "").strip())
                     and bool((archivist or "").strip()))
                for uid, code, name, division, sector, status, finish, lead, archivist in rows]

    @cached_property
    def sub_by_uid(self) -> dict[str, _Sub]:
        return {s.uid: s for s in self.subs}

    def subs_of(self, subject: Subject) -> list[_Sub]:
        key = (subject.kind, subject.key)
        if key not in self._by_subject:
            if subject.kind == "division":
                found = [s for s in self.subs if s.division_uid == subject.key]
            else:
                sectors = set(subject.sectors)
                found = [s for s in self.subs if s.sector in sectors]
            self._by_subject[key] = found
        return self._by_subject[key]

    @cached_property
    def visit_kinds(self) -> dict[str, set[str]]:
        """sub-project uid -> the kinds of its live visits up to the reference date."""
        found: dict[str, set[str]] = defaultdict(set)
        for sub_uid, kind in self.session.execute(select(GuidanceVisit.sub_project_uid, GuidanceVisit.kind).where(
                GuidanceVisit.deleted.is_(False), GuidanceVisit.visit_date <= self.as_of).distinct()):
            found[sub_uid].add(kind)
        return found

    @cached_property
    def scheduled(self) -> set[str]:
        return set(self.session.scalars(select(RetentionSchedule.sub_project_uid).where(
            RetentionSchedule.deleted.is_(False), RetentionSchedule.sub_project_uid.is_not(None))))

    @cached_property
    def problems(self) -> dict[str, list[tuple[str, str, date]]]:
        """sub-project uid -> its problems overdue on the reference date: (uid, description, deadline)."""
        found: dict[str, list[tuple[str, str, date]]] = defaultdict(list)
        rows = self.session.execute(select(
            Problem.uid, Problem.sub_project_uid, Problem.description, Problem.deadline, Problem.state,
            Problem.rectified_on).where(Problem.deleted.is_(False), Problem.found_on <= self.as_of,
                                        Problem.deadline < self.as_of).order_by(Problem.deadline, Problem.id))
        for uid, sub_uid, text, deadline, state, rectified_on in rows:
            if is_overdue(state_on(state, rectified_on, self.as_of), deadline, self.as_of):
                found[sub_uid].append((uid, text, deadline))
        return found

    @cached_property
    def acceptances(self) -> dict[str, list[tuple[str, date, str]]]:
        """sub-project uid -> acceptances concluded in the year: (uid, date, conclusion)."""
        found: dict[str, list[tuple[str, date, str]]] = defaultdict(list)
        for uid, sub_uid, day, conclusion in self.session.execute(select(
                Acceptance.uid, Acceptance.sub_project_uid, Acceptance.acceptance_date, Acceptance.conclusion).where(
                Acceptance.deleted.is_(False), Acceptance.status == "concluded",
                Acceptance.acceptance_date >= self.year_start, Acceptance.acceptance_date <= self.year_end)
                .order_by(Acceptance.acceptance_date, Acceptance.id)):
            found[sub_uid].append((uid, day, conclusion))
        return found

    @cached_property
    def certified(self) -> set[str]:
        """Sub-projects accepted by the reference date whose certificate was not voided by then.

        The acceptance's date counts, not the certificate's: a certificate is dated the day
        it was printed, which is later when an acceptance is entered after the fact.
        """
        rows = self.session.execute(select(Acceptance.sub_project_uid, Certificate.status, Certificate.voided_on)
                                    .join(Acceptance, Acceptance.uid == Certificate.acceptance_uid)
                                    .where(Certificate.deleted.is_(False), Acceptance.deleted.is_(False),
                                           Acceptance.acceptance_date <= self.as_of))
        return {sub for sub, status, voided in rows
                if status == "valid" or (voided is not None and voided > self.as_of)}

    @cached_property
    def trainings(self) -> dict[str, list[tuple[str, date, str, int]]]:
        """division uid -> its live trainings of the year: (uid, day, topic, attendance)."""
        found: dict[str, list[tuple[str, date, str, int]]] = defaultdict(list)
        for uid, division, day, topic, people in self.session.execute(select(
                Training.uid, Training.division_uid, Training.held_on, Training.topic, Training.attendance).where(
                Training.deleted.is_(False), Training.held_on >= self.year_start,
                Training.held_on <= self.year_end).order_by(Training.held_on, Training.id)):
            found[division].append((uid, day, topic, people))
        return found

    @cached_property
    def packages(self) -> dict[str, list[tuple[str, datetime, int]]]:
        """division uid -> its export packages: merged here ("in"), or made here for its own county."""
        node_division = {uid: division for uid, division in self.session.execute(select(Node.uid, Node.division_uid))}
        found: dict[str, list[tuple[str, datetime, int]]] = defaultdict(list)
        for uid, direction, origin, created, sequence in self.session.execute(select(
                Package.uid, Package.direction, Package.origin_node, Package.created_at, Package.sequence)
                .order_by(Package.created_at)):
            if direction == "in" or origin == self.local_node:
                division = node_division.get(origin)
                if division is not None:
                    found[division].append((uid, created, sequence))
        return found


def _sub_evidence(sub: _Sub, why: str = "") -> dict[str, Any]:
    label = sub.label + (_("：{why}").format(why=why) if why else "")
    return {"entity": "sub_projects", "uid": sub.uid, "label": label, "sub_project_uid": sub.uid}


def _share(points: float, population: list[_Sub], ok: Callable[[_Sub], bool], what: str,
           why_not: str, noun: str = "") -> Outcome:
    """points × the share of ``population`` that is ``ok``; the others are the evidence."""
    total = len(population)
    missing = [s for s in population if not ok(s)]
    if not total:
        return Outcome(rounded(points), 0.0, {"total": 0, "done": 0},
                       _("没有需要考核的{noun}，不扣分。").format(noun=noun or _("子项目")))
    done = total - len(missing)
    score = rounded(points * done / total)
    explanation = _("{done}/{total} 个{noun}{what}（{share:.1%}），得 {score} 分，扣 {deduction} 分。").format(
        done=done, total=total, noun=noun or _("子项目"), what=what, share=done / total, score=number_text(score),
        deduction=number_text(points - score))
    if missing:
        explanation += _("未达到的子项目 {n} 个见明细。").format(n=len(missing))
    return Outcome(score, rounded(points - score), {"total": total, "done": done, "missing": len(missing)},
                   explanation, [_sub_evidence(s, why_not) for s in missing[:EVIDENCE_LIMIT]])


def _population(data: YearData, subject: Subject, params: dict[str, Any]) -> list[_Sub]:
    excluded = set(params.get("exclude_statuses") or ())
    return [s for s in data.subs_of(subject) if s.status not in excluded]


def _staff_named(data: YearData, subject: Subject, points: float, params: dict[str, Any]) -> Outcome:
    return _share(points, _population(data, subject, params), lambda s: s.staffed,
                  _("明确了分管领导和档案人员"), _("未明确分管领导或档案人员"))


def _retention(data: YearData, subject: Subject, points: float, params: dict[str, Any]) -> Outcome:
    scheduled = data.scheduled
    return _share(points, _population(data, subject, params), lambda s: s.uid in scheduled,
                  _("编制了保管期限表"), _("未编制保管期限表"))


def _visited(data: YearData, subject: Subject, points: float, params: dict[str, Any]) -> Outcome:
    kinds = set(params.get("kinds") or ())
    visits = data.visit_kinds
    if kinds:
        names = "、".join(_(VISIT_KINDS.get(k, k)) for k in sorted(kinds))
        what = _("有“{kinds}”记录").format(kinds=names)
        why = _("无“{kinds}”记录").format(kinds=names)
        ok = lambda s: bool(visits.get(s.uid, set()) & kinds)  # noqa: E731
    else:
        what, why = _("至少现场指导一次"), _("未现场指导")
        ok = lambda s: bool(visits.get(s.uid))  # noqa: E731
    return _share(points, _population(data, subject, params), ok, what, why)


def _capped(points: float, count: int, params: dict[str, Any]) -> tuple[float, float, float]:
    per = float(params.get("per_item", 1))
    cap = min(float(params.get("cap", points)), points)
    deduction = rounded(min(cap, per * count))
    return per, cap, deduction


def _overdue(data: YearData, subject: Subject, points: float, params: dict[str, Any]) -> Outcome:
    found = [(sub, problem) for sub in data.subs_of(subject) for problem in data.problems.get(sub.uid, ())]
    found.sort(key=lambda pair: (pair[1][2], pair[0].code))
    per, cap, deduction = _capped(points, len(found), params)
    evidence = [{"entity": "problems", "uid": uid, "sub_project_uid": sub.uid,
                 "label": _("{sub}：{text}（整改时限 {deadline}）").format(
                     sub=sub.label, text=_clip(text), deadline=deadline.isoformat())}
                for sub, (uid, text, deadline) in found[:EVIDENCE_LIMIT]]
    explanation = _("截至 {day} 超过整改时限仍未整改的问题 {n} 个，每个扣 {per} 分，最多扣 {cap} 分：扣 {deduction} 分。").format(
        day=data.as_of.isoformat(), n=len(found), per=number_text(per), cap=number_text(cap),
        deduction=number_text(deduction))
    return Outcome(rounded(points - deduction), deduction, {"overdue": len(found), "per_item": per, "cap": cap},
                   explanation, evidence)


def _clip(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _pass_rate(data: YearData, subject: Subject, points: float, params: dict[str, Any]) -> Outcome:
    held = [(sub, a) for sub in data.subs_of(subject) for a in data.acceptances.get(sub.uid, ())]
    if not held:
        return Outcome(rounded(points), 0.0, {"concluded": 0, "passed": 0},
                       _("{year} 年度没有作出结论的档案验收，不扣分。").format(year=data.year))
    failed = [(sub, a) for sub, a in held if a[2] != "pass"]
    passed = len(held) - len(failed)
    score = rounded(points * passed / len(held))
    explanation = _("{year} 年度作出结论的档案验收 {n} 次，合格 {passed} 次（{share:.1%}），得 {score} 分，扣 {deduction} 分。").format(
        year=data.year, n=len(held), passed=passed, share=passed / len(held), score=number_text(score),
        deduction=number_text(points - score))
    evidence = [{"entity": "acceptances", "uid": uid, "sub_project_uid": sub.uid,
                 "label": _("{sub}：{day} 验收不合格").format(sub=sub.label, day=day.isoformat())}
                for sub, (uid, day, _conclusion) in failed[:EVIDENCE_LIMIT]]
    return Outcome(score, rounded(points - score), {"concluded": len(held), "passed": passed, "failed": len(failed)},
                   explanation, evidence)


def _certified(data: YearData, subject: Subject, points: float, params: dict[str, Any]) -> Outcome:
    completed = [s for s in data.subs_of(subject) if s.status == "completed"
                 and (s.finish_date is None or s.finish_date <= data.as_of)]
    certified = data.certified
    return _share(points, completed, lambda s: s.uid in certified, _("持有有效合格证书"),
                  _("已完工，无有效合格证书"), _("已完工子项目"))


def _training(data: YearData, subject: Subject, points: float, params: dict[str, Any]) -> Outcome:
    held = data.trainings.get(subject.division_uid or "", [])
    measure = params.get("measure", "attendance")
    target = float(params.get("target") or 0)
    value = sum(people for *_rest, people in held) if measure == "attendance" else len(held)
    share = 1.0 if target <= 0 else min(1.0, value / target)
    score = rounded(points * share)
    unit = _("人次") if measure == "attendance" else _("次")
    explanation = _("{year} 年度本县（区）培训 {sessions} 次、{people} 人次；目标 {target} {unit}，"
                    "完成 {share:.0%}：得 {score} 分，扣 {deduction} 分。").format(
        year=data.year, sessions=len(held), people=sum(h[3] for h in held), target=number_text(target), unit=unit,
        share=share, score=number_text(score), deduction=number_text(points - score))
    evidence = [{"entity": "trainings", "uid": uid, "sub_project_uid": None,
                 "label": _("{day} {topic}（{people} 人次）").format(day=day.isoformat(), topic=topic, people=people)}
                for uid, day, topic, people in held[:EVIDENCE_LIMIT]] if score < points else []
    return Outcome(score, rounded(points - score), {"value": value, "target": target, "measure": measure,
                                                     "sessions": len(held)}, explanation, evidence)


def periods(year: int, as_of: date, period: str) -> list[tuple[str, date, date]]:
    """The months (or quarters) of ``year`` that had ended by ``as_of``: (label, first, last day)."""
    found = []
    step = 3 if period == "quarter" else 1
    for first_month in range(1, 13, step):
        first = date(year, first_month, 1)
        next_first = date(year + 1, 1, 1) if first_month + step > 12 else date(year, first_month + step, 1)
        last = date.fromordinal(next_first.toordinal() - 1)
        if last > as_of:
            break
        label = (_("{year}年第{q}季度").format(year=year, q=(first_month + 2) // 3) if period == "quarter"
                 else _("{year}年{month}月").format(year=year, month=first_month))
        found.append((label, first, last))
    return found


def _packages(data: YearData, subject: Subject, points: float, params: dict[str, Any]) -> Outcome:
    period = params.get("period", "month")
    sent = data.packages.get(subject.division_uid or "", [])
    days = sorted(created.replace(tzinfo=timezone.utc).astimezone(LOCAL_TIME).date() for _uid, created, _seq in sent)
    due = periods(data.year, data.as_of, period)
    missed = [(label, first, last) for label, first, last in due if not any(first <= d <= last for d in days)]
    per, cap, deduction = _capped(points, len(missed), params)
    in_year = [d for d in days if data.year_start <= d <= data.year_end]
    explanation = _("{n} 个应报送的{period}中 {missed} 个未报送数据包（本年度共报送 {sent} 个），"
                    "每个扣 {per} 分，最多扣 {cap} 分：扣 {deduction} 分。").format(
        n=len(due), period=_("季度") if period == "quarter" else _("月份"), missed=len(missed), sent=len(in_year),
        per=number_text(per), cap=number_text(cap), deduction=number_text(deduction))
    evidence = [{"entity": "", "uid": "", "sub_project_uid": None, "label": _("{period}未报送数据包").format(period=label)}
                for label, _first, _last in missed]
    return Outcome(rounded(points - deduction), deduction, {"due": len(due), "missed": len(missed),
                                                          "sent": len(in_year)}, explanation, evidence)


_EXCLUDE = Param(N_("不计的建设状态"), "list", [], vocabulary=CONSTRUCTION_STATUSES)
_PER = Param(N_("每项扣分"), "number", 1)
_CAP = Param(N_("最多扣分"), "number", None)
_BOTH = frozenset({"division", "department"})
_COUNTY = frozenset({"division"})

METRICS: dict[str, Metric] = {m.key: m for m in (
    Metric("staff_named", N_("明确分管领导和档案人员的子项目比例"), {"exclude_statuses": _EXCLUDE}, _BOTH, _staff_named),
    Metric("retention_schedule", N_("编制保管期限表的子项目比例"), {"exclude_statuses": _EXCLUDE}, _BOTH, _retention),
    Metric("visited", N_("现场指导过的子项目比例"), {
        "kinds": Param(N_("指导类型（空为任意）"), "list", [], vocabulary=VISIT_KINDS),
        "exclude_statuses": _EXCLUDE}, _BOTH, _visited),
    Metric("overdue_problems", N_("超期未整改问题，每个扣分"), {"per_item": _PER, "cap": _CAP}, _BOTH, _overdue),
    Metric("acceptance_pass_rate", N_("档案验收合格率"), {}, _BOTH, _pass_rate),
    Metric("certified", N_("已完工子项目持有效合格证书的比例"), {}, _BOTH, _certified),
    Metric("training", N_("县级培训人次或次数达到目标"), {
        "measure": Param(N_("计量"), "choice", "attendance", ("attendance", "sessions"),
                         {"attendance": N_("人次"), "sessions": N_("次数")}),
        "target": Param(N_("目标"), "number", 100)}, _COUNTY, _training),
    Metric("packages", N_("按月（季）报送数据包，每缺一期扣分"), {
        "period": Param(N_("周期"), "choice", "month", ("month", "quarter"), {"month": N_("月"), "quarter": N_("季度")}),
        "per_item": _PER, "cap": _CAP},
        _COUNTY, _packages),
)}


def measure(data: YearData, subject: Subject, metric: str, points: float, params: dict[str, Any]) -> Outcome:
    return METRICS[metric].measure(data, subject, points, params)


def subjects_for(scope: str, subjects: Iterable[Subject]) -> list[Subject]:
    wanted = {"division": {"division"}, "department": {"department"}, "both": {"division", "department"}}[scope]
    return [s for s in subjects if s.kind in wanted]
