"""结论: what the evaluation concludes and why; for a fail, the rectification opinions and deadline."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from app.i18n import _
from app.models import CONCLUSIONS, VOTES
from app.services.acceptance_result import Evaluation
from app.services.acceptances import LABELS
from app.ui.date_field import DateField
from app.ui.forms import FieldSlot, FormErrors

_VERDICT_STYLE = {"pass": "color: #2e7d32;", "fail": "color: #c62828;", "": "color: #666;"}


def _text_box(height: int) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setFixedHeight(height)
    return box


def verdict_text(evaluation: Evaluation) -> str:
    """One line: the conclusion with its total and grade, or why there is none yet."""
    if not evaluation.conclusion:
        return _("尚不能作出结论")
    label = _(CONCLUSIONS[evaluation.conclusion])
    if evaluation.grade and evaluation.conclusion == "pass":  # a fail's grade band would read as praise
        return _("{conclusion}（总分 {total:g} 分，等级“{grade}”）").format(
            conclusion=label, total=evaluation.total, grade=evaluation.grade)
    return _("{conclusion}（总分 {total:g} 分）").format(conclusion=label, total=evaluation.total)


def votes_text(evaluation: Evaluation) -> str:
    return "　".join(_("{vote} {n} 票").format(vote=_(VOTES[key]), n=evaluation.votes.get(key, 0))
                    for key in ("agree", "disagree", "abstain"))


class ConclusionTab(QWidget):
    def __init__(self, errors: FormErrors, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.verdict = QLabel()
        font = self.verdict.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.verdict.setFont(font)
        self.votes = QLabel()
        self.reasons = QLabel()
        self.reasons.setWordWrap(True)
        self.reasons.setTextFormat(Qt.TextFormat.RichText)
        self.reasons.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.record = QLabel()
        self.record.setWordWrap(True)
        self.record.setStyleSheet("color: #333; background: #f4f6f8; padding: 6px;")
        self.record.hide()

        self.opinion = _text_box(80)
        self.opinion.setPlaceholderText(_("验收小组的综合意见，印在验收意见书上"))
        self.opinions = _text_box(110)
        self.opinions.setPlaceholderText(_("每行一条整改意见，作出结论时记入问题台账"))
        self.deadline = DateField()
        self.deadline.setMaximumWidth(180)
        self.rectification = QGroupBox(_("整改要求（验收不合格时必填）"))
        fail_form = QFormLayout(self.rectification)
        fail_form.addRow(_("整改意见："), errors.add("opinions", FieldSlot(self.opinions)))
        fail_form.addRow(_(LABELS["rectification_deadline"]) + "：",
                         errors.add("rectification_deadline", FieldSlot(self.deadline)))

        result = QGroupBox(_("验收结论"))
        result_layout = QVBoxLayout(result)
        result_layout.addWidget(errors.add("conclusion", FieldSlot(self.verdict)))
        result_layout.addWidget(self.votes)
        result_layout.addWidget(self.reasons)
        result_layout.addWidget(self.record)
        opinion_box = QGroupBox(_(LABELS["opinion"]))
        opinion_layout = QVBoxLayout(opinion_box)
        opinion_layout.addWidget(errors.add("opinion", FieldSlot(self.opinion)))

        layout = QVBoxLayout(self)
        layout.addWidget(result)
        layout.addWidget(opinion_box)
        layout.addWidget(self.rectification)
        layout.addStretch(1)

    def show_evaluation(self, evaluation: Evaluation, *, concluded: str | None = None) -> None:
        """``concluded``: the stored conclusion of a concluded acceptance (the sheet is frozen)."""
        self.verdict.setText(verdict_text(evaluation))
        self.verdict.setStyleSheet(_VERDICT_STYLE.get(evaluation.conclusion, ""))
        self.votes.setText(_("表决：{votes}").format(votes=votes_text(evaluation)))
        heading = _("结论的依据：") if evaluation.conclusion else _("还需完成：")
        lines = "".join(f"<li>{escape(reason)}</li>" for reason in evaluation.reasons)
        self.reasons.setText(f"<p>{escape(heading)}</p><ul style='margin-left: -20px'>{lines}</ul>")
        outcome = concluded if concluded is not None else evaluation.conclusion
        self.rectification.setVisible(outcome == "fail")

    def opinion_lines(self) -> list[str]:
        return [line.strip() for line in self.opinions.toPlainText().splitlines() if line.strip()]

    def show_record(self, text: str) -> None:
        self.record.setText(text)
        self.record.setVisible(bool(text))

    def set_read_only(self, read_only: bool) -> None:
        for box in (self.opinion, self.opinions):
            box.setReadOnly(read_only)
        self.deadline.edit.setReadOnly(read_only)
        self.deadline.button.setEnabled(not read_only)
