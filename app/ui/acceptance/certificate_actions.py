"""The paperwork of an acceptance: render certificates and opinion letters, void, reissue,
start a re-inspection. The rendering functions are Qt-free (they run in the worker)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError, ValidationError
from app.i18n import _
from app.models import CERTIFICATE_STATUSES
from app.services import acceptances, certificates
from app.services.acceptances import AcceptanceDetail
from app.services.certificates import CertificateView
from app.services.workspace import Workspace
from app.ui.date_field import DateField
from app.ui.errors import show_error
from app.ui.forms import FieldSlot, FormErrors


def certificate_name(view: CertificateView) -> str:
    return f"{view.number}.pdf"


def render_certificate_file(ws: Workspace, certificate_uid: str, path: Path) -> Path:
    """Write the certificate's PDF; the hash of a valid one's first PDF is kept. Qt-free."""
    from app.reports import certificate_pdf  # reportlab and the font load on first use

    view = certificates.get(ws, certificate_uid)
    sha256 = certificate_pdf.render_certificate(view, path)
    if view.status == "valid":
        certificates.record_pdf_hash(ws, view.uid, sha256)
    return path


def render_letter_file(ws: Workspace, acceptance_uid: str, path: Path) -> Path:
    """Write the opinion letter (验收意见书) of an acceptance. Qt-free."""
    from app.reports import opinion_letter_pdf

    opinion_letter_pdf.render_opinion_letter(opinion_letter_pdf.opinion_letter_data(ws, acceptance_uid), path)
    return path


class VoidDialog(QDialog):
    """作废 / 补发: void a certificate with a reason, and (usually) reissue it under a new number."""

    help_topic = "acceptances"

    def __init__(self, ws: Workspace, certificate_uid: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.certificate = certificates.get(ws, certificate_uid)
        self.result_view: CertificateView | None = None
        self.errors = FormErrors()
        self.setWindowTitle(_("作废 / 补发证书"))
        view = self.certificate
        summary = QLabel(_("证书 {number}（{status}）\n{code} {name}，{day} 签发").format(
            number=view.number, status=_(CERTIFICATE_STATUSES.get(view.status, view.status)),
            code=view.facts.get("sub_project_code", ""), name=view.facts.get("sub_project_name", ""),
            day=view.issued_on.isoformat()))
        summary.setWordWrap(True)
        summary.setStyleSheet("color: #333; background: #f4f6f8; padding: 6px;")
        note = QLabel(_("已签发的证书不能修改：作废后原编号永久保留并标明“作废”；补发的证书使用新编号。"))
        note.setWordWrap(True)
        note.setStyleSheet("color: #8a5300;")
        self.reissue = QRadioButton(_("作废并补发新证书"))
        self.void_only = QRadioButton(_("仅作废"))
        self.reissue.setChecked(True)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("如：证书遗失、污损，或登记内容有误"))
        form = QFormLayout()
        form.addRow(_("操作："), self.reissue)
        form.addRow("", self.void_only)
        form.addRow(_("作废原因："), self.errors.add("reason", FieldSlot(self.reason)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("确定"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)
        self.reason.setFocus()

    def accept(self) -> None:
        try:
            if self.reissue.isChecked():
                self.result_view = certificates.reissue(self.ws, self.certificate.uid, reason=self.reason.text())
            else:
                self.result_view = certificates.void(self.ws, self.certificate.uid, reason=self.reason.text())
        except ValidationError as exc:
            self.errors.show(exc.field_errors)
            return
        except AppError as exc:
            show_error(self, exc)
            return
        super().accept()


class ReinspectDialog(QDialog):
    """复验: a new acceptance of the same sub-project, linked to the failed one, same group."""

    help_topic = "acceptances"

    def __init__(self, ws: Workspace, failed_uid: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.failed = acceptances.get(ws, failed_uid)
        self.created: AcceptanceDetail | None = None
        self.errors = FormErrors()
        self.setWindowTitle(_("发起复验"))
        deadline = self.failed.values.get("rectification_deadline")
        summary = QLabel(_("上次验收 {day} 不合格，整改期限 {deadline}。复验沿用原验收小组，重新评分。").format(
            day=self.failed.values["acceptance_date"].isoformat(),
            deadline=deadline.isoformat() if deadline else _("未定")))
        summary.setWordWrap(True)
        self.day = DateField()
        self.day.setText(date.today().isoformat())
        form = QFormLayout()
        form.addRow(_("复验日期："), self.errors.add("acceptance_date", FieldSlot(self.day)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("开始复验"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)
        self.day.setFocus()

    def accept(self) -> None:
        try:
            self.created = acceptances.reinspect(self.ws, self.failed.uid, {"acceptance_date": self.day.text()})
        except ValidationError as exc:
            self.errors.show(exc.field_errors)
            return
        except AppError as exc:
            show_error(self, exc)
            return
        super().accept()
