"""Conflicts kept for a person: list them readably, resolve one with a new revision.

Until someone resolves a conflict, the record shows the provisional winner every node
computes alike. A resolution is an ordinary edit on top of the merge (whose parents are
both heads), so it travels to the other nodes like any edit and closes the conflict
there too (``close_superseded``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import AppError, NotFound, ValidationError
from app.i18n import _
from app.models import SYNC_MODELS, Conflict, Node, RecordRevision
from app.services import records
from app.services.display import format_value
from app.services.workspace import Workspace


@dataclass(frozen=True)
class ConflictField:
    name: str
    label: str
    local: Any
    remote: Any
    local_text: str
    remote_text: str
    winner: str


@dataclass(frozen=True)
class ConflictView:
    id: int
    entity: str
    entity_label: str
    record_uid: str
    record_label: str
    fields: tuple[ConflictField, ...]
    local_by: str
    remote_by: str
    detected_at: str
    status: str


def field_label(entity: str, column: str) -> str:
    from app.services import sub_projects

    if column == "deleted":
        return _("删除")
    return _(sub_projects.LABELS.get(column, column)) if entity == "sub_projects" else column


def _who(session: Session, entity: str, uid: str, rev: str) -> str:
    row = session.execute(select(RecordRevision.operator, RecordRevision.node)
                          .where(RecordRevision.entity == entity, RecordRevision.record_uid == uid,
                                 RecordRevision.rev == rev)).first()
    if row is None:
        return ""
    label = session.scalar(select(Node.label).where(Node.uid == row.node)) or row.node[-6:]
    return _("{operator}（{node}）").format(operator=row.operator, node=label)


def _view(session: Session, c: Conflict) -> ConflictView:
    model = SYNC_MODELS[c.entity]
    row = session.execute(select(model.__table__).where(model.__table__.c.uid == c.record_uid)).mappings().first()
    name = " ".join(str(row[k]) for k in ("code", "plan_code", "number", "name", "title") if row and k in row and row[k])
    fields = tuple(ConflictField(column, field_label(c.entity, column), v["local"], v["remote"],
                                 format_value(column, v["local"]), format_value(column, v["remote"]), v["winner"])
                   for column, v in sorted(c.fields.items()))
    return ConflictView(c.id, c.entity, _(model.entity_label), c.record_uid, name or c.record_uid, fields,
                        _who(session, c.entity, c.record_uid, c.local_rev),
                        _who(session, c.entity, c.record_uid, c.remote_rev),
                        c.detected_at.isoformat(sep=" ", timespec="minutes"), c.status)


def list_conflicts(ws: Workspace, *, status: str = "open") -> list[ConflictView]:
    with ws.db.read() as session:
        return [_view(session, c) for c in session.scalars(select(Conflict).where(Conflict.status == status)
                                                           .order_by(Conflict.id))]


def resolve(ws: Workspace, conflict_id: int, choices: dict[str, Any]) -> ConflictView:
    """``choices``: field -> "local", "remote", or {"value": v} for a value typed by the person."""
    with ws.db.write() as session:
        conflict = session.get(Conflict, conflict_id)
        if conflict is None:
            raise NotFound(_("找不到该冲突。"))
        if conflict.status != "open":
            raise AppError(_("该冲突已经处理过了。"))
        missing = [f for f in conflict.fields if f not in choices]
        if missing:
            raise ValidationError({f: _("请为“{field}”选择保留哪一方的值。").format(field=field_label(conflict.entity, f))
                                   for f in missing})
        model = SYNC_MODELS[conflict.entity]
        record = session.scalar(select(model).where(model.uid == conflict.record_uid))
        values, deleted = {}, None
        for column, choice in choices.items():
            side = conflict.fields[column]
            value = _checked(conflict.entity, column, choice["value"]) if isinstance(choice, dict) else side[choice]
            if column == "deleted":
                deleted = bool(value)
            else:
                values[column] = value
        if deleted is not None and deleted != record.deleted:
            (records.delete if deleted else records.restore)(session, ws, record)
        # always a revision of the person's own, even when it keeps what the record shows:
        # that is what closes the same conflict on the other nodes
        records.update(session, ws, record, _typed(model, values), action="resolve",
                       note=_("处理冲突 #{id}").format(id=conflict.id), always=True)
        conflict.status, conflict.resolved_rev = "resolved", record.rev
        return _view(session, conflict)


def _checked(entity: str, column: str, value: Any) -> Any:
    """A value typed by the person goes through the entity's own rule for that field."""
    from app.services import fields, sub_projects

    if entity != "sub_projects":
        return value
    rule = next(((key, parse) for key, (target, parse) in sub_projects.FIELD_RULES.items() if target == column), None)
    if rule is None:
        return value
    key, parse = rule
    try:
        parsed = parse(value, field_label(entity, column))
    except fields.FieldError as exc:
        raise ValidationError({column: exc.message}) from None
    # stored and travelling form: dates as ISO text, like the revisions hold them
    return parsed.isoformat() if hasattr(parsed, "isoformat") else parsed


def _typed(model, values: dict[str, Any]) -> dict[str, Any]:
    from app.sync.merge import _typed as typed

    return {k: typed(model.__table__, k, v) for k, v in values.items()}
