"""变更历史: every version of one record (and of what belongs to it), field by field.

Opened from the register (a sub-project), the ledger and the sub-project page (a problem,
a visit, an acceptance) and the notices page. A correction shows in amber with its reason.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QTableView, QVBoxLayout, QWidget)

from app.errors import AppError
from app.i18n import N_, _, ngettext
from app.services import history, sub_projects
from app.services.history import HistoryLine, RecordHistory
from app.services.workspace import Workspace
from app.ui.errors import show_error
from app.ui.item_views import read_only_rows

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_HORIZONTAL = Qt.Orientation.Horizontal
_TOP_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
#: steps that change the official record after the fact
_AMBER = QColor("#8a5300")
_OFFICIAL_STEPS = frozenset({"correct", "supersede", "void", "delete"})


class HistoryTableModel(QAbstractTableModel):
    """Read-only rows of ``HistoryLine``, in the service's order (newest first)."""

    COLUMNS = (N_("时间"), N_("操作员"), N_("节点"), N_("操作"), N_("对象"), N_("字段"), N_("原值"), N_("新值"),
               N_("说明"))
    TIME, OPERATOR, NODE, ACTION, ENTITY, FIELD, OLD, NEW, NOTE = range(9)
    #: Sort key: for the time column a number that grows with recency, else the text.
    SortRole = int(Qt.ItemDataRole.UserRole) + 1

    def __init__(self, lines: Sequence[HistoryLine] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lines: list[HistoryLine] = list(lines)
        self._headers = [_(c) for c in self.COLUMNS]

    def set_lines(self, lines: Sequence[HistoryLine]) -> None:
        self.beginResetModel()
        self._lines = list(lines)
        self.endResetModel()

    def line(self, row: int) -> HistoryLine | None:
        return self._lines[row] if 0 <= row < len(self._lines) else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def _full(self, line: HistoryLine, column: int) -> str:
        if column == self.TIME:
            return line.at.strftime(TIME_FORMAT)
        if column == self.ENTITY:
            return f"{line.entity} · {line.record}" if line.record else line.entity
        return (line.operator, line.node, line.action, "", line.field, line.old, line.new, line.note)[column - 1]

    def _text(self, line: HistoryLine, column: int) -> str:
        # One line per row: a value with line breaks would otherwise make rows tall and uneven.
        return self._full(line, column).replace("\r", " ").replace("\n", " ")

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY):
        line = self.line(index.row()) if index.isValid() else None
        column = index.column()
        if line is None or not 0 <= column < len(self.COLUMNS):
            return None
        if role == _DISPLAY:
            return self._text(line, column)
        if role == _TOOLTIP:
            # The view elides what does not fit; the tooltip keeps the full text, line breaks too.
            full = self._full(line, column)
            return full or None
        if role == self.SortRole:
            # The service orders by time then by entry id: the row order is the exact recency order,
            # which a second-precision text would lose for changes made in the same second.
            return len(self._lines) - index.row() if column == self.TIME else self._text(line, column)
        if role == _ALIGN:
            return _TOP_LEFT
        if role == _FOREGROUND and line.action_code in _OFFICIAL_STEPS:
            return _AMBER
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY):
        if role == _DISPLAY and orientation == _HORIZONTAL and 0 <= section < len(self._headers):
            return self._headers[section]
        return None


# Widths in pixels for the columns that are not stretched (old and new values share the rest).
_COLUMN_WIDTHS = {0: 150, 1: 64, 2: 130, 3: 64, 4: 150, 5: 150, 8: 200}


class HistoryDialog(QDialog):
    """Shows the change history of one record; read-only, closes with 关闭.

    ``entity`` is the record's table name (``sub_projects`` by default, as the register
    opens it; ``problems``, ``notices`` ...). Raises ``NotFound`` from the constructor when
    the record is unknown: callers show it with ``app.ui.errors.show_error`` (or use
    ``open_history``, which does).
    """

    help_topic = "register"

    def __init__(self, ws: Workspace, uid: str, parent: QWidget | None = None, *,
                 entity: str = "sub_projects") -> None:
        super().__init__(parent)
        self.ws = ws
        self.entity = entity
        self.uid = uid
        #: the sub-project shown, when the history is a sub-project's
        self.sub_project_uid = uid if entity == "sub_projects" else None
        self.resize(1100, 520)
        self.record: RecordHistory = history.for_record(ws, entity, uid)
        if entity == "sub_projects":
            detail = sub_projects.get(ws, uid)
            title = _("变更历史 — {code} {name}").format(code=detail.code, name=detail.name)
            heading = _("编号：{code}　　名称：{name}").format(code=detail.code, name=detail.name)
        else:
            title = _("变更历史 — {entity}：{title}").format(entity=self.record.entity_label, title=self.record.title)
            heading = _("{entity}：{title}").format(entity=self.record.entity_label, title=self.record.title)
        self.setWindowTitle(title)

        self.header = QLabel(heading, self)
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText(_("筛选…"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setMinimumWidth(240)

        self.model = HistoryTableModel(parent=self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(HistoryTableModel.SortRole)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.view = self._make_view()

        self.count_label = QLabel(self)
        buttons = QDialogButtonBox(self)
        close = buttons.addButton(_("关闭"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setDefault(True)
        buttons.rejected.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        top.addWidget(self.filter_edit)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)

        self.filter_edit.textChanged.connect(self._apply_filter)
        self._show()

    def _make_view(self) -> QTableView:
        view = QTableView(self)
        view.setModel(self.proxy)
        view.setAlternatingRowColors(True)
        read_only_rows(view)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
        header = view.horizontalHeader()
        header.setHighlightSections(False)
        for column, width in _COLUMN_WIDTHS.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        for column in (HistoryTableModel.OLD, HistoryTableModel.NEW):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(48)
        view.setSortingEnabled(True)
        view.sortByColumn(HistoryTableModel.TIME, Qt.SortOrder.DescendingOrder)
        return view

    def reload(self) -> None:
        """Read the history again (after the caller changed the record)."""
        self.record = history.for_record(self.ws, self.entity, self.uid)
        self._show()

    def _show(self) -> None:
        lines = self.record.lines()
        self.model.set_lines(lines)
        # the reason column only where some step gave one (a correction, a removal)
        self.view.setColumnHidden(HistoryTableModel.NOTE, not any(line.note for line in lines))
        self._update_count()

    def _apply_filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self._update_count()

    def _update_count(self) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        if total == 0:
            self.count_label.setText(_("暂无变更记录。"))
        elif shown == total:
            self.count_label.setText(ngettext("共 {n} 条变更", "共 {n} 条变更", total).format(n=total))
        else:
            self.count_label.setText(_("显示 {shown} / {total} 条变更").format(shown=shown, total=total))


def open_history(parent: QWidget, ws: Workspace, entity: str, uid: str | None) -> HistoryDialog | None:
    """Show the history of one record in a window of its own (read-only, so not modal).

    Returns the window, or None when there is no record (an error was shown).
    """
    if not uid:
        return None
    try:
        dialog = HistoryDialog(ws, uid, parent, entity=entity)
    except AppError as exc:
        show_error(parent, exc, title=_("变更历史"))
        return None
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
