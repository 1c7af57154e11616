"""Archive acceptance (档案验收): checklist templates, acceptances, their group, scores, certificates."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, Numeric, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column

from app.i18n import N_, _
from app.models.base import Base
from app.models.sync import UID_LENGTH, SyncMixin

_LIVE = text("deleted = 0")

#: ChecklistTemplate.status: a draft is edited; an active version is used and never edited
TEMPLATE_STATUSES: dict[str, str] = {"draft": N_("草稿"), "active": N_("启用"), "retired": N_("停用")}
#: ChecklistItem.kind
ITEM_KINDS: dict[str, str] = {"score": N_("计分"), "pass_fail": N_("合格/不合格")}
#: AcceptanceGroupMember.unit_kind: the units an acceptance group is drawn from
MEMBER_UNITS: dict[str, str] = {
    "reconstruction_committee": N_("重建委"),
    "archives_bureau": N_("档案局"),
    "finance_bureau": N_("财政局"),
    "development_commission": N_("发改委"),
    "housing_bureau": N_("住建局"),
    "other": N_("其他"),
}
MEMBER_ROLES: dict[str, str] = {"leader": N_("组长"), "deputy": N_("副组长"), "member": N_("成员")}
VOTES: dict[str, str] = {"agree": N_("同意"), "disagree": N_("不同意"), "abstain": N_("弃权"), "": N_("未表决")}
#: Acceptance.status
ACCEPTANCE_STATUSES: dict[str, str] = {"draft": N_("进行中"), "concluded": N_("已结论")}
CONCLUSIONS: dict[str, str] = {"pass": N_("合格"), "fail": N_("不合格")}
CERTIFICATE_STATUSES: dict[str, str] = {"valid": N_("有效"), "void": N_("已作废")}


class ChecklistTemplate(SyncMixin, Base):
    """验收检查表: one version of a checklist. Versions of one checklist share ``lineage_uid``."""

    __tablename__ = "checklist_templates"
    __table_args__ = (Index(None, "lineage_uid"),)
    entity_label = N_("验收检查表")

    lineage_uid: Mapped[str] = mapped_column(String(UID_LENGTH))
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="draft", server_default="draft")
    total_score: Mapped[float] = mapped_column(Numeric(8, 2, asdecimal=False))
    #: [{"min": 90, "grade": "优良"}, {"min": 70, "grade": "合格"}]: below the last band fails
    grade_bands: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")


class ChecklistSection(SyncMixin, Base):
    """A part of a checklist (e.g. 基础管理工作) with an optional floor score."""

    __tablename__ = "checklist_sections"
    __table_args__ = (Index(None, "template_uid"),)
    entity_label = N_("检查表部分")

    template_uid: Mapped[str] = mapped_column(ForeignKey("checklist_templates.uid"))
    seq: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    #: a section score below this fails the acceptance whatever the total
    floor: Mapped[float | None] = mapped_column(Numeric(8, 2, asdecimal=False))


class ChecklistItem(SyncMixin, Base):
    """检查项: what is checked, the evidence, the points and how they are deducted."""

    __tablename__ = "checklist_items"
    __table_args__ = (Index(None, "template_uid"), Index(None, "section_uid"))
    entity_label = N_("检查项")

    template_uid: Mapped[str] = mapped_column(ForeignKey("checklist_templates.uid"))
    section_uid: Mapped[str] = mapped_column(ForeignKey("checklist_sections.uid"))
    seq: Mapped[int] = mapped_column(Integer)
    #: e.g. "2.3", as printed on the scoring sheet
    code: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    #: 备查材料
    evidence: Mapped[str] = mapped_column(Text, default="", server_default="")
    kind: Mapped[str] = mapped_column(String(16), default="score", server_default="score")
    max_score: Mapped[float | None] = mapped_column(Numeric(8, 2, asdecimal=False))
    #: 扣分标准
    deduction_guide: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: 否决项: failing it fails the acceptance
    veto: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Acceptance(SyncMixin, Base):
    """档案验收: one inspection of a sub-project's archives against a checklist version."""

    __tablename__ = "acceptances"
    __table_args__ = (Index(None, "sub_project_uid"),
                      Index("ix_acceptances_live_acceptance_date", "acceptance_date", sqlite_where=_LIVE))
    entity_label = N_("档案验收")

    sub_project_uid: Mapped[str] = mapped_column(ForeignKey("sub_projects.uid"))
    template_uid: Mapped[str] = mapped_column(ForeignKey("checklist_templates.uid"))
    #: the failed acceptance this re-inspects
    previous_uid: Mapped[str | None] = mapped_column(String(UID_LENGTH))
    application_date: Mapped[date | None] = mapped_column(Date)
    acceptance_date: Mapped[date] = mapped_column(Date)
    #: the sub-project's planned 竣工验收 date this acceptance was checked against (archive
    #: acceptance should come at least 3 months before it). The sub-project holds the plan;
    #: the service copies it here as the draft is created and saved, so a concluded
    #: acceptance keeps the date it was judged against. Never typed on the acceptance.
    completion_acceptance_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="draft", server_default="draft")
    conclusion: Mapped[str] = mapped_column(String(8), default="", server_default="")
    grade: Mapped[str] = mapped_column(String(16), default="", server_default="")
    total_score: Mapped[float | None] = mapped_column(Numeric(8, 2, asdecimal=False))
    #: the whole archive and the sample pulled (抽查)
    total_volumes: Mapped[int | None] = mapped_column(Integer)
    sampled_volumes: Mapped[int | None] = mapped_column(Integer)
    total_drawings: Mapped[int | None] = mapped_column(Integer)
    sampled_drawings: Mapped[int | None] = mapped_column(Integer)
    #: counts accepted: 案卷 volumes, 件 items, 竣工图 sheets
    accepted_volumes: Mapped[int | None] = mapped_column(Integer)
    accepted_items: Mapped[int | None] = mapped_column(Integer)
    accepted_drawings: Mapped[int | None] = mapped_column(Integer)
    #: 验收意见
    opinion: Mapped[str] = mapped_column(Text, default="", server_default="")
    rectification_deadline: Mapped[date | None] = mapped_column(Date)


class AcceptanceGroupMember(SyncMixin, Base):
    """A member of the acceptance group (验收小组), with the member's vote."""

    __tablename__ = "acceptance_group_members"
    __table_args__ = (Index(None, "acceptance_uid"),)
    entity_label = N_("验收小组成员")

    acceptance_uid: Mapped[str] = mapped_column(ForeignKey("acceptances.uid"))
    seq: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(64))
    unit_kind: Mapped[str] = mapped_column(String(32))
    unit_name: Mapped[str] = mapped_column(String(100), default="", server_default="")
    role: Mapped[str] = mapped_column(String(16), default="member", server_default="member")
    vote: Mapped[str] = mapped_column(String(16), default="", server_default="")


class AcceptanceScore(SyncMixin, Base):
    """One checklist item's 自检得分 and 验收赋分 (or pass/fail) on one acceptance."""

    __tablename__ = "acceptance_scores"
    __table_args__ = (
        Index("uq_acceptance_scores_live_item", "acceptance_uid", "item_uid", unique=True, sqlite_where=_LIVE),
    )
    entity_label = N_("验收赋分")

    acceptance_uid: Mapped[str] = mapped_column(ForeignKey("acceptances.uid"))
    item_uid: Mapped[str] = mapped_column(ForeignKey("checklist_items.uid"))
    self_score: Mapped[float | None] = mapped_column(Numeric(8, 2, asdecimal=False))
    group_score: Mapped[float | None] = mapped_column(Numeric(8, 2, asdecimal=False))
    #: for pass/fail items: the group's finding
    passed: Mapped[bool | None] = mapped_column(Boolean)
    remark: Mapped[str] = mapped_column(Text, default="", server_default="")


class Certificate(SyncMixin, Base):
    """合格证书: numbered, never changed. A reissue voids it (with a reason) and makes a new one.

    The database refuses changes to an issued certificate's facts (triggers in migration
    0004), whatever writes to it.
    """

    __tablename__ = "certificates"
    __table_args__ = (Index(None, "acceptance_uid"), Index(None, "node_code", "sequence"))
    entity_label = N_("验收合格证书")

    #: year + node code + per-node sequence, e.g. 2016-511826A3F2-00017
    number: Mapped[str] = mapped_column(String(40), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    node_code: Mapped[str] = mapped_column(String(16))
    sequence: Mapped[int] = mapped_column(Integer)
    acceptance_uid: Mapped[str] = mapped_column(ForeignKey("acceptances.uid"))
    issued_on: Mapped[date] = mapped_column(Date)
    #: sha256 of the certificate's facts (canonical JSON), printed in the QR code
    content_hash: Mapped[str] = mapped_column(String(64))
    #: the facts as issued: what the PDF shows and the hash covers
    facts: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: sha256 of the PDF as first produced
    pdf_sha256: Mapped[str] = mapped_column(String(64), default="", server_default="")
    status: Mapped[str] = mapped_column(String(8), default="valid", server_default="valid")
    void_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    voided_on: Mapped[date | None] = mapped_column(Date)
    #: the certificate this one replaces (a reissue)
    replaces_uid: Mapped[str | None] = mapped_column(String(UID_LENGTH))

    #: all that may change on an issued certificate: its voiding, once, with a reason and a
    #: date, and the hash of its PDF, recorded once
    VOIDING_COLUMNS = frozenset({"status", "void_reason", "voided_on"})

    def refuse_change(self, changes: Mapping[str, list[Any]], *, deleting: bool = False) -> str:
        """Why ``changes`` (``{column: [old, new]}``) or a deletion is refused; "" when allowed.

        ``app.services.records`` asks this before every write, so no path (a service, a
        conflict being resolved, a script) changes an issued certificate; the triggers of
        migration 0004 refuse the same below the application.
        """
        refused = _("证书 {number} 已签发，属于正式档案记录，不能修改或删除；如有错误，请作废后补发新证书。").format(
            number=self.number)
        if deleting:
            return refused
        if not changes:
            return ""
        if self.status == "void":
            return _("证书 {number} 已作废，作废的证书不能再修改。").format(number=self.number)
        if set(changes) - self.VOIDING_COLUMNS - {"pdf_sha256"}:
            return refused
        if "pdf_sha256" in changes and self.pdf_sha256:
            return refused
        if set(changes) & self.VOIDING_COLUMNS:
            after = {column: changes[column][1] if column in changes else getattr(self, column)
                     for column in self.VOIDING_COLUMNS}
            if after["status"] != "void" or not (after["void_reason"] or "").strip() or after["voided_on"] is None:
                return _("证书 {number} 只能整体作废：须写明作废原因和日期（“作废”或“补发”）。").format(
                    number=self.number)
        return ""
