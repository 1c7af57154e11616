"""What an assessment (考核) looks like to its readers: the ranking, each subject's items,
each deduction with the records behind it. Built from the stored rows, or from a
computation not saved (a county's trial run)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import _
from app.models import ASSESSMENT_STATUSES, Assessment, AssessmentScore
from app.services import assessment_rules as rules
from app.services import records
from app.services.assessment_metrics import LOCAL_TIME, Subject, rounded
from app.services.assessment_rules import RuleItemView, RuleSetView

#: Assessment.status of a computation that was not saved
PREVIEW = "preview"


def local_time_text(moment: datetime | str | None) -> str:
    """A stored UTC time (or its ISO text) as the Beijing time people in Ya'an read."""
    if not moment:
        return "—"
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.replace(tzinfo=timezone.utc).astimezone(LOCAL_TIME).strftime("%Y-%m-%d %H:%M")


def status_label(status: str) -> str:
    return _("试算（未保存）") if status == PREVIEW else _(ASSESSMENT_STATUSES.get(status, status))


@dataclass(frozen=True)
class ScoreView:
    """One item's score for one subject; ``uid`` is "" in a trial run (nothing stored)."""

    uid: str
    rev: str
    item: RuleItemView
    subject_kind: str
    subject_key: str
    subject_name: str
    division_uid: str | None
    points: float
    score: float | None
    deduction: float | None
    figures: dict[str, Any]
    explanation: str
    evidence: tuple[dict[str, Any], ...]
    note: str
    scored_by: str
    scored_on: date | None
    frozen: bool

    @property
    def manual(self) -> bool:
        return self.item.kind == "manual"

    @property
    def scored(self) -> bool:
        return self.score is not None


@dataclass(frozen=True)
class Standing:
    """A subject's place: total of its items, the full score, deductions, grade and rank."""

    kind: str
    key: str
    name: str
    total: float
    full: float
    deduction: float
    grade: str
    rank: int
    #: manual items not scored yet (the total counts them as 0)
    unscored: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "key": self.key, "name": self.name, "total": self.total, "full": self.full,
                "deduction": self.deduction, "grade": self.grade, "rank": self.rank, "unscored": self.unscored}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Standing:
        return cls(d["kind"], d["key"], d["name"], d["total"], d["full"], d["deduction"], d["grade"], d["rank"],
                   d.get("unscored", 0))


@dataclass(frozen=True)
class AssessmentView:
    uid: str
    rev: str
    year: int
    status: str
    as_of: date
    computed_at: datetime
    rule_set: RuleSetView
    number: str
    title: str
    issuer: str
    recipients: str
    published_on: date | None
    published_at: datetime | None
    published_by: str
    supersedes_uid: str | None
    superseded_by_uid: str | None
    correction_reason: str
    standings: tuple[Standing, ...]
    basis: dict[str, Any]
    scores: tuple[ScoreView, ...] = field(default=())
    #: the numbers of the assessment this one corrects, and of the correction that replaced it
    supersedes_number: str = ""
    superseded_by_number: str = ""

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"

    @property
    def divisions(self) -> list[Standing]:
        return [s for s in self.standings if s.kind == "division"]

    @property
    def departments(self) -> list[Standing]:
        return [s for s in self.standings if s.kind == "department"]

    def scores_of(self, subject_key: str) -> list[ScoreView]:
        return [s for s in self.scores if s.subject_key == subject_key]

    def deductions_of(self, subject_key: str) -> list[ScoreView]:
        return [s for s in self.scores_of(subject_key) if s.deduction]

    @property
    def unscored(self) -> int:
        return sum(1 for s in self.scores if s.manual and not s.scored)


@dataclass(frozen=True)
class AssessmentRow:
    uid: str
    year: int
    status: str
    number: str
    as_of: date
    computed_at: datetime
    published_on: date | None
    supersedes_uid: str | None
    rule_set_label: str

    @property
    def label(self) -> str:
        status = status_label(self.status)
        return _("{year} 年度 {number}（{status}，基准日 {day}）").format(
            year=self.year, number=self.number or _("未编号"), status=status, day=self.as_of.isoformat())


def standings(rule_set: RuleSetView, subjects: Sequence[Subject], scores: Iterable[Any]) -> list[Standing]:
    """Totals per subject from score rows (anything with subject_key, points, score,
    deduction), ranked per kind by total (equal totals share a rank), in subject order."""
    sums: dict[str, list[float]] = {s.key: [0.0, 0.0, 0.0, 0] for s in subjects}
    for row in scores:
        entry = sums.get(row.subject_key)
        if entry is None:
            continue
        entry[0] += row.score or 0.0
        entry[1] += row.points
        entry[2] += row.deduction or 0.0
        entry[3] += 0 if row.score is not None else 1
    found: list[Standing] = []
    for kind in ("division", "department"):
        group = [s for s in subjects if s.kind == kind and sums[s.key][1] > 0]
        totals = {s.key: rounded(sums[s.key][0]) for s in group}
        ordered = sorted(group, key=lambda s: -totals[s.key])  # stable: subject order breaks ties
        for subject in ordered:
            total, full, deduction, unscored = sums[subject.key]
            rank = 1 + sum(1 for other in group if totals[other.key] > totals[subject.key] + 1e-9)
            found.append(Standing(kind, subject.key, subject.name, rounded(total), rounded(full), rounded(deduction),
                                  rule_set.grade_for(total, full), rank, int(unscored)))
    return found


def score_view(row: AssessmentScore | Any, item: RuleItemView) -> ScoreView:
    """A ScoreView of a stored row, or of a computed row not stored (no uid)."""
    return ScoreView(
        uid=getattr(row, "uid", ""), rev=getattr(row, "rev", ""), item=item, subject_kind=row.subject_kind,
        subject_key=row.subject_key, subject_name=row.subject_name, division_uid=row.division_uid, points=row.points,
        score=row.score, deduction=row.deduction, figures=dict(row.figures or {}), explanation=row.explanation,
        evidence=tuple(row.evidence or ()), note=row.note, scored_by=row.scored_by, scored_on=row.scored_on,
        frozen=bool(row.frozen))


def live_scores(session: Session, assessment_uid: str) -> list[AssessmentScore]:
    return list(session.scalars(select(AssessmentScore).where(AssessmentScore.assessment_uid == assessment_uid,
                                                              AssessmentScore.deleted.is_(False))))


def live(session: Session, uid: str) -> Assessment:
    return records.live(session, Assessment, uid, _("找不到该考核，可能已被删除。"))


def _number_of(session: Session, uid: str | None) -> str:
    if not uid:
        return ""
    return session.scalar(select(Assessment.number).where(Assessment.uid == uid)) or ""


def view(session: Session, a: Assessment) -> AssessmentView:
    rule_set = rules.view_in(session, a.rule_set_uid)
    items = {i.uid: i for i in rule_set.items}
    order = {s["key"]: n for n, s in enumerate(a.results or ())}
    rows = [r for r in live_scores(session, a.uid) if r.item_uid in items]
    rows.sort(key=lambda r: (order.get(r.subject_key, len(order)), items[r.item_uid].seq))
    return AssessmentView(
        a.uid, a.rev, a.year, a.status, a.as_of, a.computed_at, rule_set, a.number, a.title, a.issuer, a.recipients,
        a.published_on, a.published_at, a.published_by, a.supersedes_uid, a.superseded_by_uid, a.correction_reason,
        tuple(Standing.from_dict(d) for d in a.results or ()), dict(a.basis or {}),
        tuple(score_view(r, items[r.item_uid]) for r in rows), _number_of(session, a.supersedes_uid),
        _number_of(session, a.superseded_by_uid))
