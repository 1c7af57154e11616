"""The main window's register: filter, sort, open, edit, delete, driven through real widgets."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from app.services import divisions, master_projects, sub_projects
from app.ui.dialogs.sub_project_dialog import SubProjectDialog
from app.ui.main_window import MainWindow
from tests.conftest import sub_project_input

ROWS = [
    # code suffix, name, division, owner, investment, status, demonstration
    ("01", "古城村农房重建一期", "芦山县", "龙门乡人民政府", "356.5", "completed", True),
    ("02", "芦阳镇中心小学教学楼", "芦山县", "芦山县教育局", "1200", "under_construction", False),
    ("03", "飞仙关镇卫生院重建", "芦山县", "芦山县卫生和计划生育局", "800", "completed", False),
    ("04", "灵关镇场镇风貌改造", "宝兴县", "灵关镇人民政府", "95", "not_started", False),
    ("05", "穆坪镇集中安置点", "宝兴县", "宝兴县住房和城乡建设局", "2300.25", "completed", True),
]


@pytest.fixture
def populated(ws):
    made = {}
    for suffix, name, division_name, owner, investment, status, demo in ROWS:
        division = divisions.find_division(ws, division_name)
        master = master_projects.find_by_code(ws, f"M-{division.code}") or master_projects.create(ws, {
            "plan_code": f"M-{division.code}", "name": f"{division_name}灾后重建", "division_uid": division.uid})
        made[suffix] = sub_projects.create(ws, sub_project_input(
            master, division, code=f"SP-{suffix}", name=name, owner_unit=owner, investment=investment,
            construction_status=status, demonstration_site=demo))
    return made


@pytest.fixture
def window(qtbot, ws, populated):
    win = MainWindow(ws)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def shown_codes(win) -> list[str]:
    model = win.register.model
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def test_window_lists_every_sub_project_with_counts_in_the_status_bar(window):
    assert shown_codes(window) == ["SP-01", "SP-02", "SP-03", "SP-04", "SP-05"]
    assert window.count_label.text() == "显示 5 / 共 5 个子项目"
    assert window.menuBar().actions()[0].text() == "文件(&F)"
    assert [a.text() for a in window.menuBar().actions()] == ["文件(&F)", "编辑(&E)", "视图(&V)", "工具(&T)", "帮助(&H)"]


def test_keyword_filter_narrows_the_table_as_you_type(qtbot, window):
    window.register.filter_bar.keyword.setText("镇")
    qtbot.waitUntil(lambda: len(shown_codes(window)) == 4)
    window.register.filter_bar.keyword.setText("卫生")  # owner unit and name both match
    qtbot.waitUntil(lambda: shown_codes(window) == ["SP-03"])
    assert window.count_label.text() == "显示 1 / 共 5 个子项目"
    window.register.filter_bar.keyword.clear()
    qtbot.waitUntil(lambda: len(shown_codes(window)) == 5)


def test_division_status_and_demonstration_filters_combine(qtbot, window, ws):
    bar = window.register.filter_bar
    bar.set_division(divisions.find_division(ws, "宝兴县").uid)
    assert shown_codes(window) == ["SP-04", "SP-05"]
    bar.status.setCurrentIndex(bar.status.findData("completed"))
    assert shown_codes(window) == ["SP-05"]
    bar.set_division(None)
    bar.demonstration.setCurrentIndex(bar.demonstration.findData(True))
    assert shown_codes(window) == ["SP-01", "SP-05"]


def test_navigation_pane_filters_by_division(qtbot, window, ws):
    baoxing = divisions.find_division(ws, "宝兴县")
    item = window.navigation._items[baoxing.uid]
    assert item.text(0) == "宝兴县（2）"
    rect = window.navigation.visualItemRect(item)
    qtbot.mouseClick(window.navigation.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert shown_codes(window) == ["SP-04", "SP-05"]
    assert window.register.filter_bar.division.currentText() == "宝兴县"


def test_clicking_a_header_sorts_and_clicking_again_reverses(qtbot, window):
    header = window.register.table.horizontalHeader()
    column = 6  # 总投资（万元）

    def click_header() -> None:
        pos = QPoint(header.sectionViewportPosition(column) + 10, header.height() // 2)
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=pos)

    click_header()
    values = [window.register.model.index(r, column).data() for r in range(5)]
    assert values == ["95", "356.5", "800", "1,200", "2,300.25"]
    click_header()
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert shown_codes(window) == ["SP-05", "SP-02", "SP-03", "SP-01", "SP-04"]
    window.register.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    names = [window.register.model.index(r, 1).data() for r in range(5)]
    assert names == sorted(names)


def _open_dialog_for_row(qtbot, window, row, monkeypatch):
    opened = []

    def fake_exec(dialog):
        opened.append(dialog)
        return 0

    monkeypatch.setattr(SubProjectDialog, "exec", fake_exec)
    table = window.register.table
    rect = table.visualRect(window.register.model.index(row, 1))
    # a real double click is press, release, then the double-click event
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    return opened


def test_double_click_opens_the_dialog_on_that_sub_project(qtbot, window, monkeypatch):
    opened = _open_dialog_for_row(qtbot, window, 2, monkeypatch)
    assert len(opened) == 1
    assert opened[0].code.text() == "SP-03"
    assert opened[0].windowTitle() == "编辑子项目 — SP-03"


def test_enter_opens_the_current_row(qtbot, window, monkeypatch):
    opened = []
    monkeypatch.setattr(SubProjectDialog, "exec", lambda dialog: opened.append(dialog) or 0)
    window.register.table.setFocus()
    window.register.table.selectRow(1)
    qtbot.keyClick(window.register.table, Qt.Key.Key_Return)
    assert [d.code.text() for d in opened] == ["SP-02"]


def test_delete_asks_first_and_then_tombstones(qtbot, window, monkeypatch, ws, populated):
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or answers.pop(0))
    window.register.table.setFocus()
    window.register.table.selectRow(0)
    qtbot.keyClick(window.register.table, Qt.Key.Key_Delete)
    assert "确定删除子项目“SP-01 古城村农房重建一期”吗？" in asked[0]
    assert len(shown_codes(window)) == 5
    window.register.table.selectRow(0)
    qtbot.keyClick(window.register.table, Qt.Key.Key_Delete)
    assert shown_codes(window) == ["SP-02", "SP-03", "SP-04", "SP-05"]
    assert window.count_label.text() == "显示 4 / 共 4 个子项目"


def test_ctrl_f_focuses_the_search_box(qtbot, window):
    window.register.table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.register.filter_bar.keyword.hasFocus()


def test_window_remembers_size_and_column_widths(qtbot, ws, populated):
    first = MainWindow(ws)
    qtbot.addWidget(first)
    first.resize(760, 540)  # within the offscreen screen, which clamps restored geometry
    first.register.table.setColumnWidth(1, 333)
    first.close()
    second = MainWindow(ws)
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (760, 540)
    assert second.register.table.columnWidth(1) == 333
    assert QSettings().value("main_window/geometry") is not None


def test_a_damaged_database_is_reported_at_start(qtbot, window, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append((title, text)))
    monkeypatch.setattr(type(window.ws.db), "quick_check", lambda db: ["*** in database main ***", "row 7 missing"])
    task = window.start_integrity_check()
    qtbot.waitUntil(lambda: not task.running)
    assert shown and shown[0][0] == "数据库检查未通过" and "row 7 missing" in shown[0][1]


def test_a_sound_database_passes_the_start_check_silently(qtbot, window, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a: shown.append(a))
    task = window.start_integrity_check()
    qtbot.waitUntil(lambda: not task.running)
    assert shown == []


def test_delete_key_in_the_search_box_edits_text_and_deletes_nothing(qtbot, window, monkeypatch):
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Yes)
    window.register.table.selectRow(0)
    keyword = window.register.filter_bar.keyword
    keyword.setFocus()
    qtbot.keyClicks(keyword, "SP-0")
    keyword.setCursorPosition(0)
    qtbot.keyClick(keyword, Qt.Key.Key_Delete)
    assert keyword.text() == "P-0" and asked == []
