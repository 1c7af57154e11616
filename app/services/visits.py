"""On-site guidance visits (现场指导), entered with the problems found on them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import NotFound, ValidationError
from app.i18n import N_, _
from app.models import VISIT_KINDS, GuidanceVisit, Problem, SubProject
from app.services import fields, problems, records
from app.services.problems import TransitionRefused
from app.services.workspace import Workspace

LABELS: dict[str, str] = {
    "sub_project_uid": N_("子项目"),
    "visit_date": N_("指导日期"),
    "kind": N_("指导类型"),
    "archivists": N_("指导人员"),
    "unit_people": N_("参加人员"),
    "content": N_("检查和指导内容"),
}


@dataclass(frozen=True)
class VisitInfo:
    uid: str
    rev: str
    sub_project_uid: str
    visit_date: date
    kind: str
    archivists: str
    unit_people: str
    content: str
    problem_count: int = 0


def _info(v: GuidanceVisit, problem_count: int = 0) -> VisitInfo:
    return VisitInfo(v.uid, v.rev, v.sub_project_uid, v.visit_date, v.kind, v.archivists, v.unit_people,
                     v.content, problem_count)


def parse(raw: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    label = lambda key: _(LABELS[key])  # noqa: E731
    rules = {
        "visit_date": lambda v: fields.day(v, label("visit_date")),
        "kind": lambda v: fields.choice(v, label("kind"), VISIT_KINDS),
        "archivists": lambda v: fields.text(v, label("archivists"), required=True),
        "unit_people": lambda v: fields.text(v, label("unit_people")),
        "content": lambda v: fields.text(v, label("content"), max_length=5000, multiline=True),
    }
    for key, rule in rules.items():
        try:
            values[key] = rule(raw.get(key))
        except fields.FieldError as exc:
            errors[key] = exc.message
    if "visit_date" in values and values["visit_date"] is None:
        errors["visit_date"] = _("“{label}”不能为空。").format(label=label("visit_date"))
    elif values.get("visit_date") and values["visit_date"] > date.today():
        errors["visit_date"] = _("“{label}”不能晚于今天：{day}。").format(label=label("visit_date"),
                                                                     day=values["visit_date"].isoformat())
    if errors:
        raise ValidationError(errors)
    return values


def _parse_problems(raw_problems: Sequence[Mapping[str, Any]], visit_date: date | None) -> list[dict[str, Any]]:
    """Each problem row; errors keyed ``problem:<n>:<field>`` (1-based) for the editor's rows."""
    parsed, errors = [], {}
    for n, raw in enumerate(raw_problems, start=1):
        try:
            parsed.append(problems.parse({"found_on": visit_date, **raw}, prefix=f"problem:{n}:"))
        except ValidationError as exc:
            errors.update({key: _("第 {n} 个问题：{message}").format(n=n, message=message)
                           for key, message in exc.field_errors.items()})
    if errors:
        raise ValidationError(errors)
    return parsed


def _live_sub_project(session: Session, uid: str) -> None:
    if session.scalar(select(SubProject.id).where(SubProject.uid == uid, SubProject.deleted.is_(False))) is None:
        raise NotFound(_("找不到该子项目，可能已被删除。"))


def create(ws: Workspace, sub_project_uid: str, raw: Mapping[str, Any],
           raw_problems: Sequence[Mapping[str, Any]] = ()) -> VisitInfo:
    """A visit and the problems found on it, in one transaction (all or nothing)."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    try:
        values = parse(raw)
    except ValidationError as exc:
        errors.update(exc.field_errors)
    parsed: list[dict[str, Any]] = []
    try:
        # a bad visit date is reported once, on the visit, not again on every problem
        parsed = _parse_problems(raw_problems, values.get("visit_date") or date.today())
    except ValidationError as exc:
        errors.update(exc.field_errors)
    if errors:
        raise ValidationError(errors)
    with ws.db.write() as session:
        _live_sub_project(session, sub_project_uid)
        visit = records.create(session, ws, GuidanceVisit, {**values, "sub_project_uid": sub_project_uid})
        for problem in parsed:
            problems.add(session, ws, problem, sub_project_uid=sub_project_uid, source="visit", visit_uid=visit.uid)
        return _info(visit, len(parsed))


def _live(session: Session, uid: str) -> GuidanceVisit:
    return records.live(session, GuidanceVisit, uid, _("找不到该次现场指导记录，可能已被删除。"))


def update(ws: Workspace, uid: str, raw: Mapping[str, Any], *, expected_rev: str | None = None) -> VisitInfo:
    values = parse(raw)
    with ws.db.write() as session:
        record = _live(session, uid)
        records.update(session, ws, record, values, expected_rev=expected_rev)
        return _info(record)


def delete(ws: Workspace, uid: str, *, expected_rev: str | None = None) -> None:
    """Delete a visit and its problems, unless one of them is already being rectified."""
    with ws.db.write() as session:
        record = _live(session, uid)
        found = session.scalars(select(Problem).where(Problem.visit_uid == uid, Problem.deleted.is_(False))).all()
        if any(p.state != "open" for p in found):
            raise TransitionRefused(_("这次现场指导发现的问题已有整改或复查记录，不能删除。"))
        records.delete(session, ws, record, expected_rev=expected_rev)
        for problem in found:
            records.delete(session, ws, problem)


def get(ws: Workspace, uid: str) -> VisitInfo:
    with ws.db.read() as session:
        record = _live(session, uid)
        count = session.scalar(select(func.count()).select_from(Problem)
                               .where(Problem.visit_uid == uid, Problem.deleted.is_(False))) or 0
        return _info(record, count)


def for_sub_project(ws: Workspace, sub_project_uid: str) -> list[VisitInfo]:
    with ws.db.read() as session:
        counts = dict(session.execute(
            select(Problem.visit_uid, func.count()).where(Problem.sub_project_uid == sub_project_uid,
                                                          Problem.deleted.is_(False))
            .group_by(Problem.visit_uid)).all())
        rows = session.scalars(select(GuidanceVisit).where(GuidanceVisit.sub_project_uid == sub_project_uid,
                                                           GuidanceVisit.deleted.is_(False))
                               .order_by(GuidanceVisit.visit_date, GuidanceVisit.id)).all()
        return [_info(v, counts.get(v.uid, 0)) for v in rows]
