"""Filters over the register: division, construction status, demonstration site, keyword."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from app.i18n import _
from app.models import CONSTRUCTION_STATUSES
from app.services.divisions import DivisionInfo
from app.services.sub_project_search import SubProjectFilter

#: typing pauses this long before the search runs, so each keystroke does not query
KEYWORD_DELAY_MS = 150


class FilterBar(QWidget):
    changed = Signal(object)  # SubProjectFilter

    def __init__(self, divisions: list[DivisionInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.division = QComboBox(self)
        self.division.addItem(_("全部县（区）"), None)
        for d in divisions:
            self.division.addItem(d.name, d.uid)
        self.status = QComboBox(self)
        self.status.addItem(_("全部建设状态"), None)
        for code, label in CONSTRUCTION_STATUSES.items():
            self.status.addItem(_(label), code)
        self.demonstration = QComboBox(self)
        self.demonstration.addItem(_("示范点：全部"), None)
        self.demonstration.addItem(_("仅示范点"), True)
        self.demonstration.addItem(_("非示范点"), False)
        self.keyword = QLineEdit(self)
        self.keyword.setPlaceholderText(_("搜索编号、名称或业主单位（Ctrl+F）"))
        self.keyword.setClearButtonEnabled(True)
        self.keyword.setMinimumWidth(260)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(_("筛选："), self))
        for widget in (self.division, self.status, self.demonstration):
            layout.addWidget(widget)
        layout.addWidget(self.keyword, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(KEYWORD_DELAY_MS)
        self._timer.timeout.connect(self._emit)
        self.keyword.textChanged.connect(self._timer.start)
        self.keyword.returnPressed.connect(self._emit_now)
        for combo in (self.division, self.status, self.demonstration):
            combo.currentIndexChanged.connect(self._emit)

    def current(self) -> SubProjectFilter:
        return SubProjectFilter(
            division_uid=self.division.currentData(),
            construction_status=self.status.currentData(),
            demonstration_site=self.demonstration.currentData(),
            keyword=self.keyword.text(),
        )

    def set_division(self, uid: str | None) -> None:
        index = self.division.findData(uid)
        self.division.setCurrentIndex(max(index, 0))

    def focus_keyword(self) -> None:
        self.keyword.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.keyword.selectAll()

    def _emit_now(self) -> None:
        self._timer.stop()
        self._emit()

    def _emit(self) -> None:
        self.changed.emit(self.current())
