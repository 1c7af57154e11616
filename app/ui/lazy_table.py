"""A table over a service search: ordered ids from SQL, rows fetched a page at a time.

Subclasses name their columns and supply ``search_ids``, ``fetch_rows`` and ``cell``;
filtering and sorting stay in SQL, so 40,000 rows cost one id query, not 40,000 rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from app.i18n import _

# Cached role ints: comparing enums in data() costs half of each repaint.
DISPLAY = int(Qt.ItemDataRole.DisplayRole)
ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
UID_ROLE = int(Qt.ItemDataRole.UserRole) + 1
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
CENTER = int(Qt.AlignmentFlag.AlignCenter)

PAGE = 200


class LazyTableModel(QAbstractTableModel):
    #: (sort key, header msgid) per column
    COLUMNS: Sequence[tuple[str, str]] = ()
    UID_ROLE = UID_ROLE

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.sort_key = self.COLUMNS[0][0]
        self.descending = False
        self._ids: list[int] = []
        self._rows: dict[int, Any] = {}
        #: whether the first search has run: until then a sort only records its order
        self._searched = False
        self._headers = [_(label) for _key, label in self.COLUMNS]
        self._keys = [key for key, _label in self.COLUMNS]

    # -- what subclasses supply --------------------------------------------------
    def search_ids(self) -> list[int]:
        raise NotImplementedError

    def fetch_rows(self, ids: Sequence[int]) -> dict[int, Any]:
        raise NotImplementedError

    def cell(self, row: Any, key: str) -> str:
        raise NotImplementedError

    def role_data(self, row: Any, key: str, role: int) -> Any:
        """Alignment, colours, tooltips: None unless a subclass says otherwise."""
        return None

    def sortable(self, key: str) -> bool:
        return True

    # -- queries -------------------------------------------------------------------
    def refresh(self) -> None:
        self._searched = True
        self.beginResetModel()
        self._ids = self.search_ids()
        self._rows.clear()
        self.endResetModel()

    def requery(self) -> None:
        """The view changed (sort, filter), not the data: subclasses may skip their totals."""
        self.refresh()

    def record(self, row: int) -> Any | None:
        if not 0 <= row < len(self._ids):
            return None
        record_id = self._ids[row]
        found = self._rows.get(record_id)
        if found is None:
            start = max(0, row - PAGE // 4)
            self._rows.update(self.fetch_rows(self._ids[start:start + PAGE]))
            found = self._rows.get(record_id)
        return found

    def uid_at(self, row: int) -> str | None:
        found = self.record(row)
        return found.uid if found is not None else None

    def row_of_id(self, record_id: int | None) -> int:
        try:
            return self._ids.index(record_id)
        except ValueError:
            return -1

    # -- Qt model API --------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._keys)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY):
        if role == DISPLAY and orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._headers):
            return self._headers[section]
        return None

    def data(self, index: QModelIndex, role: int = DISPLAY):
        found = self.record(index.row())
        if found is None:
            return None  # deleted elsewhere since the search: shown empty rather than raising
        key = self._keys[index.column()]
        if role == DISPLAY:
            return self.cell(found, key)
        if role == UID_ROLE:
            return found.uid
        return self.role_data(found, key, role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self._keys[column]
        if not self.sortable(key):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if self._searched and (key, descending) == (self.sort_key, self.descending):
            return  # restoring a header's state announces the order it already has
        self.sort_key, self.descending = key, descending
        # before the first search (a window restoring its saved sort order while it is
        # built) the order is only recorded: the first search uses it
        if self._searched:
            self.requery()
