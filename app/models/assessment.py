"""Yearly assessment (考核): versioned rule sets (考核细则), assessments and their score rows.

A rule set is versioned data like a checklist template: versions of one rule set share
``lineage_uid``; a version used by an assessment never changes, editing makes a new one.
An assessment scores every county (and, where the rules say, city departments) for a
year; once published it and its score rows are part of the official record, and a
correction is a new assessment that supersedes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, Numeric, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column

from app.i18n import N_, _
from app.models.base import Base
from app.models.sync import UID_LENGTH, SyncMixin

_LIVE = text("deleted = 0")

#: AssessmentRuleSet.status: a draft is edited; an active version is used and never edited
RULE_SET_STATUSES: dict[str, str] = {"draft": N_("草稿"), "active": N_("启用"), "retired": N_("停用")}
#: AssessmentRuleItem.kind
RULE_KINDS: dict[str, str] = {"computed": N_("按数据计算"), "manual": N_("人工评分")}
#: AssessmentRuleItem.scope: who the item scores
RULE_SCOPES: dict[str, str] = {"division": N_("县（区）"), "department": N_("市级部门"),
                               "both": N_("县（区）和部门")}
#: AssessmentScore.subject_kind
SUBJECT_KINDS: dict[str, str] = {"division": N_("县（区）"), "department": N_("市级部门")}
#: Assessment.status: draft -> published -> superseded (by a published correction)
ASSESSMENT_STATUSES: dict[str, str] = {"draft": N_("草稿"), "published": N_("已发布"),
                                       "superseded": N_("已更正")}

_NUMBER = Numeric(8, 2, asdecimal=False)


class AssessmentRuleSet(SyncMixin, Base):
    """考核细则: one version of a scoring rule set, with its grade bands and the departments it scores.

    ``departments`` is ``[{"code", "name", "sectors": [...]}]``: a city department (市级部门)
    answers for the sub-projects of its sectors (行业领域) in every county.
    """

    __tablename__ = "assessment_rule_sets"
    __table_args__ = (Index(None, "lineage_uid"),)
    entity_label = N_("考核细则")

    lineage_uid: Mapped[str] = mapped_column(String(UID_LENGTH))
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="draft", server_default="draft")
    #: points of the county items (the full score of a county)
    total_points: Mapped[float] = mapped_column(_NUMBER)
    #: [{"min": 90, "grade": "优秀"}, ...]: below the last band is the lowest grade
    grade_bands: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    departments: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")


class AssessmentRuleItem(SyncMixin, Base):
    """考核项目: what is scored, its points, whom it scores and how (computed or by a person)."""

    __tablename__ = "assessment_rule_items"
    __table_args__ = (Index(None, "rule_set_uid"),)
    entity_label = N_("考核项目")

    rule_set_uid: Mapped[str] = mapped_column(ForeignKey("assessment_rule_sets.uid"))
    seq: Mapped[int] = mapped_column(Integer)
    #: the heading it is printed under (组织领导, 制度建设 ...)
    section: Mapped[str] = mapped_column(String(100))
    code: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(Text)
    points: Mapped[float] = mapped_column(_NUMBER)
    scope: Mapped[str] = mapped_column(String(16), default="division", server_default="division")
    kind: Mapped[str] = mapped_column(String(16), default="manual", server_default="manual")
    #: computed items: the metric's key (see ``app.services.assessment_metrics``) and its parameters
    metric: Mapped[str] = mapped_column(String(32), default="", server_default="")
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: 评分标准 as printed
    guide: Mapped[str] = mapped_column(Text, default="", server_default="")


class Assessment(SyncMixin, Base):
    """年度考核: one year's scoring of the counties (and departments) against a rule set version.

    ``results`` is the frozen ranking (per subject: total, deduction, grade, rank) and
    ``basis`` the data it was computed from (per county: export packages merged). Once
    published nothing changes but the mark that a correction superseded it.
    """

    __tablename__ = "assessments"
    __table_args__ = (Index(None, "year"), Index(None, "rule_set_uid"))
    entity_label = N_("年度考核")

    year: Mapped[int] = mapped_column(Integer)
    rule_set_uid: Mapped[str] = mapped_column(ForeignKey("assessment_rule_sets.uid"))
    status: Mapped[str] = mapped_column(String(16), default="draft", server_default="draft")
    #: the reference date: what was overdue, visited, accepted on this day (year end, or today)
    as_of: Mapped[date] = mapped_column(Date)
    computed_at: Mapped[datetime] = mapped_column(DateTime)
    #: 文号, title, issuer and recipients of the notice that publishes the result
    number: Mapped[str] = mapped_column(String(64), default="", server_default="")
    title: Mapped[str] = mapped_column(String(200), default="", server_default="")
    issuer: Mapped[str] = mapped_column(String(100), default="", server_default="")
    recipients: Mapped[str] = mapped_column(String(400), default="", server_default="")
    published_on: Mapped[date | None] = mapped_column(Date)
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    published_by: Mapped[str] = mapped_column(String(64), default="", server_default="")
    #: the published assessment this one corrects, and the correction that replaced this one
    supersedes_uid: Mapped[str | None] = mapped_column(String(UID_LENGTH))
    superseded_by_uid: Mapped[str | None] = mapped_column(String(UID_LENGTH))
    correction_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    results: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    basis: Mapped[dict[str, Any]] = mapped_column(JSON)

    def refuse_change(self, changes: Mapping[str, list[Any]], *, deleting: bool = False) -> str:
        """Why a change or deletion is refused ("" when allowed); ``app.services.records`` asks
        before every write, so no path changes a published assessment."""
        if self.status == "draft":
            return ""
        refused = _("{year} 年度考核结果已发布，属于正式记录，不能修改或删除；如有错误，请“更正”（生成新的版本）。").format(
            year=self.year)
        if deleting:
            return refused
        if not changes:
            return ""
        # the one change a published assessment takes: a published correction supersedes it
        superseding = (self.status == "published" and set(changes) == {"status", "superseded_by_uid"}
                       and changes["status"][1] == "superseded" and not self.superseded_by_uid
                       and bool(changes["superseded_by_uid"][1]))
        return "" if superseding else refused


class AssessmentScore(SyncMixin, Base):
    """考核得分: one item's score for one county or department, the deduction, why, and the
    records behind it (``evidence``: ``[{"entity", "uid", "label", "sub_project_uid"}]``).

    Frozen with its assessment when published: from then on it refuses every change.
    """

    __tablename__ = "assessment_scores"
    __table_args__ = (
        Index(None, "assessment_uid"),
        Index("uq_assessment_scores_live_subject_item", "assessment_uid", "item_uid", "subject_key", unique=True,
              sqlite_where=_LIVE),
    )
    entity_label = N_("考核得分")

    assessment_uid: Mapped[str] = mapped_column(ForeignKey("assessments.uid"))
    item_uid: Mapped[str] = mapped_column(ForeignKey("assessment_rule_items.uid"))
    subject_kind: Mapped[str] = mapped_column(String(16))
    #: the division's uid or the department's code
    subject_key: Mapped[str] = mapped_column(String(UID_LENGTH))
    division_uid: Mapped[str | None] = mapped_column(ForeignKey("divisions.uid"))
    subject_name: Mapped[str] = mapped_column(String(100))
    points: Mapped[float] = mapped_column(_NUMBER)
    #: None while a manual item is not scored yet
    score: Mapped[float | None] = mapped_column(_NUMBER)
    deduction: Mapped[float | None] = mapped_column(_NUMBER)
    #: what was measured (counts, shares, targets), for the breakdown and the notice
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    explanation: Mapped[str] = mapped_column(Text, default="", server_default="")
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    #: manual items: the scorer's note, name and day
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    scored_by: Mapped[str] = mapped_column(String(64), default="", server_default="")
    scored_on: Mapped[date | None] = mapped_column(Date)
    frozen: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    def refuse_change(self, changes: Mapping[str, list[Any]], *, deleting: bool = False) -> str:
        if not self.frozen or (not changes and not deleting):
            return ""
        return _("该考核得分已随考核结果发布，属于正式记录，不能修改或删除；如有错误，请“更正”考核结果。")
