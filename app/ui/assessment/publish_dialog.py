"""Publishing a year's assessment: the notice's 文号, title, issuer and date, and the warning
that a published result is part of the record (changed only by a correction)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.errors import AppError, ValidationError
from app.i18n import _
from app.services import assessments
from app.services.assessment_views import AssessmentView
from app.services.workspace import Workspace
from app.ui.date_field import DateField
from app.ui.errors import show_error
from app.ui.forms import FieldSlot, FormErrors


class PublishDialog(QDialog):
    """After ``accept`` the published assessment is in ``published``."""

    help_topic = "assessment"

    def __init__(self, ws: Workspace, view: AssessmentView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.view = ws, view
        self.published: AssessmentView | None = None
        self.setWindowTitle(_("发布 {year} 年度考核结果").format(year=view.year))
        self.resize(640, 0)
        defaults = assessments.publish_defaults(ws, view.uid)
        self.number = QLineEdit(defaults["number"])
        self.title = QLineEdit(defaults["title"])
        self.issuer = QLineEdit(defaults["issuer"])
        self.recipients = QLineEdit(defaults["recipients"])
        self.published_on = DateField()
        self.published_on.setText(defaults["published_on"])
        self.errors = FormErrors()
        form = QFormLayout()
        for key, label, widget in (("number", _("文号："), self.number), ("title", _("标题："), self.title),
                                   ("issuer", _("发文机关："), self.issuer),
                                   ("recipients", _("主送机关："), self.recipients),
                                   ("published_on", _("发布日期："), self.published_on)):
            form.addRow(label, self.errors.add(key, FieldSlot(widget, self)))
        warning = _("发布后，{year} 年度考核结果（{n} 个县（区）、{m} 个部门，基准日 {day}）成为正式记录，不能再修改或删除；"
                    "如有错误，只能“更正”：生成新的版本，发布后取代本版本，两个版本都保留。").format(
            year=view.year, n=len(view.divisions), m=len(view.departments), day=view.as_of.isoformat())
        note = QLabel(warning)
        note.setWordWrap(True)
        note.setStyleSheet("color: #8a5a00;")
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton(_("发布"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(_("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def values(self) -> dict[str, str]:
        return {"number": self.number.text(), "title": self.title.text(), "issuer": self.issuer.text(),
                "recipients": self.recipients.text(), "published_on": self.published_on.text()}

    def accept(self) -> None:
        try:
            self.published = assessments.publish(self.ws, self.view.uid, self.values(), expected_rev=self.view.rev)
        except ValidationError as exc:
            self.errors.show(exc.field_errors)
            return
        except AppError as exc:
            show_error(self, exc, title=_("无法发布"))
            return
        super().accept()
