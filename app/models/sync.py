"""Sync metadata every synchronised record carries (see shared SYNC.md), in one mixin.

Nothing outside ``app.services.records`` writes these columns: that module is the one
place that stamps a new revision, keeps the old one and writes the audit row.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import BigInteger, Boolean, DateTime, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

UID_LENGTH = 36
REV_LENGTH = 40

#: Columns that describe a revision rather than the record's content.
SYNC_COLUMNS = frozenset(
    {"id", "uid", "origin_node", "rev", "parent_rev", "hlc", "updated_at", "updated_by", "deleted"}
)


class SyncMixin:
    """uid leaves the machine; id is only a local key for row identity in views."""

    #: Label of the entity in audit and history views (a msgid, translated at display).
    entity_label: ClassVar[str] = ""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(UID_LENGTH), unique=True)
    origin_node: Mapped[str] = mapped_column(String(UID_LENGTH))
    #: "<generation>-<hash of content and parent>"; ancestry, not clocks, orders revisions.
    rev: Mapped[str] = mapped_column(String(REV_LENGTH))
    parent_rev: Mapped[str | None] = mapped_column(String(REV_LENGTH))
    #: Hybrid logical clock: display and tie-break only.
    hlc: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(64))
    deleted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    @classmethod
    def content_columns(cls) -> tuple[str, ...]:
        """Names of the columns that make up the record's content (what a revision hashes).
        Worked out once per model: a merge asks for every change it applies."""
        cached = cls.__dict__.get("_content_columns")
        if cached is None:
            cached = tuple(c.name for c in cls.__table__.columns if c.name not in SYNC_COLUMNS)
            cls._content_columns = cached
        return cached
