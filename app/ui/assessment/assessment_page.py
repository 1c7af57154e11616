"""年度考核: compute a year's assessment, see the ranking, each county's items, every
deduction and the records behind it; score the hand-scored items; publish, correct, print.

On a county's node the page shows what the city published and a trial run of the
county's own scores (nothing stored).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (QComboBox, QDialog, QHBoxLayout, QHeaderView, QInputDialog, QLabel,
                               QMessageBox, QPushButton, QSplitter, QStackedWidget, QTableView, QVBoxLayout, QWidget)

from app.errors import AppError
from app.i18n import _
from app.reports import assessment_pdf
from app.services import assessment_rules, assessments
from app.services.assessment_metrics import number_text
from app.services.assessment_views import PREVIEW, AssessmentView, ScoreView, local_time_text, status_label
from app.services.workspace import Workspace
from app.ui.assessment.manual_panel import ManualScorePanel
from app.ui.assessment.models import BreakdownModel, EvidenceModel, RankingModel
from app.ui.assessment.publish_dialog import PublishDialog
from app.ui.date_field import DateField
from app.ui.errors import show_error
from app.ui.item_views import read_only_rows, size_columns
from app.ui.worker import Task, run_task

RANKING_WIDTHS = (44, 150, 70, 56, 56, 56, 50)
BREAKDOWN_WIDTHS = (44, 250, 72, 44, 44, 44, 400)


def _table(model, widths: tuple[int, ...], stretch: int) -> QTableView:
    view = QTableView()
    view.setModel(model)
    read_only_rows(view, single=True)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    size_columns(view, widths)
    view.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


class AssessmentPage(QWidget):
    """``changed`` after a publication or correction; ``open_sub_project(uid)`` opens the
    sub-project a record behind a deduction belongs to."""

    changed = Signal()
    open_sub_project = Signal(str)

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.is_city = assessment_rules.is_city(ws)
        self.view: AssessmentView | None = None
        self.task: Task | None = None
        self.year = QComboBox()
        self.rule_set = QComboBox()
        self.rule_set.setMinimumWidth(260)
        self.as_of = DateField()
        self.as_of.edit.setPlaceholderText(_("默认：年末"))
        self.as_of.setToolTip(_("考核基准日：超期问题、现场指导、验收等都按这一天判断；默认为年末，当年为今天。"))
        self.as_of.setMaximumWidth(230)
        self.compute_button = QPushButton(_("计算") if self.is_city else _("试算本县（区）"))
        self.compute_button.setToolTip(_("按所选考核细则计算该年度各县（区）和部门的得分；人工评分的项目保留。") if self.is_city
                                       else _("只用本机的数据计算本县（区）的得分，不保存。"))
        self.version = QComboBox()
        self.version.setMinimumWidth(300)
        bar = QHBoxLayout()
        for widget in (QLabel(_("年度：")), self.year, QLabel(_("考核细则：")), self.rule_set, QLabel(_("基准日：")),
                       self.as_of, self.compute_button, QLabel(_("结果：")), self.version):
            bar.addWidget(widget)
        bar.addStretch(1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.ranking_model = RankingModel(self)
        self.ranking = _table(self.ranking_model, RANKING_WIDTHS, 1)
        self.subject = QLabel()
        self.subject.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.breakdown_model = BreakdownModel(self)
        self.breakdown = _table(self.breakdown_model, BREAKDOWN_WIDTHS, 6)
        self.evidence_label = QLabel()
        self.evidence_label.setWordWrap(True)
        self.evidence_model = EvidenceModel(self)
        self.evidence = _table(self.evidence_model, (44, 90, 400), 2)
        evidence_box = QWidget()
        column = QVBoxLayout(evidence_box)
        column.setContentsMargins(0, 4, 0, 0)
        column.addWidget(self.evidence_label)
        column.addWidget(self.evidence, 1)
        self.manual = ManualScorePanel(ws, self)
        self.detail = QStackedWidget()
        self.detail.addWidget(evidence_box)
        self.detail.addWidget(self.manual)
        right = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        top_column = QVBoxLayout(top)
        top_column.setContentsMargins(0, 0, 0, 0)
        top_column.addWidget(self.subject)
        top_column.addWidget(self.breakdown, 1)
        right.addWidget(top)
        right.addWidget(self.detail)
        right.setSizes([420, 260])
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.ranking)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([sum(RANKING_WIDTHS) + 20, 900])

        self.publish_button = QPushButton(_("发布…"))
        self.correct_button = QPushButton(_("更正…"))
        self.discard_button = QPushButton(_("删除草稿"))
        self.pdf_button = QPushButton(_("预览 / 打印通报…"))
        self.rules_button = QPushButton(_("考核细则…"))
        self.message = QLabel()
        self.message.setStyleSheet("color: #555555;")
        buttons = QHBoxLayout()
        for button in (self.publish_button, self.correct_button, self.discard_button):
            buttons.addWidget(button)
            button.setVisible(self.is_city)
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(self.rules_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.status)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

        self.compute_button.clicked.connect(self.compute)
        self.publish_button.clicked.connect(self.publish)
        self.correct_button.clicked.connect(self.correct)
        self.discard_button.clicked.connect(self.discard)
        self.pdf_button.clicked.connect(self.preview_pdf)
        self.rules_button.clicked.connect(self.edit_rules)
        self.year.currentIndexChanged.connect(lambda _i: self.load_versions())
        self.version.currentIndexChanged.connect(lambda _i: self._version_chosen())
        self.ranking.selectionModel().currentRowChanged.connect(lambda current, _prev: self._subject_chosen())
        self.breakdown.selectionModel().currentRowChanged.connect(lambda current, _prev: self._item_chosen())
        self.evidence.activated.connect(self._open_record)
        self.manual.saved.connect(lambda _score: self.reload())
        self._fill_years()
        self.refresh()

    # -- data ----------------------------------------------------------------------
    def _fill_years(self) -> None:
        self.year.blockSignals(True)
        for year in assessments.year_choices(self.ws):
            self.year.addItem(_("{year} 年度").format(year=year), year)
        self.year.setCurrentIndex(max(self.year.findData(assessments.default_year(self.ws)), 0))
        self.year.blockSignals(False)

    def refresh(self) -> None:
        """Rule sets and results again (an import may have brought a published result)."""
        current = self.rule_set.currentData()
        self.rule_set.clear()
        for r in assessment_rules.active_rule_sets(self.ws):
            self.rule_set.addItem(_("{name}（第 {version} 版）").format(name=r.name, version=r.version), r.uid)
        self.rule_set.setCurrentIndex(max(self.rule_set.findData(current), 0))
        self.load_versions(keep=self.view.uid if self.view is not None else None)

    def load_versions(self, keep: str | None = None) -> None:
        """The year's stored results (drafts too, on the city's node), the chosen one shown."""
        year = self.year.currentData()
        rows = assessments.list_assessments(self.ws, year=year) if year else []
        self.version.blockSignals(True)
        self.version.clear()
        for row in rows:
            self.version.addItem(row.label, row.uid)
        if self.view is not None and self.view.status == PREVIEW and self.view.year == year:
            self.version.addItem(_("{year} 年度试算结果（未保存）").format(year=year), "")
        index = self.version.findData(keep) if keep is not None else -1
        self.version.setCurrentIndex(index if index >= 0 else 0)
        self.version.blockSignals(False)
        self._version_chosen()

    def _version_chosen(self) -> None:
        uid = self.version.currentData()
        if uid:
            try:
                self.show_view(assessments.get(self.ws, uid))
            except AppError as exc:
                show_error(self, exc)
                self.show_view(None)
        elif uid == "" and self.view is not None and self.view.status == PREVIEW:
            self.show_view(self.view)  # the trial run just computed (nothing stored to load)
        else:
            self.show_view(None)

    def reload(self) -> None:
        if self.view is not None and self.view.uid:
            self.show_view(assessments.get(self.ws, self.view.uid))

    def show_view(self, view: AssessmentView | None) -> None:
        subject = self.current_subject_key()
        item = self.current_score().item.uid if self.current_score() is not None else None
        self.view = view
        self.ranking_model.set_rows(view.standings if view else [])
        row = self.ranking_model.row_of(subject)
        if view is not None and view.standings:
            self.ranking.setCurrentIndex(self.ranking_model.index(max(row, 0), 0))
        self._subject_chosen(item)
        self._describe()
        self._update_buttons()

    def _describe(self) -> None:
        view = self.view
        if view is None:
            year = self.year.currentData()
            self.status.setText(_("{year} 年度尚未计算。点“计算”按考核细则计算各县（区）的得分。").format(year=year)
                                if self.is_city else _("市档案局尚未发布 {year} 年度考核结果；可点“试算本县（区）”查看本县（区）的得分。").format(
                year=year))
            return
        parts = [_("{status}：{year} 年度，基准日 {day}，{rules}（第 {version} 版），计算于 {at}").format(
            status=status_label(view.status), year=view.year, day=view.as_of.isoformat(), rules=view.rule_set.name,
            version=view.rule_set.version, at=local_time_text(view.computed_at))]
        if view.unscored:
            parts.append(_("尚有 {n} 项人工评分未完成（浅橙色行）").format(n=view.unscored))
        if view.number and view.status != "draft":
            parts.append(_("{number}，{day} 发布").format(number=view.number, day=view.published_on.isoformat()
                                                          if view.published_on else ""))
        if view.supersedes_number or view.supersedes_uid:
            parts.append(_("更正 {number}：{reason}").format(number=view.supersedes_number or "",
                                                          reason=view.correction_reason))
        if view.superseded_by_number:
            parts.append(_("已由 {number} 更正").format(number=view.superseded_by_number))
        self.status.setText("；".join(parts))

    def current_subject_key(self) -> str | None:
        standing = self.ranking_model.row_at(self.ranking.currentIndex().row())
        return standing.key if standing is not None else None

    def current_score(self) -> ScoreView | None:
        return self.breakdown_model.row_at(self.breakdown.currentIndex().row())

    def _subject_chosen(self, item_uid: str | None = None) -> None:
        key = self.current_subject_key()
        standing = self.ranking_model.row_at(self.ranking.currentIndex().row())
        rows = self.view.scores_of(key) if self.view is not None and key else []
        self.breakdown_model.set_rows(rows)
        if standing is None:
            self.subject.clear()
        else:
            self.subject.setText(_("{name}：得分 {total} / {full}，扣分 {deduction}，名次 {rank}，{grade}").format(
                name=standing.name, total=number_text(standing.total), full=number_text(standing.full),
                deduction=number_text(standing.deduction), rank=standing.rank, grade=standing.grade))
        if rows:
            row = self.breakdown_model.row_of(item_uid)
            if row < 0:  # the largest deduction first: what the reader looks for
                row = max(range(len(rows)), key=lambda n: (rows[n].deduction or 0, -n))
            self.breakdown.setCurrentIndex(self.breakdown_model.index(row, 0))
        self._item_chosen()

    def _item_chosen(self) -> None:
        score = self.current_score()
        if score is not None and score.manual:
            self.detail.setCurrentWidget(self.manual)
            self.manual.show_score(score, editable=self.is_city and self.view is not None and self.view.is_draft)
            return
        self.detail.setCurrentIndex(0)
        self.evidence_model.set_evidence(score.evidence if score is not None else [])
        if score is None:
            self.evidence_label.clear()
        elif score.evidence:
            self.evidence_label.setText(_("{code} 扣 {points} 分所依据的记录（{n} 条，双击打开所属子项目）：").format(
                code=score.item.code, points=number_text(score.deduction or 0), n=len(score.evidence)))
        else:
            self.evidence_label.setText(_("{code} 没有扣分所依据的记录。").format(code=score.item.code))

    def _open_record(self, index: QModelIndex) -> None:
        record = self.evidence_model.record_at(index.row())
        if record and record.get("sub_project_uid"):
            self.open_sub_project.emit(record["sub_project_uid"])

    def _update_buttons(self) -> None:
        view, busy = self.view, self.task is not None
        self.compute_button.setEnabled(not busy)
        self.publish_button.setEnabled(not busy and view is not None and view.status == "draft")
        self.correct_button.setEnabled(not busy and view is not None and view.status == "published")
        self.discard_button.setEnabled(not busy and view is not None and view.status == "draft")
        self.pdf_button.setEnabled(view is not None)

    # -- actions -------------------------------------------------------------------
    def _run(self, title: str, work, on_done) -> Task:
        def finished(result=None) -> None:
            self.task = None
            if result is not None:
                on_done(result)
            self._update_buttons()

        self.task = run_task(self, title, work, on_done=finished, on_cancelled=finished)
        self.task.error.connect(lambda _exc: finished())
        self._update_buttons()
        return self.task

    def compute(self) -> Task | None:
        year, rule_set, as_of, ws = self.year.currentData(), self.rule_set.currentData(), self.as_of.text(), self.ws
        if year is None or self.task is not None:
            return None
        calculate = assessments.compute if self.is_city else assessments.preview

        def work(cancel, progress):
            return calculate(ws, year, rule_set_uid=rule_set, as_of=as_of or None, cancel=cancel, progress=progress)

        def done(view: AssessmentView) -> None:
            self.view = view
            self.load_versions(keep=view.uid)
            self.message.setText(_("已计算 {year} 年度考核。").format(year=year))

        return self._run(_("计算 {year} 年度考核").format(year=year), work, done)

    def publish(self) -> AssessmentView | None:
        if self.view is None or self.view.status != "draft":
            return None
        dialog = PublishDialog(self.ws, self.view, self)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted or dialog.published is None:
                return None
            published = dialog.published
        finally:
            dialog.deleteLater()
        self.load_versions(keep=published.uid)
        self.message.setText(_("已发布 {number}。").format(number=published.number))
        self.changed.emit()
        return published

    def correct(self) -> Task | None:
        view = self.view
        if view is None or view.status != "published":
            return None
        reason, ok = QInputDialog.getMultiLineText(self, _("更正考核结果"), _(
            "更正将生成 {number} 的新版本（草稿），按同一基准日重新计算，人工评分和佐证材料一并带入；"
            "新版本发布后取代原版本，原版本保留。请写明更正原因：").format(number=view.number))
        if not ok:
            return None
        ws = self.ws

        def done(fixed: AssessmentView) -> None:
            self.load_versions(keep=fixed.uid)
            self.message.setText(_("已生成更正稿，核对后请发布。"))
            self.changed.emit()

        return self._run(_("更正考核结果"), lambda cancel, progress: assessments.correct(
            ws, view.uid, reason=reason, cancel=cancel, progress=progress), done)

    def discard(self) -> None:
        view = self.view
        if view is None or view.status != "draft":
            return
        if QMessageBox.question(self, _("删除草稿"), _("删除 {year} 年度考核草稿（含人工评分）？此操作记入变更历史。").format(
                year=view.year)) != QMessageBox.StandardButton.Yes:
            return
        try:
            assessments.discard(self.ws, view.uid)
        except AppError as exc:
            show_error(self, exc)
            return
        self.view = None
        self.load_versions()
        self.message.setText(_("已删除草稿。"))

    def pdf_path(self) -> Path | None:
        """The notice of the result shown, written to a temporary file."""
        if self.view is None:
            return None
        folder = Path(tempfile.mkdtemp(prefix="yaan-assessment-"))
        return assessment_pdf.render(self.view, folder / _("{year}年度考核结果通报.pdf").format(year=self.view.year))

    def preview_pdf(self) -> None:
        from app.ui.acceptance.pdf_preview import PdfPreviewDialog

        try:
            path = self.pdf_path()
        except (AppError, OSError) as exc:
            show_error(self, exc)
            return
        if path is not None:
            dialog = PdfPreviewDialog(path, self, title=_("考核结果通报 — 预览"))
            dialog.exec()
            dialog.deleteLater()

    def edit_rules(self) -> None:
        from app.ui.assessment.rules_dialog import RuleSetsDialog

        dialog = RuleSetsDialog(self.ws, self)
        dialog.exec()
        dialog.deleteLater()
        self.refresh()
