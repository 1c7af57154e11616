"""The editable list of a notice's opinions (督导意见): division, text, linked problems."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QPlainTextEdit, QStyledItemDelegate

from app.i18n import N_, _
from app.models import PROBLEM_STATES
from app.services.notices import LinkedProblem, NoticeItemDetail

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_EDIT = int(Qt.ItemDataRole.EditRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_TOP_CENTER = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
_TOP_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
_BAD = QColor("#fde7e7")

COLUMNS = (("seq", N_("序号")), ("division_uid", N_("县（区）")), ("text", N_("督导意见")),
           ("problems", N_("关联问题")))
KEYS = [key for key, _label in COLUMNS]
SEQ, DIVISION, TEXT, PROBLEMS = range(4)


def problem_line(p: LinkedProblem) -> str:
    state = _(PROBLEM_STATES.get(p.state, p.state))
    return _("{code} {name}：{description}（{state}）").format(
        code=p.sub_project_code, name=p.sub_project_name, description=p.description, state=state)


class OpinionsModel(QAbstractTableModel):
    """Rows are dicts: uid, rev, division_uid, text, problems (``LinkedProblem`` list)."""

    def __init__(self, division_names: dict[str, str], parent=None) -> None:
        super().__init__(parent)
        self.division_names = division_names
        self.rows: list[dict[str, Any]] = []
        self.errors: dict[int, str] = {}
        self.read_only = False
        self._headers = [_(label) for _key, label in COLUMNS]

    # -- Qt ---------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=_DISPLAY):  # noqa: N802
        if role == _DISPLAY and orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return self._headers[section]
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not self.read_only and index.column() in (DIVISION, TEXT):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: QModelIndex, role: int = _DISPLAY):
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row, column = self.rows[index.row()], index.column()
        if role == _DISPLAY:
            if column == SEQ:
                return str(index.row() + 1)
            if column == DIVISION:
                return self.division_names.get(row["division_uid"] or "", "") or _("（不分县区）")
            if column == TEXT:
                return row["text"]
            count = len(row["problems"])
            return _("{n} 个").format(n=count) if count else ""
        if role == _EDIT:
            return row["division_uid"] if column == DIVISION else row["text"] if column == TEXT else None
        if role == _TOOLTIP:
            if index.row() in self.errors:
                return self.errors[index.row()]
            if column == PROBLEMS and row["problems"]:
                return "\n".join(problem_line(p) for p in row["problems"])
            return None
        if role == _BACKGROUND and index.row() in self.errors:
            return _BAD
        if role == _ALIGN:
            return _TOP_CENTER if column in (SEQ, PROBLEMS) else _TOP_LEFT
        return None

    def setData(self, index: QModelIndex, value, role: int = _EDIT) -> bool:  # noqa: N802
        if role != _EDIT or not index.isValid() or self.read_only or index.column() not in (DIVISION, TEXT):
            return False
        key = KEYS[index.column()]
        self.rows[index.row()][key] = (value or None) if key == "division_uid" else ("" if value is None else str(value))
        self.errors.pop(index.row(), None)
        self._row_changed(index.row())
        return True

    # -- editing ------------------------------------------------------------------
    def _row_changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def load(self, items: tuple[NoticeItemDetail, ...]) -> None:
        self.beginResetModel()
        self.rows = [{"uid": i.uid, "rev": i.rev, "division_uid": i.division_uid, "text": i.text,
                      "problems": list(i.problems)} for i in items]
        self.errors = {}
        self.endResetModel()

    def add_row(self, division_uid: str | None = None, at: int | None = None) -> int:
        row = len(self.rows) if at is None else max(0, min(at, len(self.rows)))
        self.beginInsertRows(QModelIndex(), row, row)
        self.rows.insert(row, {"uid": None, "rev": None, "division_uid": division_uid, "text": "", "problems": []})
        self.endInsertRows()
        self.errors.clear()
        return row

    def remove_row(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.rows[row]
            self.endRemoveRows()
            self.errors.clear()

    def move_row(self, row: int, offset: int) -> int:
        """Move a row up (-1) or down (+1); returns where it is now."""
        target = row + offset
        if not (0 <= row < len(self.rows) and 0 <= target < len(self.rows)):
            return row
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), target + 1 if offset > 0 else target)
        self.rows.insert(target, self.rows.pop(row))
        self.endMoveRows()
        self.errors.clear()
        return target

    def set_problems(self, row: int, problems: list[LinkedProblem]) -> None:
        self.rows[row]["problems"] = list(problems)
        self._row_changed(row)

    def set_errors(self, errors: dict[int, str]) -> None:
        self.errors = errors
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(COLUMNS) - 1))

    def items(self) -> list[dict[str, Any]]:
        """The rows as the notice service takes them."""
        return [{"uid": r["uid"], "rev": r["rev"], "division_uid": r["division_uid"], "text": r["text"],
                 "problem_uids": [p.uid for p in r["problems"]]} for r in self.rows]


class DivisionDelegate(QStyledItemDelegate):
    def __init__(self, choices: list[tuple[str | None, str]], parent=None) -> None:
        super().__init__(parent)
        self.choices = choices

    def createEditor(self, parent, option, index):  # noqa: N802
        combo = QComboBox(parent)
        for uid, name in self.choices:
            combo.addItem(name, uid)
        return combo

    def setEditorData(self, editor: QComboBox, index) -> None:  # noqa: N802
        editor.setCurrentIndex(max(editor.findData(index.data(_EDIT)), 0))

    def setModelData(self, editor: QComboBox, model, index) -> None:  # noqa: N802
        model.setData(index, editor.currentData(), _EDIT)


class TextDelegate(QStyledItemDelegate):
    """A multi-line editor: Enter starts a new line, Tab or leaving the cell keeps the text
    (and the dialog's Save takes a cell still being edited)."""

    def createEditor(self, parent, option, index):  # noqa: N802
        editor = QPlainTextEdit(parent)
        editor.setTabChangesFocus(True)
        return editor

    def updateEditorGeometry(self, editor, option, index) -> None:  # noqa: N802
        rect = option.rect
        rect.setHeight(max(rect.height(), 90))
        editor.setGeometry(rect)

    def setEditorData(self, editor: QPlainTextEdit, index) -> None:  # noqa: N802
        editor.setPlainText(index.data(_EDIT) or "")

    def setModelData(self, editor: QPlainTextEdit, model, index) -> None:  # noqa: N802
        model.setData(index, editor.toPlainText(), _EDIT)
