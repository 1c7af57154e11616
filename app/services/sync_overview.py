"""What the sync screens show and no other service gives: the per-node overview with the
last package received, export file names, and a readable import preview (a dry run).

Qt-free: the UI calls these, usually inside ``run_task``'s work function.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.i18n import N_, _
from app.models import SYNC_MODELS, Division, Node, Package
from app.services import enrolment, packages
from app.services.conflicts import field_label
from app.services.divisions import CITY_CODE
from app.services.packages import ImportResult
from app.services.tasks import CancelToken, ProgressSink, no_progress
from app.services.workspace import Workspace

#: NodeRow.status
NODE_STATUSES: dict[str, str] = {"local": N_("本机"), "enrolled": N_("已登记"), "revoked": N_("已吊销")}


def local_time(at: datetime | None) -> datetime | None:
    """Stored times are naive UTC; people in Ya'an read their own clock."""
    if at is None:
        return None
    return at.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)


def local_time_text(at: datetime | str | None) -> str:
    """``YYYY-MM-DD HH:MM`` in local time, from a UTC datetime or ISO text; "" when unknown."""
    if isinstance(at, str):
        try:
            at = datetime.fromisoformat(at)
        except ValueError:
            return at
    shown = local_time(at)
    return shown.isoformat(sep=" ", timespec="minutes") if shown else ""


def entity_label(entity: str) -> str:
    model = SYNC_MODELS.get(entity)
    return _(model.entity_label) if model is not None and model.entity_label else entity


@dataclass(frozen=True)
class NodeRow:
    uid: str
    division: str
    code: str
    fingerprint: str
    #: "local", "enrolled" or "revoked" (NODE_STATUSES)
    status: str
    enrolled_at: datetime | None
    revoked_at: datetime | None
    revoked_reason: str
    #: the package from this node merged here most recently (None: nothing received yet)
    last_sequence: int | None = None
    last_received_at: datetime | None = None
    last_created_at: datetime | None = None
    last_counts: dict[str, int] = field(default_factory=dict)
    packages_received: int = 0

    @property
    def last_records(self) -> int | None:
        return sum(self.last_counts.values()) if self.last_sequence is not None else None


def node_rows(ws: Workspace) -> list[NodeRow]:
    """Every node this installation knows, this one first, with the last package received from it."""
    with ws.db.read() as session:
        names = dict(session.execute(select(Division.uid, Division.name)).all())
        order = dict(session.execute(select(Division.uid, Division.sort_order)).all())
        received = dict(session.execute(select(Package.origin_node, func.count())
                                        .where(Package.direction == "in").group_by(Package.origin_node)).all())
        # the latest merged package per node: by when it arrived here, since packages may arrive out of order
        latest: dict[str, Package] = {}
        for package in session.scalars(select(Package).where(Package.direction == "in")
                                       .order_by(Package.handled_at, Package.id)):
            latest[package.origin_node] = package
        nodes = session.scalars(select(Node)).all()
        rows = []
        for n in sorted(nodes, key=lambda n: (not n.is_local, order.get(n.division_uid, 0), n.code)):
            status = "local" if n.is_local else "revoked" if n.revoked_at is not None else "enrolled"
            last = latest.get(n.uid)
            rows.append(NodeRow(
                n.uid, names.get(n.division_uid, n.label), n.code, n.fingerprint, status, n.enrolled_at, n.revoked_at,
                n.revoked_reason or "", last.sequence if last else None, last.handled_at if last else None,
                last.created_at if last else None, dict(last.counts or {}) if last else {}, received.get(n.uid, 0)))
        return rows


def local_is_city(ws: Workspace) -> bool:
    with ws.db.read() as session:
        return session.scalar(select(Division.code).where(Division.uid == ws.division_uid)) == CITY_CODE


def unenrolled_divisions(ws: Workspace) -> list[str]:
    """Counties and districts with no enrolled, unrevoked node: what the city still waits for."""
    with ws.db.read() as session:
        covered = set(session.scalars(select(Node.division_uid).where(Node.revoked_at.is_(None))))
        return [d.name for d in session.scalars(select(Division).where(Division.deleted.is_(False),
                                                                       Division.code != CITY_CODE)
                                                .order_by(Division.sort_order)) if d.uid not in covered]


def send_targets(ws: Workspace) -> list[enrolment.NodeInfo]:
    """The enrolled, unrevoked nodes a package can be addressed to."""
    return [n for n in enrolment.list_nodes(ws) if not n.is_local and n.revoked_at is None]


def next_export_sequence(ws: Workspace) -> int:
    """The number the next package made here will carry (as ``export_package`` assigns it)."""
    with ws.db.read() as session:
        return (session.scalar(select(func.max(Package.sequence)).where(Package.direction == "out")) or 0) + 1


def export_file_name(ws: Workspace, *, receiver: str | None = None, day: date | None = None) -> str:
    """芦山县-导出包-第3号-2026-11-25.zip; the city's names say which county they are for."""
    with ws.db.read() as session:
        origin = session.scalar(select(Division.name).where(Division.uid == ws.division_uid)) or ""
        to = session.scalar(select(Node.label).where(Node.uid == receiver)) if receiver else None
    values = {"origin": origin, "n": next_export_sequence(ws), "day": (day or date.today()).isoformat()}
    if to and local_is_city(ws):
        return _("{origin}-导出包-第{n}号-发往{to}-{day}.zip").format(to=to, **values)
    return _("{origin}-导出包-第{n}号-{day}.zip").format(**values)


@dataclass(frozen=True)
class PreviewConflict:
    entity: str
    record: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class EntityCounts:
    entity: str
    added: int
    updated: int
    #: merged without a conflict (the merge report counts conflicted merges too)
    merged: int
    known: int
    conflicts: int


@dataclass
class ImportPreview:
    """A dry run of ``packages.import_package``, in words a person can check before merging."""

    path: Path
    result: ImportResult
    origin_label: str
    origin_code: str
    conflicts: list[PreviewConflict]
    by_entity: list[EntityCounts]
    #: notes about the package itself (e.g. addressed to another node), before the merge's own warnings
    notes: list[str]

    @property
    def counts(self) -> dict[str, int]:
        """Totals that partition the changes: a conflicted merge counts as a conflict, not also as merged."""
        s = self.result.summary()
        conflicts = len(s["conflicts"])
        return {"added": s["added"], "updated": s["updated"], "merged": s["merged"] - conflicts,
                "known": s["known"], "conflicts": conflicts}


def count_captions() -> list[tuple[str, str]]:
    """``ImportPreview.counts`` keys with their captions, in the order they are shown."""
    return [("added", _("新增 {n}")), ("updated", _("更新 {n}")), ("merged", _("合并 {n}")),
            ("known", _("已有 {n}")), ("conflicts", _("冲突 {n}"))]


def counts_text(counts: dict[str, int]) -> str:
    """新增 3 · 更新 1 · 合并 0 · 已有 12 · 冲突 1 (plain text, for messages and screen readers)."""
    return " · ".join(caption.format(n=f"{counts.get(key, 0):,}") for key, caption in count_captions())


def _record_label(session: Session, entity: str, uid: str) -> str:
    model = SYNC_MODELS.get(entity)
    if model is None:
        return uid
    row = session.execute(select(model.__table__).where(model.__table__.c.uid == uid)).mappings().first()
    name = " ".join(str(row[k]) for k in ("code", "plan_code", "number", "name", "title") if row and k in row and row[k])
    return name or uid


def describe(ws: Workspace, path: Path, result: ImportResult) -> ImportPreview:
    """Labels for a result of ``import_package`` (dry run or not)."""
    info, report = result.info, result.report
    with ws.db.read() as session:
        origin = session.scalar(select(Node).where(Node.uid == info.origin_node))
        found = [PreviewConflict(entity_label(e), _record_label(session, e, uid),
                                 tuple(field_label(e, f) for f in fields)) for e, uid, fields in report.conflicts]
        receiver = session.scalar(select(Node.label).where(Node.uid == info.receiver_node))
    entities = sorted(set(report.inserted) | set(report.updated) | set(report.merged) | set(report.known),
                      key=entity_label)
    conflicted = Counter(e for e, _uid, _fields in report.conflicts)
    by_entity = [EntityCounts(entity_label(e), report.inserted[e], report.updated[e], report.merged[e] - conflicted[e],
                              report.known[e], conflicted[e]) for e in entities]
    notes = []
    if info.receiver_node and info.receiver_node != ws.node_uid:
        # harmless to merge, but the person may have picked another county's stick
        notes.append(_("这个导出包是发给{to}的，不是发给本机的。").format(to=receiver or info.receiver_node))
    return ImportPreview(Path(path), result, origin.label if origin else info.origin_node,
                         origin.code if origin else "", found, by_entity, notes)


def preview_import(ws: Workspace, path: Path, *, cancel: CancelToken | None = None,
                   progress: ProgressSink = no_progress) -> ImportPreview:
    """Check the package and run its merge rolled back: exactly what 合并 would do now."""
    result = packages.import_package(ws, path, dry_run=True, cancel=cancel, progress=progress)
    return describe(ws, path, result)


def run_import(ws: Workspace, path: Path, *, cancel: CancelToken | None = None,
               progress: ProgressSink = no_progress) -> ImportPreview:
    """The real import, described like the preview (the database may have moved on since)."""
    result = packages.import_package(ws, path, cancel=cancel, progress=progress)
    return describe(ws, path, result)
