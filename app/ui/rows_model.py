"""A table model over a short list of service rows (rounds, trainings, a ranking ...).

Such lists hold a few hundred rows at most, so the model keeps them in a list and is
reset whole when its page reloads them; big lists use ``lazy_table`` instead.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from app.i18n import _
from app.ui.lazy_table import ALIGN, CENTER, DISPLAY, UID_ROLE

T = TypeVar("T")

_HORIZONTAL = Qt.Orientation.Horizontal
log = logging.getLogger(__name__)


class RowsModel(QAbstractTableModel, Generic[T]):
    """Rows of service dataclasses and named columns. Subclasses say what a cell shows:
    ``cell`` gives its text and ``role_data`` the rest, or ``cell_data`` answers every role
    at once. A repaint never raises: a cell that fails shows empty, and the log says why."""

    #: (key, header msgid) per column
    COLUMNS: ClassVar[Sequence[tuple[str, str]]] = ()
    CENTERED: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[T] = []
        self._keys = [key for key, _label in self.COLUMNS]
        self._headers = [_(label) for _key, label in self.COLUMNS]

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> T | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def row_of(self, uid: str | None) -> int:
        return next((n for n, r in enumerate(self.rows) if r.uid == uid), -1) if uid else -1

    def column_of(self, key: str) -> int:
        return self._keys.index(key)

    def cell(self, row: T, key: str) -> str:
        raise NotImplementedError

    def role_data(self, row: T, key: str, role: int) -> Any:
        return None

    def cell_data(self, row: T, key: str, role: int) -> Any:
        if role == DISPLAY:
            return self.cell(row, key)
        if role == UID_ROLE:
            return getattr(row, "uid", None)
        if role == ALIGN and key in self.CENTERED:
            return CENTER
        return self.role_data(row, key, role)

    # -- Qt model API --------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._keys)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY):
        if role == DISPLAY and orientation == _HORIZONTAL and 0 <= section < len(self._headers):
            return self._headers[section]
        return None

    def data(self, index: QModelIndex, role: int = DISPLAY):
        found = self.row_at(index.row())
        if found is None or not 0 <= index.column() < len(self._keys):
            return None
        try:
            return self.cell_data(found, self._keys[index.column()], role)
        except Exception:  # noqa: BLE001 - a repaint must never raise
            log.exception("%s: cell %d,%d failed", type(self).__name__, index.row(), index.column())
            return None
