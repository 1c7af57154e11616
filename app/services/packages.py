"""Export packages up to the city and back down, and their merge.

Export carries every revision the receiver has not acknowledged (everything the first
time), so a lost USB stick only delays. Import checks the whole package before touching
the database, then merges it in one transaction that also records the package; a dry
run is the same merge rolled back, so the preview is exactly what an import would do.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text

from app.db.migrate import head_revision, known_revisions
from app.i18n import _
from app.models import SYNC_MODELS, Certificate, Division, Node, Package, PeerState, RecordRevision
from app.services import attachments, backups, enrolment
from app.services.divisions import CITY_CODE
from app.services.records import new_uid, utcnow
from app.services.tasks import CancelToken, ProgressSink, no_progress
from app.services.workspace import Workspace
from app.sync import keys, merge, scope
from app.sync.package import PackageContent, PackageInfo, PackageRefused, read_package, write_package

#: the seed migrations' node: reference data every node holds alike
SEED_NODE = "00000000-0000-7000-8000-000000000000"


@dataclass(frozen=True)
class ExportResult:
    path: Path
    package_id: str
    sequence: int
    receiver: str
    counts: dict[str, int]
    attachments: int


@dataclass
class ImportResult:
    info: PackageInfo
    already_imported: bool = False
    dry_run: bool = False
    report: merge.MergeReport = field(default_factory=merge.MergeReport)
    warnings: list[str] = field(default_factory=list)
    #: enrolments and revocations taken from the city's directory, in words
    node_changes: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        r = self.report
        return {"package": self.info.package_id, "origin": self.info.origin_node, "sequence": self.info.sequence,
                "already_imported": self.already_imported, "dry_run": self.dry_run,
                "added": sum(r.inserted.values()), "updated": sum(r.updated.values()),
                "merged": sum(r.merged.values()), "known": sum(r.known.values()),
                "conflicts": [{"entity": e, "uid": u, "fields": f} for e, u, f in r.conflicts],
                "refused": r.refused, "warnings": self.warnings, "nodes": self.node_changes}


class _DryRun(Exception):
    pass


def _city_node(session) -> Node | None:
    return session.scalar(select(Node).join(Division, Division.uid == Node.division_uid)
                          .where(Division.code == CITY_CODE, Node.is_local.is_(False), Node.revoked_at.is_(None)))


def default_receiver(ws: Workspace) -> str:
    """A county sends to the enrolled city; the city names the county it sends to."""
    with ws.db.read() as session:
        city = _city_node(session)
        return city.uid if city else ""


def export_package(ws: Workspace, out: Path, *, receiver: str | None = None, cancel: CancelToken | None = None,
                   progress: ProgressSink = no_progress) -> ExportResult:
    key = enrolment.ensure_local_key(ws)
    receiver = default_receiver(ws) if receiver is None else receiver
    message = _("正在准备导出包…")
    with ws.db.read() as session:
        acked = session.scalar(select(PeerState.acked_revision_id).where(PeerState.node_uid == receiver)) or 0
        # plain rows, not ORM objects: building an object per revision was most of an export
        revisions = RecordRevision.__table__
        rows = session.execute(select(revisions).where(revisions.c.id > acked).order_by(revisions.c.id)).all()
        origins: dict[tuple[str, str], str] = {}
        by_entity: dict[str, set[str]] = {}
        for r in rows:
            by_entity.setdefault(r.entity, set()).add(r.record_uid)
        down = _county_receiving(session, ws, receiver)
        skipped, held = scope.withheld(session, ((e, u) for e, uids in by_entity.items() for u in uids),
                                       down, _city_division(session))
        directory = enrolment.directory(session) if down else []
        for entity, uids in by_entity.items():
            table = SYNC_MODELS[entity].__table__
            ordered = list(uids)
            for start in range(0, len(ordered), 900):
                for uid, origin in session.execute(select(table.c.uid, table.c.origin_node)
                                                   .where(table.c.uid.in_(ordered[start:start + 900]))):
                    origins[(entity, uid)] = origin
        sequence = (session.scalar(select(func.max(Package.sequence)).where(Package.direction == "out")) or 0) + 1
        acks = dict(session.execute(select(Package.origin_node, func.max(Package.sequence))
                                    .where(Package.direction == "in").group_by(Package.origin_node)).all())
    changes, counts, files = [], Counter(), {}
    last_id, first_held = acked, None
    for n, r in enumerate(rows):
        last_id = r.id
        key_of = (r.entity, r.record_uid)
        if key_of in skipped:
            # another county's record stays at the city; a held one (a draft assessment)
            # is offered again next time: the acknowledgement must not pass it
            if key_of in held and first_held is None:
                first_held = r.id
            continue
        if r.node == SEED_NODE or (r.node == receiver and r.merge_parent_rev is None):
            # every node was born with it, or the receiver made it. Not a merge: a merge is
            # recorded under the sender of the change it merged, yet made here, and the
            # receiver makes the same one only if its head has not moved since.
            continue
        changes.append({"entity": r.entity, "uid": r.record_uid, "rev": r.rev, "parent_rev": r.parent_rev,
                        "merge_parent_rev": r.merge_parent_rev, "hlc": r.hlc, "node": r.node,
                        "operator": r.operator, "deleted": r.deleted, "data": r.data, "action": r.action,
                        "note": r.note,
                        "origin": origins.get((r.entity, r.record_uid), r.node)})
        counts[r.entity] += 1
        if r.entity == "attachments" and not r.deleted:
            stored = attachments.stored_path(ws, r.data["sha256"])
            if stored.exists():
                files[r.data["sha256"]] = stored
        if n % 5000 == 0:
            progress(n, len(rows), message)
            if cancel is not None:
                cancel.check()
    package_id = new_uid()
    info = PackageInfo(package_id, ws.node_uid, receiver, sequence, head_revision(),
                       keys.fingerprint(keys.public_hex(key)), utcnow().isoformat(timespec="seconds"))
    progress(len(rows), len(rows), _("正在写入导出包…"))
    manifest = write_package(out, info, changes, acks, dict(counts), files, lambda data: keys.sign(key, data),
                             nodes=directory)
    # read the copy back (it may sit on a USB stick) before saying it is done
    own = keys.public_hex(key)
    check = read_package(out, lambda node: (own, keys.fingerprint(own)) if node == ws.node_uid else None)
    check.workdir.cleanup()
    with ws.db.write() as session:
        session.add(Package(uid=package_id, direction="out", origin_node=ws.node_uid, receiver_node=receiver,
                            sequence=sequence, created_at=utcnow(), handled_at=utcnow(), manifest_sha256=manifest,
                            last_revision_id=last_id if first_held is None else first_held - 1,
                            counts=dict(counts), file_name=Path(out).name))
    return ExportResult(Path(out), package_id, sequence, receiver, dict(counts), len(files))


def _city_division(session) -> str | None:
    return session.scalar(select(Division.uid).where(Division.code == CITY_CODE))


def _county_receiving(session, ws: Workspace, receiver: str) -> str | None:
    """The receiver's division when the city sends to a county (it gets only its part);
    None when everything goes (a county sending to the city)."""
    city = _city_division(session)
    local = session.scalar(select(Node.division_uid).where(Node.uid == ws.node_uid))
    division = session.scalar(select(Node.division_uid).where(Node.uid == receiver))
    return division if local == city and division is not None and division != city else None


def _enrolled_key(ws: Workspace):
    def lookup(node_uid: str) -> tuple[str, str] | None:
        with ws.db.read() as session:
            node = session.scalar(select(Node).where(Node.uid == node_uid))
        if node is None or not node.public_key or node.revoked_at is not None or node.is_local:
            return None
        return node.public_key, node.fingerprint
    return lookup


def _backup_before_import(ws: Workspace, cancel: CancelToken | None, progress: ProgressSink) -> None:
    backups.before_import(ws, cancel=cancel, progress=progress)


#: what runs once a package is known to be new and acceptable, just before its merge
BeforeMerge = Callable[[Workspace, CancelToken | None, ProgressSink], None]


def import_package(ws: Workspace, path: Path, *, dry_run: bool = False, cancel: CancelToken | None = None,
                   progress: ProgressSink = no_progress,
                   before_merge: BeforeMerge = _backup_before_import) -> ImportResult:
    """Check, then merge in one transaction (or roll it back for a dry run).

    A real merge is preceded by ``before_merge``: a verified backup, unless the caller
    (several packages in a row) has made one already.
    """
    progress(0, 0, _("正在校验导出包…"))
    content = read_package(Path(path), _enrolled_key(ws))
    try:
        return _import(ws, content, dry_run=dry_run, cancel=cancel, progress=progress, before_merge=before_merge)
    finally:
        content.workdir.cleanup()


def _import(ws: Workspace, content: PackageContent, *, dry_run: bool, cancel, progress,
            before_merge: BeforeMerge) -> ImportResult:
    info = content.info
    if info.schema and info.schema not in known_revisions():
        # fields this version does not know would be dropped on the way in
        raise PackageRefused(_("导出包由较新版本的程序生成（数据结构 {theirs}，本机 {ours}）：请先升级本机程序，再导入这个包。").format(
            theirs=info.schema, ours=head_revision()))
    result = ImportResult(info, dry_run=dry_run)
    with ws.db.read() as session:
        seen = session.scalar(select(Package).where(Package.direction == "in", Package.uid == info.package_id))
        if seen is None:
            seen = session.scalar(select(Package).where(Package.direction == "in",
                                                        Package.origin_node == info.origin_node,
                                                        Package.sequence == info.sequence))
            if seen is not None:
                raise PackageRefused(_("来自该节点的第 {n} 号导出包已导入过，但内容不同：已拒绝。").format(n=info.sequence))
        elif seen.manifest_sha256 != content.manifest_sha256:
            raise PackageRefused(_("导出包 {id} 已导入过，但这一份的内容不同：已拒绝。").format(id=info.package_id))
        else:
            result.already_imported = True
            return result
        origin = session.scalar(select(Node).where(Node.uid == info.origin_node))
        city = _city_division(session)
        local = session.scalar(select(Node).where(Node.is_local.is_(True)))
        owners = {n.uid for n in session.scalars(select(Node).where(Node.division_uid == city))} | {SEED_NODE}
        issued = [c["uid"] for c in content.changes if c["entity"] == "certificates" and c.get("parent_rev") is None]
        known_certificates = {uid for start in range(0, len(issued), 900) for uid in session.scalars(
            select(Certificate.uid).where(Certificate.uid.in_(issued[start:start + 900])))}
    sender_is_city = origin.division_uid == city
    local_is_city = local.division_uid == city

    def protected(change: dict[str, Any], row) -> str | None:
        # reference data the city owns is read-only elsewhere: a county cannot change it
        if local_is_city and not sender_is_city and row is not None and row["origin_node"] in owners:
            return _("{entity} {uid} 是市级参考数据，县级导出包不能修改，已跳过。").format(
                entity=change["entity"], uid=change["uid"])
        return None

    for change in content.changes:
        if change["entity"] == "certificates" and change.get("parent_rev") is None:
            code = change["data"].get("node_code")
            # Only the city relays other nodes' certificates. A county carrying one this node
            # does not hold yet would be issuing it in another node's name, whatever origin
            # its line claims.
            relayed_new = not sender_is_city and change["uid"] not in known_certificates
            if code != origin.code and (change["origin"] == info.origin_node or relayed_new):
                raise PackageRefused(_("证书 {number} 的节点代码 {code} 与签名节点 {node}（{own}）不符，已拒绝。").format(
                    number=change["data"].get("number"), code=code, node=origin.label, own=origin.code))
    if not dry_run:
        # a verified backup (the last N kept), once the package is known to be new and acceptable
        before_merge(ws, cancel, progress)
    # content-addressed files are harmless if the merge below rolls back
    for digest, file in content.attachments.items():
        attachments.store_file(ws, file, digest)
    try:
        with ws.db.write() as session:
            session.execute(text("PRAGMA defer_foreign_keys = ON"))
            before = dict(session.execute(select(Certificate.node_code, func.max(Certificate.sequence))
                                          .group_by(Certificate.node_code)).all())
            result.report = merge.apply_changes(session, content.changes, protected=protected)
            for change in content.changes:
                # only a certificate new here says anything about its node's sequence:
                # cumulative, late or relayed packages carry known ones again
                if (change["entity"] == "certificates" and change.get("parent_rev") is None
                        and change["uid"] not in known_certificates):
                    code, seq = change["data"].get("node_code"), change["data"].get("sequence") or 0
                    if code in before and seq <= before[code]:
                        result.warnings.append(_("节点 {code} 的证书顺序号倒退（{seq} ≤ {last}）：该节点可能恢复了旧备份。").format(
                            code=code, seq=seq, last=before[code]))
            applied = Counter()
            for entity in set(content.counts) | {c["entity"] for c in content.changes}:
                applied[entity] = result.report.applied(entity)
            refused = len(result.report.refused)
            if sum(applied.values()) + refused != sum(content.counts.values()) or \
                    len(content.changes) != sum(content.counts.values()):
                raise PackageRefused(_("导出包中的记录数与实际合并的记录数不一致，已撤销本次导入。"))
            session.add(Package(uid=info.package_id, direction="in", origin_node=info.origin_node,
                                receiver_node=info.receiver_node, sequence=info.sequence,
                                created_at=datetime.fromisoformat(info.created) if info.created else utcnow(),
                                handled_at=utcnow(), manifest_sha256=content.manifest_sha256,
                                counts=content.counts))
            ours = content.acks.get(ws.node_uid)
            if ours:
                sent = session.scalar(select(Package).where(Package.direction == "out", Package.sequence == ours))
                state = session.get(PeerState, info.origin_node) or PeerState(node_uid=info.origin_node,
                                                                              acked_sequence=0, acked_revision_id=0)
                if ours > state.acked_sequence and sent is not None:
                    state.acked_sequence, state.acked_revision_id = ours, sent.last_revision_id
                session.merge(state)
            if sender_is_city and not local_is_city:
                # only the city's directory counts: a county's package never changes who is trusted
                result.node_changes = enrolment.apply_directory(session, content.nodes, local_uid=ws.node_uid,
                                                                sender_uid=info.origin_node)
            ws.clock.observe(max((c["hlc"] for c in content.changes), default=0))
            if dry_run:
                raise _DryRun()
    except _DryRun:
        pass
    return result


def conflicts(ws: Workspace, *, status: str = "open") -> list[dict[str, Any]]:
    from app.models import Conflict

    with ws.db.read() as session:
        return [{"id": c.id, "entity": c.entity, "record_uid": c.record_uid, "fields": c.fields,
                 "local_rev": c.local_rev, "remote_rev": c.remote_rev, "merged_rev": c.merged_rev,
                 "detected_at": c.detected_at.isoformat(timespec="seconds"), "status": c.status}
                for c in session.scalars(select(Conflict).where(Conflict.status == status).order_by(Conflict.id))]


def node_label(ws: Workspace, node_uid: str) -> str:
    with ws.db.read() as session:
        node = session.scalar(select(Node).where(Node.uid == node_uid))
    return node.label if node else node_uid


