"""Stored values as people read them: 是/否, 万元, status labels, names instead of ids."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from app.i18n import _
from app.models import CONSTRUCTION_STATUSES, RETENTION_PERIODS
from app.services import fields


def format_value(column: str, value: Any, *, division_names: Mapping[str, str] | None = None,
                 master_label: Callable[[str], str] | None = None,
                 sub_project_label: Callable[[str], str] | None = None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if column == "investment_yuan":
        return fields.wan_text(value)
    if column == "construction_status":
        return _(CONSTRUCTION_STATUSES.get(value, value))
    if column == "division_uid" and division_names is not None:
        return division_names.get(value, value)
    if column == "master_project_uid" and master_label is not None:
        return master_label(value)
    if column == "sub_project_uid" and sub_project_label is not None:
        return sub_project_label(value)
    if column == "items":
        return "；".join(f"{i['document_class']}（{_(RETENTION_PERIODS.get(i['retention'], i['retention']))}）"
                        for i in value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
