"""Merging incoming revisions into the database: ancestry decides, clocks only break ties.

For each incoming revision R of record X (see shared SYNC.md):
1. X unknown here: insert it.
2. R already known: skip (re-imports change nothing).
3. The local head is an ancestor of R: fast-forward to R.
4. R is an ancestor of the local head: it is known (case 2).
5. Otherwise concurrent: three-way merge against the common ancestor. A field changed on
   one side only merges; the same field changed on both sides is a conflict kept with both
   values; a delete against an edit is a conflict. The merged revision's id is computed
   from its content and both parents, so every node that merges the same two heads makes
   the same revision, with the same provisional winner (higher generation, then higher
   hash).

The caller owns the transaction (one per package): everything or nothing.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import Date, DateTime, bindparam, select
from sqlalchemy.orm import Session

from app.db.bulk import BulkInserter
from app.models import SYNC_MODELS, Conflict, RecordRevision
from app.models.history import REVISION_COLUMNS
from app.sync.hlc import unpack
from app.sync.revision import HASH_CHARS, canonical_json, generation, rev_sort_key

META = ("origin_node", "rev", "parent_rev", "hlc", "updated_at", "updated_by", "deleted")


@dataclass
class MergeReport:
    inserted: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    merged: Counter = field(default_factory=Counter)
    known: Counter = field(default_factory=Counter)
    conflicts: list[tuple[str, str, list[str]]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def applied(self, entity: str) -> int:
        return self.inserted[entity] + self.updated[entity] + self.merged[entity] + self.known[entity]


def merge_rev(parents: list[str], content: dict[str, Any], deleted: bool) -> str:
    """A merge revision's id: the same two heads merged anywhere give the same id."""
    ordered = sorted(parents, key=rev_sort_key, reverse=True)
    digest = hashlib.sha256(canonical_json({"data": content, "deleted": deleted, "parents": ordered})).hexdigest()
    return f"{max(generation(p) for p in parents) + 1}-{digest[:HASH_CHARS]}"


def _time(hlc: int) -> datetime:
    return datetime.fromtimestamp(unpack(hlc)[0] / 1000, tz=timezone.utc).replace(tzinfo=None)


class _History:
    """Known revisions of one record: rev -> (parents, data, deleted)."""

    def __init__(self, rows) -> None:
        self.revs: dict[str, tuple[tuple[str, ...], dict[str, Any], bool]] = {}
        for r in rows:
            self.add(r.rev, r.parent_rev, r.merge_parent_rev, r.data, r.deleted)

    def add(self, rev: str, parent: str | None, merge_parent: str | None, data: dict, deleted: bool) -> None:
        self.revs[rev] = (tuple(p for p in (parent, merge_parent) if p), data, deleted)

    def ancestors(self, rev: str) -> set[str]:
        seen, stack = set(), [rev]
        while stack:
            current = stack.pop()
            if current in seen or current not in self.revs:
                continue
            seen.add(current)
            stack.extend(self.revs[current][0])
        return seen

    def common_ancestor(self, a: str, b: str) -> str | None:
        shared = self.ancestors(a) & self.ancestors(b)
        # the nearest: the shared revision with the highest generation
        return max(shared, key=rev_sort_key) if shared else None


def apply_changes(session: Session, changes: list[dict[str, Any]], *, protected=lambda change, row: None
                  ) -> MergeReport:
    """Apply ``changes`` (package lines) in order. ``protected(change, local_row)`` returns a
    reason when the change must not touch that record (reference data the sender does not own)."""
    report = MergeReport()
    by_uid: dict[str, Any] = {}  # entity -> its row-by-uid statement
    # (entity, uid) -> that record's incoming revisions in package order, with their parents
    incoming: dict[tuple[str, str], list[tuple[str, tuple[str, ...]]]] = {}
    for change in changes:
        incoming.setdefault((change["entity"], change["uid"]), []).append((change["rev"], tuple(
            p for p in (change.get("parent_rev"), change.get("merge_parent_rev")) if p)))
    unknown = {c["entity"] for c in changes} - set(SYNC_MODELS)
    if unknown:
        raise ValueError(f"unknown entity {sorted(unknown)!r}")
    # everything the package touches is read up front, a few hundred rows per query: one
    # query per change was most of the merge's time
    histories, rows = _prefetch(session, incoming)
    pending = _PendingInserts(session)
    written: set[tuple[str, str]] = set()
    for change in changes:
        entity, uid = change["entity"], change["uid"]
        model = SYNC_MODELS[entity]
        key = (entity, uid)
        history = histories[key]
        rev = change["rev"]
        if rev in history.revs:
            report.known[entity] += 1
            continue
        table = model.__table__
        if key in written:  # changed earlier in this package: read it as it is now
            if entity not in by_uid:
                by_uid[entity] = select(table).where(table.c.uid == bindparam("uid"))
            pending.flush()
            local = session.execute(by_uid[entity], {"uid": uid}).mappings().first()
        else:
            local = rows.get(key)
        reason = protected(change, local)
        if reason:
            report.refused.append(reason)
            continue
        written.add(key)
        _fill_unknown_fields(model, change, history, local)
        pending.revision(change)
        history.add(rev, change.get("parent_rev"), change.get("merge_parent_rev"), change["data"], change["deleted"])
        content_columns = model.content_columns()
        if change.get("merge_parent_rev"):
            # another node's merge: its conflict is kept here too, so every node lists the
            # same conflicts whatever path the revisions took to reach it
            _adopt_conflict(session, content_columns, history, change, local["rev"] if local else None, report)
        if local is None:
            pending.row(entity, dict(
                uid=uid, origin_node=change["origin"], rev=rev, parent_rev=change.get("parent_rev"),
                hlc=change["hlc"], updated_at=_time(change["hlc"]), updated_by=change["operator"],
                deleted=change["deleted"], **{c: _typed(table, c, change["data"].get(c)) for c in content_columns}))
            report.inserted[entity] += 1
            continue
        head = local["rev"]
        if head in history.ancestors(rev):
            _update(session, table, local, content_columns, change["data"], {
                "rev": rev, "parent_rev": change.get("parent_rev"), "hlc": change["hlc"],
                "updated_at": _time(change["hlc"]), "updated_by": change["operator"], "deleted": change["deleted"]})
            report.updated[entity] += 1
            continue
        if _merged_further_on(history, incoming[key], rev, head):
            # The sender already merged this revision with our head, and a later revision of
            # this package builds on that merge: we will fast-forward to it. Merging here
            # as well would make a merge no other node makes, and two nodes would then
            # trade new merges for ever. (Any other concurrent revision is merged in turn,
            # which is what makes the outcome the same however packages were split.)
            report.updated[entity] += 1
            continue
        _merge(session, pending, table, local, content_columns, history, head, change, report)
    pending.flush()
    close_superseded(session, histories)
    return report


def _fill_unknown_fields(model, change: dict[str, Any], history: _History, local) -> None:
    """A node still on an older schema sends records without the fields added since: it
    never changed them, so they keep the value its edit started from (the parent
    revision, else this node's head), or the column's default for a new record. Read as
    empty, they would silently clear what the newer nodes hold."""
    data = change["data"]
    missing = [c for c in model.content_columns() if c not in data]
    if not missing:
        return
    start = history.revs.get(change.get("parent_rev") or "") or (history.revs.get(local["rev"]) if local else None)
    for column in missing:
        if start is not None and column in start[1]:
            data[column] = start[1][column]
        else:
            default = model.__table__.c[column].default
            data[column] = default.arg if default is not None and default.is_scalar else None


class _PendingInserts:
    """New rows and revisions held back and written one ``executemany`` per table: a
    statement per row was most of a city merge's time. Revisions keep their order, which
    is the causal order an export reads them back in. Flushed before anything reads rows
    written in this package."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.revisions: list[dict[str, Any]] = []
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self._inserters: dict[str, BulkInserter] = {}

    def revision(self, change: dict[str, Any]) -> None:
        self.revisions.append({
            "entity": change["entity"], "record_uid": change["uid"], "rev": change["rev"],
            "parent_rev": change.get("parent_rev"), "merge_parent_rev": change.get("merge_parent_rev"),
            "hlc": change["hlc"], "node": change["node"], "operator": change["operator"],
            "deleted": change["deleted"], "data": change["data"],
            # packages made before revisions carried their step have neither
            "action": change.get("action") or "", "note": change.get("note") or ""})

    def row(self, entity: str, values: dict[str, Any]) -> None:
        self.rows.setdefault(entity, []).append(values)

    def _inserter(self, table, columns) -> BulkInserter:
        if table.name not in self._inserters:
            self._inserters[table.name] = BulkInserter(self.session, table, columns)
        return self._inserters[table.name]

    def flush(self) -> None:
        if self.revisions:
            self._inserter(RecordRevision.__table__, REVISION_COLUMNS).insert(self.revisions)
            self.revisions = []
        for entity, rows in self.rows.items():
            table = SYNC_MODELS[entity].__table__
            self._inserter(table, [c.name for c in table.columns if c.name != "id"]).insert(rows)
        self.rows = {}


def _merged_further_on(history: _History, incoming: list[tuple[str, tuple[str, ...]]], rev: str, head: str) -> bool:
    """Whether a revision later in the package, not known here, builds on both ``rev`` and ``head``."""
    pending = {r: parents for r, parents in incoming if r not in history.revs}

    def ancestors(start: str) -> set[str]:
        seen, stack = set(), [start]
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            if current in history.revs:
                stack.extend(history.revs[current][0])
            else:
                stack.extend(pending.get(current, ()))
        return seen

    for later in pending:
        ancestry = ancestors(later)
        if rev in ancestry and head in ancestry:
            return True
    return False


# built once with bound parameters: building a statement per record costs more than running it
#: uids per IN query (SQLite allows 999 parameters by default on older builds)
PREFETCH_CHUNK = 900

_HISTORY = (select(RecordRevision.rev, RecordRevision.parent_rev, RecordRevision.merge_parent_rev,
                   RecordRevision.data, RecordRevision.deleted)
            .where(RecordRevision.entity == bindparam("entity"), RecordRevision.record_uid == bindparam("uid")))


def _prefetch(session: Session, keys) -> tuple[dict[tuple[str, str], _History], dict[tuple[str, str], Any]]:
    """Known revisions and current rows of every (entity, uid) in ``keys``."""
    histories = {key: _History(()) for key in keys}
    rows: dict[tuple[str, str], Any] = {}
    by_entity: dict[str, list[str]] = {}
    for entity, uid in keys:
        by_entity.setdefault(entity, []).append(uid)
    r = RecordRevision
    for entity, uids in by_entity.items():
        table = SYNC_MODELS[entity].__table__
        for start in range(0, len(uids), PREFETCH_CHUNK):
            chunk = uids[start:start + PREFETCH_CHUNK]
            for row in session.execute(select(r.record_uid, r.rev, r.parent_rev, r.merge_parent_rev, r.data,
                                              r.deleted).where(r.entity == entity, r.record_uid.in_(chunk))):
                histories[(entity, row.record_uid)].add(row.rev, row.parent_rev, row.merge_parent_rev, row.data,
                                                        row.deleted)
            for row in session.execute(select(table).where(table.c.uid.in_(chunk))).mappings():
                rows[(entity, row["uid"])] = row
    return histories, rows


def _load_history(session: Session, entity: str, uid: str) -> _History:
    return _History(session.execute(_HISTORY, {"entity": entity, "uid": uid}).all())


def _edited_past(history: _History, head: str, merged_rev: str) -> bool:
    """Whether the head builds on a revision a person made on top of ``merged_rev``: a
    resolution, or an edit made knowing the merge. An automatic merge (two parents) that
    merely includes the conflicted merge decides nothing."""
    ancestry = history.ancestors(head)
    if merged_rev not in ancestry:
        return False
    after = {merged_rev}
    # a child's generation is above its parents': one pass in that order finds every descendant
    for rev in sorted(ancestry, key=rev_sort_key):
        parents = history.revs[rev][0]
        if rev != merged_rev and any(p in after for p in parents):
            after.add(rev)
            if len(parents) == 1:
                return True
    return False


def close_superseded(session: Session, histories: dict[tuple[str, str], _History]) -> None:
    """A conflict whose merge a person's later revision builds on was resolved elsewhere (or
    edited past): it is closed here too. Every open conflict is looked at, not only those of
    the records in this package, so a node that resolved one of two conflicts of a record
    closes the other as the nodes that received its resolution do."""
    for conflict in session.scalars(select(Conflict).where(Conflict.status == "open")).all():
        key = (conflict.entity, conflict.record_uid)
        if key not in histories:
            histories[key] = _load_history(session, *key)
        table = SYNC_MODELS[conflict.entity].__table__
        head = session.scalar(select(table.c.rev).where(table.c.uid == conflict.record_uid))
        if head is not None and _edited_past(histories[key], head, conflict.merged_rev):
            conflict.status, conflict.resolved_rev = "resolved", head


def _update(session: Session, table, local, content_columns, data: dict[str, Any], meta: dict[str, Any]) -> None:
    # only what changed: the certificate triggers refuse any SET of an issued certificate's facts
    values = {c: _typed(table, c, data.get(c)) for c in content_columns
              if local[c] != _typed(table, c, data.get(c))}
    values.update({k: v for k, v in meta.items() if local[k] != v})
    if values:
        session.execute(table.update().where(table.c.uid == local["uid"]).values(**values))


def _typed(table, column: str, value: Any) -> Any:
    """A value as travelled in JSON, as the column stores it (dates travel as ISO text)."""
    if isinstance(value, str):
        kind = table.c[column].type
        if isinstance(kind, DateTime):
            return datetime.fromisoformat(value)
        if isinstance(kind, Date):
            return date.fromisoformat(value)
    return value


def _three_way(content_columns, history: _History, local_rev: str, remote_rev: str, local_data: dict[str, Any],
               local_deleted: bool) -> tuple[str | None, dict[str, Any], bool, dict[str, dict[str, Any]]]:
    """Merge two heads against their nearest common ancestor: (base, content, deleted,
    conflicting fields). Symmetric: both nodes merging the same two heads get the same."""
    base = history.common_ancestor(local_rev, remote_rev)
    base_data = history.revs[base][1] if base else {}
    base_deleted = history.revs[base][2] if base else False
    _parents, remote_data, remote_deleted = history.revs[remote_rev]
    winner_remote = rev_sort_key(remote_rev) > rev_sort_key(local_rev)
    merged: dict[str, Any] = {}
    conflicting: dict[str, dict[str, Any]] = {}
    for column in content_columns:
        b, l_val, r_val = base_data.get(column), local_data.get(column), remote_data.get(column)
        if l_val == r_val or r_val == b:
            merged[column] = l_val
        elif l_val == b:
            merged[column] = r_val
        else:
            merged[column] = r_val if winner_remote else l_val
            conflicting[column] = {"base": b, "local": l_val, "remote": r_val,
                                   "winner": "remote" if winner_remote else "local"}
    local_deleted, remote_deleted = bool(local_deleted), bool(remote_deleted)
    deleted = local_deleted
    if local_deleted != remote_deleted:
        edited = (local_data if remote_deleted else remote_data) != base_data
        if edited or base_deleted:
            deleted = remote_deleted if winner_remote else local_deleted
            conflicting["deleted"] = {"base": base_deleted, "local": local_deleted, "remote": remote_deleted,
                                      "winner": "remote" if winner_remote else "local"}
        else:
            deleted = True  # a delete against no edit simply applies
    return base, merged, deleted, conflicting


def _keep_conflict(session: Session, entity: str, uid: str, base: str | None, local_rev: str, remote_rev: str,
                   merged_rev: str, conflicting: dict[str, dict[str, Any]], report: MergeReport) -> None:
    report.conflicts.append((entity, uid, sorted(conflicting)))
    # one conflict per merge revision: the same merge made here and received from elsewhere
    exists = session.scalar(select(Conflict.id).where(Conflict.entity == entity, Conflict.record_uid == uid,
                                                      Conflict.merged_rev == merged_rev))
    if exists is None:
        session.add(Conflict(entity=entity, record_uid=uid, base_rev=base, local_rev=local_rev, remote_rev=remote_rev,
                             merged_rev=merged_rev, fields=conflicting, detected_at=datetime.utcnow(),
                             status="open"))
        session.flush()


def _adopt_conflict(session: Session, content_columns, history: _History, change: dict[str, Any],
                    head: str | None, report: MergeReport) -> None:
    """The conflict (if any) of a merge revision another node made, as that node kept it."""
    first, second = change["parent_rev"], change["merge_parent_rev"]
    if first not in history.revs or second not in history.revs:
        return
    if head is not None:
        # "local" is the side this node held, as in a conflict found here
        held = history.ancestors(head)
        if second in held and first not in held:
            first, second = second, first
    _p, first_data, first_deleted = history.revs[first]
    base, _merged, _deleted, conflicting = _three_way(content_columns, history, first, second, first_data,
                                                      first_deleted)
    if conflicting:
        _keep_conflict(session, change["entity"], change["uid"], base, first, second, change["rev"], conflicting,
                       report)


def _merge(session: Session, pending: _PendingInserts, table, local, content_columns, history: _History, head: str,
           change: dict[str, Any], report: MergeReport) -> None:
    entity, rev = change["entity"], change["rev"]
    local_data = history.revs[head][1] if head in history.revs else {c: local[c] for c in content_columns}
    base, merged, deleted, conflicting = _three_way(content_columns, history, head, rev, local_data,
                                                    local["deleted"])
    merged_rev = merge_rev([head, rev], merged, deleted)
    parents = sorted([head, rev], key=rev_sort_key, reverse=True)
    hlc = max(change["hlc"], local["hlc"]) + 1
    if merged_rev not in history.revs:
        pending.revision({"entity": entity, "uid": change["uid"], "rev": merged_rev, "parent_rev": parents[0],
                          "merge_parent_rev": parents[1], "hlc": hlc, "node": change["node"],
                          "operator": change["operator"], "deleted": deleted, "data": merged, "action": "merge"})
        history.add(merged_rev, parents[0], parents[1], merged, deleted)
    _update(session, table, local, content_columns, merged, {
        "rev": merged_rev, "parent_rev": parents[0], "hlc": hlc, "updated_at": _time(hlc),
        "updated_by": change["operator"], "deleted": deleted})
    report.merged[entity] += 1
    if conflicting:
        _keep_conflict(session, entity, change["uid"], base, head, rev, merged_rev, conflicting, report)
