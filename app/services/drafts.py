"""Drafts (草稿): what an edit dialog holds before it is saved, kept so a crash loses nothing.

One small JSON file per draft in ``drafts/`` beside the database (a draft names records
of that database), written to a temporary name and renamed. A dialog saves its draft a
moment after each change and at once when the program meets an unexpected error; the
draft is deleted when the dialog is saved or cancelled. Drafts still there at the next
start were left by a crash, a killed process or a power cut: the program offers them.

A draft is not a record: it is never synchronised, audited or backed up, and it holds
the form's raw text (invalid input included), exactly as the person left it.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import uuid
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

FOLDER = "drafts"
VERSION = 1


@dataclass(frozen=True)
class Draft:
    id: str
    #: which dialog: "guidance_visit", "sub_project" ...
    kind: str
    #: the record being edited; None for a new one
    record_uid: str | None
    #: the form's values, as the dialog's ``draft_values()`` gave them
    values: dict[str, Any] = field(default_factory=dict)
    #: what the dialog needs to open again (the visit's sub-project, say)
    context: dict[str, Any] = field(default_factory=dict)
    #: the dialog's title when it was saved, to name the draft to a person
    title: str = ""
    #: the record's revision the edit started from (None for a new record)
    base_rev: str | None = None
    operator: str = ""
    saved_at: str = ""


def new_draft(kind: str, record_uid: str | None = None, *, context: dict[str, Any] | None = None, title: str = "",
              base_rev: str | None = None, operator: str = "") -> Draft:
    return Draft(id=uuid.uuid4().hex, kind=kind, record_uid=record_uid, context=dict(context or {}), title=title,
                 base_rev=base_rev, operator=operator)


class DraftStore:
    """The drafts of one database. Thread-safe enough: each draft is its own file."""

    def __init__(self, db_path: Path | str) -> None:
        self.db_path = Path(db_path)
        self.folder = self.db_path.parent / FOLDER

    def _path(self, draft_id: str) -> Path:
        if not draft_id.isalnum():
            raise ValueError(f"bad draft id {draft_id!r}")
        return self.folder / f"{draft_id}.json"

    def save(self, draft: Draft, values: dict[str, Any] | None = None) -> Draft:
        """Write ``draft`` (with ``values`` when given) atomically; returns what was written."""
        if values is not None:
            draft = replace(draft, values=values)
        draft = replace(draft, saved_at=datetime.now().isoformat(timespec="seconds"))
        self.folder.mkdir(parents=True, exist_ok=True)
        data = json.dumps({"version": VERSION, "database": self.db_path.name, **asdict(draft)}, ensure_ascii=False)
        fd, temp = tempfile.mkstemp(prefix=".draft-", suffix=".tmp", dir=self.folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(temp, self._path(draft.id))
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        return draft

    def discard(self, draft_id: str) -> None:
        self._path(draft_id).unlink(missing_ok=True)

    def get(self, draft_id: str) -> Draft | None:
        return self._read(self._path(draft_id))

    def _read(self, path: Path) -> Draft | None:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if raw.get("database") != self.db_path.name:
                return None
            known = {f for f in Draft.__dataclass_fields__}
            return Draft(**{k: v for k, v in raw.items() if k in known})
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            log.warning("draft %s unreadable (%s): skipped", path, exc)
            return None

    def list(self) -> list[Draft]:
        """This database's drafts, oldest first."""
        if not self.folder.is_dir():
            return []
        drafts = [d for p in self.folder.glob("*.json") if (d := self._read(p)) is not None]
        return sorted(drafts, key=lambda d: (d.saved_at, d.id))
