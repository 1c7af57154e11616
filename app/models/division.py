"""Administrative divisions (市 / 县区 / 飞地园区) and the installations (nodes) serving them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.i18n import N_
from app.models.base import Base
from app.models.sync import UID_LENGTH, SyncMixin


class Division(SyncMixin, Base):
    """行政区划: the city, its counties/districts and the enclave park. Seeded by a migration."""

    __tablename__ = "divisions"
    entity_label = N_("行政区划")

    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    #: Name without its 县/区 suffix, as people write it (芦山 for 芦山县).
    short_name: Mapped[str] = mapped_column(String(32))
    #: city / district / county / park
    kind: Mapped[str] = mapped_column(String(16))
    parent_uid: Mapped[str | None] = mapped_column(ForeignKey("divisions.uid"))
    sort_order: Mapped[int] = mapped_column(Integer)


class Node(Base):
    """节点: one installation of the application. Local identity, not a synchronised record."""

    __tablename__ = "nodes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(UID_LENGTH), unique=True)
    division_uid: Mapped[str] = mapped_column(ForeignKey("divisions.uid"))
    label: Mapped[str] = mapped_column(String(128))
    #: short code printed in certificate numbers: the division's code and 4 random hex digits,
    #: so two laptops of one county never share it (the city checks at enrolment)
    code: Mapped[str] = mapped_column(String(16), default="", server_default="")
    is_local: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    #: Ed25519 public key (raw 32 bytes, hex) and its fingerprint, as enrolled
    public_key: Mapped[str] = mapped_column(String(64), default="", server_default="")
    fingerprint: Mapped[str] = mapped_column(String(64), default="", server_default="")
    enrolled_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_reason: Mapped[str] = mapped_column(Text, default="", server_default="")


class AppSetting(Base):
    """Local settings of this installation (operator name, language ...)."""

    __tablename__ = "app_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
