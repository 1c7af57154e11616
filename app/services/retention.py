"""项目档案收集范围和保管期限表: the default list and each sub-project's own schedule."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import NotFound, StaleRecord, ValidationError
from app.i18n import _
from app.models import DEFAULT_SCHEDULE_UID, RETENTION_PERIODS, RetentionSchedule, SubProject
from app.services import fields, records
from app.services.workspace import Workspace


@dataclass(frozen=True)
class Schedule:
    uid: str
    rev: str
    sub_project_uid: str | None
    items: list[dict[str, str]]


def _schedule(record: RetentionSchedule) -> Schedule:
    return Schedule(record.uid, record.rev, record.sub_project_uid, [dict(i) for i in record.items])


def parse_items(raw_items: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Each row needs a document class (unique in the list) and a retention period.

    Errors are keyed ``row:<n>`` (1-based) so the editor can point at the row.
    """
    errors: dict[str, str] = {}
    items: list[dict[str, str]] = []
    seen: dict[str, int] = {}
    for n, raw in enumerate(raw_items, start=1):
        try:
            name = fields.text(raw.get("document_class"), _("第 {n} 行的文件类别").format(n=n), required=True)
            period = fields.choice(raw.get("retention"), _("第 {n} 行的保管期限").format(n=n), RETENTION_PERIODS)
        except fields.FieldError as exc:
            errors[f"row:{n}"] = exc.message
            continue
        if name in seen:
            errors[f"row:{n}"] = _("第 {n} 行的文件类别“{name}”与第 {m} 行重复。").format(n=n, name=name, m=seen[name])
            continue
        seen[name] = n
        items.append({"document_class": name, "retention": period})
    if not raw_items:
        errors["items"] = _("保管期限表至少需要一个文件类别。")
    if errors:
        raise ValidationError(errors)
    return items


def _live_for(session: Session, sub_project_uid: str | None) -> RetentionSchedule | None:
    if sub_project_uid is None:
        return session.scalar(select(RetentionSchedule).where(RetentionSchedule.uid == DEFAULT_SCHEDULE_UID))
    return session.scalar(select(RetentionSchedule).where(RetentionSchedule.sub_project_uid == sub_project_uid,
                                                          RetentionSchedule.deleted.is_(False)))


def default_schedule(ws: Workspace) -> Schedule:
    with ws.db.read() as session:
        record = _live_for(session, None)
        if record is None:
            raise NotFound(_("找不到默认的保管期限表。"))
        return _schedule(record)


def schedule_for(ws: Workspace, sub_project_uid: str) -> Schedule | None:
    with ws.db.read() as session:
        record = _live_for(session, sub_project_uid)
        return _schedule(record) if record else None


def create_for(ws: Workspace, sub_project_uid: str, raw_items: list[dict[str, Any]] | None = None) -> Schedule:
    """Give a sub-project its own schedule: ``raw_items`` when given, else a copy of the default.

    With ``raw_items`` (an editor saving its first version) an existing schedule is not
    overwritten: ``StaleRecord`` asks the user to reopen it instead.
    """
    items = parse_items(raw_items) if raw_items is not None else None
    with ws.db.write() as session:
        if session.scalar(select(SubProject.id).where(SubProject.uid == sub_project_uid,
                                                      SubProject.deleted.is_(False))) is None:
            raise NotFound(_("找不到该子项目，可能已被删除。"))
        existing = _live_for(session, sub_project_uid)
        if existing is not None:
            if items is not None:
                raise StaleRecord(_("该子项目的保管期限表已在别处建立（另一窗口或导入）。请关闭本窗口后重新打开，再作修改。"))
            return _schedule(existing)
        if items is None:
            default = _live_for(session, None)
            items = [dict(i) for i in default.items] if default else []
        record = records.create(session, ws, RetentionSchedule, {"sub_project_uid": sub_project_uid, "items": items})
        return _schedule(record)


def save_items(ws: Workspace, schedule_uid: str, raw_items: list[dict[str, Any]],
               *, expected_rev: str | None = None) -> Schedule:
    """Replace the schedule's list (the default list too) as one new revision."""
    items = parse_items(raw_items)
    with ws.db.write() as session:
        record = session.scalar(select(RetentionSchedule).where(RetentionSchedule.uid == schedule_uid,
                                                                RetentionSchedule.deleted.is_(False)))
        if record is None:
            raise NotFound(_("找不到该保管期限表，可能已被删除。"))
        records.update(session, ws, record, {"items": items}, expected_rev=expected_rev)
        return _schedule(record)
