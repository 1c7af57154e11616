"""Trainings (培训): sessions held by the city or a county, and their attendance (人次).

The seed's figure "市级培训 30 余次, 1341 人次" is what ``totals`` answers. The sign-in
sheet scan is an attachment of the training (owner entity ``trainings``, role ``sign_in``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import extract, false, func, select
from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.i18n import N_, _
from app.models import TRAINING_LEVELS, Division, Training
from app.services import fields, records
from app.services.divisions import CITY_CODE
from app.services.workspace import Workspace

#: owner entity and role of the sign-in sheet scan in the attachments table
ATTACHMENT_OWNER = "trainings"
SIGN_IN_ROLE = "sign_in"
#: far above any room (the seed's 30 city sessions average 45 人次), far below a typing slip
MAX_ATTENDANCE = 100_000

LABELS: dict[str, str] = {
    "held_on": N_("培训日期"),
    "level": N_("培训级别"),
    "division_uid": N_("所属县（区）"),
    "organiser": N_("组织单位"),
    "topic": N_("培训主题"),
    "attendance": N_("参训人次"),
    "location": N_("培训地点"),
    "notes": N_("备注"),
}


@dataclass(frozen=True)
class TrainingInfo:
    uid: str
    rev: str
    held_on: date
    level: str
    division_uid: str
    division_name: str
    organiser: str
    topic: str
    attendance: int
    location: str
    notes: str

    def form_values(self) -> dict[str, Any]:
        """The record as the edit form's raw input (what ``parse`` accepts back unchanged)."""
        return {"held_on": self.held_on.isoformat(), "level": self.level, "division_uid": self.division_uid,
                "organiser": self.organiser, "topic": self.topic, "attendance": str(self.attendance),
                "location": self.location, "notes": self.notes}


@dataclass(frozen=True)
class Tally:
    sessions: int = 0
    attendance: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.sessions + other.sessions, self.attendance + other.attendance)


@dataclass(frozen=True)
class TrainingTotals:
    total: Tally = Tally()
    #: level code -> tally (every level present, zero when none was held)
    by_level: dict[str, Tally] = field(default_factory=dict)
    #: year -> level code -> tally (only the levels held that year)
    by_year: dict[int, dict[str, Tally]] = field(default_factory=dict)


def _label(key: str) -> str:
    return _(LABELS[key])


def attendance(value: Any, label: str) -> int:
    """人次 as typed: digits only once full-width forms are folded ("４５" is 45, "45人" is refused)."""
    if isinstance(value, bool):
        raise _not_digits(label, str(value))
    if isinstance(value, int):
        number = value
    else:
        raw = fields.normalize(value)
        if not raw:
            raise fields.FieldError(_("“{label}”不能为空。").format(label=label))
        if not (raw.isascii() and raw.isdigit()):
            raise _not_digits(label, raw)
        number = int(raw)
    if number < 1:
        raise fields.FieldError(_("“{label}”至少为 1，不能是 {n}。").format(label=label, n=number))
    if number > MAX_ATTENDANCE:
        raise fields.FieldError(_("“{label}”数值过大：{n}。请检查是否多输入了数字。").format(label=label, n=number))
    return number


def _not_digits(label: str, raw: str) -> fields.FieldError:
    return fields.FieldError(_("“{label}”只能填写数字（如 45），不能是“{value}”。").format(label=label, value=raw))


def _city(session: Session) -> Division | None:
    return session.scalar(select(Division).where(Division.code == CITY_CODE))


def parse(session: Session, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Typed values from raw input, or one ``ValidationError`` naming every bad field.

    A 市级 training belongs to the city division (filled in when left empty); a 县级 one
    to a county, district or the enclave park.
    """
    rules = {
        "held_on": fields.day,
        "level": lambda v, label: fields.choice(v, label, TRAINING_LEVELS),
        "organiser": lambda v, label: fields.text(v, label, required=True, max_length=100),
        "topic": lambda v, label: fields.text(v, label, required=True, max_length=200),
        "attendance": attendance,
        "location": lambda v, label: fields.text(v, label, max_length=100),
        "notes": lambda v, label: fields.text(v, label, max_length=2000, multiline=True),
    }
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key, rule in rules.items():
        try:
            values[key] = rule(raw.get(key), _label(key))
        except fields.FieldError as exc:
            errors[key] = exc.message
    held = values.get("held_on", date.min)
    if held is None:
        errors["held_on"] = _("“{label}”不能为空。").format(label=_label("held_on"))
    elif held > date.today():
        errors["held_on"] = _("“{label}”不能晚于今天：{day}。").format(label=_label("held_on"), day=held.isoformat())

    city = _city(session)
    city_uid = city.uid if city else None
    division_uid = raw.get("division_uid") or (city_uid if values.get("level") == "city" else None)
    division = session.scalar(select(Division).where(Division.uid == (division_uid or ""),
                                                     Division.deleted == false()))
    if division is None:
        errors["division_uid"] = _("请选择“{label}”。").format(label=_label("division_uid"))
    elif values.get("level") == "city" and division.uid != city_uid:
        errors["division_uid"] = _("市级培训的“{label}”应为{city}，不能是{name}。").format(
            label=_label("division_uid"), city=city.name if city else "", name=division.name)
    elif values.get("level") == "county" and division.uid == city_uid:
        errors["division_uid"] = _("县级培训应选择具体的县（区），不能是{name}；市里组织的请选“市级”。").format(
            name=division.name)
    else:
        values["division_uid"] = division.uid
    if errors:
        raise ValidationError(errors)
    return values


def _live(session: Session, uid: str) -> Training:
    return records.live(session, Training, uid, _("找不到该培训记录，可能已被删除。"))


def _info(t: Training, division_name: str) -> TrainingInfo:
    return TrainingInfo(t.uid, t.rev, t.held_on, t.level, t.division_uid, division_name, t.organiser, t.topic,
                        t.attendance, t.location, t.notes)


def _detail(session: Session, t: Training) -> TrainingInfo:
    return _info(t, session.scalar(select(Division.name).where(Division.uid == t.division_uid)) or "")


def validate(ws: Workspace, raw: Mapping[str, Any]) -> None:
    """Check input without saving (the dialog calls this before it closes)."""
    with ws.db.read() as session:
        parse(session, raw)


def create(ws: Workspace, raw: Mapping[str, Any]) -> TrainingInfo:
    with ws.db.write() as session:
        record = records.create(session, ws, Training, parse(session, raw))
        return _detail(session, record)


def update(ws: Workspace, uid: str, raw: Mapping[str, Any], *, expected_rev: str | None = None) -> TrainingInfo:
    with ws.db.write() as session:
        record = _live(session, uid)
        records.update(session, ws, record, parse(session, raw), expected_rev=expected_rev)
        return _detail(session, record)


def delete(ws: Workspace, uid: str, *, expected_rev: str | None = None) -> None:
    """Tombstone; the sign-in scan stays in the attachment store (kept by hash, as every file)."""
    with ws.db.write() as session:
        records.delete(session, ws, _live(session, uid), expected_rev=expected_rev)


def get(ws: Workspace, uid: str) -> TrainingInfo:
    with ws.db.read() as session:
        return _detail(session, _live(session, uid))


def _filtered(query, *, year: int | None, level: str | None, division_uid: str | None):
    query = query.where(Training.deleted == false())
    if year is not None:
        query = query.where(Training.held_on >= date(year, 1, 1), Training.held_on <= date(year, 12, 31))
    if level:
        query = query.where(Training.level == level)
    if division_uid:
        query = query.where(Training.division_uid == division_uid)
    return query


def list_trainings(ws: Workspace, *, year: int | None = None, level: str | None = None,
                   division_uid: str | None = None) -> list[TrainingInfo]:
    """Newest first."""
    with ws.db.read() as session:
        query = _filtered(select(Training, Division.name).join(Division, Division.uid == Training.division_uid),
                          year=year, level=level, division_uid=division_uid)
        rows = session.execute(query.order_by(Training.held_on.desc(), Training.id.desc())).all()
        return [_info(t, name) for t, name in rows]


def totals(ws: Workspace, *, year: int | None = None, level: str | None = None,
           division_uid: str | None = None) -> TrainingTotals:
    """Sessions (次) and attendance (人次) by level and by year, over the same filter as the list."""
    held_year = extract("year", Training.held_on)
    with ws.db.read() as session:
        rows = session.execute(_filtered(
            select(held_year, Training.level, func.count(), func.coalesce(func.sum(Training.attendance), 0)),
            year=year, level=level, division_uid=division_uid).group_by(held_year, Training.level)).all()
    by_level = {code: Tally() for code in TRAINING_LEVELS if level in (None, code)}
    by_year: dict[int, dict[str, Tally]] = {}
    total = Tally()
    for y, lvl, sessions, people in rows:
        tally = Tally(int(sessions), int(people))
        by_level[lvl] = by_level.get(lvl, Tally()) + tally
        by_year.setdefault(int(y), {})[lvl] = tally
        total = total + tally
    return TrainingTotals(total, by_level, dict(sorted(by_year.items())))


def summary_line(result: TrainingTotals) -> str:
    """"市级培训 31 次 1,341 人次；县级培训 12 次 480 人次" for the list's status line."""
    parts = [_("{level}培训 {n} 次 {people} 人次").format(
        level=_(TRAINING_LEVELS.get(code, code)), n=f"{tally.sessions:,}", people=f"{tally.attendance:,}")
        for code, tally in result.by_level.items()]
    return "；".join(parts)


def years(ws: Workspace) -> list[int]:
    """The years that have trainings, newest first (the year filter's choices)."""
    held_year = extract("year", Training.held_on)
    with ws.db.read() as session:
        found = session.scalars(select(held_year).where(Training.deleted == false()).distinct())
        return sorted((int(y) for y in found), reverse=True)
