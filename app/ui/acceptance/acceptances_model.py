"""The acceptance list's rows, from the acceptance search service a page at a time."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QColor

from app.i18n import N_, _
from app.models import ACCEPTANCE_STATUSES, CONCLUSIONS
from app.services import acceptance_search
from app.services.acceptance_search import AcceptanceFilter, AcceptanceRow
from app.services.workspace import Workspace
from app.ui.lazy_table import ALIGN, CENTER, FOREGROUND, RIGHT, TOOLTIP, LazyTableModel

COLUMNS = [
    ("acceptance_date", N_("验收日期")),
    ("division", N_("县（区）")),
    ("sub_project", N_("子项目")),
    ("checklist", N_("检查表版本")),
    ("status", N_("状态")),
    ("conclusion", N_("结论")),
    ("total_score", N_("总分")),
    ("grade", N_("等级")),
    ("certificate", N_("证书编号")),
]
COLUMN_KEYS = [key for key, _label in COLUMNS]
_CENTERED = {"acceptance_date", "status", "conclusion", "grade", "checklist"}
_PASS = QColor("#2e7d32")
_FAIL = QColor("#c62828")
_MUTED = QColor("#888888")


class AcceptancesTableModel(LazyTableModel):
    COLUMNS = COLUMNS

    def __init__(self, ws: Workspace, parent=None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.filter = AcceptanceFilter()
        self.descending = True

    def set_filter(self, flt: AcceptanceFilter) -> None:
        self.filter = flt
        self.requery()

    def search_ids(self) -> list[int]:
        return acceptance_search.search_ids(self.ws, self.filter, sort=self.sort_key, descending=self.descending)

    def fetch_rows(self, ids: Sequence[int]) -> dict[int, AcceptanceRow]:
        return acceptance_search.fetch_rows(self.ws, ids)

    def sortable(self, key: str) -> bool:
        return key in acceptance_search.SORT_KEYS

    def row_of_uid(self, uid: str) -> int:
        return self.row_of_id(acceptance_search.id_of(self.ws, uid))

    def cell(self, row: AcceptanceRow, key: str) -> str:
        if key == "acceptance_date":
            return row.acceptance_date.isoformat()
        if key == "division":
            return row.division_name
        if key == "sub_project":
            return f"{row.sub_project_code} {row.sub_project_name}"
        if key == "checklist":
            return _("第 {version} 版").format(version=row.template_version)
        if key == "status":
            label = _(ACCEPTANCE_STATUSES.get(row.status, row.status))
            return _("{status}（复验）").format(status=label) if row.previous_uid else label
        if key == "conclusion":
            return _(CONCLUSIONS.get(row.conclusion, row.conclusion)) if row.conclusion else ""
        if key == "total_score":
            return "" if row.total_score is None else f"{row.total_score:g}"
        if key == "grade":
            return row.grade
        if key == "certificate":
            if row.certificate_number and row.certificate_status == "void":
                return _("{number}（已作废）").format(number=row.certificate_number)
            return row.certificate_number
        return ""

    def role_data(self, row: AcceptanceRow, key: str, role: int):
        if role == ALIGN:
            return CENTER if key in _CENTERED else RIGHT if key == "total_score" else None
        if role == FOREGROUND:
            if key == "conclusion":
                return _PASS if row.conclusion == "pass" else _FAIL if row.conclusion == "fail" else None
            if key == "certificate" and row.certificate_status == "void":
                return _MUTED
            return None
        if role == TOOLTIP:
            if key == "checklist":
                return _("{name}（第 {version} 版）").format(name=row.template_name, version=row.template_version)
            if key == "sub_project":
                return self.cell(row, key)
        return None
