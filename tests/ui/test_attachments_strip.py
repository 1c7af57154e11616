"""The attachment strip: add through the file chooser, warn about damaged files, open with the viewer."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QImage
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QMessageBox,
    QVBoxLayout,
)

from app.services import attachments, sub_projects, visits
from app.ui import attachments_strip as strip_module
from app.ui.attachments_strip import AttachmentListModel, AttachmentStrip
from tests.conftest import sub_project_input


pytestmark = pytest.mark.usefixtures("private_temp")

@pytest.fixture
def visit(ws, master, lushan):
    sub = sub_projects.create(ws, sub_project_input(master, lushan))
    return visits.create(ws, sub.uid, {"visit_date": "2015-03-02", "kind": "mid_term_check", "archivists": "张晓梅"})


@pytest.fixture
def files(tmp_path):
    photo = tmp_path / "古城村现场.png"
    image = QImage(1600, 1200, QImage.Format.Format_RGB32)
    image.fill(QColor("#3a7d44"))
    assert image.save(str(photo))
    scan = tmp_path / "签到表.pdf"
    scan.write_bytes(b"%PDF-1.4 sign-in sheet of the visit")
    return photo, scan


def make_strip(qtbot, ws, owner_uid):
    strip = AttachmentStrip(ws, "guidance_visits", owner_uid)
    qtbot.addWidget(strip)
    strip.resize(500, 220)
    strip.show()
    return strip


def names(strip):
    return [strip.model.index(r).data() for r in range(strip.model.rowCount())]


def test_adding_two_files_through_the_chooser_shows_both(qtbot, ws, visit, files, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        staticmethod(lambda *a, **k: ([str(p) for p in files], "")))
    strip = make_strip(qtbot, ws, visit.uid)
    assert names(strip) == []
    with qtbot.waitSignal(strip.changed, timeout=5000):
        strip.add_action.trigger()
    assert names(strip) == ["古城村现场.png", "签到表.pdf"]
    stored = attachments.list_for(ws, "guidance_visits", visit.uid)
    assert [a.role for a in stored] == ["photo", "scan"]
    # the photo gets a real thumbnail, scaled down at decode time
    qtbot.waitUntil(lambda: stored[0].sha256 in strip_module._thumbs, timeout=5000)
    thumb = strip_module._thumbs[stored[0].sha256]
    assert (thumb.width(), thumb.height()) == (96, 72)
    assert not strip.model.index(0).data(Qt.ItemDataRole.DecorationRole).isNull()


def test_a_missing_file_shows_the_warning(qtbot, ws, visit, files):
    _photo, scan = files
    kept = attachments.attach(ws, owner_entity="guidance_visits", owner_uid=visit.uid, source=scan, role="sign_in")
    attachments.path_of(ws, kept).unlink()
    strip = make_strip(qtbot, ws, visit.uid)
    index = strip.model.index(0)
    qtbot.waitUntil(lambda: index.data(AttachmentListModel.StatusRole) == "missing", timeout=5000)
    assert "文件缺失" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert index.data(Qt.ItemDataRole.ForegroundRole) == QColor("#c62828")


def test_double_click_opens_a_named_copy_with_the_system_viewer(qtbot, ws, visit, files, monkeypatch):
    _photo, scan = files
    attachments.attach(ws, owner_entity="guidance_visits", owner_uid=visit.uid, source=scan, role="scan")
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True))
    strip = make_strip(qtbot, ws, visit.uid)
    rect = strip.view.visualRect(strip.model.index(0))
    # QTest's double click is a lone DblClick event; a real one follows a first click
    qtbot.mouseClick(strip.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(strip.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert len(opened) == 1
    path = opened[0].toLocalFile()
    assert path.endswith("签到表.pdf")
    assert Path(path).read_bytes() == scan.read_bytes()


def test_enter_opens_the_file_without_also_saving_the_dialog(qtbot, ws, visit, files, monkeypatch):
    _photo, scan = files
    attachments.attach(ws, owner_entity="guidance_visits", owner_uid=visit.uid, source=scan, role="scan")
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True))
    dialog = QDialog()
    qtbot.addWidget(dialog)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save)
    buttons.accepted.connect(dialog.accept)
    strip = AttachmentStrip(ws, "guidance_visits", visit.uid)
    layout = QVBoxLayout(dialog)
    layout.addWidget(strip)
    layout.addWidget(buttons)
    dialog.show()
    strip.view.setFocus()
    strip.view.setCurrentIndex(strip.model.index(0))
    qtbot.keyClick(strip.view, Qt.Key.Key_Return)
    assert len(opened) == 1 and opened[0].toLocalFile().endswith("签到表.pdf")
    assert dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected


def test_delete_asks_first_and_then_removes(qtbot, ws, visit, files, monkeypatch):
    _photo, scan = files
    attachments.attach(ws, owner_entity="guidance_visits", owner_uid=visit.uid, source=scan, role="scan")
    strip = make_strip(qtbot, ws, visit.uid)
    strip.view.setCurrentIndex(strip.model.index(0))
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: answers.pop(0)))
    strip.remove_action.trigger()
    assert names(strip) == ["签到表.pdf"]
    with qtbot.waitSignal(strip.changed):
        strip.remove_action.trigger()
    assert names(strip) == [] and attachments.list_for(ws, "guidance_visits", visit.uid) == []


def test_files_chosen_before_the_first_save_are_attached_by_set_owner(qtbot, ws, visit, files, monkeypatch):
    _photo, scan = files
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: ([str(scan)], "")))
    strip = make_strip(qtbot, ws, None)
    strip.add_action.trigger()
    assert names(strip) == ["签到表.pdf"] and strip.pending_files() == [scan]
    assert "尚未保存" in strip.model.index(0).data(Qt.ItemDataRole.ToolTipRole)
    with qtbot.waitSignal(strip.changed):
        strip.set_owner(visit.uid)
    assert strip.pending_files() == []
    assert [a.filename for a in attachments.list_for(ws, "guidance_visits", visit.uid)] == ["签到表.pdf"]
    assert names(strip) == ["签到表.pdf"]
