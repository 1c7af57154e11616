"""What sync needs locally: packages sent and received, peers' acknowledgements, conflicts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.i18n import N_
from app.models.base import Base
from app.models.sync import REV_LENGTH, UID_LENGTH

#: Conflict.status
CONFLICT_STATUSES: dict[str, str] = {"open": N_("待处理"), "resolved": N_("已处理")}


class Package(Base):
    """导出包 sent or received. A received package id is never applied twice."""

    __tablename__ = "packages"
    __table_args__ = (UniqueConstraint("origin_node", "sequence", "direction"), Index(None, "uid"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(UID_LENGTH))
    #: "out" (made here) or "in" (merged here)
    direction: Mapped[str] = mapped_column(String(4))
    origin_node: Mapped[str] = mapped_column(String(UID_LENGTH))
    receiver_node: Mapped[str] = mapped_column(String(UID_LENGTH))
    #: per-origin sequence: 1, 2, 3 ... of the packages that node made
    sequence: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    handled_at: Mapped[datetime] = mapped_column(DateTime)
    #: sha256 of the tag manifest: a known id with another manifest is a different package
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    #: for "out": the highest local revision id the package carries
    last_revision_id: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    counts: Mapped[dict[str, Any]] = mapped_column(JSON)
    file_name: Mapped[str] = mapped_column(String(255), default="", server_default="")


class PeerState(Base):
    """What a peer node has confirmed of ours: its acknowledgement of our packages."""

    __tablename__ = "peer_states"

    node_uid: Mapped[str] = mapped_column(String(UID_LENGTH), primary_key=True)
    #: the highest of our package sequences the peer has merged
    acked_sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: the highest local revision id the peer therefore holds
    acked_revision_id: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Conflict(Base):
    """冲突: the same field changed on two nodes (or a delete against an edit), kept for a person."""

    __tablename__ = "conflicts"
    __table_args__ = (UniqueConstraint("entity", "record_uid", "local_rev", "remote_rev"), Index(None, "status"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity: Mapped[str] = mapped_column(String(64))
    record_uid: Mapped[str] = mapped_column(String(UID_LENGTH))
    base_rev: Mapped[str | None] = mapped_column(String(REV_LENGTH))
    local_rev: Mapped[str] = mapped_column(String(REV_LENGTH))
    remote_rev: Mapped[str] = mapped_column(String(REV_LENGTH))
    #: the merge revision that carries the provisional winner
    merged_rev: Mapped[str] = mapped_column(String(REV_LENGTH))
    #: {field: {"base": v, "local": v, "remote": v, "winner": "local" | "remote"}}
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    detected_at: Mapped[datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(16), default="open", server_default="open")
    resolved_rev: Mapped[str] = mapped_column(String(REV_LENGTH), default="", server_default="")
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
