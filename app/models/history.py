"""Past revisions (kept for merges and the official record) and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base
from app.models.sync import REV_LENGTH, UID_LENGTH


class RecordRevision(Base):
    """Append-only: one row per revision of any synchronised record (修订历史)."""

    __tablename__ = "record_revisions"
    __table_args__ = (
        UniqueConstraint("entity", "record_uid", "rev"),
        Index(None, "record_uid"),
        # the clock resumes from max(hlc) at every start
        Index(None, "hlc"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity: Mapped[str] = mapped_column(String(64))
    record_uid: Mapped[str] = mapped_column(String(UID_LENGTH))
    rev: Mapped[str] = mapped_column(String(REV_LENGTH))
    parent_rev: Mapped[str | None] = mapped_column(String(REV_LENGTH))
    #: Second parent of a merge revision (a resolved conflict has both heads as parents).
    merge_parent_rev: Mapped[str | None] = mapped_column(String(REV_LENGTH))
    hlc: Mapped[int] = mapped_column(BigInteger)
    node: Mapped[str] = mapped_column(String(UID_LENGTH))
    operator: Mapped[str] = mapped_column(String(64))
    deleted: Mapped[bool] = mapped_column(Boolean)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: the step that made it (create, update, rectify, correct ...) and why, where that
    #: matters: part of the record, so they travel with the revision (the audit log is local)
    action: Mapped[str] = mapped_column(String(16), default="", server_default="")
    note: Mapped[str] = mapped_column(Text, default="", server_default="")


#: every column of a revision row but the local key: what bulk writers insert
REVISION_COLUMNS = ("entity", "record_uid", "rev", "parent_rev", "merge_parent_rev", "hlc", "node", "operator",
                    "deleted", "data", "action", "note")


class AuditEntry(Base):
    """审计日志: who changed which fields of which record, from what to what."""

    __tablename__ = "audit_log"
    __table_args__ = (Index(None, "record_uid"), Index(None, "at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    entity: Mapped[str] = mapped_column(String(64))
    record_uid: Mapped[str] = mapped_column(String(UID_LENGTH))
    #: create / update / delete
    action: Mapped[str] = mapped_column(String(16))
    #: {field: [old, new]} in storage form
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    operator: Mapped[str] = mapped_column(String(64))
    node: Mapped[str] = mapped_column(String(UID_LENGTH))
    rev: Mapped[str] = mapped_column(String(REV_LENGTH))
    #: why, where the action needs one (a correction of an official record)
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
