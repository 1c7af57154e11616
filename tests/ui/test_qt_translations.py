"""Qt's own buttons speak Chinese too, not only our texts."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from app.ui.qt_translations import install_qt_translations


def test_standard_buttons_of_a_question_read_in_chinese(qtbot):
    box = QMessageBox(QMessageBox.Icon.Question, "删除", "删除这个子项目？",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    qtbot.addWidget(box)
    assert box.button(QMessageBox.StandardButton.Yes).text().startswith("是")
    assert box.button(QMessageBox.StandardButton.No).text().startswith("否")


def test_ok_and_cancel_read_in_chinese(qtbot):
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(buttons)
    assert buttons.button(QDialogButtonBox.StandardButton.Ok).text().startswith("确定")
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text().startswith("取消")


def test_english_leaves_qt_in_english(qapp, qtbot):
    try:
        install_qt_translations(qapp, "en")
        box = QMessageBox(QMessageBox.Icon.Question, "t", "t",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        qtbot.addWidget(box)
        assert box.button(QMessageBox.StandardButton.Yes).text() == "&Yes"
    finally:
        install_qt_translations(qapp)
