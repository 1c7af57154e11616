"""The one place that writes synchronised records.

Every create, update and delete of a record that carries ``SyncMixin`` goes through here:
it stamps the sync metadata, appends the revision to ``record_revisions`` and writes the
audit row, so no entity can forget any of it. Entity services validate first and then
call these functions inside their own write transaction.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any, TypeVar

import uuid6
from sqlalchemy import false, select
from sqlalchemy.orm import Session

from app.db.bulk import BulkInserter
from app.errors import AppError, NotFound, StaleRecord
from app.i18n import _
from app.models import AuditEntry, Division, Node, RecordRevision, SyncMixin
from app.services.divisions import CITY_CODE
from app.services.tasks import CancelToken, ProgressSink, no_progress
from app.services.workspace import Workspace
from app.sync.revision import next_rev

R = TypeVar("R", bound=SyncMixin)

BULK_BATCH = 2000
_AUDIT_COLUMNS = ("at", "entity", "record_uid", "action", "changes", "operator", "node", "rev", "note")
#: the sync columns ``bulk_create`` writes, in the order it writes them (content follows)
_SYNC_INSERT_COLUMNS = ("uid", "origin_node", "rev", "parent_rev", "hlc", "updated_at", "updated_by", "deleted")
#: the revision columns ``bulk_create`` writes, in its rows' order (the rest take their defaults)
_REVISION_INSERT_COLUMNS = ("entity", "record_uid", "rev", "parent_rev", "merge_parent_rev", "hlc", "node", "operator",
                            "deleted", "data", "action")


def new_uid() -> str:
    """Time-ordered UUIDv7: unique across nodes, and sorts by creation time."""
    return str(uuid6.uuid7())


_uids_lock = threading.Lock()
_uids_last = (0, -1)  # (unix milliseconds, counter) of the last uid ``new_uids`` made
_SEQUENCE_MAX = 0xFFF
_RANDOM_B = (1 << 62) - 1
#: version 7 and the RFC 4122 variant, in place
_UUID7_BITS = (0x7 << 76) | (0b10 << 62)


def new_uids(count: int) -> list[str]:
    """``count`` UUIDv7s in creation order, for bulk writes (``new_uid`` costs ~3 us each).

    RFC 9562 layout with its "fixed-length dedicated counter" method: 48 bits of Unix
    milliseconds, a 12-bit counter in ``rand_a`` (restarting each millisecond, carrying
    into the next on overflow), then 62 random bits (``os.urandom``).
    """
    global _uids_last
    if count <= 0:
        return []
    noise = os.urandom(8 * count)
    with _uids_lock:
        millis, sequence = _uids_last
        wall = time.time_ns() // 1_000_000
        if wall > millis:
            millis, sequence = wall, -1
        out = []
        for start in range(0, 8 * count, 8):
            sequence += 1
            if sequence > _SEQUENCE_MAX:
                millis, sequence = millis + 1, 0
            value = ((millis << 80) | (sequence << 64) | _UUID7_BITS
                     | (int.from_bytes(noise[start:start + 8], "big") & _RANDOM_B))
            h = f"{value:032x}"
            out.append(f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}")
        _uids_last = (millis, sequence)
    return out


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def live(session: Session, model: type[R], uid: str, missing: str) -> R:
    """The live (not deleted) ``model`` record ``uid``; ``NotFound(missing)`` when there is none."""
    record = session.scalar(select(model).where(model.uid == uid, model.deleted == false()))
    if record is None:
        raise NotFound(missing)
    return record


def content_of(record: SyncMixin) -> dict[str, Any]:
    return {name: getattr(record, name) for name in record.content_columns()}


def _require_node(ws: Workspace) -> str:
    if ws.node_uid is None:
        raise RuntimeError("the node is not set up; run setup before writing records")
    return ws.node_uid


def _revision_row(entity: str, uid: str, rev: str, parent: str | None, hlc: int, node: str,
                  operator: str, deleted: bool, content: Mapping[str, Any], action: str,
                  note: str = "") -> dict[str, Any]:
    return {"entity": entity, "record_uid": uid, "rev": rev, "parent_rev": parent,
            "merge_parent_rev": None, "hlc": hlc, "node": node, "operator": operator,
            "deleted": deleted, "data": dict(content), "action": action, "note": note}


def _audit_row(entity: str, uid: str, action: str, changes: Mapping[str, Any], ws: Workspace,
               node: str, rev: str, at: datetime, note: str = "") -> dict[str, Any]:
    return {"at": at, "entity": entity, "record_uid": uid, "action": action,
            "changes": dict(changes), "operator": ws.operator, "node": node, "rev": rev, "note": note}


def create(session: Session, ws: Workspace, model: type[R], content: Mapping[str, Any],
           *, uid: str | None = None) -> R:
    node = _require_node(ws)
    uid = uid or new_uid()
    content = {name: content.get(name) for name in model.content_columns()}
    rev = next_rev(None, content, False)
    hlc, now = ws.clock.now(), utcnow()
    record = model(uid=uid, origin_node=node, rev=rev, parent_rev=None, hlc=hlc, updated_at=now,
                   updated_by=ws.operator, deleted=False, **content)
    session.add(record)
    session.add(RecordRevision(**_revision_row(model.__tablename__, uid, rev, None, hlc, node,
                                               ws.operator, False, content, "create")))
    # a creation's values are the first revision's content: the audit row points at it
    # rather than repeating it (a third of the database at 40,550 sub-projects)
    session.add(AuditEntry(**_audit_row(model.__tablename__, uid, "create", {}, ws, node, rev, now)))
    session.flush()
    return record


def _check_rev(record: SyncMixin, expected_rev: str | None) -> None:
    if expected_rev is not None and record.rev != expected_rev:
        raise StaleRecord(
            _("该记录已被其他操作修改（当前版本 {current}，您打开的是 {opened}），请刷新后再编辑。").format(
                current=record.rev, opened=expected_rev
            )
        )


def _check_owner(session: Session, ws: Workspace, record: SyncMixin) -> None:
    """Reference data the city sent down is read-only on a county (the city would refuse the
    change anyway); the city itself and the record's own node may change it."""
    if record.origin_node == ws.node_uid:
        return
    city = select(Node.uid).join(Division, Division.uid == Node.division_uid).where(Division.code == CITY_CODE)
    city_nodes = set(session.scalars(city))
    if record.origin_node in city_nodes and ws.node_uid not in city_nodes:
        raise AppError(_("这是市级下发的参考数据（{entity}），本机只能查看，不能修改或删除。").format(
            entity=_(record.entity_label)))


class RecordFrozen(AppError):
    """A change the record itself refuses: an issued certificate never changes."""


def _check_frozen(record: SyncMixin, changes: Mapping[str, Any], *, deleting: bool = False) -> None:
    # A model that must never change (or only in one way) says so itself: every path that
    # writes (a service, a conflict being resolved, an import) passes through here.
    refuse = getattr(record, "refuse_change", None)
    message = refuse(changes, deleting=deleting) if refuse is not None else ""
    if message:
        raise RecordFrozen(message)


def _new_revision(session: Session, ws: Workspace, record: SyncMixin, action: str,
                  changes: Mapping[str, Any], deleted: bool, note: str = "") -> None:
    node = _require_node(ws)
    content = content_of(record)
    parent = record.rev
    rev = next_rev(parent, content, deleted)
    hlc, now = ws.clock.now(), utcnow()
    record.rev, record.parent_rev, record.hlc = rev, parent, hlc
    record.updated_at, record.updated_by, record.deleted = now, ws.operator, deleted
    session.add(RecordRevision(**_revision_row(record.__tablename__, record.uid, rev, parent, hlc,
                                               node, ws.operator, deleted, content, action, note)))
    session.add(AuditEntry(**_audit_row(record.__tablename__, record.uid, action, changes, ws, node, rev, now, note)))
    session.flush()


def update(session: Session, ws: Workspace, record: R, values: Mapping[str, Any],
           *, expected_rev: str | None = None, action: str = "update", note: str = "",
           always: bool = False) -> dict[str, list[Any]]:
    """Apply changed content fields as a new revision; returns ``{field: [old, new]}``.

    Nothing changes (no revision, no audit) when the values equal what is stored, unless
    ``always``: a person's decision that keeps what is stored is still a step others must see.
    ``action`` names the step in the audit (a state change such as ``rectify``) and
    ``note`` says why where that matters (a correction of an official record).
    """
    _check_rev(record, expected_rev)
    _check_owner(session, ws, record)
    allowed = set(record.content_columns())
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"not content fields of {record.__tablename__}: {sorted(unknown)}")
    changes = {k: [getattr(record, k), v] for k, v in values.items() if getattr(record, k) != v}
    _check_frozen(record, changes)
    if not changes and not always:
        return {}
    for name, (_old, new) in changes.items():
        setattr(record, name, new)
    _new_revision(session, ws, record, action, changes, record.deleted, note)
    return changes


def delete(session: Session, ws: Workspace, record: SyncMixin, *, expected_rev: str | None = None,
           note: str = "") -> None:
    """Tombstone: the row and its past revisions stay; ``deleted`` travels to other nodes.
    ``note`` says why where that matters (removing a file from an official record)."""
    _check_rev(record, expected_rev)
    _check_owner(session, ws, record)
    if record.deleted:
        return
    _check_frozen(record, {"deleted": [False, True]}, deleting=True)
    _new_revision(session, ws, record, "delete", {"deleted": [False, True]}, True, note)


def restore(session: Session, ws: Workspace, record: SyncMixin) -> None:
    if not record.deleted:
        return
    _check_frozen(record, {"deleted": [True, False]})
    _new_revision(session, ws, record, "restore", {"deleted": [True, False]}, False)


def bulk_create(session: Session, ws: Workspace, model: type[SyncMixin],
                contents: Iterable[Mapping[str, Any]], *, uids: Sequence[str] | None = None, total: int = 0,
                cancel: CancelToken | None = None, progress: ProgressSink = no_progress,
                message: str = "") -> list[str]:
    """Create many records with driver-level inserts (ORM ``add`` is ten times slower here).

    Same metadata, revisions and audit rows as ``create``; the caller owns the transaction,
    so a cancel (checked between batches) rolls everything back. A record's uid is
    ``uids[i]`` if given, else its ``"uid"`` item, else a new one.
    """
    node = _require_node(ws)
    operator, clock = ws.operator, ws.clock.now
    columns = model.content_columns()
    entity = model.__tablename__
    if uids is None:
        contents = list(contents)
        given = [item.get("uid") for item in contents]
        fresh = iter(new_uids(sum(1 for uid in given if not uid)))
        uids = [uid or next(fresh) for uid in given]
    uids = list(uids)

    session.flush()  # anything pending in the ORM goes first, in order
    record_inserter = BulkInserter(session, model.__table__, (*_SYNC_INSERT_COLUMNS, *columns))
    revision_inserter = BulkInserter(session, RecordRevision.__table__, _REVISION_INSERT_COLUMNS)
    audit_inserter = BulkInserter(session, AuditEntry.__table__, _AUDIT_COLUMNS)
    # what every row of this call shares, converted for the driver once
    now = utcnow()
    updated_at, live = record_inserter.convert("updated_at", now), record_inserter.convert("deleted", False)
    revision_live = revision_inserter.convert("deleted", False)
    audit_at, no_changes = audit_inserter.convert("at", now), audit_inserter.convert("changes", {})
    data_json = revision_inserter.processor("data") or (lambda value: value)
    converted = [(i, process) for i, name in enumerate(columns)
                 if (process := record_inserter.remembering_processor(name)) is not None]

    rows: list[tuple[Any, ...]] = []
    revisions: list[tuple[Any, ...]] = []
    audits: list[tuple[Any, ...]] = []
    done = 0

    def flush() -> None:
        if rows:
            record_inserter.insert_converted(rows)
            revision_inserter.insert_converted(revisions)
            audit_inserter.insert_converted(audits)
            rows.clear(), revisions.clear(), audits.clear()
        progress(done, total, message)
        if cancel is not None:
            cancel.check()

    for uid, item in zip(uids, contents):
        content = {name: item.get(name) for name in columns}
        rev = next_rev(None, content, False)
        hlc = clock()
        values = list(content.values())
        for i, process in converted:
            values[i] = process(values[i])
        rows.append((uid, node, rev, None, hlc, updated_at, operator, live, *values))
        revisions.append((entity, uid, rev, None, None, hlc, node, operator, revision_live, data_json(content),
                          "create"))
        # a creation's values are the first revision's content: the audit row points at it
        audits.append((audit_at, entity, uid, "create", no_changes, operator, node, rev, ""))
        done += 1
        if len(rows) >= BULK_BATCH:
            flush()
    flush()
    return uids[:done]
