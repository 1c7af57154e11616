"""The import preview's tables: one read-only model for the new, changed and rejected rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from app.i18n import _
from app.services.master_list.plan import ImportPlan

# Cached role ints: comparing enums in data() costs half of each repaint.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

#: two pinks alternate by Excel row, so the several reasons of one row read as one group
_REJECT_TINTS = (QColor("#fdeaea"), QColor("#f8d7d7"))
#: dark text on the tint, whatever the palette (a dark theme's light text would vanish)
_TINT_TEXT = QColor("#3b1111")


class PreviewTableModel(QAbstractTableModel):
    """Read-only rows of text (column 0 the Excel row number), optionally tinted row by row."""

    def __init__(self, headers: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._headers = [_(h) for h in headers]
        self._rows: list[tuple[str, ...]] = []
        self._tints: list[QColor] | None = None

    def set_rows(self, rows: Sequence[tuple[str, ...]], tints: Sequence[QColor] | None = None) -> None:
        self.beginResetModel()
        width = len(self._headers)
        # padded to the header width, so data() can index without checks that might raise
        self._rows = [tuple(row[:width]) + ("",) * (width - len(row)) for row in rows]
        self._tints = list(tints) if tints is not None and len(tints) == len(self._rows) else None
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY):
        row, column = index.row(), index.column()
        if not index.isValid() or not 0 <= row < len(self._rows) or not 0 <= column < len(self._headers):
            return None
        if role == _DISPLAY:
            # one line per row: a cell with line breaks would make rows tall and uneven
            return self._rows[row][column].replace("\r", " ").replace("\n", " ")
        if role == _TOOLTIP:
            return self._rows[row][column] or None
        if role == _ALIGN:
            return _RIGHT if column == 0 else _LEFT
        if self._tints is not None:
            if role == _BACKGROUND:
                return self._tints[row]
            if role == _FOREGROUND:
                return _TINT_TEXT
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY):
        if role == _DISPLAY and orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._headers):
            return self._headers[section]
        return None


class Preview(NamedTuple):
    """The plan with its table rows, built in the worker so a 40,000-row file never stalls the GUI."""

    plan: ImportPlan
    created: list[tuple[str, ...]]
    changed: list[tuple[str, ...]]
    rejected: list[tuple[str, ...]]
    rejected_tints: list[QColor]


def build_preview(plan: ImportPlan, division_names: dict[str, str]) -> Preview:
    created = [(str(r.row), r.code, r.name, division_names.get(r.values.get("division_uid") or "", ""))
               for r in plan.created]
    empty = _("（空）")
    changed = [(str(r.row), r.code, c.label, str(c.old) or empty, str(c.new) or empty)
               # a row's master project comes before its sub-project (a stable sort keeps that order)
               for r in sorted([*plan.masters_updated, *plan.updated], key=lambda r: r.row) for c in r.changes]
    rejections = sorted(plan.rejected, key=lambda r: r.row)
    tints, group, last = [], -1, None
    for rejection in rejections:
        if rejection.row != last:
            group, last = group + 1, rejection.row
        tints.append(_REJECT_TINTS[group % 2])
    rejected = [(str(r.row), r.column, r.value, r.message) for r in rejections]
    return Preview(plan, created, changed, rejected, tints)
