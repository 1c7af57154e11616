"""The problem ledger (问题台账): problems, their rectification and verification.

States: open (待整改) -> rectified (已整改) -> verified (已复查); a failed verification
sends the problem back to open with a note. A verified problem is part of the official
record: ``update`` refuses it and only ``correct`` changes it, as a new revision whose
audit row states the reason (the revision history keeps the old version).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import AppError, NotFound, ValidationError
from app.i18n import N_, _
from app.models import PROBLEM_CATEGORIES, PROBLEM_SOURCES, PROBLEM_STATES, Problem, SubProject
from app.services import fields, records
from app.services.workspace import Workspace

LABELS: dict[str, str] = {
    "sub_project_uid": N_("子项目"),
    "source": N_("来源"),
    "category": N_("问题类别"),
    "description": N_("问题描述"),
    "responsible_person": N_("责任人"),
    "found_on": N_("发现日期"),
    "deadline": N_("整改时限"),
    "state": N_("状态"),
    "rectification": N_("整改情况"),
    "rectified_by": N_("整改人"),
    "rectified_on": N_("整改日期"),
    "verification_note": N_("复查结论"),
    "verified_by": N_("复查人"),
    "verified_on": N_("复查日期"),
}

#: the moves the ledger allows: (from, to) -> audit action
TRANSITIONS: dict[tuple[str, str], str] = {
    ("open", "rectified"): "rectify",
    ("rectified", "verified"): "verify",
    ("rectified", "open"): "reject",
}


class TransitionRefused(AppError):
    """A state change the ledger does not allow (e.g. verifying an open problem)."""


@dataclass(frozen=True)
class ProblemInfo:
    uid: str
    rev: str
    sub_project_uid: str
    source: str
    visit_uid: str | None
    round_uid: str | None
    category: str
    description: str
    responsible_person: str
    found_on: date
    deadline: date
    state: str
    rectification: str
    rectified_by: str
    rectified_on: date | None
    verification_note: str
    verified_by: str
    verified_on: date | None

    def is_overdue(self, today: date | None = None) -> bool:
        return is_overdue(self.state, self.deadline, today)


def is_overdue(state: str, deadline: date, today: date | None = None) -> bool:
    """Overdue: past its deadline and not yet rectified."""
    return state == "open" and deadline < (today or date.today())


def _info(p: Problem) -> ProblemInfo:
    return ProblemInfo(p.uid, p.rev, p.sub_project_uid, p.source, p.visit_uid, p.round_uid, p.category,
                       p.description, p.responsible_person, p.found_on, p.deadline, p.state, p.rectification,
                       p.rectified_by, p.rectified_on, p.verification_note, p.verified_by, p.verified_on)


def _label(column: str) -> str:
    return _(LABELS[column])


def parse(raw: Mapping[str, Any], *, prefix: str = "") -> dict[str, Any]:
    """The editable fields of a problem; error keys are ``prefix + field``."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    rules = {
        "category": lambda v: fields.choice(v or "other", _label("category"), PROBLEM_CATEGORIES),
        "description": lambda v: fields.text(v, _label("description"), required=True, max_length=2000,
                                             multiline=True),
        "responsible_person": lambda v: fields.text(v, _label("responsible_person"), max_length=64),
        "found_on": lambda v: fields.day(v, _label("found_on")),
        "deadline": lambda v: fields.day(v, _label("deadline")),
    }
    for key, rule in rules.items():
        try:
            values[key] = rule(raw.get(key))
        except fields.FieldError as exc:
            errors[prefix + key] = exc.message
    for key in ("found_on", "deadline"):
        if key in values and values[key] is None:
            errors[prefix + key] = _("“{label}”不能为空。").format(label=_label(key))
    found, deadline = values.get("found_on"), values.get("deadline")
    if found and deadline and deadline < found:
        errors[prefix + "deadline"] = _("“整改时限”（{d}）不能早于“发现日期”（{f}）。").format(
            d=deadline.isoformat(), f=found.isoformat())
    if errors:
        raise ValidationError(errors)
    return values


def _live(session: Session, uid: str) -> Problem:
    return records.live(session, Problem, uid, _("找不到该问题，可能已被删除。"))


def add(session: Session, ws: Workspace, values: Mapping[str, Any], *, sub_project_uid: str, source: str,
        visit_uid: str | None = None, round_uid: str | None = None, acceptance_uid: str | None = None) -> Problem:
    """Create a parsed problem inside the caller's transaction (visits and acceptances raise them)."""
    if source not in PROBLEM_SOURCES:
        raise ValueError(f"unknown problem source {source!r}")
    if session.scalar(select(SubProject.id).where(SubProject.uid == sub_project_uid,
                                                  SubProject.deleted.is_(False))) is None:
        raise NotFound(_("找不到该子项目，可能已被删除。"))
    return records.create(session, ws, Problem, {
        **values, "sub_project_uid": sub_project_uid, "source": source, "visit_uid": visit_uid,
        "round_uid": round_uid, "acceptance_uid": acceptance_uid, "state": "open", "rectification": "",
        "rectified_by": "", "rectified_on": None, "verification_note": "", "verified_by": "", "verified_on": None,
    })


def create(ws: Workspace, raw: Mapping[str, Any], *, sub_project_uid: str, source: str = "visit",
           visit_uid: str | None = None, round_uid: str | None = None) -> ProblemInfo:
    values = parse(raw)
    with ws.db.write() as session:
        return _info(add(session, ws, values, sub_project_uid=sub_project_uid, source=source,
                         visit_uid=visit_uid, round_uid=round_uid))


def get(ws: Workspace, uid: str) -> ProblemInfo:
    with ws.db.read() as session:
        return _info(_live(session, uid))


def _refuse_verified(record: Problem) -> None:
    if record.state == "verified":
        raise TransitionRefused(_("已复查的问题属于正式记录，不能直接修改或删除；如需改正，请使用“更正”并说明原因。"))


def update(ws: Workspace, uid: str, raw: Mapping[str, Any], *, expected_rev: str | None = None) -> ProblemInfo:
    """Edit the description, category, person or dates of a problem not yet verified."""
    values = parse(raw)
    with ws.db.write() as session:
        record = _live(session, uid)
        _refuse_verified(record)
        records.update(session, ws, record, values, expected_rev=expected_rev)
        return _info(record)


def delete(ws: Workspace, uid: str, *, expected_rev: str | None = None) -> None:
    with ws.db.write() as session:
        record = _live(session, uid)
        _refuse_verified(record)
        if record.state != "open":
            raise TransitionRefused(_("问题已登记整改，不能删除；如整改不到位，请在复查时退回。"))
        records.delete(session, ws, record, expected_rev=expected_rev)


def _move(session: Session, ws: Workspace, uid: str, to: str, values: dict[str, Any],
          expected_rev: str | None, note: str = "") -> Problem:
    record = _live(session, uid)
    action = TRANSITIONS.get((record.state, to))
    if action is None:
        raise TransitionRefused(_("问题当前为“{state}”，不能改为“{to}”。").format(
            state=_(PROBLEM_STATES[record.state]), to=_(PROBLEM_STATES[to])))
    records.update(session, ws, record, {**values, "state": to}, expected_rev=expected_rev, action=action, note=note)
    return record


def rectify(ws: Workspace, uid: str, *, rectification: str, rectified_by: str, rectified_on: Any,
            expected_rev: str | None = None) -> ProblemInfo:
    """待整改 -> 已整改: what was done, by whom, when."""
    raw = {"rectification": rectification, "rectified_by": rectified_by, "rectified_on": rectified_on}
    rules = {
        "rectification": lambda v: fields.text(v, _label("rectification"), required=True, max_length=2000,
                                               multiline=True),
        "rectified_by": lambda v: fields.text(v, _label("rectified_by"), required=True, max_length=64),
        "rectified_on": lambda v: fields.day(v, _label("rectified_on")),
    }
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for key, rule in rules.items():
        try:
            values[key] = rule(raw[key])
        except fields.FieldError as exc:
            errors[key] = exc.message
    if "rectified_on" in values and values["rectified_on"] is None:
        errors["rectified_on"] = _("“{label}”不能为空。").format(label=_label("rectified_on"))
    if errors:
        raise ValidationError(errors)
    with ws.db.write() as session:
        return _info(_move(session, ws, uid, "rectified", values, expected_rev))


def verify(ws: Workspace, uid: str, *, passed: bool, note: str = "", verified_on: Any = None,
           expected_rev: str | None = None) -> ProblemInfo:
    """已整改 -> 已复查 when the archivist accepts the rectification, else back to 待整改 with a note."""
    errors: dict[str, str] = {}
    try:
        note = fields.text(note, _label("verification_note"), required=not passed, max_length=2000, multiline=True)
    except fields.FieldError as exc:
        errors["verification_note"] = exc.message
    try:
        day = fields.day(verified_on, _label("verified_on")) or date.today()
    except fields.FieldError as exc:
        errors["verified_on"] = exc.message
    if errors:
        raise ValidationError(errors)
    values = {"verification_note": note, "verified_by": ws.operator, "verified_on": day}
    with ws.db.write() as session:
        # a failed check sends it back to open; its note stays on the record and in the audit
        target = "verified" if passed else "open"
        return _info(_move(session, ws, uid, target, values, expected_rev, note="" if passed else note))


def correct(ws: Workspace, uid: str, raw: Mapping[str, Any], *, reason: str,
            expected_rev: str | None = None) -> ProblemInfo:
    """Correct a verified problem: a new revision, audited as a correction with its reason."""
    try:
        reason = fields.text(reason, _("更正原因"), required=True, max_length=500)
    except fields.FieldError as exc:
        raise ValidationError({"reason": exc.message}) from None
    values = parse(raw)
    for key in ("rectification", "verification_note"):
        if key in raw:
            try:
                values[key] = fields.text(raw[key], _label(key), max_length=2000, multiline=True)
            except fields.FieldError as exc:
                raise ValidationError({key: exc.message}) from None
    with ws.db.write() as session:
        record = _live(session, uid)
        if record.state != "verified":
            raise TransitionRefused(_("只有已复查的问题需要“更正”；其他问题可直接修改。"))
        changed = records.update(session, ws, record, values, expected_rev=expected_rev, action="correct",
                                 note=reason)
        if not changed:
            raise ValidationError({"reason": _("更正内容与原记录相同，未作更正。")})
        return _info(record)


def for_sub_project(ws: Workspace, sub_project_uid: str) -> list[ProblemInfo]:
    with ws.db.read() as session:
        rows = session.scalars(select(Problem).where(Problem.sub_project_uid == sub_project_uid,
                                                     Problem.deleted.is_(False))
                               .order_by(Problem.found_on, Problem.id)).all()
        return [_info(p) for p in rows]
