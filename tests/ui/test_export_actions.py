"""File > 导出: the whole register or just what the table shows, written off the GUI thread."""

from __future__ import annotations

import openpyxl
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from app.services import divisions
from app.ui.main_window import MainWindow
from tests.ui.test_register_window import populated  # noqa: F401 - fixture


def test_export_of_the_filtered_table_writes_only_the_rows_shown_in_their_order(qtbot, ws, populated, tmp_path,  # noqa: F811
                                                                                 monkeypatch):
    window = MainWindow(ws)
    qtbot.addWidget(window)
    window.register.filter_bar.set_division(divisions.find_division(ws, "芦山县").uid)
    window.register.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)  # by name
    target = tmp_path / "out"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.act_export_shown.trigger()
    written = tmp_path / "out.xlsx"
    qtbot.waitUntil(lambda: written.exists() and not window.export_task.running, timeout=10000)
    sheet = openpyxl.load_workbook(written).active
    codes = [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)]
    shown = [window.register.model.index(r, 0).data() for r in range(window.register.model.rowCount())]
    assert codes == shown and len(codes) == 3
    assert "已导出 3 个子项目" in window.statusBar().currentMessage()


def test_template_is_saved_where_the_user_chose(qtbot, ws, tmp_path, monkeypatch):
    window = MainWindow(ws)
    qtbot.addWidget(window)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "模板.xlsx"), ""))
    window.act_template.trigger()
    book = openpyxl.load_workbook(tmp_path / "模板.xlsx")
    assert book.sheetnames == ["子项目清单", "填表说明"]
    assert book["子项目清单"]["A1"].value == "县（区）"
