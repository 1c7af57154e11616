"""Editable tables of the checklist editor (grade bands, sections, one section's items),
the table view they are shown in and the row buttons beside it.

What is typed is kept exactly as typed (numbers too), so nothing is lost when the service
refuses it; ``checklists.parse_content`` is the one judge of what is valid.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QPushButton,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.i18n import N_, _
from app.models import ITEM_KINDS
from app.services.checklist_excel import points

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_EDIT = int(Qt.ItemDataRole.EditRole)
_CHECK = int(Qt.ItemDataRole.CheckStateRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_CENTER = int(Qt.AlignmentFlag.AlignCenter)
_CHECKED, _UNCHECKED = Qt.CheckState.Checked, Qt.CheckState.Unchecked
_Index = QModelIndex | QPersistentModelIndex

ERROR_BRUSH = QBrush(QColor("#ffcdd2"))
_MUTED = QBrush(QColor("#888888"))


@dataclass(frozen=True)
class Field:
    key: str
    header: str  # msgid
    #: text | number | kind (计分 / 合格/不合格) | flag (a check box) | computed (shown, never edited)
    kind: str = "text"
    width: int = 100


BAND_FIELDS = (Field("min", N_("最低分"), "number", 70), Field("grade", N_("等级"), "text", 90))
SECTION_FIELDS = (Field("title", N_("部分标题"), "text", 300), Field("floor", N_("最低分"), "number", 70),
                  Field("count", N_("项数"), "computed", 50), Field("subtotal", N_("小计"), "computed", 60))
ITEM_FIELDS = (Field("code", N_("编号"), "text", 56), Field("text", N_("检查内容"), "text", 320),
               Field("evidence", N_("备查材料"), "text", 150), Field("kind", N_("类型"), "kind", 96),
               Field("max_score", N_("分值"), "number", 56), Field("deduction_guide", N_("扣分标准"), "text", 260),
               Field("veto", N_("否决项"), "flag", 56))


def number_text(value: Any) -> str:
    if value is None:
        return ""
    return points(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


def section_subtotal(section: Mapping[str, Any]) -> float | None:
    """The points of the score items as typed; None while one of them is not a number."""
    total = 0.0
    for item in section.get("items") or ():
        if item.get("kind", "score") != "score":
            continue
        try:
            total += float(str(item.get("max_score") or 0).strip() or 0)
        except ValueError:
            return None
    return total


class RowsModel(QAbstractTableModel):
    """A list of dicts edited in place, rows marked with the service's messages.

    ``rows`` is the caller's list: edits land in it directly, so the items of a section stay
    in that section's dict when another section is shown.
    """

    edited = Signal()

    def __init__(self, fields: Sequence[Field], parent=None, *,
                 computed: Callable[[dict[str, Any], str], str] | None = None) -> None:
        super().__init__(parent)
        self.fields = tuple(fields)
        self.rows: list[dict[str, Any]] = []
        self.read_only = False
        self.errors: dict[int, str] = {}
        self._computed = computed or (lambda _row, _key: "")
        self._headers = [_(f.header) for f in self.fields]
        self._kinds = [f.kind for f in self.fields]

    def column_of(self, key: str) -> int:
        return next(n for n, f in enumerate(self.fields) if f.key == key)

    def set_rows(self, rows: list[dict[str, Any]], errors: Mapping[int, str] | None = None) -> None:
        self.beginResetModel()
        self.rows = rows
        self.errors = dict(errors or {})
        self.endResetModel()

    def set_errors(self, errors: Mapping[int, str]) -> None:
        self.errors = {r: m for r, m in errors.items() if 0 <= r < len(self.rows)}
        self.refresh()

    def refresh(self) -> None:
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self.fields) - 1))

    # A table here has a few dozen rows: a reset is simpler to get right than row moves, and the
    # marks go with it, since the row numbers in the messages no longer hold. Callers reselect.
    def insert_row(self, row: int, values: dict[str, Any]) -> int:
        row = max(0, min(row, len(self.rows)))
        self.beginResetModel()
        self.rows.insert(row, values)
        self.errors = {}
        self.endResetModel()
        self.edited.emit()
        return row

    def remove_row(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            self.beginResetModel()
            del self.rows[row]
            self.errors = {}
            self.endResetModel()
            self.edited.emit()

    def move_row(self, row: int, delta: int) -> int:
        target = row + delta
        if not (0 <= row < len(self.rows) and 0 <= target < len(self.rows)):
            return row
        self.beginResetModel()
        self.rows.insert(target, self.rows.pop(row))
        self.errors = {}
        self.endResetModel()
        self.edited.emit()
        return target

    # -- Qt model API -----------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.fields)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY):
        if role == _DISPLAY and orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._headers):
            return self._headers[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not index.isValid() or not 0 <= index.column() < len(self._kinds):
            return flags
        kind = self._kinds[index.column()]
        if self.read_only or kind == "computed":
            return flags
        return flags | (Qt.ItemFlag.ItemIsUserCheckable if kind == "flag" else Qt.ItemFlag.ItemIsEditable)

    def data(self, index: _Index, role: int = _DISPLAY):
        row, column = index.row(), index.column()
        if not index.isValid() or not 0 <= row < len(self.rows) or not 0 <= column < len(self.fields):
            return None
        try:
            return self._data(self.rows[row], row, self.fields[column], role)
        except Exception:  # noqa: BLE001 - a repaint must never raise
            return None

    def _data(self, values: dict[str, Any], row: int, field: Field, role: int):
        kind, value = field.kind, values.get(field.key)
        if role == _DISPLAY or role == _EDIT:
            if kind == "computed":
                return self._computed(values, field.key) if role == _DISPLAY else None
            if kind == "flag":
                return None
            if kind == "kind":
                code = value or "score"
                return code if role == _EDIT else _(ITEM_KINDS.get(code, code))
            if kind == "number":
                if role == _DISPLAY and values.get("kind") == "pass_fail":
                    return "—"
                return number_text(value)
            return "" if value is None else str(value)
        if role == _CHECK and kind == "flag":
            return _CHECKED if value else _UNCHECKED
        if role == _BACKGROUND:
            return ERROR_BRUSH if row in self.errors else None
        if role == _TOOLTIP:
            if row in self.errors:
                return self.errors[row]
            return str(value) if kind == "text" and value else None
        if role == _FOREGROUND and kind == "computed":
            return _MUTED
        if role == _ALIGN and kind != "text":
            return _CENTER
        return None

    def setData(self, index: _Index, value, role: int = _EDIT) -> bool:
        row, column = index.row(), index.column()
        if not index.isValid() or not (self.flags(index) & (Qt.ItemFlag.ItemIsEditable
                                                             | Qt.ItemFlag.ItemIsUserCheckable)):
            return False
        field = self.fields[column]
        values = self.rows[row]
        if field.kind == "flag":
            if role != _CHECK:
                return False
            values[field.key] = Qt.CheckState(value) == _CHECKED if not isinstance(value, bool) else value
        elif role != _EDIT:
            return False
        elif field.kind == "kind":
            if value not in ITEM_KINDS:
                return False
            values[field.key] = value
            if value == "pass_fail":
                values["max_score"] = None  # a pass/fail item has no points
        else:
            values[field.key] = "" if value is None else str(value)
        # the user is fixing this row: its mark goes, the others stay until the next save
        self.errors.pop(row, None)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.fields) - 1))
        self.edited.emit()
        return True


class KindDelegate(QStyledItemDelegate):
    """类型 as a combo box of the labels; the model stores the code."""

    def createEditor(self, parent: QWidget, option, index) -> QWidget:
        combo = QComboBox(parent)
        for code, label in ITEM_KINDS.items():
            combo.addItem(_(label), code)
        combo.activated.connect(lambda _i, c=combo: self._commit(c))
        return combo

    def setEditorData(self, editor: QWidget, index) -> None:
        editor.setCurrentIndex(max(editor.findData(index.data(_EDIT)), 0))

    def setModelData(self, editor: QWidget, model, index) -> None:
        model.setData(index, editor.currentData(), _EDIT)

    def _commit(self, combo: QComboBox) -> None:
        # picking a kind is the whole edit: commit at once instead of waiting for focus to leave
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QAbstractItemDelegate.EndEditHint.NoHint)


def make_table(model: RowsModel, parent: QWidget, stretch: str) -> QTableView:
    """A table over ``model`` (its ``read_only`` set first); ``stretch`` is the column taking the spare width."""
    view = QTableView(parent)
    view.setModel(model)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    triggers = QAbstractItemView.EditTrigger
    view.setEditTriggers(triggers.NoEditTriggers if model.read_only else
                         triggers.DoubleClicked | triggers.SelectedClicked | triggers.EditKeyPressed
                         | triggers.AnyKeyPressed)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    for column, field in enumerate(model.fields):
        header.resizeSection(column, field.width)
    header.setSectionResizeMode(model.column_of(stretch), QHeaderView.ResizeMode.Stretch)
    return view


class RowButtons(QVBoxLayout):
    """添加 / 删除 / 上移 / 下移 beside a table."""

    def __init__(self, *, move: bool = True) -> None:
        super().__init__()
        labels = (_("添加"), _("删除"), _("上移"), _("下移")) if move else (_("添加"), _("删除"))
        self.buttons = [QPushButton(text) for text in labels]
        for button in self.buttons:
            self.addWidget(button)
        self.addStretch(1)
