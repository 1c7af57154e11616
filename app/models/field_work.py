"""Field work: on-site guidance visits (现场指导), the problem ledger (问题台账) and attachments."""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Date, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.i18n import N_
from app.models.base import Base
from app.models.sync import UID_LENGTH, SyncMixin

_LIVE = text("deleted = 0")

#: GuidanceVisit.kind
VISIT_KINDS: dict[str, str] = {
    "early_intervention": N_("提前介入"),
    "mid_term_check": N_("中间检查"),
    "ongoing_guidance": N_("全程指导"),
    "supervision": N_("督导"),
}

#: Problem.state: 待整改 -> 已整改 -> 已复查 (a failed verification goes back to open)
PROBLEM_STATES: dict[str, str] = {
    "open": N_("待整改"),
    "rectified": N_("已整改"),
    "verified": N_("已复查"),
}

#: Problem.source
PROBLEM_SOURCES: dict[str, str] = {
    "visit": N_("现场指导"),
    "supervision": N_("督导检查"),
    "acceptance": N_("档案验收"),
}

#: Problem.category: the usual headings of a 问题台账
PROBLEM_CATEGORIES: dict[str, str] = {
    "organisation": N_("组织机构与人员"),
    "rules": N_("制度与保管期限表"),
    "collection": N_("文件收集不全"),
    "arrangement": N_("整理归档不规范"),
    "as_built": N_("竣工图不规范"),
    "signature": N_("签字盖章不全"),
    "storage": N_("档案保管条件"),
    "audio_visual": N_("声像档案"),
    "other": N_("其他"),
}


class GuidanceVisit(SyncMixin, Base):
    """现场指导: one on-site visit to a sub-project."""

    __tablename__ = "guidance_visits"
    __table_args__ = (
        Index(None, "sub_project_uid"),
        Index("ix_guidance_visits_live_visit_date", "visit_date", sqlite_where=_LIVE),
    )
    entity_label = N_("现场指导")

    sub_project_uid: Mapped[str] = mapped_column(ForeignKey("sub_projects.uid"))
    visit_date: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(24))
    #: 指导人员: the archivists who went, names separated by 、
    archivists: Mapped[str] = mapped_column(String(200), default="", server_default="")
    #: 参加人员: the unit's people met
    unit_people: Mapped[str] = mapped_column(String(200), default="", server_default="")
    #: 检查和指导内容
    content: Mapped[str] = mapped_column(Text, default="", server_default="")


class Problem(SyncMixin, Base):
    """问题台账 entry: a problem found on site, its rectification and its verification.

    A verified problem is part of the official record: only ``problems.correct`` changes
    it, as a new revision with a stated reason; the revision history keeps the old one.
    """

    __tablename__ = "problems"
    __table_args__ = (
        Index(None, "sub_project_uid"),
        Index(None, "visit_uid"),
        Index(None, "round_uid"),
        # the ledger's usual question: what is not done, by deadline
        Index("ix_problems_live_state_deadline", "state", "deadline", sqlite_where=_LIVE),
        Index("ix_problems_live_deadline", "deadline", sqlite_where=_LIVE),
    )
    entity_label = N_("问题")

    sub_project_uid: Mapped[str] = mapped_column(ForeignKey("sub_projects.uid"))
    source: Mapped[str] = mapped_column(String(16))
    visit_uid: Mapped[str | None] = mapped_column(ForeignKey("guidance_visits.uid"))
    round_uid: Mapped[str | None] = mapped_column(ForeignKey("supervision_rounds.uid"))
    #: the acceptance that failed (set by the acceptance service, later)
    acceptance_uid: Mapped[str | None] = mapped_column(String(UID_LENGTH))
    category: Mapped[str] = mapped_column(String(24))
    description: Mapped[str] = mapped_column(Text)
    #: 责任人 of the unit
    responsible_person: Mapped[str] = mapped_column(String(64), default="", server_default="")
    found_on: Mapped[date] = mapped_column(Date)
    #: 整改时限
    deadline: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16), default="open", server_default="open")
    #: 整改情况
    rectification: Mapped[str] = mapped_column(Text, default="", server_default="")
    rectified_by: Mapped[str] = mapped_column(String(64), default="", server_default="")
    rectified_on: Mapped[date | None] = mapped_column(Date)
    #: 复查结论 (also the note of a failed verification)
    verification_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    verified_by: Mapped[str] = mapped_column(String(64), default="", server_default="")
    verified_on: Mapped[date | None] = mapped_column(Date)


class Attachment(SyncMixin, Base):
    """附件: a file attached to a record. The bytes live once per content hash on disk."""

    __tablename__ = "attachments"
    __table_args__ = (Index(None, "owner_uid"), Index(None, "sha256"))
    entity_label = N_("附件")

    #: table name of the record it belongs to (guidance_visits, problems, trainings ...)
    owner_entity: Mapped[str] = mapped_column(String(64))
    owner_uid: Mapped[str] = mapped_column(String(UID_LENGTH))
    #: photo / scan / sign_in / evidence
    role: Mapped[str] = mapped_column(String(16))
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    caption: Mapped[str] = mapped_column(String(200), default="", server_default="")
