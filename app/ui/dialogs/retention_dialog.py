"""项目档案收集范围和保管期限表: edit a sub-project's schedule, or the default list new ones copy."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from PySide6.QtCore import QAbstractTableModel, QItemSelectionModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemDelegate, QAbstractItemView, QComboBox, QDialog, QDialogButtonBox,
                               QHBoxLayout, QHeaderView, QLabel, QPushButton, QStyledItemDelegate, QTableView,
                               QVBoxLayout, QWidget)

from app.errors import AppError, ValidationError
from app.i18n import N_, _
from app.models import RETENTION_PERIODS
from app.services import retention, sub_projects
from app.services.retention import Schedule
from app.services.workspace import Workspace
from app.ui.errors import show_error
from app.ui.item_views import commit_open_editor

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_EDIT = int(Qt.ItemDataRole.EditRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_Index = QModelIndex | QPersistentModelIndex

ERROR_BACKGROUND = QColor("#ffcdd2")
_ERROR_BRUSH = QBrush(ERROR_BACKGROUND)
#: A new row starts as 永久: when unsure, keeping a file longer is the safe mistake.
NEW_ROW_PERIOD = "permanent"


def summary_text(items: Sequence[Mapping[str, str]]) -> str:
    """共 16 类：永久 9 类，30年 5 类，10年 2 类 (periods in their usual order, absent ones left out)."""
    counts = {code: 0 for code in RETENTION_PERIODS}
    for item in items:
        code = item.get("retention", "")
        counts[code] = counts.get(code, 0) + 1
    parts = [_("{period} {n} 类").format(period=_(RETENTION_PERIODS.get(code, code)), n=n)
             for code, n in counts.items() if n]
    if not parts:
        return _("共 0 类")
    return _("共 {n} 类：{parts}").format(n=len(items), parts=_("，").join(parts))


class RetentionItemsModel(QAbstractTableModel):
    """The ordered rows ``{"document_class", "retention"}`` being edited, with rows marked bad."""

    COLUMNS = (N_("序号"), N_("文件类别"), N_("保管期限"))
    NUMBER, CLASS, PERIOD = range(3)

    def __init__(self, items: Iterable[Mapping[str, str]] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows = [self._row(i) for i in items]
        self._errors: dict[int, str] = {}
        self._headers = [_(c) for c in self.COLUMNS]

    @staticmethod
    def _row(item: Mapping[str, str]) -> dict[str, str]:
        return {"document_class": item.get("document_class") or "",
                "retention": item.get("retention") or NEW_ROW_PERIOD}

    def items(self) -> list[dict[str, str]]:
        return [dict(r) for r in self._rows]

    def set_items(self, items: Iterable[Mapping[str, str]]) -> None:
        self.beginResetModel()
        self._rows = [self._row(i) for i in items]
        self._errors.clear()
        self.endResetModel()

    # A schedule has a few dozen rows: a reset is simpler to get right than row moves, costs nothing
    # here, and drops the red marks, whose row numbers no longer hold. The dialog reselects the row.
    def insert_row(self, row: int) -> int:
        """Insert an empty row (class to be typed, period 永久) at ``row``; returns where it went."""
        row = max(0, min(row, len(self._rows)))
        self.set_items([*self._rows[:row], {}, *self._rows[row:]])
        return row

    def remove_rows(self, rows: Iterable[int]) -> None:
        drop = set(rows)
        self.set_items([r for n, r in enumerate(self._rows) if n not in drop])

    def move_row(self, row: int, delta: int) -> int:
        """Move one row up (-1) or down (+1); returns where it is now."""
        target = row + delta
        if not (0 <= row < len(self._rows) and 0 <= target < len(self._rows)):
            return row
        rows = list(self._rows)
        rows.insert(target, rows.pop(row))
        self.set_items(rows)
        return target

    def set_row_errors(self, errors: Mapping[int, str]) -> None:
        """Mark rows (0-based) with their messages; every other mark is dropped."""
        self._errors = {r: m for r, m in errors.items() if 0 <= r < len(self._rows)}
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self.COLUMNS) - 1))

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid() and index.column() != self.NUMBER:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: _Index, role: int = _DISPLAY):
        row, column = index.row(), index.column()
        if not index.isValid() or not 0 <= row < len(self._rows):
            return None
        item = self._rows[row]
        if role == _DISPLAY or role == _EDIT:
            if column == self.NUMBER:
                return row + 1
            if column == self.CLASS:
                return item["document_class"]
            code = item["retention"]
            return code if role == _EDIT else _(RETENTION_PERIODS.get(code, code))
        if role == _BACKGROUND:
            return _ERROR_BRUSH if row in self._errors else None
        if role == _TOOLTIP:
            return self._errors.get(row) or (item["document_class"] if column == self.CLASS else None) or None
        if role == _ALIGN and column != self.CLASS:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def setData(self, index: _Index, value, role: int = _EDIT) -> bool:
        row, column = index.row(), index.column()
        if role != _EDIT or not 0 <= row < len(self._rows) or not index.isValid():
            return False
        if column == self.CLASS:
            self._rows[row]["document_class"] = "" if value is None else str(value)
        elif column == self.PERIOD and value in RETENTION_PERIODS:
            self._rows[row]["retention"] = value
        else:
            return False
        # The user is fixing this row: its red mark goes, the others stay until the next save.
        self._errors.pop(row, None)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))
        return True

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY):
        if role == _DISPLAY and orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._headers):
            return self._headers[section]
        return None


class PeriodDelegate(QStyledItemDelegate):
    """保管期限 as a combo box of the period labels; the model stores the code."""

    def createEditor(self, parent: QWidget, option, index) -> QWidget:
        combo = QComboBox(parent)
        for code, label in RETENTION_PERIODS.items():
            combo.addItem(_(label), code)
        combo.activated.connect(lambda _i, c=combo: self._commit(c))
        return combo

    def setEditorData(self, editor: QWidget, index) -> None:
        editor.setCurrentIndex(max(editor.findData(index.data(_EDIT)), 0))

    def setModelData(self, editor: QWidget, model, index) -> None:
        model.setData(index, editor.currentData(), _EDIT)

    def _commit(self, combo: QComboBox) -> None:
        # Picking a period is the whole edit: commit at once instead of waiting for focus to leave.
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QAbstractItemDelegate.EndEditHint.NoHint)


class RetentionDialog(QDialog):
    """Edit a sub-project's schedule (``sub_project_uid``) or the default list (``None``).

    A sub-project without a schedule is offered the default list; saving creates its
    schedule. After ``accept`` the saved ``Schedule`` is in ``result_schedule``. The
    constructor raises ``NotFound`` when the sub-project (or the default list) is gone.
    """

    help_topic = "register"

    def __init__(self, ws: Workspace, *, sub_project_uid: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.sub_project_uid = sub_project_uid
        self.result_schedule: Schedule | None = None
        self.resize(780, 620)

        notes: list[str] = []
        if sub_project_uid is None:
            self._schedule: Schedule | None = retention.default_schedule(ws)
            self.setWindowTitle(_("默认的项目档案收集范围和保管期限表"))
            header = _("新建子项目的保管期限表从此默认清单复制；修改它不影响已有子项目的保管期限表。")
        else:
            detail = sub_projects.get(ws, sub_project_uid)
            self._schedule = retention.schedule_for(ws, sub_project_uid)
            self.setWindowTitle(_("项目档案收集范围和保管期限表 — {code} {name}").format(
                code=detail.code, name=detail.name))
            header = _("编号：{code}　　名称：{name}").format(code=detail.code, name=detail.name)
            if self._schedule is None:
                notes.append(_("该子项目还没有保管期限表。下表取自默认清单，保存后即为该子项目建立。"))
        items = self._schedule.items if self._schedule else retention.default_schedule(ws).items

        self.header = QLabel(header, self)
        self.note = QLabel("\n".join(notes), self)
        self.note.setStyleSheet("color: #8a5a00;")
        self.note.setVisible(bool(notes))
        self.model = RetentionItemsModel(items, self)
        self.view = self._make_view()
        self.summary = QLabel(self)
        self.error_area = QLabel(self)
        self.error_area.setTextFormat(Qt.TextFormat.PlainText)
        self.error_area.setStyleSheet("color: #c62828;")
        self.error_area.hide()
        for label in (self.header, self.note, self.error_area):
            label.setWordWrap(True)

        self.add_button, self.remove_button, self.up_button, self.down_button, self.reset_button = (
            QPushButton(text, self) for text in (_("添加"), _("删除"), _("上移"), _("下移"), _("恢复默认清单")))
        self.reset_button.setToolTip(_("用默认清单替换下表（保存后才生效）。"))
        self.reset_button.setVisible(sub_project_uid is not None)
        side = QVBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            side.addWidget(button)
        side.addStretch(1)
        side.addWidget(self.reset_button)

        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton(_("保存"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(_("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        middle = QHBoxLayout()
        middle.addWidget(self.view, 1)
        middle.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.note)
        layout.addLayout(middle, 1)
        for widget in (self.summary, self.error_area, self.buttons):
            layout.addWidget(widget)

        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_selected)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        self.reset_button.clicked.connect(self.restore_default)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.view, self.remove_selected,
                  context=Qt.ShortcutContext.WidgetShortcut)
        # After a structural edit the row numbers in the messages no longer hold.
        self.model.modelReset.connect(lambda: self._show_errors({}))
        selection = self.view.selectionModel()
        for signal in (self.model.modelReset, self.model.dataChanged, selection.selectionChanged,
                       selection.currentChanged):
            signal.connect(self._refresh)
        self._refresh()

    def _make_view(self) -> QTableView:
        view = QTableView(self)
        view.setModel(self.model)
        view.setItemDelegateForColumn(RetentionItemsModel.PERIOD, PeriodDelegate(view))
        view.setAlternatingRowColors(True)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        triggers = QAbstractItemView.EditTrigger
        view.setEditTriggers(triggers.DoubleClicked | triggers.SelectedClicked | triggers.EditKeyPressed
                             | triggers.AnyKeyPressed)
        view.setWordWrap(False)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 12)
        header = view.horizontalHeader()
        header.setHighlightSections(False)
        for column, width in ((RetentionItemsModel.NUMBER, 52), (RetentionItemsModel.PERIOD, 110)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, width)
        header.setSectionResizeMode(RetentionItemsModel.CLASS, QHeaderView.ResizeMode.Stretch)
        return view

    # -- editing -------------------------------------------------------------------------

    def _selected_rows(self) -> list[int]:
        rows = {i.row() for i in self.view.selectionModel().selectedRows()}
        if not rows and self.view.currentIndex().isValid():
            rows.add(self.view.currentIndex().row())
        return sorted(rows)

    def _select_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            index = self.model.index(row, RetentionItemsModel.CLASS)
            self.view.selectRow(row)
            # selectRow makes the row's first cell current; the class cell is where typing belongs.
            self.view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
            self.view.scrollTo(index)

    def add_row(self) -> int:
        """Insert an empty row below the current one (or at the end) and start typing its class."""
        rows = self._selected_rows()
        row = self.model.insert_row(rows[-1] + 1 if rows else self.model.rowCount())
        self._select_row(row)
        self.view.edit(self.model.index(row, RetentionItemsModel.CLASS))
        return row

    def remove_selected(self) -> None:
        rows = self._selected_rows()
        if rows:
            self.model.remove_rows(rows)
            self._select_row(min(rows[0], self.model.rowCount() - 1))

    def move_current(self, delta: int) -> None:
        rows = self._selected_rows()
        if rows:
            self._select_row(self.model.move_row(rows[0], delta))

    def restore_default(self) -> None:
        self.model.set_items(retention.default_schedule(self.ws).items)

    def _refresh(self, *_args) -> None:
        self.summary.setText(summary_text(self.model.items()))
        rows = self._selected_rows()
        self.remove_button.setEnabled(bool(rows))
        self.up_button.setEnabled(bool(rows) and rows[0] > 0)
        self.down_button.setEnabled(bool(rows) and rows[0] < self.model.rowCount() - 1)

    # -- saving --------------------------------------------------------------------------

    def _show_errors(self, field_errors: Mapping[str, str]) -> None:
        row_errors: dict[int, str] = {}
        for key, message in field_errors.items():
            if key.startswith("row:") and key[4:].isdigit():
                row_errors[int(key[4:]) - 1] = message
        self.model.set_row_errors(row_errors)
        if not field_errors:
            self.error_area.clear()
            self.error_area.hide()
            return
        lines = [_("未保存。请修改标红的行：") if row_errors else _("未保存：")]
        lines += [f"• {message}" for message in field_errors.values()]
        self.error_area.setText("\n".join(lines))
        self.error_area.show()
        if row_errors:
            # Current but not selected: a selected row would hide its red background.
            index = self.model.index(min(row_errors), RetentionItemsModel.CLASS)
            self.view.clearSelection()
            self.view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
            self.view.scrollTo(index)

    def commit_open_editor(self) -> None:
        commit_open_editor(self.view)

    def accept(self) -> None:
        self.commit_open_editor()
        items = self.model.items()
        try:
            if self._schedule is None:
                # one transaction: a refused list never leaves a half-made schedule behind
                saved = retention.create_for(self.ws, self.sub_project_uid, items)
            else:
                saved = retention.save_items(self.ws, self._schedule.uid, items, expected_rev=self._schedule.rev)
        except ValidationError as exc:
            self._show_errors(exc.field_errors)
            return
        except AppError as exc:
            show_error(self, exc)
            return
        self._schedule = self.result_schedule = saved
        self._show_errors({})
        super().accept()
