"""New / edit a sub-project. Saves through the service and stays open until the input is valid."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QCompleter, QDialog, QDialogButtonBox, QFormLayout, QGridLayout,
                               QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QSizePolicy, QVBoxLayout,
                               QWidget)

from app.errors import AppError, ValidationError
from app.i18n import _
from app.models import CONSTRUCTION_STATUSES
from app.services import divisions, master_projects, sub_project_search, sub_projects
from app.services.sub_projects import LABELS, SubProjectDetail
from app.services.workspace import Workspace
from app.ui.date_field import DateField
from app.ui.drafts import DraftKeeper
from app.ui.errors import show_error
from app.ui.forms import FieldSlot, FormErrors


class SubProjectDialog(QDialog):
    """``saved`` holds the stored ``SubProjectDetail`` once the dialog was accepted."""

    help_topic = "register"

    def __init__(self, ws: Workspace, *, uid: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.uid = uid
        self.saved: SubProjectDetail | None = None
        self.detail = sub_projects.get(ws, uid) if uid else None
        self.errors = FormErrors()
        self.setWindowTitle(_("编辑子项目 — {code}").format(code=self.detail.code) if self.detail
                            else _("新建子项目"))
        self._build()
        if self.detail:
            self._fill(self.detail.form_values())
        else:
            self._fill({"division_uid": self._default_division(), "construction_status": "not_started"})
        self.code.setFocus()
        # what is typed is kept as a draft until saved or cancelled: a crash loses nothing
        self.draft = DraftKeeper(self, ws, "sub_project", record_uid=uid,
                                 base_rev=self.detail.rev if self.detail else None)

    # -- layout ----------------------------------------------------------------
    def _slot(self, key: str, editor: QWidget) -> FieldSlot:
        return self.errors.add(key, FieldSlot(editor, self))

    def _label(self, column: str) -> str:
        return _(LABELS[column]) + "："

    def _build(self) -> None:
        self.code = QLineEdit()
        self.name = QLineEdit()
        self.division = QComboBox()
        for d in divisions.list_divisions(self.ws, include_city=False):
            self.division.addItem(d.name, d.uid)
        self.master = QComboBox()
        self.master.setEditable(True)
        self.master.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.master.lineEdit().setPlaceholderText(_("输入编号或名称查找"))
        self.master.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.master.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.new_master = QPushButton(_("新建…"))
        self.new_master.setToolTip(_("登记一个新的总规项目"))
        self.new_master.clicked.connect(self._create_master)
        master_row = QWidget()
        row_layout = QHBoxLayout(master_row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.addWidget(self.master, 1)
        row_layout.addWidget(self.new_master)
        self.sector = QComboBox()
        self.sector.setEditable(True)
        self.sector.addItems(sub_project_search.distinct_sectors(self.ws))
        self.owner_unit = QLineEdit()
        self.investment = QLineEdit()
        self.investment.setPlaceholderText(_("单位：万元，如 356.5"))
        self.foreign_loan = QCheckBox(_("国外贷款项目"))
        self.demonstration_site = QCheckBox(_("示范点"))
        self.start_date = DateField()
        self.finish_date = DateField()
        self.completion_acceptance_date = DateField()
        self.status = QComboBox()
        for code, label in CONSTRUCTION_STATUSES.items():
            self.status.addItem(_(label), code)
        self.archive_lead = QLineEdit()
        self.archive_lead_phone = QLineEdit()
        self.archivist = QLineEdit()
        self.archivist_phone = QLineEdit()
        for phone in (self.archive_lead_phone, self.archivist_phone):
            phone.setPlaceholderText(_("手机 11 位，或 0835-2221234"))
        self.remarks = QPlainTextEdit()
        self.remarks.setFixedHeight(60)

        basic = QGroupBox(_("基本信息"))
        form = QFormLayout(basic)
        form.addRow(self._label("code"), self._slot("code", self.code))
        form.addRow(self._label("name"), self._slot("name", self.name))
        form.addRow(self._label("division_uid"), self._slot("division_uid", self.division))
        self.master_slot = self._slot("master_project_uid", master_row)
        self.master_slot.editor = self.master  # outline and focus the combo itself
        form.addRow(self._label("master_project_uid"), self.master_slot)
        form.addRow(self._label("sector"), self._slot("sector", self.sector))
        form.addRow(self._label("owner_unit"), self._slot("owner_unit", self.owner_unit))
        form.addRow(self._label("investment_yuan"), self._slot("investment", self.investment))
        flags = QWidget()
        flags_layout = QHBoxLayout(flags)
        flags_layout.setContentsMargins(0, 0, 0, 0)
        flags_layout.addWidget(self.foreign_loan)
        flags_layout.addWidget(self.demonstration_site)
        flags_layout.addStretch(1)
        form.addRow(_("标记："), flags)

        building = QGroupBox(_("建设情况"))
        form = QFormLayout(building)
        form.addRow(self._label("construction_status"), self._slot("construction_status", self.status))
        form.addRow(self._label("start_date"), self._slot("start_date", self.start_date))
        form.addRow(self._label("finish_date"), self._slot("finish_date", self.finish_date))
        form.addRow(self._label("completion_acceptance_date"),
                    self._slot("completion_acceptance_date", self.completion_acceptance_date))

        people = QGroupBox(_("档案工作人员"))
        form = QFormLayout(people)
        form.addRow(self._label("archive_lead"), self._slot("archive_lead", self.archive_lead))
        form.addRow(self._label("archive_lead_phone"), self._slot("archive_lead_phone", self.archive_lead_phone))
        form.addRow(self._label("archivist"), self._slot("archivist", self.archivist))
        form.addRow(self._label("archivist_phone"), self._slot("archivist_phone", self.archivist_phone))

        notes = QGroupBox(_("备注"))
        notes_layout = QVBoxLayout(notes)
        notes_layout.addWidget(self._slot("remarks", self.remarks))
        notes.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

        grid = QGridLayout()
        grid.addWidget(basic, 0, 0, 2, 1)
        grid.addWidget(building, 0, 1)
        grid.addWidget(people, 1, 1)
        grid.addWidget(notes, 2, 0, 1, 2)
        grid.setColumnStretch(0, 5)
        grid.setColumnStretch(1, 4)

        self.message = QLabel()
        self.message.setStyleSheet("color: #c62828;")
        self.message.setWordWrap(True)
        self.message.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("保存"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons

        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.division.currentIndexChanged.connect(lambda _i: self._load_masters())
        self.resize(1040, 580)

    # -- values ------------------------------------------------------------------
    def _default_division(self) -> str | None:
        return self.ws.division_uid if self.division.findData(self.ws.division_uid) >= 0 else None

    def _load_masters(self, keep_uid: str | None = None) -> None:
        keep_uid = keep_uid or self.master.currentData()
        typed = self.master.currentText()
        self.master.blockSignals(True)
        self.master.clear()
        for info in master_projects.list_choices(self.ws, self.division.currentData()):
            self.master.addItem(info.label, info.uid)
        index = self.master.findData(keep_uid) if keep_uid else -1
        self.master.setCurrentIndex(index)
        if index < 0:
            self.master.setEditText(typed)
        self.master.blockSignals(False)

    def _fill(self, values: dict[str, Any]) -> None:
        self.code.setText(values.get("code", ""))
        self.name.setText(values.get("name", ""))
        index = self.division.findData(values.get("division_uid"))
        self.division.setCurrentIndex(max(index, 0))
        self._load_masters(values.get("master_project_uid"))
        self.sector.setEditText(values.get("sector", ""))
        self.owner_unit.setText(values.get("owner_unit", ""))
        self.investment.setText(values.get("investment", ""))
        self.foreign_loan.setChecked(bool(values.get("foreign_loan")))
        self.demonstration_site.setChecked(bool(values.get("demonstration_site")))
        self.start_date.setText(values.get("start_date", ""))
        self.finish_date.setText(values.get("finish_date", ""))
        self.completion_acceptance_date.setText(values.get("completion_acceptance_date", ""))
        self.status.setCurrentIndex(max(self.status.findData(values.get("construction_status")), 0))
        self.archive_lead.setText(values.get("archive_lead", ""))
        self.archive_lead_phone.setText(values.get("archive_lead_phone", ""))
        self.archivist.setText(values.get("archivist", ""))
        self.archivist_phone.setText(values.get("archivist_phone", ""))
        self.remarks.setPlainText(values.get("remarks", ""))

    def _master_uid(self) -> str | None:
        # Typed text counts only when it names an existing choice exactly.
        index = self.master.findText(self.master.currentText(), Qt.MatchFlag.MatchFixedString)
        return self.master.itemData(index) if index >= 0 else None

    def values(self) -> dict[str, Any]:
        return {
            "code": self.code.text(), "name": self.name.text(), "division_uid": self.division.currentData(),
            "master_project_uid": self._master_uid(), "sector": self.sector.currentText(),
            "owner_unit": self.owner_unit.text(), "investment": self.investment.text(),
            "foreign_loan": self.foreign_loan.isChecked(), "start_date": self.start_date.text(),
            "finish_date": self.finish_date.text(),
            "completion_acceptance_date": self.completion_acceptance_date.text(),
            "construction_status": self.status.currentData(),
            "demonstration_site": self.demonstration_site.isChecked(), "archive_lead": self.archive_lead.text(),
            "archive_lead_phone": self.archive_lead_phone.text(), "archivist": self.archivist.text(),
            "archivist_phone": self.archivist_phone.text(), "remarks": self.remarks.toPlainText(),
        }

    def draft_values(self) -> dict[str, Any]:
        return {**self.values(), "master_text": self.master.currentText()}

    def apply_draft(self, values: dict[str, Any]) -> None:
        self._fill(values)
        if not values.get("master_project_uid"):
            self.master.setEditText(values.get("master_text", ""))

    def _create_master(self) -> None:
        from app.ui.dialogs.master_project_dialog import MasterProjectDialog

        dialog = MasterProjectDialog(self.ws, division_uid=self.division.currentData(), parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.result_info is not None:
            info = dialog.result_info
            self.division.setCurrentIndex(max(self.division.findData(info.division_uid), 0))
            self._load_masters(info.uid)

    # -- save --------------------------------------------------------------------
    def accept(self) -> None:
        self.message.hide()
        try:
            if self.uid:
                self.saved = sub_projects.update(self.ws, self.uid, self.values(), expected_rev=self.detail.rev)
            else:
                self.saved = sub_projects.create(self.ws, self.values())
        except ValidationError as exc:
            unplaced = self.errors.show(exc.field_errors)
            if unplaced:
                self.message.setText("\n".join(unplaced))
                self.message.show()
            return
        except AppError as exc:
            show_error(self, exc)
            return
        self.errors.clear()
        super().accept()
