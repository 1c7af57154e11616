"""Ledger rows from the ledger service, overdue rows marked."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QColor

from app.i18n import N_, _
from app.models import PROBLEM_CATEGORIES, PROBLEM_STATES
from app.services import ledger
from app.services.ledger import LedgerFilter, LedgerRow
from app.services.workspace import Workspace
from app.ui.lazy_table import (
    ALIGN,
    BACKGROUND,
    CENTER,
    FOREGROUND,
    TOOLTIP,
    LazyTableModel,
)

COLUMNS = [
    ("division", N_("县（区）")),
    ("sub_project", N_("子项目")),
    ("category", N_("问题类别")),
    ("description", N_("问题描述")),
    ("responsible_person", N_("责任人")),
    ("found_on", N_("发现日期")),
    ("deadline", N_("整改时限")),
    ("state", N_("状态")),
    ("rectification", N_("整改情况")),
    ("verification", N_("复查结论")),
    ("round", N_("督导轮次")),
]
COLUMN_KEYS = [key for key, _label in COLUMNS]
_SORTABLE = {"division", "sub_project", "category", "responsible_person", "found_on", "deadline", "state"}
_LATE_BACKGROUND = QColor("#fde7e7")
_LATE_TEXT = QColor("#9c0006")


class LedgerTableModel(LazyTableModel):
    COLUMNS = COLUMNS

    def __init__(self, ws: Workspace, parent=None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.filter = LedgerFilter()
        self.sort_key = "deadline"

    def set_filter(self, flt: LedgerFilter) -> None:
        self.filter = flt
        self.requery()

    def search_ids(self) -> list[int]:
        return ledger.search_ids(self.ws, self.filter, sort=self.sort_key, descending=self.descending)

    def fetch_rows(self, ids: Sequence[int]) -> dict[int, LedgerRow]:
        return ledger.fetch_rows(self.ws, ids, today=self.filter.today)

    def sortable(self, key: str) -> bool:
        return key in _SORTABLE

    def row_of_uid(self, uid: str) -> int:
        return self.row_of_id(ledger.id_of(self.ws, uid))

    def cell(self, row: LedgerRow, key: str) -> str:
        if key == "division":
            return row.division_name
        if key == "sub_project":
            return f"{row.sub_project_code} {row.sub_project_name}"
        if key == "category":
            return _(PROBLEM_CATEGORIES.get(row.category, row.category))
        if key in ("found_on", "deadline"):
            return getattr(row, key).isoformat()
        if key == "state":
            label = _(PROBLEM_STATES.get(row.state, row.state))
            return _("{state}（超期）").format(state=label) if row.overdue else label
        if key == "verification":
            return row.verification_note
        if key == "round":
            return row.round_name
        return getattr(row, key) or ""

    def role_data(self, row: LedgerRow, key: str, role: int):
        if role == ALIGN and key in ("found_on", "deadline", "state"):
            return CENTER
        if role == TOOLTIP and key in ("sub_project", "description", "rectification", "verification"):
            return self.cell(row, key) or None
        if row.overdue:
            if role == BACKGROUND:
                return _LATE_BACKGROUND
            if role == FOREGROUND:
                return _LATE_TEXT
        return None
