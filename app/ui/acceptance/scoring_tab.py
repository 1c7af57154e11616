"""评分: the scoring table and, beside it, the live result (sections vs floor, total, grade)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.i18n import _
from app.services.acceptance_result import Evaluation
from app.services.checklists import TemplateView
from app.ui.acceptance.conclusion_tab import verdict_text
from app.ui.acceptance.page_keys import turn_pages_from
from app.ui.acceptance.score_model import ScoreModel
from app.ui.acceptance.score_view import ScoreTableView

_VERDICT = {"pass": "#2e7d32", "fail": "#c62828", "": "#666666"}
_BAD = "#c62828"


class ScoringTab(QWidget):
    def __init__(self, template: TemplateView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.template = template
        self.model = ScoreModel(template, self)
        self.table = ScoreTableView(self.model)
        turn_pages_from(self.table)
        hint = QLabel(_("在“验收赋分”中输入分数后按回车，光标移到下一项；合格/不合格项输入 1 或 0。"
                        "鼠标停在检查内容上可看扣分标准。"))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #666;")
        self.errors = QLabel()
        self.errors.setWordWrap(True)
        self.errors.setStyleSheet(f"color: {_BAD};")
        self.errors.hide()

        self.total = QLabel()
        font = self.total.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.total.setFont(font)
        self.grade = QLabel()
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        verdict_font = self.verdict.font()
        verdict_font.setBold(True)
        verdict_font.setPointSizeF(verdict_font.pointSizeF() * 1.15)
        self.verdict.setFont(verdict_font)
        self.sections = QLabel()
        self.sections.setTextFormat(Qt.TextFormat.RichText)
        self.sections.setWordWrap(True)
        self.reasons = QLabel()
        self.reasons.setTextFormat(Qt.TextFormat.RichText)
        self.reasons.setWordWrap(True)
        self.progress = QLabel()
        self.progress.setStyleSheet("color: #666;")
        panel = QFrame()
        panel.setFrameShape(QFrame.Shape.StyledPanel)
        panel.setFixedWidth(290)
        side = QVBoxLayout(panel)
        title = QLabel(_("验收赋分合计"))
        title.setStyleSheet("color: #666;")
        for widget in (title, self.total, self.grade, self.progress, self.verdict, self.sections, self.reasons):
            side.addWidget(widget)
        side.addStretch(1)

        left = QVBoxLayout()
        left.addWidget(hint)
        left.addWidget(self.table, 1)
        left.addWidget(self.errors)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addWidget(panel)

    def show_evaluation(self, evaluation: Evaluation) -> None:
        """Call after the model's ``set_evaluation``: the panel reads its section standings."""
        template = self.template
        self.total.setText(_("{total:g} / {max:g} 分").format(total=evaluation.total, max=template.total_score))
        bands = "，".join(_("≥{min:g} {grade}").format(min=b["min"], grade=b["grade"]) for b in template.grade_bands)
        if evaluation.missing:
            grade = _("评完后确定")
        else:
            grade = evaluation.grade or _("不合格")
        self.grade.setText(_("等级：{grade}（{bands}）").format(grade=grade, bands=bands))
        scored = len(template.items) - len(evaluation.missing)
        self.progress.setText(_("已评 {n} / {m} 项").format(n=scored, m=len(template.items)))
        self.verdict.setText(verdict_text(evaluation))
        self.verdict.setStyleSheet(f"color: {_VERDICT.get(evaluation.conclusion, '#666666')};")
        rows = []
        for section in template.sections:
            standing = self.model.subtotals.get(section.uid)
            got = "—" if standing is None or standing.score is None else f"{standing.score:g}"
            floor_text = _("（最低 {floor:g}）").format(floor=section.floor) if section.floor is not None else ""
            style = f" style='color: {_BAD}'" if standing is not None and standing.below_floor else ""
            rows.append(f"<tr><td>{escape(section.title)}</td><td align='right'{style}><b>{escape(got)}</b>"
                        f" / {section.max_score:g}{escape(floor_text)}</td></tr>")
        self.sections.setText(f"<table width='100%' cellspacing='0' cellpadding='2'>{''.join(rows)}</table>")
        shown = evaluation.reasons if evaluation.conclusion else evaluation.reasons[:4]
        items = "".join(f"<li>{escape(reason)}</li>" for reason in shown)
        self.reasons.setText(f"<ul style='margin-left: -20px'>{items}</ul>")

    def show_errors(self, messages: list[str]) -> None:
        self.errors.setText("\n".join(messages))
        self.errors.setVisible(bool(messages))
