"""Small pieces the sync screens share: a read-only text table model and the big fingerprint."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QLabel, QWidget

from app.i18n import _

# Cached role ints: comparing enums in data() costs half of each repaint.
DISPLAY = int(Qt.ItemDataRole.DisplayRole)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


class TextTableModel(QAbstractTableModel):
    """Read-only rows of text; ``numeric`` columns are right-aligned."""

    def __init__(self, headers: Sequence[str], parent: QWidget | None = None, *, numeric: Sequence[int] = ()) -> None:
        super().__init__(parent)
        self._headers = [_(h) for h in headers]
        self._numeric = set(numeric)
        self._rows: list[tuple[str, ...]] = []

    def set_rows(self, rows: Sequence[Sequence[str]]) -> None:
        self.beginResetModel()
        width = len(self._headers)
        # padded to the header width, so data() can index without checks that might raise
        self._rows = [tuple(str(v) for v in row[:width]) + ("",) * (width - len(row)) for row in rows]
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = DISPLAY):
        row, column = index.row(), index.column()
        if not index.isValid() or not 0 <= row < len(self._rows) or not 0 <= column < len(self._headers):
            return None
        if role == DISPLAY:
            # one line per row: a cell with line breaks would make rows tall and uneven
            return self._rows[row][column].replace("\n", " ")
        if role == TOOLTIP:
            return self._rows[row][column] or None
        if role == ALIGN:
            return RIGHT if column in self._numeric else LEFT
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY):
        if role == DISPLAY and orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._headers):
            return self._headers[section]
        return None


def monospace_font(point_size: float | None = None) -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    if point_size is not None:
        font.setPointSizeF(point_size)
    return font


def fingerprint_text(fingerprint: str) -> str:
    """Two lines of four groups: short enough to read out group by group over the phone."""
    groups = fingerprint.split("-")
    if len(groups) != 8:
        return fingerprint
    return "   ".join(groups[:4]) + "\n" + "   ".join(groups[4:])


def fingerprint_label(fingerprint: str, parent: QWidget | None = None, *, point_size: float = 26) -> QLabel:
    """The fingerprint big, in a fixed-width font (no 0/D or 8/B doubt), selectable for copying."""
    label = QLabel(fingerprint_text(fingerprint), parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setFont(monospace_font(point_size))
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(fingerprint)
    label.setStyleSheet("QLabel { padding: 14px 24px; border: 1px solid palette(mid); border-radius: 6px; }")
    return label
