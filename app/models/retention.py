"""项目档案收集范围和保管期限表: per sub-project document classes and how long each is kept."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, text
from sqlalchemy.orm import Mapped, mapped_column

from app.i18n import N_
from app.models.base import Base
from app.models.sync import SyncMixin

#: retention codes and labels; 长期/短期 are the periods older projects used.
RETENTION_PERIODS: dict[str, str] = {
    "permanent": N_("永久"),
    "30y": N_("30年"),
    "10y": N_("10年"),
    "long": N_("长期"),
    "short": N_("短期"),
}

#: uid of the default list new schedules are copied from (same on every node).
DEFAULT_SCHEDULE_UID = "0192f0a0-0000-7000-8000-000000000001"


class RetentionSchedule(SyncMixin, Base):
    """One schedule per sub-project; the row without a sub-project is the editable default list.

    ``items`` is the ordered list ``[{"document_class": str, "retention": code}, ...]``: the
    schedule is edited, versioned and merged as one document.
    """

    __tablename__ = "retention_schedules"
    __table_args__ = (
        Index(
            "uq_retention_schedules_live_sub_project",
            "sub_project_uid",
            unique=True,
            sqlite_where=text("deleted = 0"),
        ),
    )
    entity_label = N_("保管期限表")

    sub_project_uid: Mapped[str | None] = mapped_column(ForeignKey("sub_projects.uid"))
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
