"""A date typed as text (kept as typed until the service accepts it) with a calendar picker."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QCalendarWidget, QHBoxLayout, QLineEdit, QMenu, QToolButton, QWidget, QWidgetAction

from app.i18n import _
from app.services import fields


class DateField(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(_("如 2014-05-20"))
        self.button = QToolButton(self)
        self.button.setText("…")
        self.button.setToolTip(_("从日历中选择"))
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setStyleSheet("QToolButton::menu-indicator { image: none; }")
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        menu = QMenu(self.button)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        menu.aboutToShow.connect(self._sync_calendar)
        self.calendar.clicked.connect(lambda day: (self._pick(day), menu.close()))
        self.button.setMenu(menu)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.edit)

    def text(self) -> str:
        return self.edit.text()

    def setText(self, value: str) -> None:  # noqa: N802 - Qt naming, so forms treat it like a line edit
        self.edit.setText(value)

    def setStyleSheet(self, sheet: str) -> None:  # noqa: N802
        self.edit.setStyleSheet(sheet)

    def _sync_calendar(self) -> None:
        try:
            day = fields.day(self.edit.text(), "")
        except fields.FieldError:
            day = None
        if day:
            self.calendar.setSelectedDate(QDate(day.year, day.month, day.day))

    def _pick(self, day: QDate) -> None:
        self.edit.setText(day.toString("yyyy-MM-dd"))
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)
