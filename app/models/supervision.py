"""Supervision (督导): rounds and groups, re-checks of open problems, notices, trainings."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.i18n import N_
from app.models.base import Base
from app.models.sync import UID_LENGTH, SyncMixin

_LIVE = text("deleted = 0")

#: RoundRecheck.result
RECHECK_RESULTS: dict[str, str] = {
    "pending": N_("待复查"),
    "rectified": N_("已整改到位"),
    "not_rectified": N_("仍未整改"),
}

#: Notice.status
NOTICE_STATUSES: dict[str, str] = {"draft": N_("草稿"), "issued": N_("已印发"), "superseded": N_("已更正")}

#: Training.level
TRAINING_LEVELS: dict[str, str] = {"city": N_("市级"), "county": N_("县级")}


class SupervisionRound(SyncMixin, Base):
    """督导轮次: 首轮, 第二轮 ... each re-checks what the last left open."""

    __tablename__ = "supervision_rounds"
    __table_args__ = (Index("uq_supervision_rounds_live_number", "number", unique=True, sqlite_where=_LIVE),)
    entity_label = N_("督导轮次")

    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(32))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")


class SupervisionGroup(SyncMixin, Base):
    """督导组 of a round: leader, members, and the counties or sectors it covers."""

    __tablename__ = "supervision_groups"
    __table_args__ = (Index(None, "round_uid"),)
    entity_label = N_("督导组")

    round_uid: Mapped[str] = mapped_column(ForeignKey("supervision_rounds.uid"))
    name: Mapped[str] = mapped_column(String(64))
    leader: Mapped[str] = mapped_column(String(64))
    #: names separated by 、
    members: Mapped[str] = mapped_column(String(400), default="", server_default="")
    #: division uids covered
    division_uids: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: sectors covered, free text (行业领域)
    sectors: Mapped[str] = mapped_column(String(200), default="", server_default="")


class RoundRecheck(SyncMixin, Base):
    """复查: a problem left open by the previous round, re-checked in this one."""

    __tablename__ = "round_rechecks"
    __table_args__ = (
        Index("uq_round_rechecks_live_round_problem", "round_uid", "problem_uid", unique=True, sqlite_where=_LIVE),
        Index(None, "problem_uid"),
    )
    entity_label = N_("督导复查")

    round_uid: Mapped[str] = mapped_column(ForeignKey("supervision_rounds.uid"))
    problem_uid: Mapped[str] = mapped_column(ForeignKey("problems.uid"))
    result: Mapped[str] = mapped_column(String(16), default="pending", server_default="pending")
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    checked_on: Mapped[date | None] = mapped_column(Date)


class Notice(SyncMixin, Base):
    """通报: a numbered notice (e.g. 雅重建委〔2016〕3号). Issued notices never change:
    a correction is a new notice that supersedes it."""

    __tablename__ = "notices"
    __table_args__ = (Index("uq_notices_live_number", "number", unique=True, sqlite_where=_LIVE),)
    entity_label = N_("通报")

    #: 文号
    number: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    issue_date: Mapped[date] = mapped_column(Date)
    #: 发文机关
    issuer: Mapped[str] = mapped_column(String(100))
    #: 主送 (recipients)
    recipients: Mapped[str] = mapped_column(String(400), default="", server_default="")
    #: opening paragraph before the opinions
    preamble: Mapped[str] = mapped_column(Text, default="", server_default="")
    status: Mapped[str] = mapped_column(String(16), default="draft", server_default="draft")
    round_uid: Mapped[str | None] = mapped_column(ForeignKey("supervision_rounds.uid"))
    #: the issued notice this one corrects
    supersedes_uid: Mapped[str | None] = mapped_column(String(UID_LENGTH))


class NoticeItem(SyncMixin, Base):
    """督导意见: one opinion of a notice, optionally pointing at problems in the ledger."""

    __tablename__ = "notice_items"
    __table_args__ = (Index(None, "notice_uid"),)
    entity_label = N_("督导意见")

    notice_uid: Mapped[str] = mapped_column(ForeignKey("notices.uid"))
    seq: Mapped[int] = mapped_column(Integer)
    division_uid: Mapped[str | None] = mapped_column(ForeignKey("divisions.uid"))
    text: Mapped[str] = mapped_column(Text)
    problem_uids: Mapped[list[str]] = mapped_column(JSON, default=list)


class Training(SyncMixin, Base):
    """培训: a training session and its attendance (人次)."""

    __tablename__ = "trainings"
    __table_args__ = (Index("ix_trainings_live_held_on", "held_on", sqlite_where=_LIVE),)
    entity_label = N_("培训")

    held_on: Mapped[date] = mapped_column(Date)
    level: Mapped[str] = mapped_column(String(8))
    #: the division that organised it (the city for 市级)
    division_uid: Mapped[str] = mapped_column(ForeignKey("divisions.uid"))
    organiser: Mapped[str] = mapped_column(String(100))
    topic: Mapped[str] = mapped_column(String(200))
    attendance: Mapped[int] = mapped_column(Integer)
    location: Mapped[str] = mapped_column(String(100), default="", server_default="")
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")
