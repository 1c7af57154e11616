"""Notices through the real widgets: a draft with two opinions, issuing it, its read-only view."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QMessageBox,
)

from app.services import divisions, notices
from app.ui.notices import NoticeDialog, NoticesPage
from app.ui.notices.opinions_model import DIVISION, TEXT

YES = QMessageBox.StandardButton.Yes


@pytest.fixture
def answer_yes(monkeypatch):
    asked = []
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *args, **kwargs: asked.append(args[2]) or YES))
    return asked


def fill_header(dialog: NoticeDialog, number: str = "雅重建委[2016]3号") -> None:
    dialog.number.setText(number)
    dialog.title_edit.setText("关于全市灾后恢复重建项目档案工作督导情况的通报")
    dialog.issue_date.setText("2016-05-12")
    dialog.issuer.setText("雅安市芦山地震灾后恢复重建委员会、雅安市档案局")
    dialog.recipients.setText("各县（区）灾后恢复重建委员会、档案局")


def add_opinion(dialog: NoticeDialog, text: str, division_uid: str | None) -> None:
    dialog.add_item()
    row = dialog.current_row()
    model = dialog.opinions
    # the new row's text editor is open: leave it as Save would, then type through the model
    dialog.table.setCurrentIndex(model.index(row, DIVISION))
    assert model.setData(model.index(row, TEXT), text)
    assert model.setData(model.index(row, DIVISION), division_uid)


def test_a_notice_with_two_opinions_is_created_issued_and_then_read_only(qtbot, ws, answer_yes, monkeypatch):
    page = NoticesPage(ws)
    qtbot.addWidget(page)
    lushan, yucheng = divisions.find_division(ws, "芦山县"), divisions.find_division(ws, "雨城区")

    def fill_and_save(dialog: NoticeDialog) -> int:
        fill_header(dialog)
        add_opinion(dialog, "部分子项目未制定保管期限表。", yucheng.uid)
        add_opinion(dialog, "竣工图未逐张加盖竣工图章。", lushan.uid)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(NoticeDialog, "exec", fill_and_save)
    page.new_button.click()

    assert page.model.rowCount() == 1
    row = page.model.rows[0]
    assert (row.number, row.status, row.item_count) == ("雅重建委〔2016〕3号", "draft", 2)
    detail = notices.get(ws, row.uid)
    assert [(i.division_name, i.text) for i in detail.items] == [("雨城区", "部分子项目未制定保管期限表。"),
                                                                 ("芦山县", "竣工图未逐张加盖竣工图章。")]
    assert page.table.selectionModel().selectedRows()[0].row() == 0  # the new notice is selected
    assert page.edit_button.isEnabled() and page.issue_button.isEnabled()
    assert not page.correct_button.isEnabled()

    page.issue_button.click()
    assert "成为正式记录" in answer_yes[-1]
    assert page.model.rows[0].status == "issued"
    assert page.model.data(page.model.index(0, 3)) == "已印发"
    assert not page.edit_button.isEnabled() and not page.delete_button.isEnabled()
    assert not page.issue_button.isEnabled() and page.correct_button.isEnabled()

    dialog = NoticeDialog(ws, row.uid)
    qtbot.addWidget(dialog)
    assert dialog.read_only and dialog.number.isReadOnly() and dialog.preamble.isReadOnly()
    assert not dialog.banner.isHidden() and "正式记录" in dialog.banner.text()
    assert dialog.table.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    assert not dialog.opinions.setData(dialog.opinions.index(0, TEXT), "改动")
    assert dialog.add_button.isHidden() and dialog.buttons.button(QDialogButtonBox.StandardButton.Save) is None
    dialog.accept()  # Ctrl+Enter on a read-only notice only closes it
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert notices.get(ws, row.uid).items[0].text == "部分子项目未制定保管期限表。"


def test_a_bad_number_and_an_empty_opinion_are_shown_in_the_dialog(qtbot, ws):
    dialog = NoticeDialog(ws)
    qtbot.addWidget(dialog)
    fill_header(dialog, number="雅重建委2016-3")
    dialog.add_item()
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.errors.message_for("number").startswith("“文号”格式不正确")
    assert "第 1 条意见：“督导意见”不能为空。" in dialog.item_message.text()
    assert dialog.opinions.errors.keys() == {0}
    assert notices.list_notices(ws) == []


def test_correcting_and_exporting_from_the_page(qtbot, ws, answer_yes, monkeypatch, tmp_path):
    lushan = divisions.find_division(ws, "芦山县")
    draft = notices.create(ws, {"number": "雅重建委〔2016〕3号", "title": "督导情况的通报", "issue_date": "2016-05-12",
                                "issuer": "雅安市档案局"}, [{"division_uid": lushan.uid, "text": "整改不到位。"}])
    issued = notices.issue(ws, draft.uid, draft.rev)
    page = NoticesPage(ws)
    qtbot.addWidget(page)
    page.table.selectRow(0)

    opened = []
    monkeypatch.setattr(NoticeDialog, "exec", lambda dialog: opened.append(dialog.detail) or 0)
    page.correct_button.click()
    assert [d.number for d in opened] == ["雅重建委〔2016〕3号（更正）"] and opened[0].editable
    assert {(r.number, r.status) for r in page.model.rows} == {("雅重建委〔2016〕3号", "issued"),
                                                                ("雅重建委〔2016〕3号（更正）", "draft")}

    target = tmp_path / "exported.pdf"
    urls = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *args, **kwargs: (str(target), "")))
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: urls.append(url.toLocalFile())))
    page.refresh(issued.uid)
    page.export_button.click()
    qtbot.waitUntil(lambda: bool(urls), timeout=10000)
    assert urls == [str(target)] and target.read_bytes().startswith(b"%PDF")
    assert "exported.pdf" in page.message.text()
    assert not list(Path(tmp_path).glob(".*.partial"))


def test_several_notices_export_to_a_folder_in_the_background(qtbot, ws, monkeypatch, tmp_path):
    for n in (3, 4):
        draft = notices.create(ws, {"number": f"雅重建委〔2016〕{n}号", "title": "督导情况的通报",
                                    "issue_date": "2016-05-12", "issuer": "雅安市档案局"}, [{"text": "整改不到位。"}])
        notices.issue(ws, draft.uid, draft.rev)
    page = NoticesPage(ws)
    qtbot.addWidget(page)
    page.table.selectAll()
    assert page.export_button.isEnabled() and not page.edit_button.isEnabled()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *args, **kwargs: str(tmp_path)))
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: pytest.fail("opened a file")))
    page.export_button.click()
    qtbot.waitUntil(lambda: "已导出 2 份通报" in page.message.text(), timeout=10000)
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == ["雅重建委〔2016〕3号 督导情况的通报.pdf",
                                                              "雅重建委〔2016〕4号 督导情况的通报.pdf"]
