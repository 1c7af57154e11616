"""First start asks which division this installation serves and who operates it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from app.services.workspace import Workspace
from app.ui.dialogs.setup_dialog import SetupDialog


def test_setup_requires_a_division_and_an_operator_then_creates_the_node(qtbot, tmp_path):
    ws = Workspace.open(tmp_path / "new.db")
    try:
        assert ws.needs_setup
        dialog = SetupDialog(ws)
        qtbot.addWidget(dialog)
        names = [dialog.division.itemText(i) for i in range(dialog.division.count())]
        assert names[1] == "雅安市（市级汇总）" and "芦天宝飞地产业园区" in names and len(names) == 11
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        assert dialog.result() == 0
        assert dialog.errors.message_for("division") == "请选择本机服务的县（区）或市。"
        assert dialog.errors.message_for("operator") == "“操作员姓名”不能为空。"
        assert ws.needs_setup

        dialog.division.setCurrentIndex(dialog.division.findText("宝兴县"))
        dialog.operator.setText("杨丽")
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        assert dialog.result() == 1
        assert not ws.needs_setup and ws.operator == "杨丽"
    finally:
        ws.close()
