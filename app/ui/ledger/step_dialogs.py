"""The ledger's steps on one problem: rectify, verify, edit, and correct a verified one."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError, ValidationError
from app.i18n import N_, _
from app.models import PROBLEM_CATEGORIES, PROBLEM_STATES
from app.services import problems, sub_projects
from app.services.problems import ProblemInfo
from app.services.workspace import Workspace
from app.ui.attachments_strip import AttachmentStrip
from app.ui.date_field import DateField
from app.ui.dialogs.history_dialog import open_history
from app.ui.errors import show_error
from app.ui.forms import FieldSlot, FormErrors


def _text_box(height: int = 70) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)  # Tab moves on, as in every other field
    box.setFixedHeight(height)
    return box


class _StepDialog(QDialog):
    """A small form over one problem; ``save()`` calls the service, errors stay beside fields."""

    help_topic = "ledger"

    title = ""

    def __init__(self, ws: Workspace, uid: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.problem: ProblemInfo = problems.get(ws, uid)
        self.saved: ProblemInfo | None = None
        self.errors = FormErrors()
        self.setWindowTitle(_(self.title))
        sub = sub_projects.get(ws, self.problem.sub_project_uid)
        summary = QLabel(_("{code} {name}\n问题：{description}\n整改时限：{deadline}　状态：{state}").format(
            code=sub.code, name=sub.name, description=self.problem.description,
            deadline=self.problem.deadline.isoformat(), state=_(PROBLEM_STATES[self.problem.state])))
        summary.setWordWrap(True)
        summary.setStyleSheet("color: #333; background: #f4f6f8; padding: 6px;")
        self.form = QFormLayout()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("保存"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("取消"))
        # the earlier versions, with who changed what and why; a button that does not close the form
        self.history_button = self.buttons.addButton(_("变更历史…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.history_button.setAutoDefault(False)
        self.history_button.clicked.connect(lambda _checked=False: open_history(self, ws, "problems", uid))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)

    def row(self, label: str, key: str, editor: QWidget) -> QWidget:
        self.form.addRow(label, self.errors.add(key, FieldSlot(editor)))
        return editor

    def save(self) -> ProblemInfo:
        raise NotImplementedError

    def accept(self) -> None:
        try:
            self.saved = self.save()
        except ValidationError as exc:
            self.errors.show(exc.field_errors)
            return
        except AppError as exc:
            show_error(self, exc)
            return
        super().accept()


class RectifyDialog(_StepDialog):
    title = N_("登记整改")

    def __init__(self, ws: Workspace, uid: str, parent: QWidget | None = None) -> None:
        super().__init__(ws, uid, parent)
        self.rectification = self.row(_("整改情况："), "rectification", _text_box())
        self.rectified_by = self.row(_("整改人："), "rectified_by", QLineEdit(self.problem.responsible_person))
        self.rectified_on = self.row(_("整改日期："), "rectified_on", DateField())
        self.rectified_on.setText(date.today().isoformat())
        self.evidence = AttachmentStrip(ws, "problems", self.problem.uid, self, role="evidence")
        self.form.addRow(_("整改佐证："), self.evidence)
        self.rectification.setFocus()

    def save(self) -> ProblemInfo:
        return problems.rectify(self.ws, self.problem.uid, rectification=self.rectification.toPlainText(),
                                rectified_by=self.rectified_by.text(), rectified_on=self.rectified_on.text(),
                                expected_rev=self.problem.rev)


class VerifyDialog(_StepDialog):
    title = N_("复查")

    def __init__(self, ws: Workspace, uid: str, parent: QWidget | None = None) -> None:
        super().__init__(ws, uid, parent)
        done = QLabel(_("整改情况：{text}").format(text=self.problem.rectification))
        done.setWordWrap(True)
        self.form.addRow(done)
        self.passed = QRadioButton(_("整改到位，复查通过"))
        self.failed = QRadioButton(_("整改不到位，退回重新整改"))
        self.passed.setChecked(True)
        self.form.addRow(_("复查结论："), self.passed)
        self.form.addRow("", self.failed)
        self.note = self.row(_("复查意见："), "verification_note", _text_box())
        self.verified_on = self.row(_("复查日期："), "verified_on", DateField())
        self.verified_on.setText(date.today().isoformat())
        self.passed.setFocus()

    def save(self) -> ProblemInfo:
        return problems.verify(self.ws, self.problem.uid, passed=self.passed.isChecked(),
                               note=self.note.toPlainText(), verified_on=self.verified_on.text(),
                               expected_rev=self.problem.rev)


class ProblemDialog(_StepDialog):
    """Edit a problem; for a verified one this is a correction and asks for the reason."""

    def __init__(self, ws: Workspace, uid: str, parent: QWidget | None = None) -> None:
        super().__init__(ws, uid, parent)
        self.correction = self.problem.state == "verified"
        self.setWindowTitle(_("更正已复查的问题") if self.correction else _("编辑问题"))
        self.category = QComboBox()
        for code, label in PROBLEM_CATEGORIES.items():
            self.category.addItem(_(label), code)
        self.category.setCurrentIndex(max(self.category.findData(self.problem.category), 0))
        self.row(_("问题类别："), "category", self.category)
        self.description = self.row(_("问题描述："), "description", _text_box())
        self.description.setPlainText(self.problem.description)
        self.responsible = self.row(_("责任人："), "responsible_person", QLineEdit(self.problem.responsible_person))
        self.found_on = self.row(_("发现日期："), "found_on", DateField())
        self.found_on.setText(self.problem.found_on.isoformat())
        self.deadline = self.row(_("整改时限："), "deadline", DateField())
        self.deadline.setText(self.problem.deadline.isoformat())
        self.reason = None
        if self.correction:
            note = QLabel(_("已复查的问题属于正式记录：更正将作为新版本保存，原记录保留在变更历史中。"))
            note.setWordWrap(True)
            note.setStyleSheet("color: #8a5300;")
            self.form.addRow(note)
            self.reason = self.row(_("更正原因："), "reason", QLineEdit())
        self.description.setFocus()

    def save(self) -> ProblemInfo:
        raw = {"category": self.category.currentData(), "description": self.description.toPlainText(),
               "responsible_person": self.responsible.text(), "found_on": self.found_on.text(),
               "deadline": self.deadline.text()}
        if self.correction:
            return problems.correct(self.ws, self.problem.uid, raw, reason=self.reason.text(),
                                    expected_rev=self.problem.rev)
        return problems.update(self.ws, self.problem.uid, raw, expected_rev=self.problem.rev)
