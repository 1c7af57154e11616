"""Master-plan projects (总规项目): validation, changes and look-ups."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.i18n import N_, _
from app.models import Division, MasterProject, SubProject
from app.services import fields, records
from app.services.workspace import Workspace

LABELS: dict[str, str] = {
    "plan_code": N_("总规项目编号"),
    "name": N_("总规项目名称"),
    "division_uid": N_("县（区）"),
    "sector": N_("行业（领域）"),
    "owner_unit": N_("项目业主（责任单位）"),
    "investment_yuan": N_("总投资（万元）"),
    "foreign_loan": N_("是否国外贷款项目"),
}


@dataclass(frozen=True)
class MasterProjectInfo:
    uid: str
    rev: str
    plan_code: str
    name: str
    division_uid: str
    sector: str
    owner_unit: str
    investment_yuan: int | None
    foreign_loan: bool

    @property
    def label(self) -> str:
        return f"{self.plan_code} {self.name}"


def _info(m: MasterProject) -> MasterProjectInfo:
    return MasterProjectInfo(m.uid, m.rev, m.plan_code, m.name, m.division_uid, m.sector,
                             m.owner_unit, m.investment_yuan, m.foreign_loan)


def parse(session: Session, raw: Mapping[str, Any], *, current_uid: str | None = None) -> dict[str, Any]:
    """Typed values from raw input, or ``ValidationError`` naming every bad field."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}

    def take(key: str, target: str, parse_value) -> None:
        try:
            values[target] = parse_value()
        except fields.FieldError as exc:
            errors[key] = exc.message

    take("plan_code", "plan_code", lambda: fields.code(raw.get("plan_code"), _(LABELS["plan_code"])))
    take("name", "name", lambda: fields.text(raw.get("name"), _(LABELS["name"]), required=True))
    take("sector", "sector", lambda: fields.text(raw.get("sector"), _(LABELS["sector"]), max_length=64))
    take("owner_unit", "owner_unit", lambda: fields.text(raw.get("owner_unit"), _(LABELS["owner_unit"])))
    take("investment", "investment_yuan", lambda: fields.money_wan(raw.get("investment"), _(LABELS["investment_yuan"])))
    take("foreign_loan", "foreign_loan", lambda: fields.flag(raw.get("foreign_loan"), _(LABELS["foreign_loan"])))

    division_uid = raw.get("division_uid")
    if not division_uid or session.scalar(select(Division.id).where(Division.uid == division_uid)) is None:
        errors["division_uid"] = _("请选择“{label}”。").format(label=_(LABELS["division_uid"]))
    else:
        values["division_uid"] = division_uid

    code = values.get("plan_code")
    if code:
        clash = session.scalar(
            select(MasterProject).where(MasterProject.plan_code == code, MasterProject.deleted.is_(False),
                                        MasterProject.uid != (current_uid or ""))
        )
        if clash is not None:
            errors["plan_code"] = _("“{label}”{code} 已被“{name}”使用，编号不能重复。").format(
                label=_(LABELS["plan_code"]), code=code, name=clash.name)
    if errors:
        raise ValidationError(errors)
    return values


def _live(session: Session, uid: str) -> MasterProject:
    return records.live(session, MasterProject, uid, _("找不到该总规项目，可能已被删除。"))


def create(ws: Workspace, raw: Mapping[str, Any]) -> MasterProjectInfo:
    with ws.db.write() as session:
        values = parse(session, raw)
        return _info(records.create(session, ws, MasterProject, values))


def update(ws: Workspace, uid: str, raw: Mapping[str, Any], *, expected_rev: str | None = None) -> MasterProjectInfo:
    with ws.db.write() as session:
        record = _live(session, uid)
        values = parse(session, raw, current_uid=uid)
        records.update(session, ws, record, values, expected_rev=expected_rev)
        return _info(record)


def delete(ws: Workspace, uid: str, *, expected_rev: str | None = None) -> None:
    with ws.db.write() as session:
        record = _live(session, uid)
        in_use = session.scalar(
            select(SubProject.code).where(SubProject.master_project_uid == uid, SubProject.deleted.is_(False)).limit(1)
        )
        if in_use is not None:
            raise ValidationError({"plan_code": _("总规项目 {code} 下还有子项目（如 {sub}），不能删除。").format(
                code=record.plan_code, sub=in_use)})
        records.delete(session, ws, record, expected_rev=expected_rev)


def get(ws: Workspace, uid: str) -> MasterProjectInfo:
    with ws.db.read() as session:
        return _info(_live(session, uid))


def find_by_code(ws: Workspace, plan_code: str) -> MasterProjectInfo | None:
    with ws.db.read() as session:
        record = session.scalar(select(MasterProject).where(MasterProject.plan_code == plan_code.strip(),
                                                            MasterProject.deleted.is_(False)))
        return _info(record) if record else None


def list_choices(ws: Workspace, division_uid: str | None = None) -> list[MasterProjectInfo]:
    """Live master projects (of one division when given), ordered by plan code."""
    with ws.db.read() as session:
        query = select(MasterProject).where(MasterProject.deleted.is_(False)).order_by(MasterProject.plan_code)
        if division_uid:
            query = query.where(MasterProject.division_uid == division_uid)
        return [_info(m) for m in session.scalars(query)]
