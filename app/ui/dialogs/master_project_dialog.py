"""总规项目: register a master-plan project or edit one."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QVBoxLayout, QWidget)

from app.errors import AppError, ValidationError
from app.i18n import _
from app.services import divisions, fields, master_projects
from app.services.master_projects import LABELS, MasterProjectInfo
from app.services.workspace import Workspace
from app.ui.errors import show_error
from app.ui.forms import FieldSlot, FormErrors

#: Form keys (what the service's ``raw`` takes) -> the label key in ``LABELS``.
_LABEL_KEYS = {"investment": "investment_yuan"}


class MasterProjectDialog(QDialog):
    """New (``uid=None``) or edit a 总规项目; validated and saved by the service in ``accept``.

    ``division_uid`` preselects the county for a new project (default: this node's division).
    After ``accept`` the saved record is in ``result_info``. The constructor raises
    ``NotFound`` when the project to edit is gone.
    """

    help_topic = "register"

    def __init__(self, ws: Workspace, *, uid: str | None = None, division_uid: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.uid = uid
        self.result_info: MasterProjectInfo | None = None
        current = master_projects.get(ws, uid) if uid else None
        self._rev = current.rev if current else None
        self.setWindowTitle(_("编辑总规项目 — {label}").format(label=current.label) if current
                            else _("新建总规项目"))
        self.setMinimumWidth(600)

        self.plan_code = QLineEdit(self)
        self.plan_code.setPlaceholderText(_("必填，如 511826-ZG-0001"))
        self.name = QLineEdit(self)
        self.name.setPlaceholderText(_("必填"))
        self.division = QComboBox(self)
        for info in divisions.list_divisions(ws, include_city=False):
            self.division.addItem(info.name, info.uid)
        self.sector = QLineEdit(self)
        self.sector.setPlaceholderText(_("如 城乡住房、公共服务、基础设施"))
        self.owner_unit = QLineEdit(self)
        self.investment = QLineEdit(self)
        self.investment.setPlaceholderText(_("单位：万元，如 1200 或 356.5"))
        self.foreign_loan = QCheckBox(_("是"), self)

        self.errors = FormErrors()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setVerticalSpacing(8)
        for key, editor in (("plan_code", self.plan_code), ("name", self.name), ("division_uid", self.division),
                            ("sector", self.sector), ("owner_unit", self.owner_unit),
                            ("investment", self.investment), ("foreign_loan", self.foreign_loan)):
            slot = self.errors.add(key, FieldSlot(editor, self))
            label = _(LABELS[_LABEL_KEYS.get(key, key)])
            form.addRow(_("{label}：").format(label=label), slot)

        # Messages the service keys to no field of this form still need a place to show.
        self.general_error = QLabel(self)
        self.general_error.setWordWrap(True)
        self.general_error.setStyleSheet("color: #c62828;")
        self.general_error.hide()

        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton(_("保存"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(_("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addSpacing(6)
        layout.addStretch(1)
        layout.addWidget(buttons)

        if current is not None:
            self._fill(current)
        else:
            self._select_division(division_uid or ws.division_uid)
        self.plan_code.setFocus()

    def _select_division(self, division_uid: str | None) -> None:
        position = self.division.findData(division_uid) if division_uid else -1
        # A city node has no county of its own: make the user choose rather than guess the first.
        self.division.setCurrentIndex(position)

    def _fill(self, info: MasterProjectInfo) -> None:
        self.plan_code.setText(info.plan_code)
        self.name.setText(info.name)
        self._select_division(info.division_uid)
        self.sector.setText(info.sector)
        self.owner_unit.setText(info.owner_unit)
        self.investment.setText(fields.wan_text(info.investment_yuan))
        self.foreign_loan.setChecked(info.foreign_loan)

    def raw_values(self) -> dict[str, Any]:
        """The form as the service's raw input (text as typed; the service parses it)."""
        return {
            "plan_code": self.plan_code.text(), "name": self.name.text(),
            "division_uid": self.division.currentData(), "sector": self.sector.text(),
            "owner_unit": self.owner_unit.text(), "investment": self.investment.text(),
            "foreign_loan": self.foreign_loan.isChecked(),
        }

    def _show_general(self, messages: list[str]) -> None:
        self.general_error.setText("\n".join(messages))
        self.general_error.setVisible(bool(messages))

    def _fit_messages(self) -> None:
        # Wrapped messages need more height than the dialog had; grow it, never shrink what the user set.
        self.layout().activate()
        needed = self.layout().totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)

    def accept(self) -> None:
        self.errors.clear()
        self._show_general([])
        raw = self.raw_values()
        try:
            if self.uid is None:
                info = master_projects.create(self.ws, raw)
            else:
                info = master_projects.update(self.ws, self.uid, raw, expected_rev=self._rev)
        except ValidationError as exc:
            self._show_general(self.errors.show(exc.field_errors))
            self._fit_messages()
            return
        except AppError as exc:
            show_error(self, exc)
            return
        self.result_info = info
        self._rev = info.rev
        super().accept()
