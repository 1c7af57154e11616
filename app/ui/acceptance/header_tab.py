"""基本情况: dates, the sample and the counts, with the 3-month warning and sample shares live.

The planned completion acceptance (计划竣工验收日期) is the sub-project's: shown here,
read-only, and checked against the acceptance date as it is typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.i18n import _
from app.services import acceptances, fields
from app.services.acceptances import LABELS
from app.ui.date_field import DateField
from app.ui.forms import FieldSlot, FormErrors

DATES = ("application_date", "acceptance_date")
PLANNED = "completion_acceptance_date"
SAMPLE = ("total_volumes", "sampled_volumes", "total_drawings", "sampled_drawings")
ACCEPTED = ("accepted_volumes", "accepted_items", "accepted_drawings")
AMBER = "color: #8a5300; background: #fff4e0; border: 1px solid #f0c36d; padding: 6px;"
SHARE_STYLE = "color: #555;"
MUTED_STYLE = "color: #666;"


def _count(text: str) -> int | None:
    text = fields.normalize(text)
    return int(text) if text.isdigit() else None


class HeaderTab(QWidget):
    """The header fields as typed; ``changed`` on every edit (for the live warning)."""

    changed = Signal()

    def __init__(self, errors: FormErrors, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editors: dict[str, Any] = {}
        self.planned_date: date | None = None
        dates = QGroupBox(_("日期"))
        dates_form = QFormLayout(dates)
        for key in DATES:
            editor = DateField()
            # dates are typed: Tab goes from field to field, the calendar stays a mouse's
            editor.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            editor.edit.textChanged.connect(self._update)
            self.editors[key] = editor
            dates_form.addRow(_(LABELS[key]) + "：", errors.add(key, FieldSlot(editor)))
        self.planned = QLabel()
        self.planned.setWordWrap(True)
        self.planned.setToolTip(_("计划竣工验收日期登记在子项目上，在“编辑子项目”中修改。"))
        dates_form.addRow(_(LABELS[PLANNED]) + "：", self.planned)
        self.timing = QLabel()
        self.timing.setWordWrap(True)
        self.timing.setStyleSheet(AMBER)
        self.timing.hide()
        dates_form.addRow(self.timing)

        sample = QGroupBox(_("抽查情况"))
        grid = QGridLayout(sample)
        self.volume_share, self.drawing_share = QLabel(), QLabel()
        for label in (self.volume_share, self.drawing_share):
            label.setStyleSheet(SHARE_STYLE)
            label.setMinimumWidth(150)
        for row, (whole, part, share) in enumerate((("total_volumes", "sampled_volumes", self.volume_share),
                                                    ("total_drawings", "sampled_drawings", self.drawing_share))):
            for column, key in ((0, whole), (2, part)):
                editor = self._count_editor(key)
                grid.addWidget(QLabel(_(LABELS[key]) + "："), row, column)
                grid.addWidget(errors.add(key, FieldSlot(editor)), row, column + 1)
            grid.addWidget(share, row, 4)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)

        accepted = QGroupBox(_("验收档案数量"))
        counts = QHBoxLayout(accepted)
        for key in ACCEPTED:
            counts.addWidget(QLabel(_(LABELS[key]) + "："))
            counts.addWidget(errors.add(key, FieldSlot(self._count_editor(key))), 1)

        layout = QVBoxLayout(self)
        layout.addWidget(dates)
        layout.addWidget(sample)
        layout.addWidget(accepted)
        layout.addStretch(1)

    def _count_editor(self, key: str) -> QLineEdit:
        editor = QLineEdit()
        editor.setMaximumWidth(120)
        editor.textChanged.connect(self._update)
        self.editors[key] = editor
        return editor

    def load(self, values: Mapping[str, Any]) -> None:
        for key, editor in self.editors.items():
            value = values.get(key)
            editor.setText(value.isoformat() if isinstance(value, date) else "" if value is None else str(value))
        self.planned_date = values.get(PLANNED)
        if self.planned_date is not None:
            self.planned.setText(_("{day}（子项目登记的计划）").format(day=self.planned_date.isoformat()))
            self.planned.setStyleSheet("")
        else:
            self.planned.setText(_("子项目未登记，无法检查“竣工验收 3 个月前”的要求（在“编辑子项目”中登记）"))
            self.planned.setStyleSheet(MUTED_STYLE)
        self._update()

    def values(self) -> dict[str, str]:
        return {key: editor.text() for key, editor in self.editors.items()}

    def set_read_only(self, read_only: bool) -> None:
        for editor in self.editors.values():
            if isinstance(editor, DateField):
                editor.edit.setReadOnly(read_only)
                editor.button.setEnabled(not read_only)
            else:
                editor.setReadOnly(read_only)

    def first_editor(self) -> QWidget:
        return self.editors["acceptance_date"]

    def parsed(self) -> dict[str, Any]:
        """What can be read of the fields right now (a field not yet valid counts as empty)."""
        values: dict[str, Any] = {}
        for key in DATES:
            try:
                values[key] = fields.day(self.editors[key].text(), "")
            except fields.FieldError:
                values[key] = None
        values[PLANNED] = self.planned_date
        for key in SAMPLE:
            values[key] = _count(self.editors[key].text())
        return values

    def _update(self) -> None:
        values = self.parsed()
        warning = acceptances.timing_warning(values)
        self.timing.setText(warning)
        self.timing.setVisible(bool(warning))
        volumes, drawings = acceptances.sample_shares(values)
        for label, share, what in ((self.volume_share, volumes, _("案卷")),
                                   (self.drawing_share, drawings, _("竣工图"))):
            label.setText(_("抽查{what} {share:.1%}").format(what=what, share=share) if share is not None else "")
        self.changed.emit()
