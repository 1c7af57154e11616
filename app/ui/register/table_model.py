"""Table model over the sub-project service: ordered ids from SQL, rows fetched a page at a time."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from app.i18n import N_, _
from app.models import CONSTRUCTION_STATUSES
from app.services import sub_project_search
from app.services.fields import wan_text
from app.services.sub_project_search import SubProjectFilter, SubProjectRow
from app.services.workspace import Workspace

# Cached role ints: comparing enums in data() costs half of each repaint.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_CENTER = int(Qt.AlignmentFlag.AlignCenter)

PAGE = 200

#: (sort key, header msgid)
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
]
COLUMN_KEYS = [key for key, _label in COLUMNS]


def _grouped(amount: str) -> str:
    """Thousands separators for reading long amounts; decimals stay exactly as stored."""
    whole, dot, fraction = amount.partition(".")
    return f"{int(whole):,}{dot}{fraction}" if whole else amount


def _cell(row: SubProjectRow, key: str) -> str:
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


class SubProjectTableModel(QAbstractTableModel):
    UID_ROLE = int(Qt.ItemDataRole.UserRole) + 1

    def __init__(self, ws: Workspace, parent=None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.filter = SubProjectFilter()
        self.sort_key = "code"
        self.descending = False
        self._ids: list[int] = []
        self._rows: dict[int, SubProjectRow] = {}
        self._headers = [_(label) for _key, label in COLUMNS]
        self._total = 0

    # -- queries ---------------------------------------------------------------
    def refresh(self, *, recount: bool = True) -> None:
        """Run the current search again; ``recount`` when the data (not the view) changed."""
        self.beginResetModel()
        self._ids = sub_project_search.search_ids(self.ws, self.filter, sort=self.sort_key,
                                                  descending=self.descending)
        self._rows.clear()
        if recount:
            self._total = sub_project_search.count_live(self.ws)
        self.endResetModel()

    def set_filter(self, flt: SubProjectFilter) -> None:
        self.filter = flt
        self.refresh(recount=False)

    @property
    def total(self) -> int:
        return self._total

    def uid_at(self, row: int) -> str | None:
        record = self._row(row)
        return record.uid if record else None

    def row_of_uid(self, uid: str) -> int:
        record_id = sub_project_search.id_of(self.ws, uid)
        try:
            return self._ids.index(record_id)
        except ValueError:
            return -1

    def _row(self, row: int) -> SubProjectRow | None:
        if not 0 <= row < len(self._ids):
            return None
        record_id = self._ids[row]
        record = self._rows.get(record_id)
        if record is None:
            start = max(0, row - PAGE // 4)
            page = self._ids[start:start + PAGE]
            self._rows.update(sub_project_search.fetch_rows(self.ws, page))
            record = self._rows.get(record_id)
        return record

    # -- Qt model API ----------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY):
        if role == _DISPLAY and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None

    def data(self, index: QModelIndex, role: int = _DISPLAY):
        if role not in (_DISPLAY, _ALIGN, _TOOLTIP, self.UID_ROLE):
            return None
        record = self._row(index.row())
        if record is None:
            # deleted elsewhere since the search: shown empty rather than raising
            return None
        key = COLUMN_KEYS[index.column()]
        if role == _DISPLAY:
            return _cell(record, key)
        if role == _ALIGN:
            if key == "investment":
                return _RIGHT
            if key in ("demonstration_site", "construction_status", "start_date", "finish_date"):
                return _CENTER
            return None
        if role == _TOOLTIP:
            return _cell(record, key) if key in ("name", "owner_unit") else None
        return record.uid

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_key = COLUMN_KEYS[column]
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.refresh(recount=False)
