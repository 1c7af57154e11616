"""新建验收: choose the sub-project by keyword and give the acceptance date.

Type part of the code, name or owner unit; Down moves into the list; Enter creates the
acceptance on the highlighted sub-project.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError, ValidationError
from app.i18n import N_, _
from app.models import CONSTRUCTION_STATUSES
from app.services import acceptances, sub_project_search
from app.services.acceptances import AcceptanceDetail
from app.services.sub_project_search import SubProjectFilter, SubProjectRow
from app.services.workspace import Workspace
from app.ui.date_field import DateField
from app.ui.errors import show_error
from app.ui.forms import FieldSlot, FormErrors
from app.ui.item_views import read_only_rows, size_columns
from app.ui.lazy_table import LazyTableModel

COLUMNS = [("code", N_("子项目编号")), ("name", N_("子项目名称")), ("division", N_("县（区）")),
           ("owner_unit", N_("项目业主（责任单位）")), ("construction_status", N_("建设状态"))]
WIDTHS = (150, 260, 80, 200, 80)


class _SubProjects(LazyTableModel):
    COLUMNS = COLUMNS

    def __init__(self, ws: Workspace, parent=None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.filter = SubProjectFilter()

    def search_ids(self) -> list[int]:
        return sub_project_search.search_ids(self.ws, self.filter, sort=self.sort_key, descending=self.descending)

    def fetch_rows(self, ids: Sequence[int]) -> dict[int, SubProjectRow]:
        return sub_project_search.fetch_rows(self.ws, ids)

    def sortable(self, key: str) -> bool:
        return key in sub_project_search.SORT_KEYS

    def cell(self, row: SubProjectRow, key: str) -> str:
        if key == "division":
            return row.division_name
        if key == "construction_status":
            return _(CONSTRUCTION_STATUSES.get(row.construction_status, row.construction_status))
        return getattr(row, key) or ""


class SubProjectChooser(QDialog):
    """``created`` holds the new acceptance after the dialog closed with 确定."""

    help_topic = "acceptances"

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.created: AcceptanceDetail | None = None
        self.errors = FormErrors()
        self.setWindowTitle(_("新建验收"))
        self.keyword = QLineEdit()
        self.keyword.setPlaceholderText(_("输入子项目编号、名称或业主单位的一部分"))
        self.keyword.setClearButtonEnabled(True)
        self.keyword.installEventFilter(self)
        self.model = _SubProjects(ws, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        read_only_rows(self.table, single=True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        size_columns(self.table, WIDTHS)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activated.connect(lambda _index: self.accept())
        self.count = QLabel()
        self.count.setStyleSheet("color: #666;")
        self.day = DateField()
        self.day.setText(date.today().isoformat())
        self.day.setMaximumWidth(180)
        self.pick_error = QLabel()
        self.pick_error.setStyleSheet("color: #c62828;")
        self.pick_error.hide()

        form = QFormLayout()
        form.addRow(_("查找子项目："), self.keyword)
        form.addRow(_("验收日期："), self.errors.add("acceptance_date", FieldSlot(self.day)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("新建验收"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.pick_error)
        layout.addWidget(buttons)
        self.resize(860, 520)

        self._timer = QTimer(self, singleShot=True, interval=150)
        self._timer.timeout.connect(self.search)
        self.keyword.textChanged.connect(self._timer.start)
        self.search()
        self.keyword.setFocus()

    def search(self) -> None:
        self.model.filter = SubProjectFilter(keyword=self.keyword.text())
        self.model.refresh()
        self.count.setText(_("找到 {n} 个子项目").format(n=f"{self.model.rowCount():,}"))
        if self.model.rowCount():
            self.table.selectRow(0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        # Down from the search box goes into the list, as in any search field
        if watched is self.keyword and event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Down:
            self.table.setFocus()
            return True
        return super().eventFilter(watched, event)

    def chosen_uid(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.uid_at(rows[0].row()) if rows else None

    def accept(self) -> None:
        if self._timer.isActive():  # Enter typed right after the keyword: search first
            self._timer.stop()
            self.search()
        uid = self.chosen_uid()
        self.pick_error.setText(_("请先在列表中选择子项目。"))
        self.pick_error.setVisible(uid is None)
        if uid is None:
            return
        try:
            self.created = acceptances.create(self.ws, uid, {"acceptance_date": self.day.text()})
        except ValidationError as exc:
            self.errors.show(exc.field_errors)
            return
        except AppError as exc:
            show_error(self, exc)
            return
        super().accept()
