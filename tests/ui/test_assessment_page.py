"""The assessment page: compute, see the ranking, pick a county, see a deduction and its records."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.services import assessment_rules, assessments
from app.ui.assessment.assessment_page import AssessmentPage
from app.ui.assessment.publish_dialog import PublishDialog
from app.ui.assessment.rules_dialog import RuleSetsDialog
from tests.assessment_support import assessed_template, city  # noqa: F401  (fixtures)
from tests.assessment_support import PUBLICATION

_DISPLAY = Qt.ItemDataRole.DisplayRole


def _page(qtbot, ws) -> AssessmentPage:
    page = AssessmentPage(ws)
    qtbot.addWidget(page)
    page.resize(1400, 800)
    page.show()
    page.year.setCurrentIndex(page.year.findData(2016))
    page.as_of.setText("2016-12-31")
    return page


def _compute(qtbot, page) -> None:
    page.compute()
    qtbot.waitUntil(lambda: page.task is None, timeout=20000)


def _cells(model, row: int) -> list[str]:
    return [model.index(row, c).data(_DISPLAY) for c in range(model.columnCount())]


def _select(view, model, row: int) -> None:
    view.setCurrentIndex(model.index(row, 0))


def test_compute_rank_pick_a_county_and_open_the_record_behind_a_deduction(qtbot, city):
    page = _page(qtbot, city)
    assert "尚未计算" in page.status.text()
    _compute(qtbot, page)
    assert page.view is not None and page.view.status == "draft"
    names = [page.ranking_model.row_at(r).name for r in range(page.ranking_model.rowCount())]
    # 宝兴 ties with the six counties without records (66 before hand scores)
    assert names[7:9] == ["芦山县", "天全县"] and "宝兴县" in names[:7]
    assert names[9:] == ["市国土资源局", "市文化广电新闻出版局", "市住房城乡建设局", "市民政局", "市发展改革委"]
    assert _cells(page.ranking_model, 8)[:6] == ["9", "天全县", "县（区）", "39", "47", "不合格"]
    assert "42 项人工评分未完成" in page.status.text()

    _select(page.ranking, page.ranking_model, 8)
    assert page.subject.text().startswith("天全县：得分 39 / 100，扣分 47")
    # the largest deduction is selected first: 4.1, 15 points for 16 overdue problems
    score = page.current_score()
    assert (score.item.code, score.deduction) == ("4.1", 15)
    assert page.evidence_model.rowCount() == 16 and "16 条" in page.evidence_label.text()
    assert _cells(page.evidence_model, 0)[1] == "问题" and "子项目B1：问题1（整改时限 2016-04-01）" in _cells(
        page.evidence_model, 0)[2]
    with qtbot.waitSignal(page.open_sub_project) as opened:
        page.evidence.activated.emit(page.evidence_model.index(0, 2))
    assert opened.args == [city.fx.subs["B1"]]


def test_a_hand_score_is_saved_from_the_panel_with_its_reason(qtbot, city):
    page = _page(qtbot, city)
    _compute(qtbot, page)
    _select(page.ranking, page.ranking_model, page.ranking_model.row_of(city.fx.divisions["芦山县"]))
    row = page.breakdown_model.row_of(next(i.uid for i in page.view.rule_set.items if i.code == "1.1"))
    _select(page.breakdown, page.breakdown_model, row)
    assert page.detail.currentWidget() is page.manual and page.manual.save_button.isEnabled()
    page.manual.value.setText("4")
    page.manual.save()
    assert "扣分须写明理由" in page.manual.errors.message_for("note")
    page.manual.note.setPlainText("领导小组调整后未及时发文")
    page.manual.save()
    saved = next(s for s in page.view.scores_of(city.fx.divisions["芦山县"]) if s.item.code == "1.1")
    assert (saved.score, saved.note) == (4, "领导小组调整后未及时发文")
    assert "41 项人工评分未完成" in page.status.text()


def test_publish_then_correct_keeps_both_and_freezes_the_panel(qtbot, city, monkeypatch):
    page = _page(qtbot, city)
    _compute(qtbot, page)
    for s in page.view.scores:
        if s.manual:
            assessments.score_manual(city, s.uid, score=str(s.points), note="")
    page.reload()
    dialog = PublishDialog(city, page.view, page)
    qtbot.addWidget(dialog)
    for key, value in PUBLICATION.items():
        getattr(dialog, key).setText(value)
    dialog.accept()
    assert dialog.published is not None and dialog.published.status == "published"
    page.load_versions(keep=dialog.published.uid)
    assert page.view.status == "published" and not page.publish_button.isEnabled()
    assert page.correct_button.isEnabled() and "雅重建委〔2017〕2号" in page.status.text()
    manual_row = next(n for n, s in enumerate(page.breakdown_model.rows) if s.manual)
    _select(page.breakdown, page.breakdown_model, manual_row)
    assert not page.manual.save_button.isEnabled() and page.manual.note.isReadOnly()

    monkeypatch.setattr("PySide6.QtWidgets.QInputDialog.getMultiLineText", lambda *a, **k: ("补登超期问题", True))
    page.correct()
    qtbot.waitUntil(lambda: page.task is None, timeout=20000)
    assert page.view.status == "draft" and page.view.supersedes_uid == dialog.published.uid
    assert page.version.count() == 2 and "更正 雅重建委〔2017〕2号：补登超期问题" in page.status.text()
    assert page.pdf_path().read_bytes().startswith(b"%PDF")


def test_the_rule_set_editor_makes_a_new_version_and_refuses_a_used_one(qtbot, city, monkeypatch):
    assessments.compute(city, 2016)
    dialog = RuleSetsDialog(city)
    qtbot.addWidget(dialog)
    assert not dialog.editable and not dialog.save_button.isEnabled()  # active and used
    dialog.new_version()
    assert dialog.shown.version == 2 and dialog.editable
    model = dialog.items_model
    overdue = next(n for n, r in enumerate(model.rows) if r["code"] == "4.1")
    assert model.index(overdue, model.column_of("params")).data(_DISPLAY) == "每项扣分=1；最多扣分=15"
    assert model.index(overdue, model.column_of("metric")).data(_DISPLAY) == "超期未整改问题，每个扣分"
    model.setData(model.index(overdue, model.column_of("params")), "每项扣分=2；最多扣分=15")
    model.setData(model.index(0, model.column_of("points")), "abc")
    dialog.save()
    assert model.errors and "分值" in dialog.error_area.text()
    model.setData(model.index(0, model.column_of("points")), "5")
    saved = dialog.save()
    item = next(i for i in assessment_rules.get(city, saved.uid).items if i.code == "4.1")
    assert item.params == {"per_item": 2, "cap": 15}
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    dialog.activate()
    assert [r.version for r in assessment_rules.active_rule_sets(city)] == [2]


def test_on_a_county_the_page_runs_a_trial_of_its_own_scores(qtbot, ws):
    page = _page(qtbot, ws)
    assert page.compute_button.text() == "试算本县（区）" and not page.publish_button.isVisible()
    _compute(qtbot, page)
    assert page.view.status == "preview" and page.view.uid == ""
    assert [s.name for s in page.ranking_model.rows] == ["芦山县"]
    assert page.version.currentText() == "2016 年度试算结果（未保存）" and "试算" in page.status.text()
    assert assessments.list_assessments(ws) == []  # nothing stored
