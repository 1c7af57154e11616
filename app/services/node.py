"""This installation's identity: which division it serves and who operates it."""

from __future__ import annotations

import secrets

from sqlalchemy import select

from app.errors import ValidationError
from app.i18n import _
from app.models import AppSetting, Division, Node
from app.services import fields
from app.services.records import new_uid, utcnow
from app.services.workspace import OPERATOR_KEY, Workspace


def setup_node(ws: Workspace, *, division_uid: str, operator: str) -> str:
    """First start: create the local node. Returns its uid. Refused when already set up."""
    errors: dict[str, str] = {}
    try:
        operator = fields.text(operator, _("操作员姓名"), required=True, max_length=64)
    except fields.FieldError as exc:
        errors["operator"] = exc.message
    with ws.db.write() as session:
        division = session.scalar(select(Division).where(Division.uid == division_uid))
        if division is None:
            errors["division"] = _("请选择本机服务的县（区）或市。")
        if errors:
            raise ValidationError(errors)
        if session.scalar(select(Node).where(Node.is_local.is_(True))) is not None:
            raise ValidationError({"division": _("本机已完成初始设置，不能重复设置。")})
        uid = new_uid()
        code = division.code + secrets.token_hex(2).upper()
        session.add(Node(uid=uid, division_uid=division.uid, label=division.name, code=code, is_local=True,
                         created_at=utcnow()))
        session.merge(AppSetting(key=OPERATOR_KEY, value=operator))
    ws.reload_identity()
    return uid


def set_operator(ws: Workspace, operator: str) -> None:
    try:
        operator = fields.text(operator, _("操作员姓名"), required=True, max_length=64)
    except fields.FieldError as exc:
        raise ValidationError({"operator": exc.message}) from None
    with ws.db.write() as session:
        session.merge(AppSetting(key=OPERATOR_KEY, value=operator))
    ws.reload_identity()


def local_node_code(ws: Workspace) -> str:
    """This installation's code, as printed in the numbers of the certificates it issues."""
    with ws.db.read() as session:
        return session.scalar(select(Node.code).where(Node.is_local.is_(True))) or ""


def local_division_name(ws: Workspace) -> str:
    if ws.division_uid is None:
        return ""
    with ws.db.read() as session:
        division = session.scalar(select(Division).where(Division.uid == ws.division_uid))
    return division.name if division else ""
