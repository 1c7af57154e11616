"""The acceptance list: rows, filters, and the certificate's preview, print and save."""

from __future__ import annotations

import pytest
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from app.services import acceptances, certificates, checklists, divisions, sub_projects
from app.ui.acceptance.acceptances_model import COLUMN_KEYS
from app.ui.acceptance.acceptances_page import AcceptancesPage
from app.ui.acceptance.certificate_actions import VoidDialog
from app.ui.acceptance.pdf_preview import PdfPreviewDialog, new_printer
from app.ui.acceptance.sub_project_chooser import SubProjectChooser
from tests.conftest import sub_project_input
from tests.test_acceptances import GROUP


def _accept(ws, sub_uid: str, day: str, *, veto_fails: bool = False) -> str:
    template = checklists.get(ws, checklists.ensure_default(ws))
    a = acceptances.create(ws, sub_uid, {"acceptance_date": day, "accepted_volumes": "126"})
    acceptances.set_members(ws, a.uid, GROUP)
    acceptances.set_scores(ws, a.uid, {i.uid: ({"passed": not (veto_fails and i.code == "2.8")}
                                               if i.kind == "pass_fail" else {"group_score": str(i.max_score)})
                                       for i in template.items})
    if veto_fails:
        acceptances.conclude(ws, a.uid, opinions=["补编竣工图"], rectification_deadline="2016-12-31")
    else:
        acceptances.conclude(ws, a.uid)
    return a.uid


@pytest.fixture
def three(ws, master, lushan):
    baoxing = divisions.find_division(ws, "宝兴县")
    one = sub_projects.create(ws, sub_project_input(master, lushan))
    two = sub_projects.create(ws, sub_project_input(master, baoxing, code="511827-ZG-0002-01", name="灵关镇小学重建"))
    passed = _accept(ws, one.uid, "2016-05-10")
    failed = _accept(ws, two.uid, "2016-06-20", veto_fails=True)
    draft = acceptances.create(ws, one.uid, {"acceptance_date": "2016-07-01"}).uid
    return {"pass": passed, "fail": failed, "draft": draft}


@pytest.fixture
def page(qtbot, ws, three):
    shown = AcceptancesPage(ws)
    qtbot.addWidget(shown)
    shown.resize(1300, 500)
    shown.show()
    return shown


def cell(page, row: int, key: str) -> str:
    return page.model.data(page.model.index(row, COLUMN_KEYS.index(key)))


def test_lists_acceptances_newest_first_and_filters_by_conclusion(page, three):
    assert page.model.rowCount() == 3 and page.count.text() == "共 3 次验收"
    assert [cell(page, r, "acceptance_date") for r in range(3)] == ["2016-07-01", "2016-06-20", "2016-05-10"]
    assert [cell(page, r, "conclusion") for r in range(3)] == ["", "不合格", "合格"]
    assert cell(page, 2, "total_score") == "100" and cell(page, 2, "grade") == "优良"
    assert cell(page, 2, "certificate").endswith("-00001") and cell(page, 1, "certificate") == ""
    assert cell(page, 0, "status") == "进行中" and cell(page, 1, "division") == "宝兴县"

    bar = page.filter_bar
    bar.conclusion.setCurrentIndex(bar.conclusion.findData("pass"))
    assert page.model.rowCount() == 1 and page.model.uid_at(0) == three["pass"]
    bar.conclusion.setCurrentIndex(bar.conclusion.findData("fail"))
    assert page.model.rowCount() == 1 and page.model.uid_at(0) == three["fail"]
    page.table.selectRow(0)
    assert page.buttons["reinspect"].isEnabled() and not page.buttons["preview"].isEnabled()
    bar.conclusion.setCurrentIndex(0)
    bar.status.setCurrentIndex(bar.status.findData("draft"))
    assert page.model.rowCount() == 1 and page.model.uid_at(0) == three["draft"]
    bar.status.setCurrentIndex(0)
    bar.date_from.setText("2016-06-01")
    bar.date_to.setText("2016-06-30")
    bar.changed.emit()
    assert page.model.rowCount() == 1 and page.model.uid_at(0) == three["fail"]


def test_preview_print_and_save_the_certificate(qtbot, page, three, tmp_path, monkeypatch):
    pytest.importorskip("app.reports.certificate_pdf")
    page.select_uid(three["pass"])
    assert page.buttons["preview"].isEnabled() and page.buttons["void"].isEnabled()
    shown = []
    monkeypatch.setattr(PdfPreviewDialog, "exec", lambda self: shown.append(self) or 0)
    task = page.preview_certificate()
    assert task is not None
    qtbot.waitUntil(lambda: bool(shown), timeout=20000)
    preview = shown[0]
    qtbot.addWidget(preview)
    assert preview.page_count == 1 and not preview.image.pixmap().isNull()
    assert preview.path.name.endswith("-00001.pdf")
    [cert] = certificates.for_acceptance(page.ws, three["pass"])
    assert len(cert.pdf_sha256) == 64  # the hash of the PDF as first produced is kept

    # zoom and fit
    before = preview.zoom
    preview.step_zoom(1)
    assert preview.zoom > before and not preview.fit_width
    preview.fit()
    assert preview.fit_width

    # 打印…: the system dialog (patched to OK), every page drawn on the printer (a PDF file here)
    printer = new_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    preview.printer = printer
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    assert preview.print_document() == 1
    assert (tmp_path / "printed.pdf").stat().st_size > 10_000

    # 另存为…: a copy of the file shown
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "copy"), ""))
    saved = preview.save_as()
    assert saved == tmp_path / "copy.pdf" and saved.read_bytes() == preview.path.read_bytes()
    preview.reject()


def test_the_opinion_letter_of_a_failed_acceptance_is_previewed(qtbot, page, three, monkeypatch):
    pytest.importorskip("app.reports.certificate_pdf")
    page.select_uid(three["fail"])
    assert page.buttons["letter"].isEnabled() and not page.buttons["print"].isEnabled()
    shown = []
    monkeypatch.setattr(PdfPreviewDialog, "exec", lambda self: shown.append(self) or 0)
    page.preview_letter()
    qtbot.waitUntil(lambda: bool(shown), timeout=20000)
    qtbot.addWidget(shown[0])
    assert shown[0].page_count >= 1 and "511827-ZG-0002-01" in shown[0].windowTitle()
    shown[0].reject()


def test_void_and_reissue_from_the_page(qtbot, page, three, monkeypatch):
    page.select_uid(three["pass"])
    old = certificates.for_acceptance(page.ws, three["pass"])[0]

    def run(dialog):
        dialog.accept()  # no reason: refused beside the field
        assert "作废原因" in dialog.errors.message_for("reason")
        dialog.reason.setText("证书污损")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(VoidDialog, "exec", run)
    page.void_or_reissue()
    new = [c for c in certificates.for_acceptance(page.ws, three["pass"]) if c.status == "valid"]
    assert len(new) == 1 and new[0].number != old.number and new[0].number in page.note.text()
    assert cell(page, page.model.row_of_uid(three["pass"]), "certificate") == new[0].number


def test_a_new_acceptance_starts_from_a_sub_project_search(qtbot, page, ws, monkeypatch):
    opened = []

    def choose(chooser):
        chooser.keyword.setText("灵关")
        chooser.search()
        assert chooser.model.rowCount() == 1
        chooser.day.setText("2016-10-08")
        chooser.accept()
        return chooser.result()

    monkeypatch.setattr(SubProjectChooser, "exec", choose)
    monkeypatch.setattr(AcceptancesPage, "_open", lambda self, uid: opened.append(uid))
    page.new_acceptance()
    assert len(opened) == 1 and page.current_uid() == opened[0]
    detail = acceptances.get(ws, opened[0])
    assert detail.values["acceptance_date"].isoformat() == "2016-10-08" and detail.status == "draft"
    assert page.model.rowCount() == 4


def test_batch_print_with_nothing_to_print_says_so(qtbot, page, monkeypatch):
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.append(a[2]))
    page.filter_bar.conclusion.setCurrentIndex(page.filter_bar.conclusion.findData("fail"))
    assert page.batch_print() is None and told == ["当前筛选下没有有效的合格证书。"]


def test_batch_print_renders_the_filtered_certificates_in_the_worker(qtbot, page, ws, three, master, lushan, tmp_path,
                                                                    monkeypatch):
    pytest.importorskip("app.reports.batch")
    # a second passed acceptance, so the batch has two certificates to share between two processes
    other = sub_projects.create(ws, sub_project_input(master, lushan, code="511826-ZG-0001-02",
                                                      name="古城村农房重建二期"))
    second = _accept(ws, other.uid, "2016-08-01")
    page.refresh()
    summaries = []
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path / "out"))
    monkeypatch.setattr(QMessageBox, "exec", lambda self: summaries.append(self.text()) or 0)
    task = page.batch_print()
    assert task is not None and not page.buttons["batch"].isEnabled()
    qtbot.waitUntil(lambda: bool(summaries), timeout=60000)
    numbers = sorted(c.number for uid in (three["pass"], second) for c in certificates.for_acceptance(ws, uid))
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"{n}.pdf" for n in numbers]
    assert "已生成 2 份合格证书" in summaries[0] and page.buttons["batch"].isEnabled()
