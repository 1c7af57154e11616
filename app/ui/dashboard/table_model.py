"""The dashboard's table: one row per division, the whole city pinned below them, sortable.

A dozen rows, held in a list; sorting reorders an index map and never touches the total.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.i18n import N_, _
from app.services.dashboard import COLUMNS, Dashboard, DivisionFigures
from app.ui.lazy_table import ALIGN, BACKGROUND, CENTER, DISPLAY, FOREGROUND, RIGHT, TOOLTIP, UID_ROLE

FONT = int(Qt.ItemDataRole.FontRole)
#: sort value of a cell (numbers sort as numbers)
SORT_ROLE = int(Qt.ItemDataRole.UserRole) + 2
_HORIZONTAL = Qt.Orientation.Horizontal
_NAME = ("name", N_("县（区）"))
#: a column whose non-zero figure is bad news is drawn red
_ALARM = {"problems_overdue", "with_overdue_problems", "acceptances_failed"}
_TIPS = {
    "visited": N_("至少接受过一次现场指导的子项目"),
    "with_open_problems": N_("有待整改问题的子项目"),
    "with_overdue_problems": N_("有超过整改时限仍未整改的问题的子项目"),
    "problems_overdue": N_("超过整改时限仍未整改的问题（与问题台账的“仅超期”相同）"),
    "certificates": N_("有效的验收合格证书（作废的不计）"),
    "trainings": N_("本县（区）组织的培训；市级培训计入“市本级”"),
}


class DashboardTableModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._columns = (_NAME, *COLUMNS)
        self._headers = [_(label) for _key, label in self._columns]
        self._keys = [key for key, _label in self._columns]
        self._rows: list[DivisionFigures] = []
        self._order: list[int] = []
        self._total: DivisionFigures | None = None
        self._sort: tuple[int, bool] | None = None
        self._bold = QFont()
        self._bold.setBold(True)
        self._red = QBrush(QColor("#c62828"))
        self._total_background = QBrush(QColor("#eef3fa"))

    # -- content -------------------------------------------------------------------------
    def set_dashboard(self, board: Dashboard) -> None:
        self.beginResetModel()
        self._rows = list(board.rows)
        self._total = board.total
        self._order = list(range(len(self._rows)))
        if self._sort is not None:
            self._apply_sort(*self._sort)
        self.endResetModel()

    def figures_at(self, row: int) -> DivisionFigures | None:
        if 0 <= row < len(self._order):
            return self._rows[self._order[row]]
        if row == len(self._order) and self._total is not None:
            return self._total
        return None

    def key_at(self, column: int) -> str:
        return self._keys[column] if 0 <= column < len(self._keys) else ""

    def row_of(self, uid: str | None) -> int:
        """The view row of a division (None: the total)."""
        if uid is None:
            return len(self._order) if self._total is not None else -1
        return next((n for n, i in enumerate(self._order) if self._rows[i].uid == uid), -1)

    # -- Qt --------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return len(self._order) + (1 if self._total is not None else 0)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._keys)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY):
        if orientation == _HORIZONTAL and 0 <= section < len(self._headers):
            if role == DISPLAY:
                return self._headers[section]
            if role == TOOLTIP and self._keys[section] in _TIPS:
                return _(_TIPS[self._keys[section]])
        return None

    def data(self, index: QModelIndex, role: int = DISPLAY):
        figures = self.figures_at(index.row())
        key = self.key_at(index.column())
        if figures is None or not key:
            return None
        is_total = figures is self._total
        if role == DISPLAY:
            return figures.name if key == "name" else f"{figures.value(key):,}"
        if role == SORT_ROLE:
            return figures.name if key == "name" else figures.value(key)
        if role == ALIGN:
            return CENTER if key == "name" else RIGHT
        if role == UID_ROLE:
            return figures.uid
        if role == FONT and is_total:
            return self._bold
        if role == BACKGROUND and is_total:
            return self._total_background
        if role == FOREGROUND and key in _ALARM and figures.value(key) > 0:
            return self._red
        if role == TOOLTIP and key == "name" and not is_total:
            return _("双击打开{name}的子项目登记册").format(name=figures.name)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # a dozen rows: a reset is simpler than mapping persistent indexes, and as fast
        self.beginResetModel()
        self._sort = (column, order == Qt.SortOrder.DescendingOrder)
        self._apply_sort(*self._sort)
        self.endResetModel()

    def _apply_sort(self, column: int, descending: bool) -> None:
        key = self.key_at(column)
        if not key:
            return
        if key == "name":
            # the conventional order of divisions, not the order of their names' code points
            self._order = list(range(len(self._rows)))
            if descending:
                self._order.reverse()
            return
        self._order.sort(key=lambda i: (self._rows[i].value(key), -i), reverse=descending)
