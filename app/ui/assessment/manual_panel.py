"""The hand-scored item under the breakdown: score, the reason for a deduction, evidence files."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QVBoxLayout,
                               QWidget)

from app.errors import AppError, ValidationError
from app.i18n import _
from app.services import assessments
from app.services.assessment_metrics import number_text
from app.services.assessment_views import ScoreView
from app.services.workspace import Workspace
from app.ui.attachments_strip import AttachmentStrip
from app.ui.errors import show_error
from app.ui.forms import FieldSlot, FormErrors


class ManualScorePanel(QWidget):
    """``saved(ScoreView)`` after a score was stored. Read-only for a published assessment,
    a county's trial run (nothing stored) and a county's node."""

    saved = Signal(object)

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.score: ScoreView | None = None
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: bold;")
        self.value = QLineEdit(self)
        self.value.setMaximumWidth(90)
        self.note = QPlainTextEdit(self)
        self.note.setPlaceholderText(_("扣分须写明理由：考核组的意见和依据"))
        self.note.setFixedHeight(64)
        self.errors = FormErrors()
        self.save_button = QPushButton(_("保存评分"), self)
        self.save_button.clicked.connect(self.save)
        self.who = QLabel(self)
        self.who.setStyleSheet("color: #555555;")
        self.strip = AttachmentStrip(ws, assessments.ATTACHMENT_OWNER, None, self, role="scan",
                                     roles=assessments.EVIDENCE_ROLES)
        form = QFormLayout()
        row = QHBoxLayout()
        row.addWidget(self.errors.add("score", FieldSlot(self.value, self)))
        row.addWidget(self.who, 1)
        row.addWidget(self.save_button)
        form.addRow(_("得分："), row)
        form.addRow(_("理由："), self.errors.add("note", FieldSlot(self.note, self)))
        form.addRow(_("佐证材料："), self.strip)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(form)

    def show_score(self, score: ScoreView, *, editable: bool) -> None:
        self.score = score
        self.errors.clear()
        self.title.setText(_("{code} {title}（{points} 分，人工评分）").format(
            code=score.item.code, title=score.item.title, points=number_text(score.points)))
        self.value.setText("" if score.score is None else number_text(score.score))
        self.note.setPlainText(score.note)
        self.who.setText(_("{who} 于 {day} 评分").format(who=score.scored_by, day=score.scored_on.isoformat())
                         if score.scored_by and score.scored_on else "")
        writable = editable and bool(score.uid) and not score.frozen
        for widget in (self.value, self.save_button):
            widget.setEnabled(writable)
        self.note.setReadOnly(not writable)
        self.strip.setEnabled(bool(score.uid))
        for action in (self.strip.add_action, self.strip.remove_action):
            action.setEnabled(writable)
        for button in self.strip.findChildren(QPushButton):
            if button.text() in (self.strip.add_action.text(), self.strip.remove_action.text()):
                button.setEnabled(writable)
        if score.uid:
            self.strip.owner_uid = score.uid
            self.strip.refresh()

    def save(self) -> ScoreView | None:
        if self.score is None or not self.score.uid:
            return None
        try:
            saved = assessments.score_manual(self.ws, self.score.uid, score=self.value.text(),
                                             note=self.note.toPlainText(), expected_rev=self.score.rev)
        except ValidationError as exc:
            self.errors.show(exc.field_errors)
            return None
        except AppError as exc:
            show_error(self, exc)
            return None
        self.errors.clear()
        self.saved.emit(saved)
        return saved
