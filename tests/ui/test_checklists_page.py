"""The checklists page: the default checklist shown, a new version edited as a draft, activation."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from app.services import checklist_excel, checklists
from app.ui.checklists import ChecklistEditorDialog, ChecklistsPage
from app.ui.checklists.editor_models import ERROR_BRUSH

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)


@pytest.fixture
def page(qtbot, ws):
    widget = ChecklistsPage(ws)
    qtbot.addWidget(widget)
    return widget


def _run_editor(monkeypatch, edit):
    """Replace the editor's event loop by ``edit(dialog)``; returns the dialogs opened."""
    opened = []

    def exec_(dialog):
        opened.append(dialog)
        edit(dialog)
        return dialog.result()

    monkeypatch.setattr(ChecklistEditorDialog, "exec", exec_)
    return opened


def test_the_page_shows_the_default_checklist(page, ws):
    default = checklists.get(ws, checklists.ensure_default(ws))
    assert page.current_uid() == default.uid
    assert page.content_model.item_count() == 29
    assert page.content_model.rowCount() == 3
    second = page.content_model.index(1, 0)
    assert page.content_model.index(1, 1).data(_DISPLAY) == "档案的完整、准确、系统（最低 36 分）"
    assert page.content_model.index(1, 4).data(_DISPLAY) == "60"
    veto = page.content_model.index(7, 5, second)  # 2.8 编制了竣工图
    assert (page.content_model.index(7, 0, second).data(_DISPLAY), veto.data(_DISPLAY)) == ("2.8", "否决")
    assert page.content_model.index(7, 1, second).data(_TOOLTIP).endswith("扣分标准：未编制竣工图的，验收不合格")
    assert "等级：≥90 优良；≥70 合格；低于 70 分不合格" in page.info.text()
    assert "已用于 0 次验收" in page.info.text()
    assert not page.edit_button.isEnabled() and not page.activate_button.isEnabled()


def test_an_active_version_opens_read_only(page, qtbot, ws):
    dialog = ChecklistEditorDialog(ws, page.current_uid())
    qtbot.addWidget(dialog)
    assert dialog.read_only and "不能修改" in dialog.note.text() and "另存为新版本" in dialog.note.text()
    assert dialog.name.isReadOnly()
    index = dialog.items_model.index(0, dialog.items_model.column_of("max_score"))
    assert not dialog.items_model.setData(index, "5")


def test_a_new_version_is_edited_as_a_draft_and_saved(page, ws, monkeypatch):
    original = page.current_uid()

    def edit(dialog):
        assert not dialog.read_only and dialog.view.status == "draft" and dialog.view.version == 2
        dialog.select_section(0)
        model = dialog.items_model
        model.setData(model.index(0, model.column_of("max_score")), "3")  # 1.1: 2 -> 3 points
        assert dialog.total.text() == "共 3 部分、29 项，总分 101 分"
        dialog.accept()

    opened = _run_editor(monkeypatch, edit)
    page.new_version_button.click()

    assert len(opened) == 1 and opened[0].result() == QDialog.DialogCode.Accepted
    draft = checklists.get(ws, page.current_uid())
    assert (draft.version, draft.status, draft.total_score) == (2, "draft", 101)
    assert draft.items[0].max_score == 3
    assert checklists.get(ws, original).items[0].max_score == 2  # the version in use is untouched
    assert page.edit_button.isEnabled() and page.activate_button.isEnabled()
    assert page.title.text().endswith("（第 2 版，草稿）")


def test_validation_errors_are_shown_on_their_rows(page, ws, qtbot):
    draft = checklists.new_version(ws, page.current_uid())
    dialog = ChecklistEditorDialog(ws, draft.uid)
    qtbot.addWidget(dialog)
    dialog.select_section(1)
    model = dialog.items_model
    model.setData(model.index(2, model.column_of("code")), "2.1")  # 2.3 becomes a second 2.1
    model.setData(model.index(4, model.column_of("max_score")), "五")
    dialog.bands_model.setData(dialog.bands_model.index(1, 1), "")
    dialog.accept()

    assert dialog.result() != QDialog.DialogCode.Accepted
    assert model.index(2, 0).data(_BACKGROUND) == ERROR_BRUSH
    assert "编号 2.1 重复" in model.index(2, 0).data(_TOOLTIP)
    assert "应为数字" in model.index(4, 0).data(_TOOLTIP)
    assert dialog.sections_model.index(1, 0).data(_BACKGROUND) == ERROR_BRUSH
    assert dialog.sections_model.index(0, 0).data(_BACKGROUND) is None
    assert "等级的名称" in dialog.bands_model.index(1, 0).data(_TOOLTIP)
    assert not dialog.error_area.isHidden()
    model.setData(model.index(2, model.column_of("code")), "2.3")
    model.setData(model.index(4, model.column_of("max_score")), "5")
    dialog.bands_model.setData(dialog.bands_model.index(1, 1), "合格")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    saved = checklists.get(ws, dialog.result_view.uid)
    assert (saved.version, saved.status, saved.sections[1].items[4].max_score) == (2, "draft", 5)


def test_activating_a_draft_retires_the_version_it_replaces(page, ws, monkeypatch):
    original = page.current_uid()
    draft = checklists.new_version(ws, original)
    page.refresh()
    page.select_uid(draft.uid)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page.activate_button.click()

    assert checklists.get(ws, draft.uid).status == "active"
    assert checklists.get(ws, original).status == "retired"
    statuses = {v.uid: v.status for v in page.versions_model.checklists[0].versions}
    assert statuses == {draft.uid: "active", original: "retired"}
    assert page.current_uid() == draft.uid and not page.activate_button.isEnabled()
    assert "已启用第 2 版" in page.status.text()


def test_import_from_excel_makes_a_draft_version(page, ws, monkeypatch, tmp_path):
    path = checklist_excel.export_template(ws, page.current_uid(), tmp_path / "下发.xlsx")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda _p, _t, text, *a, **k: asked.append(text) or QMessageBox.StandardButton.Yes)
    draft = page.import_workbook()
    assert draft is not None and (draft.version, draft.status) == (2, "draft")
    assert "将导入为它的第 2 版（草稿）" in asked[0] and "与已有的第 1 版完全相同" in asked[0]
    assert page.current_uid() == draft.uid


def test_a_draft_given_up_on_can_be_deleted(qtbot, ws, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from app.services import checklists
    from app.ui.checklists.checklists_page import ChecklistsPage

    default = checklists.get(ws, checklists.ensure_default(ws))
    draft = checklists.new_version(ws, default.uid)
    page = ChecklistsPage(ws)
    qtbot.addWidget(page)
    page.select_uid(draft.uid)
    assert page.discard_button.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page.discard_button.click()
    assert [t.version for t in checklists.list_templates(ws)] == [1]
