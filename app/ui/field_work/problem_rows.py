"""The editable problem rows of the visit dialog, typed without leaving the keyboard."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate

from app.i18n import N_, _
from app.models import PROBLEM_CATEGORIES

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_EDIT = int(Qt.ItemDataRole.EditRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_BAD = QColor("#fde7e7")

COLUMNS = (("category", N_("问题类别")), ("description", N_("问题描述")),
           ("responsible_person", N_("责任人")), ("deadline", N_("整改时限")))
KEYS = [key for key, _label in COLUMNS]
#: a deadline a month after the visit is the usual first guess
DEFAULT_DAYS = 30


class ProblemRowsModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[dict[str, str]] = []
        self.errors: dict[int, str] = {}

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=_DISPLAY):
        if role == _DISPLAY and orientation == Qt.Orientation.Horizontal:
            return _(COLUMNS[section][1])
        if role == _DISPLAY and orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def data(self, index: QModelIndex, role: int = _DISPLAY):
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        key = KEYS[index.column()]
        value = self.rows[index.row()].get(key, "")
        if role == _DISPLAY:
            return _(PROBLEM_CATEGORIES.get(value, value)) if key == "category" else value
        if role == _EDIT:
            return value
        if role == _BACKGROUND and index.row() in self.errors:
            return _BAD
        if role == _TOOLTIP and index.row() in self.errors:
            return self.errors[index.row()]
        return None

    def setData(self, index: QModelIndex, value, role: int = _EDIT) -> bool:  # noqa: N802
        if role != _EDIT or not index.isValid():
            return False
        self.rows[index.row()][KEYS[index.column()]] = "" if value is None else str(value)
        self.errors.pop(index.row(), None)
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), len(COLUMNS) - 1))
        return True

    def add_row(self, visit_day: date | None) -> int:
        deadline = (visit_day or date.today()) + timedelta(days=DEFAULT_DAYS)
        row = len(self.rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self.rows.append({"category": "collection", "description": "", "responsible_person": "",
                          "deadline": deadline.isoformat()})
        self.endInsertRows()
        return row

    def remove_row(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.rows[row]
            self.endRemoveRows()
            self.errors.clear()

    def set_errors(self, errors: dict[int, str]) -> None:
        self.errors = errors
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(COLUMNS) - 1))


class CategoryDelegate(QStyledItemDelegate):
    """A combo for the category column; typing its first characters picks an entry."""

    def createEditor(self, parent, option, index):  # noqa: N802
        combo = QComboBox(parent)
        for code, label in PROBLEM_CATEGORIES.items():
            combo.addItem(_(label), code)
        return combo

    def setEditorData(self, editor: QComboBox, index) -> None:  # noqa: N802
        editor.setCurrentIndex(max(editor.findData(index.data(_EDIT)), 0))

    def setModelData(self, editor: QComboBox, model, index) -> None:  # noqa: N802
        model.setData(index, editor.currentData(), _EDIT)
