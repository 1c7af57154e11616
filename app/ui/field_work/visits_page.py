"""现场指导: every visit of the county (or city), newest first, with filters."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QTableView,
                               QVBoxLayout, QWidget)

from app.i18n import N_, _
from app.models import VISIT_KINDS
from app.services import divisions, visit_search
from app.services.visit_search import VisitFilter, VisitRow
from app.services.workspace import Workspace
from app.ui.item_views import read_only_rows, size_columns
from app.ui.lazy_table import ALIGN, CENTER, TOOLTIP, LazyTableModel

COLUMNS = [("visit_date", N_("指导日期")), ("kind", N_("指导类型")), ("division", N_("县（区）")),
           ("sub_project", N_("子项目")), ("archivists", N_("指导人员")), ("unit_people", N_("参加人员")),
           ("problems", N_("发现问题")), ("content", N_("检查和指导内容"))]
WIDTHS = (95, 80, 80, 260, 120, 120, 70, 300)


class VisitsTableModel(LazyTableModel):
    COLUMNS = COLUMNS

    def __init__(self, ws: Workspace, parent=None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.filter = VisitFilter()
        self.descending = True

    def set_filter(self, flt: VisitFilter) -> None:
        self.filter = flt
        self.requery()

    def search_ids(self) -> list[int]:
        return visit_search.search_ids(self.ws, self.filter, sort=self.sort_key, descending=self.descending)

    def fetch_rows(self, ids: Sequence[int]) -> dict[int, VisitRow]:
        return visit_search.fetch_rows(self.ws, ids)

    def sortable(self, key: str) -> bool:
        return key in visit_search.SORT_KEYS

    def cell(self, row: VisitRow, key: str) -> str:
        if key == "visit_date":
            return row.visit_date.isoformat()
        if key == "kind":
            return _(VISIT_KINDS.get(row.kind, row.kind))
        if key == "division":
            return row.division_name
        if key == "sub_project":
            return f"{row.sub_project_code} {row.sub_project_name}"
        if key == "problems":
            return str(row.problem_count) if row.problem_count else ""
        return (getattr(row, key) or "").replace("\n", " ")

    def role_data(self, row: VisitRow, key: str, role: int):
        if role == ALIGN and key in ("visit_date", "kind", "problems"):
            return CENTER
        if role == TOOLTIP and key in ("sub_project", "content"):
            return getattr(row, key, None) if key == "content" else self.cell(row, key)
        return None


class VisitsPage(QWidget):
    #: a sub-project uid whose page the user asked for
    open_sub_project = Signal(str)

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.division = QComboBox()
        self.division.addItem(_("全部县（区）"), None)
        for d in divisions.list_divisions(ws, include_city=False):
            self.division.addItem(d.name, d.uid)
        self.kind = QComboBox()
        self.kind.addItem(_("全部类型"), None)
        for code, label in VISIT_KINDS.items():
            self.kind.addItem(_(label), code)
        self.keyword = QLineEdit()
        self.keyword.setPlaceholderText(_("搜索子项目、指导人员或内容"))
        self.keyword.setClearButtonEnabled(True)
        self.count = QLabel()
        bar = QHBoxLayout()
        for widget in (QLabel(_("筛选：")), self.division, self.kind):
            bar.addWidget(widget)
        bar.addWidget(self.keyword, 1)
        bar.addWidget(self.count)

        self.model = VisitsTableModel(ws, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        read_only_rows(self.table)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setStretchLastSection(True)
        size_columns(self.table, WIDTHS)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        self.table.activated.connect(self._activated)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self._timer = QTimer(self, singleShot=True, interval=150)
        self._timer.timeout.connect(self.refresh)
        self.keyword.textChanged.connect(self._timer.start)
        self.division.currentIndexChanged.connect(self.refresh)
        self.kind.currentIndexChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.model.set_filter(VisitFilter(division_uid=self.division.currentData(), kind=self.kind.currentData(),
                                          keyword=self.keyword.text()))
        self.count.setText(_("共 {n} 次现场指导").format(n=f"{self.model.rowCount():,}"))

    def show_division(self, division_uid: str | None) -> None:
        self.division.setCurrentIndex(max(self.division.findData(division_uid), 0))

    def _activated(self, index) -> None:
        row = self.model.record(index.row())
        if row is not None:
            self.open_sub_project.emit(row.sub_project_uid)
