"""The change history (审计日志) of a sub-project, readable by a person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select

from app.i18n import N_, _
from app.models import AuditEntry, Division, MasterProject, Node, RecordRevision
from app.models import SYNC_MODELS, RetentionSchedule, SubProject
from app.services import sub_projects
from app.services.display import format_value
from app.services.workspace import Workspace

ACTIONS = {"create": N_("新建"), "update": N_("修改"), "delete": N_("删除"), "restore": N_("恢复")}
_EXTRA_LABELS = {"deleted": N_("已删除"), "items": N_("文件类别及保管期限"), "sub_project_uid": N_("子项目")}


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    operator: str
    node: str
    action: str
    entity: str
    field: str
    old: str
    new: str
    rev: str


def _local(at: datetime) -> datetime:
    return at.replace(tzinfo=timezone.utc).astimezone().replace(tzinfo=None)


class _Formatter:
    def __init__(self, session) -> None:
        self.divisions = dict(session.execute(select(Division.uid, Division.name)).all())
        self.nodes = dict(session.execute(select(Node.uid, Node.label)).all())
        self._masters: dict[str, str] = {}
        self.session = session

    def node(self, uid: str) -> str:
        label = self.nodes.get(uid)
        return f"{label}（{uid[-6:]}）" if label else uid[-6:]

    def _master(self, uid: str) -> str:
        if uid not in self._masters:
            row = self.session.execute(select(MasterProject.plan_code, MasterProject.name)
                                       .where(MasterProject.uid == uid)).first()
            self._masters[uid] = f"{row[0]} {row[1]}" if row else uid
        return self._masters[uid]

    def _sub_project(self, uid: str) -> str:
        row = self.session.execute(select(SubProject.code, SubProject.name).where(SubProject.uid == uid)).first()
        return f"{row[0]} {row[1]}" if row else uid

    def value(self, column: str, value: Any) -> str:
        return format_value(column, value, division_names=self.divisions, master_label=self._master,
                            sub_project_label=self._sub_project)

    def label(self, entity: str, column: str) -> str:
        if column in sub_projects.LABELS:
            return _(sub_projects.LABELS[column])
        return _(_EXTRA_LABELS.get(column, column))


def _changes(entry: AuditEntry, created: dict[tuple[str, str], dict[str, Any]]) -> dict[str, list[Any]]:
    """The audited changes; a creation's are the values of the record's first revision."""
    if entry.action == "create" and not entry.changes:
        data = created.get((entry.record_uid, entry.rev), {})
        return {k: [None, v] for k, v in data.items() if v not in (None, "", False, [])}
    return entry.changes


def for_sub_project(ws: Workspace, uid: str) -> list[HistoryLine]:
    """Every audited change of the sub-project and of its retention schedule, newest first."""
    with ws.db.read() as session:
        related = [uid, *session.scalars(select(RetentionSchedule.uid)
                                         .where(RetentionSchedule.sub_project_uid == uid))]
        entries = session.scalars(select(AuditEntry).where(AuditEntry.record_uid.in_(related))
                                  .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())).all()
        fmt = _Formatter(session)
        lines: list[HistoryLine] = []
        created = {(r.record_uid, r.rev): r.data for r in session.scalars(
            select(RecordRevision).where(RecordRevision.record_uid.in_(related), RecordRevision.parent_rev.is_(None)))}
        for entry in entries:
            entity = _(SYNC_MODELS[entry.entity].entity_label) if entry.entity in SYNC_MODELS else entry.entity
            for column, (old, new) in _changes(entry, created).items():
                lines.append(HistoryLine(
                    at=_local(entry.at), operator=entry.operator, node=fmt.node(entry.node),
                    action=_(ACTIONS.get(entry.action, entry.action)), entity=entity,
                    field=fmt.label(entry.entity, column), old=fmt.value(column, old), new=fmt.value(column, new),
                    rev=entry.rev,
                ))
        return lines
