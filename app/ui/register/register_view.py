"""The register screen: the filter bar above the sub-project table."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from app.i18n import _

from app.services.divisions import DivisionInfo
from app.services.workspace import Workspace
from app.ui.item_views import read_only_rows, size_columns
from app.ui.register.filter_bar import FilterBar
from app.ui.register.table_model import COLUMN_KEYS, SubProjectTableModel

DEFAULT_WIDTHS = {"code": 150, "name": 260, "division": 90, "plan_code": 130, "sector": 90, "owner_unit": 200,
                  "investment": 100, "construction_status": 70, "start_date": 90, "finish_date": 90,
                  "demonstration_site": 60, "archivist": 80, "origin": 80}


class RegisterView(QWidget):
    open_requested = Signal(str)  # sub-project uid
    counts_changed = Signal(int, int)  # shown, total
    selection_changed = Signal()

    def __init__(self, ws: Workspace, divisions: list[DivisionInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filter_bar = FilterBar(divisions, self)
        self.model = SubProjectTableModel(ws, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        read_only_rows(self.table, single=False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        size_columns(self.table, [DEFAULT_WIDTHS[key] for key in COLUMN_KEYS])
        # Sorting runs in SQL through model.sort(); set the indicator before enabling so
        # enabling does not trigger a second query.
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.activated.connect(self._activated)

        self.empty_hint = QLabel(_("没有符合筛选条件的子项目"), self.table.viewport())
        self.empty_hint.setStyleSheet("color: #757575; font-size: 14px;")
        self.empty_hint.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.table, 1)

        self.filter_bar.changed.connect(self._apply_filter)
        self.model.modelReset.connect(self._emit_counts)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.selection_changed.emit())

    def refresh(self, *, keep_uid: str | None = None) -> None:
        uid = keep_uid or self.current_uid()
        self.model.refresh()
        if uid:
            self.select_uid(uid)

    def _apply_filter(self, flt) -> None:
        uid = self.current_uid()
        self.model.set_filter(flt)
        if uid:
            self.select_uid(uid)

    def _emit_counts(self) -> None:
        empty = self.model.rowCount() == 0
        if empty:
            self.empty_hint.adjustSize()
            viewport = self.table.viewport().rect()
            self.empty_hint.move((viewport.width() - self.empty_hint.width()) // 2, 40)
        self.empty_hint.setVisible(empty)
        self.counts_changed.emit(self.model.rowCount(), self.model.total)
        self.selection_changed.emit()

    def _activated(self, index) -> None:
        uid = self.model.uid_at(index.row())
        if uid:
            self.open_requested.emit(uid)

    def current_uid(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row(), index.parent()):
            return None
        return self.model.uid_at(index.row())

    def selected_uids(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [uid for uid in (self.model.uid_at(r) for r in rows) if uid]

    def select_uid(self, uid: str) -> bool:
        row = self.model.row_of_uid(uid)
        if row < 0:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0), QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def header_state(self) -> QByteArray:
        return self.table.horizontalHeader().saveState()

    def restore_header_state(self, state: QByteArray) -> None:
        header = self.table.horizontalHeader()
        # the indicator restored with the state must not leave the data unsorted
        if state and header.restoreState(state):
            self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
