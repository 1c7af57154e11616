"""The acceptance group (验收小组) as editable rows: name, unit, unit name, role, vote."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate

from app.i18n import N_, _
from app.models import MEMBER_ROLES, MEMBER_UNITS, VOTES
from app.services.acceptance_result import Member

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_EDIT = int(Qt.ItemDataRole.EditRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_BAD = QColor("#fde7e7")
_AGREE = QColor("#2e7d32")
_AGAINST = QColor("#c62828")

COLUMNS = (("name", N_("姓名")), ("unit_kind", N_("单位")), ("unit_name", N_("单位名称")),
           ("role", N_("职务")), ("vote", N_("表决")))
KEYS = [key for key, _label in COLUMNS]
#: the columns edited with a combo, and their choices (code -> msgid)
CHOICES: dict[str, dict[str, str]] = {"unit_kind": MEMBER_UNITS, "role": MEMBER_ROLES, "vote": VOTES}


def blank_member(role: str = "member") -> dict[str, str]:
    return {"name": "", "unit_kind": "other", "unit_name": "", "role": role, "vote": ""}


def suggested_group() -> list[dict[str, str]]:
    """Five empty rows, one per usual unit, the first the leader: the names are typed in."""
    units = [code for code in MEMBER_UNITS if code != "other"][:5]
    return [{**blank_member("leader" if n == 0 else "member"), "unit_kind": unit} for n, unit in enumerate(units)]


class MemberRowsModel(QAbstractTableModel):
    """The rows as typed; ``edited`` after every change a person made."""

    edited = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[dict[str, str]] = []
        self.errors: dict[int, str] = {}
        self.read_only = False
        self._headers = [_(label) for _key, label in COLUMNS]

    def load(self, members: Sequence[Member]) -> None:
        """The stored group, or the suggested five rows when there is none yet."""
        self.beginResetModel()
        self.rows = [{"name": m.name, "unit_kind": m.unit_kind, "unit_name": m.unit_name, "role": m.role,
                      "vote": m.vote} for m in members] or suggested_group()
        self.errors = {}
        self.endResetModel()
        self.edited.emit()

    def filled(self) -> list[tuple[int, dict[str, str]]]:
        """(row, values) of the rows with anything typed: a row left blank is no member."""
        return [(n, row) for n, row in enumerate(self.rows) if row["name"].strip() or row["unit_name"].strip()]

    def members(self) -> list[Member]:
        """The group as typed, for the live checks."""
        return [Member(str(n), row["name"].strip(), row["unit_kind"], row["unit_name"].strip(), row["role"],
                       row["vote"]) for n, row in self.filled()]

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self._all_changed()

    def set_errors(self, errors: Mapping[int, str]) -> None:
        self.errors = dict(errors)
        self._all_changed()

    def _all_changed(self) -> None:
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(KEYS) - 1))

    def add_row(self) -> int:
        row = len(self.rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self.rows.append(blank_member("leader" if not any(r["role"] == "leader" for r in self.rows) else "member"))
        self.endInsertRows()
        self.edited.emit()
        return row

    def remove_row(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.rows[row]
            self.endRemoveRows()
            self.errors.clear()
            self.edited.emit()

    # -- Qt model API -------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(KEYS)

    def headerData(self, section, orientation, role=_DISPLAY):
        if role == _DISPLAY and orientation == Qt.Orientation.Horizontal and 0 <= section < len(KEYS):
            return self._headers[section]
        if role == _DISPLAY and orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base if self.read_only else base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: QModelIndex, role: int = _DISPLAY):
        if not index.isValid() or index.row() >= len(self.rows) or index.column() >= len(KEYS):
            return None
        key = KEYS[index.column()]
        value = self.rows[index.row()].get(key, "")
        if role == _DISPLAY:
            choices = CHOICES.get(key)
            return _(choices.get(value, value)) if choices is not None else value
        if role == _EDIT:
            return value
        if role == _BACKGROUND and index.row() in self.errors:
            return _BAD
        if role == _TOOLTIP and index.row() in self.errors:
            return self.errors[index.row()]
        if role == _FOREGROUND and key == "vote":
            return _AGREE if value == "agree" else _AGAINST if value == "disagree" else None
        return None

    def setData(self, index: QModelIndex, value, role: int = _EDIT) -> bool:  # noqa: N802
        if role != _EDIT or not index.isValid() or self.read_only or index.row() >= len(self.rows):
            return False
        key = KEYS[index.column()]
        text = "" if value is None else str(value)
        if key in CHOICES and text not in CHOICES[key]:
            return False
        if self.rows[index.row()][key] == text:
            return True
        self.rows[index.row()][key] = text
        self.errors.pop(index.row(), None)
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), len(KEYS) - 1))
        self.edited.emit()
        return True


class ChoiceDelegate(QStyledItemDelegate):
    """A combo over one of the member choices; typing a label's first characters picks it."""

    def __init__(self, choices: Mapping[str, str], parent=None) -> None:
        super().__init__(parent)
        self.choices = choices

    def createEditor(self, parent, option, index):  # noqa: N802
        combo = QComboBox(parent)
        for code, label in self.choices.items():
            combo.addItem(_(label), code)
        # a choice takes effect at once: the live checks follow each vote as it is picked
        combo.activated.connect(lambda _n, c=combo: self.commitData.emit(c))
        return combo

    def setEditorData(self, editor: QComboBox, index) -> None:  # noqa: N802
        editor.setCurrentIndex(max(editor.findData(index.data(_EDIT)), 0))

    def setModelData(self, editor: QComboBox, model, index) -> None:  # noqa: N802
        model.setData(index, editor.currentData(), _EDIT)
