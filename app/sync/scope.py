"""What the city sends down to one county: the reference data every node shares and that
county's own records, never another county's.

A record belongs to a division through its sub-project (field work, acceptances and what
hangs off them), or directly (sub-projects, trainings). Everything else is reference data
every county receives: the master list, checklist templates, supervision rounds, notices.
Sending the master list whole keeps every sub-project's master project at hand, and a
record never points at one of another county's records, so what a county receives never
lacks a row it refers to.

A record is judged by its current row, so all of its revisions go the same way.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import SYNC_MODELS

#: entity -> the column holding its division's uid
_DIVISION_COLUMN = {"sub_projects": "division_uid", "trainings": "division_uid"}
#: entity -> (column pointing at its parent, parent entity): it belongs where its parent does
_PARENT = {
    "guidance_visits": ("sub_project_uid", "sub_projects"),
    "problems": ("sub_project_uid", "sub_projects"),
    "acceptances": ("sub_project_uid", "sub_projects"),
    "retention_schedules": ("sub_project_uid", "sub_projects"),
    "acceptance_group_members": ("acceptance_uid", "acceptances"),
    "acceptance_scores": ("acceptance_uid", "acceptances"),
    "certificates": ("acceptance_uid", "acceptances"),
    "round_rechecks": ("problem_uid", "problems"),
    "assessment_scores": ("assessment_uid", "assessments"),
}
#: entity -> (status column, status): records in that state are held back from every node
#: for now. The city's assessment is a draft until published; published results are a
#: public notice every county receives. A held record's revisions are offered again in
#: the next package (see ``packages``), so what hangs off it without a new revision of
#: its own (evidence files) still goes once it is published; a deleted draft never goes.
_HELD_WHILE = {"assessments": ("status", "draft")}
#: entities that can be held back, themselves or through their parent
_HOLDABLE = set(_HELD_WHILE) | {e for e, (_c, parent) in _PARENT.items() if parent in _HELD_WHILE}
#: what a record held back from every node resolves to
HELD = "held"
#: what a record no other node ever receives resolves to
NEVER = "never"
CHUNK = 900


class DivisionResolver:
    """The division each record belongs to, None for reference data (shared by all), or
    ``HELD`` / ``NEVER`` for what no other node receives (yet)."""

    def __init__(self, session: Session, *, held_only: bool = False) -> None:
        """``held_only``: tell held-back records apart and nothing else (a package to the
        city, which receives every division), without reading what cannot be held."""
        self.session = session
        self.held_only = held_only
        self._known: dict[tuple[str, str], str | None] = {}

    def _pairs(self, entity: str, columns: tuple[str, ...], uids: list[str]):
        table = SYNC_MODELS[entity].__table__
        for start in range(0, len(uids), CHUNK):
            chunk = uids[start:start + CHUNK]
            yield from self.session.execute(select(table.c.uid, *(table.c[c] for c in columns))
                                            .where(table.c.uid.in_(chunk)))

    def divisions(self, entity: str, uids: Iterable[str]) -> dict[str, str | None]:
        wanted = [u for u in set(uids) if (entity, u) not in self._known]
        if wanted:
            self._resolve(entity, wanted)
        return {u: self._known.get((entity, u)) for u in uids}

    def _resolve(self, entity: str, uids: list[str]) -> None:
        if self.held_only and entity != "attachments" and entity not in _HOLDABLE:
            pass  # None below
        elif entity in _HELD_WHILE:
            column, state = _HELD_WHILE[entity]
            for uid, value, deleted in self._pairs(entity, (column, "deleted"), uids):
                self._known[(entity, uid)] = (NEVER if deleted else HELD) if value == state else None
        elif entity in _DIVISION_COLUMN:
            for uid, division in self._pairs(entity, (_DIVISION_COLUMN[entity],), uids):
                self._known[(entity, uid)] = division
        elif entity in _PARENT:
            column, parent = _PARENT[entity]
            links = dict(self._pairs(entity, (column,), uids))
            found = self.divisions(parent, [p for p in links.values() if p])
            for uid, parent_uid in links.items():
                self._known[(entity, uid)] = found.get(parent_uid) if parent_uid else None
        elif entity == "attachments":
            # an attachment goes wherever the record it is attached to goes
            owners: dict[str, list[tuple[str, str]]] = {}
            for uid, owner_entity, owner_uid in self._pairs(entity, ("owner_entity", "owner_uid"), uids):
                owners.setdefault(owner_entity, []).append((uid, owner_uid))
            for owner_entity, pairs in owners.items():
                if owner_entity not in SYNC_MODELS or (self.held_only and owner_entity not in _HOLDABLE):
                    continue
                found = self.divisions(owner_entity, [o for _u, o in pairs])
                for uid, owner_uid in pairs:
                    self._known[(entity, uid)] = found.get(owner_uid)
        for uid in uids:
            self._known.setdefault((entity, uid), None)


def withheld(session: Session, keys: Iterable[tuple[str, str]], division_uid: str | None,
             shared_division_uid: str | None) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """Of ``keys`` ((entity, uid) pairs), what a node of ``division_uid`` does not receive
    now, and which of those are only held back (to be offered again in the next package).

    A node receives its own division's records, reference data and the records of the
    division everyone shares (the city's); ``division_uid`` None is the city, which
    receives every division's records, so only held-back records stay."""
    by_entity: dict[str, list[str]] = {}
    for entity, uid in keys:
        by_entity.setdefault(entity, []).append(uid)
    resolver = DivisionResolver(session, held_only=division_uid is None)
    skipped: set[tuple[str, str]] = set()
    held: set[tuple[str, str]] = set()
    for entity, uids in by_entity.items():
        for uid, division in resolver.divisions(entity, uids).items():
            if division == HELD:
                held.add((entity, uid))
            if division in (HELD, NEVER) or (division_uid is not None and division is not None
                                             and division not in (division_uid, shared_division_uid)):
                skipped.add((entity, uid))
    return skipped, held
