"""冲突处理: the open conflicts, one row per field, and the dialog where a person decides.

A conflict is the same field changed on two nodes (or a delete against an edit). Until
someone decides, every node shows the same provisional winner (暂定采用); the decision is
a new revision that travels like any edit (``app.services.conflicts.resolve``).
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError
from app.i18n import N_, _
from app.services import conflicts
from app.services.conflicts import ConflictField, ConflictView
from app.services.sync_overview import local_time_text
from app.services.workspace import Workspace
from app.ui.errors import show_error
from app.ui.item_views import read_only_rows, select_rows

# Cached role ints: comparing enums in data() costs half of each repaint.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)

COLUMNS = (N_("记录"), N_("字段"), N_("本机的值"), N_("对方的值"), N_("暂定采用"), N_("发现时间"), N_("双方修改人"))
COL_RECORD, COL_FIELD, COL_LOCAL, COL_REMOTE, COL_WINNER, COL_FOUND, COL_WHO = range(len(COLUMNS))
#: widths in Chinese characters
WIDTHS = (24, 7, 13, 13, 5, 9)
SIDES = {"local": N_("本机"), "remote": N_("对方")}


def value_text(fld: ConflictField, side: str) -> str:
    """A side's value as people read it; a deletion says what happened rather than 是/否."""
    if fld.name == "deleted":
        return _("已删除") if (fld.local if side == "local" else fld.remote) else _("未删除")
    return (fld.local_text if side == "local" else fld.remote_text) or _("（空）")


def _side(winner: str) -> str:
    return _(SIDES.get(winner, winner))


class ConflictsModel(QAbstractTableModel):
    """One row per conflicting field; a conflict's first row names the record, the time and
    who changed it, and a conflict's rows share a background so they read as one group."""

    CONFLICT_ID_ROLE = int(Qt.ItemDataRole.UserRole) + 1

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._headers = [_(h) for h in COLUMNS]
        self.conflicts: list[ConflictView] = []
        #: (conflict index, field index) per row
        self._rows: list[tuple[int, int]] = []
        self._bold = QFont()
        self._bold.setBold(True)
        palette = QApplication.palette()
        self._group_tint = palette.color(QPalette.ColorRole.AlternateBase)
        self._quiet = palette.color(QPalette.ColorRole.PlaceholderText)

    def set_conflicts(self, found: list[ConflictView]) -> None:
        self.beginResetModel()
        self.conflicts = found
        self._rows = [(c, f) for c, view in enumerate(found) for f in range(max(len(view.fields), 1))]
        self.endResetModel()

    def rows_of(self, row: int) -> tuple[int, int]:
        """First and last row of the conflict shown at ``row`` (its fields are adjacent)."""
        if not 0 <= row < len(self._rows):
            return row, row
        c = self._rows[row][0]
        first = row - self._rows[row][1]
        return first, first + max(len(self.conflicts[c].fields), 1) - 1

    def conflict_at(self, row: int) -> ConflictView | None:
        if not 0 <= row < len(self._rows):
            return None
        return self.conflicts[self._rows[row][0]]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY):
        if role == _DISPLAY and orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return self._headers[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY):
        row, column = index.row(), index.column()
        if not index.isValid() or not 0 <= row < len(self._rows) or not 0 <= column < len(COLUMNS):
            return None
        c, f = self._rows[row]
        view = self.conflicts[c]
        fld: ConflictField | None = view.fields[f] if f < len(view.fields) else None
        if role == _DISPLAY or role == _TOOLTIP:
            text = self._text(view, fld, f, column)
            return text if role == _DISPLAY else (self._tooltip(view, fld, column) or text or None)
        if role == self.CONFLICT_ID_ROLE:
            return view.id
        if role == _FONT and fld is not None and (
                (column == COL_LOCAL and fld.winner == "local") or (column == COL_REMOTE and fld.winner == "remote")):
            return self._bold  # the value every node shows until someone decides
        if role == _BACKGROUND and c % 2:
            return self._group_tint
        if role == _FOREGROUND and fld is not None and column in (COL_LOCAL, COL_REMOTE):
            value = fld.local_text if column == COL_LOCAL else fld.remote_text
            return self._quiet if not value else None
        return None

    @staticmethod
    def _text(view: ConflictView, fld: ConflictField | None, f: int, column: int) -> str:
        first = f == 0
        if column == COL_RECORD:
            return f"{view.entity_label} {view.record_label}" if first else ""
        if column == COL_FOUND:
            return local_time_text(view.detected_at) if first else ""
        if column == COL_WHO:
            return _("本机：{local}；对方：{remote}").format(local=view.local_by or "—", remote=view.remote_by or "—") \
                if first else ""
        if fld is None:
            return ""
        if column == COL_FIELD:
            return fld.label
        if column == COL_LOCAL:
            return value_text(fld, "local")
        if column == COL_REMOTE:
            return value_text(fld, "remote")
        if column == COL_WINNER:
            return _side(fld.winner)
        return ""

    @staticmethod
    def _tooltip(view: ConflictView, fld: ConflictField | None, column: int) -> str:
        if column == COL_RECORD:
            return f"{view.entity_label} {view.record_label}\n{view.record_uid}"
        if column == COL_WINNER and fld is not None:
            return _("处理之前，各节点都暂时显示{side}的值。").format(side=_side(fld.winner))
        return ""


class ResolveDialog(QDialog):
    """Per field: keep 本机's value, 对方's, or type one (自定). 确定 calls ``conflicts.resolve``.

    ``resolved`` holds the ConflictView the service returned once the dialog is accepted.
    """

    help_topic = "conflicts"

    def __init__(self, ws: Workspace, conflict: ConflictView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.conflict = ws, conflict
        self.resolved: ConflictView | None = None
        self.setWindowTitle(_("处理冲突 — {record}").format(record=conflict.record_label))
        self.resize(640, 200 + 130 * min(len(conflict.fields), 4))
        heading = QLabel(_("{entity} {record}").format(entity=conflict.entity_label, record=conflict.record_label))
        heading.setTextFormat(Qt.TextFormat.PlainText)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        heading.setFont(font)
        explain = QLabel(_("两个节点都改了下面的字段。请为每个字段决定保留哪一个值；决定会作为一次新的修改，"
                           "随下一次数据包传到其他节点。"))
        explain.setWordWrap(True)

        #: field name -> (button group, custom line edit or None)
        self.choices: dict[str, tuple[QButtonGroup, QLineEdit | None]] = {}
        body = QWidget()
        fields_layout = QVBoxLayout(body)
        fields_layout.setContentsMargins(0, 0, 0, 0)
        for fld in conflict.fields:
            fields_layout.addWidget(self._field_box(fld, conflict))
        fields_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)

        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton(_("采用所选的值"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(_("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(explain)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)
        self._update()

    def _field_box(self, fld: ConflictField, conflict: ConflictView) -> QGroupBox:
        box = QGroupBox(fld.label, self)
        grid = QGridLayout(box)
        group = QButtonGroup(box)
        provisional = _("（暂定采用）")
        rows = (("local", _("本机"), value_text(fld, "local"), conflict.local_by),
                ("remote", _("对方"), value_text(fld, "remote"), conflict.remote_by))
        for n, (side, caption, text, who) in enumerate(rows):
            button = QRadioButton(caption + (provisional if fld.winner == side else ""), box)
            button.setProperty("choice", side)
            group.addButton(button, n)
            value = QLabel(text, box)
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            if fld.winner == side:
                font = value.font()
                font.setBold(True)
                value.setFont(font)
            by = QLabel(who, box)
            by.setTextFormat(Qt.TextFormat.PlainText)
            by.setStyleSheet("color: #6b6b6b;")
            grid.addWidget(button, n, 0)
            grid.addWidget(value, n, 1)
            grid.addWidget(by, n, 2)
        edit: QLineEdit | None = None
        # typing a value only makes sense for text; a yes/no, a number or a deletion is chosen, not typed
        if fld.name != "deleted" and all(isinstance(v, str) or v is None for v in (fld.local, fld.remote)):
            custom = QRadioButton(_("自定"), box)
            custom.setProperty("choice", "custom")
            group.addButton(custom, 2)
            edit = QLineEdit(box)
            edit.setPlaceholderText(_("输入要采用的值"))
            winner = fld.local if fld.winner == "local" else fld.remote
            edit.setText(winner or "")
            edit.setEnabled(False)
            custom.toggled.connect(edit.setEnabled)
            # typing means choosing it
            edit.textEdited.connect(lambda _text, b=custom: b.setChecked(True))
            grid.addWidget(custom, 2, 0)
            grid.addWidget(edit, 2, 1, 1, 2)
        grid.setColumnStretch(1, 1)
        group.buttonToggled.connect(lambda *_args: self._update())
        self.choices[fld.name] = (group, edit)
        return box

    def choose(self, field: str, choice: str, value: str | None = None) -> None:
        """Pick ``choice`` ("local", "remote" or "custom" with ``value``) for ``field``, as a click would."""
        group, edit = self.choices[field]
        for button in group.buttons():
            if button.property("choice") == choice:
                button.setChecked(True)
        if choice == "custom" and edit is not None and value is not None:
            edit.setText(value)

    def selected(self) -> dict[str, object] | None:
        """The choices for ``conflicts.resolve``, or None while a field has none."""
        found: dict[str, object] = {}
        for name, (group, edit) in self.choices.items():
            button = group.checkedButton()
            if button is None:
                return None
            choice = button.property("choice")
            found[name] = {"value": edit.text().strip()} if choice == "custom" and edit is not None else choice
        return found

    def _update(self) -> None:
        self.ok_button.setEnabled(self.selected() is not None)

    def save(self) -> None:
        choices = self.selected()
        if choices is None:
            return
        try:
            self.resolved = conflicts.resolve(self.ws, self.conflict.id, choices)
        except AppError as exc:
            show_error(self, exc, title=_("处理冲突"))
            return
        except ValueError as exc:
            # a typed date the column cannot hold: the person corrects it, nothing was written
            show_error(self, AppError(_("输入的值格式不对：{error}").format(error=exc)), title=_("处理冲突"))
            return
        self.accept()


class ConflictsPage(QWidget):
    """The open conflicts; ``changed`` is emitted after one was resolved (records changed)."""

    changed = Signal()

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.summary = QLabel()
        self.model = ConflictsModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        read_only_rows(self.table, single=True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 12)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        em = self.table.fontInfo().pixelSize()
        for column, chars in enumerate(WIDTHS):
            header.resizeSection(column, chars * em + 16)
        self.table.activated.connect(lambda _index: self.resolve_current())
        self.empty = QLabel(_("没有待处理的冲突。\n导入数据包时，如果两边改了同一记录的同一字段，冲突会列在这里。"))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: #8a8a8a;")
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)

        self.resolve_button = QPushButton(_("处理冲突…"))
        self.resolve_button.setToolTip(_("为选中冲突的每个字段决定保留哪一个值（双击也可以）"))
        self.resolve_button.clicked.connect(self.resolve_current)
        bar = QHBoxLayout()
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.resolve_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)
        self.table.selectionModel().selectionChanged.connect(lambda *_args: self._select_group())
        self.refresh()

    def refresh(self) -> None:
        keep = self.current_conflict()
        found = conflicts.list_conflicts(self.ws)
        self.model.set_conflicts(found)
        self.summary.setText(_("待处理的冲突：{n} 条（{fields} 个字段）。处理前各节点暂按同一规则显示其中一方的值。").format(
            n=len(found), fields=self.model.rowCount()) if found else "")
        self.stack.setCurrentIndex(0 if found else 1)
        row = next((r for r in range(self.model.rowCount())
                    if keep is not None and self.model.conflict_at(r).id == keep.id), 0 if found else -1)
        if row >= 0:
            self.table.selectRow(row)
        self._update_buttons()

    def current_conflict(self) -> ConflictView | None:
        index = self.table.currentIndex()
        return self.model.conflict_at(index.row()) if index.isValid() else None

    def select_conflict(self, conflict_id: int) -> None:
        for row in range(self.model.rowCount()):
            if self.model.conflict_at(row).id == conflict_id:
                self.table.selectRow(row)
                return

    def _select_group(self) -> None:
        # a conflict is decided as a whole: its fields are selected together, whichever row was clicked
        current = self.table.currentIndex()
        if current.isValid():
            first, last = self.model.rows_of(current.row())
            selected = sorted(index.row() for index in self.table.selectionModel().selectedRows())
            if selected != list(range(first, last + 1)):
                select_rows(self.table, first, last)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.resolve_button.setEnabled(self.current_conflict() is not None)

    def resolve_current(self) -> None:
        conflict = self.current_conflict()
        if conflict is None:
            return
        dialog = ResolveDialog(self.ws, conflict, self)
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()
        if accepted:
            self.refresh()
            self.changed.emit()
