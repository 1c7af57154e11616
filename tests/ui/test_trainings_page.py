"""The trainings page: add a training through the dialog and watch the totals line follow."""

from __future__ import annotations

import sys
import types

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app.services import divisions, trainings
from app.ui.trainings import TrainingsPage
from app.ui.trainings.training_dialog import TrainingDialog


@pytest.fixture
def no_attachment_module(monkeypatch):
    """The dialog must work whether or not the attachment strip is installed yet."""
    monkeypatch.setitem(sys.modules, "app.ui.attachments_strip", None)  # import raises ImportError


def city_training(**overrides):
    raw = {"held_on": "2016-03-15", "level": "city", "organiser": "雅安市档案局", "topic": "重建项目档案整理规范",
           "attendance": "45", "location": "市政务中心"}
    raw.update(overrides)
    return raw


def test_adding_a_training_through_the_dialog_updates_the_totals(qtbot, ws, lushan, monkeypatch,
                                                                 no_attachment_module):
    trainings.create(ws, city_training())
    page = TrainingsPage(ws)
    qtbot.addWidget(page)
    assert page.totals.text() == "市级培训 1 次 45 人次；县级培训 0 次 0 人次"

    def fill(dialog):
        assert dialog.sign_in is None
        assert dialog.level.currentData() == "county" and dialog.division.currentData() == lushan.uid
        dialog.level.setCurrentIndex(dialog.level.findData("city"))
        assert not dialog.division.isEnabled() and dialog.division.currentText() == "雅安市"
        dialog.held_on.setText("2016-05-20")
        dialog.organiser.setText("雅安市档案局")
        dialog.topic.setText("竣工图编制与整理")
        dialog.attendance.setText("1296人")
        dialog.accept()
        assert dialog.errors.message_for("attendance") == "“参训人次”只能填写数字（如 45），不能是“1296人”。"
        dialog.attendance.setText("１２９６")  # full-width digits from a Chinese input method
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(TrainingDialog, "exec", fill)
    with qtbot.waitSignal(page.changed):
        qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    assert page.totals.text() == "市级培训 2 次 1,341 人次；县级培训 0 次 0 人次"
    assert page.model.rowCount() == 2
    assert page.current().topic == "竣工图编制与整理"  # the new training is selected
    index = page.model.index(0, 4)
    assert page.model.data(index, int(Qt.ItemDataRole.DisplayRole)) == "1,296"


def test_filters_edit_and_delete(qtbot, ws, lushan, monkeypatch, no_attachment_module):
    trainings.create(ws, city_training(held_on="2015-06-01", attendance="60"))
    trainings.create(ws, city_training())
    trainings.create(ws, city_training(level="county", division_uid=lushan.uid, organiser="芦山县档案局",
                                       attendance="30"))
    page = TrainingsPage(ws)
    qtbot.addWidget(page)
    assert [page.year.itemText(n) for n in range(page.year.count())] == ["全部年份", "2016年", "2015年"]
    page.year.setCurrentIndex(page.year.findData(2016))
    assert page.model.rowCount() == 2
    assert page.totals.text() == "市级培训 1 次 45 人次；县级培训 1 次 30 人次"
    page.level.setCurrentIndex(page.level.findData("county"))
    assert page.totals.text() == "县级培训 1 次 30 人次"
    assert page.model.rowCount() == 1

    page.table.selectRow(0)
    monkeypatch.setattr(TrainingDialog, "exec", lambda dialog: (dialog.attendance.setText("35"), dialog.accept(),
                                                                dialog.result())[-1])
    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    assert page.totals.text() == "县级培训 1 次 35 人次"

    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert page.model.rowCount() == 0
    assert page.totals.text() == "县级培训 0 次 0 人次"
    assert len(trainings.list_trainings(ws)) == 2


def test_the_sign_in_strip_is_used_when_the_attachment_module_exists(qtbot, ws, monkeypatch):
    made = []

    class FakeStrip(QWidget):
        def __init__(self, ws, owner_entity, owner_uid=None, parent=None, *, role=None):
            super().__init__(parent)
            self.args = (owner_entity, owner_uid, role)
            self.owner = owner_uid
            made.append(self)

        def set_owner(self, uid):
            self.owner = uid

        def pending_files(self):
            return []

    module = types.ModuleType("app.ui.attachments_strip")
    module.AttachmentStrip = FakeStrip
    monkeypatch.setitem(sys.modules, "app.ui.attachments_strip", module)
    dialog = TrainingDialog(ws)
    qtbot.addWidget(dialog)
    assert dialog.sign_in is made[0] and made[0].args == ("trainings", None, "sign_in")
    city = divisions.find_division(ws, "雅安市")
    dialog.level.setCurrentIndex(dialog.level.findData("city"))
    assert dialog.division.currentData() == city.uid
    for name, value in city_training().items():
        if name != "level":
            getattr(dialog, name).setText(value)
    dialog.accept()
    assert dialog.saved is not None and made[0].owner == dialog.saved.uid


def test_a_sign_in_scan_chosen_in_a_new_training_is_attached_on_save(qtbot, ws, tmp_path, monkeypatch):
    pytest.importorskip("app.ui.attachments_strip")
    from PySide6.QtWidgets import QFileDialog

    from app.services import attachments

    scan = tmp_path / "签到表.pdf"
    scan.write_bytes(b"%PDF-1.4 sign-in sheet")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: ([str(scan)], "")))
    page = TrainingsPage(ws)
    qtbot.addWidget(page)

    def fill(dialog):
        dialog.sign_in.add_action.trigger()
        assert dialog.sign_in.pending_files() == [scan]
        dialog.level.setCurrentIndex(dialog.level.findData("city"))
        for name, value in city_training().items():
            if name != "level":
                getattr(dialog, name).setText(value)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(TrainingDialog, "exec", fill)
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    saved = page.current()
    assert saved is not None and saved.topic == "重建项目档案整理规范"
    stored = attachments.list_for(ws, trainings.ATTACHMENT_OWNER, saved.uid)
    assert [(a.filename, a.role) for a in stored] == [("签到表.pdf", "sign_in")]
