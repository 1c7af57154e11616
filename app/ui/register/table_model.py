"""The register's table: sub-projects from the search service, a page at a time."""

from __future__ import annotations

from collections.abc import Sequence

from app.i18n import N_, _
from app.models import CONSTRUCTION_STATUSES
from app.services import sub_project_search
from app.services.fields import wan_text
from app.services.sub_project_search import SubProjectFilter, SubProjectRow
from app.services.workspace import Workspace
from app.ui.lazy_table import ALIGN, CENTER, RIGHT, TOOLTIP, LazyTableModel

COLUMNS: list[tuple[str, str]] = [
    ("code", N_("子项目编号")),
    ("name", N_("子项目名称")),
    ("division", N_("县（区）")),
    ("plan_code", N_("总规项目编号")),
    ("sector", N_("行业（领域）")),
    ("owner_unit", N_("项目业主（责任单位）")),
    ("investment", N_("总投资（万元）")),
    ("construction_status", N_("建设状态")),
    ("start_date", N_("开工日期")),
    ("finish_date", N_("完工日期")),
    ("demonstration_site", N_("示范点")),
    ("archivist", N_("档案人员")),
    ("origin", N_("来源")),
]
COLUMN_KEYS = [key for key, _label in COLUMNS]
_CENTERED = {"demonstration_site", "construction_status", "start_date", "finish_date"}


def _grouped(amount: str) -> str:
    """Thousands separators for reading long amounts; decimals stay exactly as stored."""
    whole, dot, fraction = amount.partition(".")
    return f"{int(whole):,}{dot}{fraction}" if whole else amount


class SubProjectTableModel(LazyTableModel):
    COLUMNS = COLUMNS

    def __init__(self, ws: Workspace, parent=None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.filter = SubProjectFilter()
        self._total = 0

    def search_ids(self) -> list[int]:
        return sub_project_search.search_ids(self.ws, self.filter, sort=self.sort_key, descending=self.descending)

    def fetch_rows(self, ids: Sequence[int]) -> dict[int, SubProjectRow]:
        return sub_project_search.fetch_rows(self.ws, ids)

    def refresh(self, *, recount: bool = True) -> None:
        """Run the search again; ``recount`` when the data (not just the view) changed."""
        if recount:
            self._total = sub_project_search.count_live(self.ws)
        super().refresh()

    def requery(self) -> None:
        self.refresh(recount=False)

    def set_filter(self, flt: SubProjectFilter) -> None:
        self.filter = flt
        self.requery()

    @property
    def total(self) -> int:
        return self._total

    def row_of_uid(self, uid: str) -> int:
        return self.row_of_id(sub_project_search.id_of(self.ws, uid))

    def cell(self, row: SubProjectRow, key: str) -> str:
        if key == "division":
            return row.division_name
        if key == "investment":
            return _grouped(wan_text(row.investment_yuan))
        if key == "construction_status":
            return _(CONSTRUCTION_STATUSES.get(row.construction_status, row.construction_status))
        if key in ("start_date", "finish_date"):
            value = getattr(row, key)
            return value.isoformat() if value else ""
        if key == "demonstration_site":
            return _("是") if row.demonstration_site else ""
        return getattr(row, key) or ""

    def role_data(self, row: SubProjectRow, key: str, role: int):
        if role == ALIGN:
            return RIGHT if key == "investment" else CENTER if key in _CENTERED else None
        if role == TOOLTIP and key in ("name", "owner_unit"):
            return self.cell(row, key)
        if role == TOOLTIP and key == "origin" and row.origin:
            return _("在 {node} 登记").format(node=row.origin)
        return None
