"""The dashboard page: a click on a county's bar opens its register (or ledger), figures
follow an import without a restart, charts save as PNG."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from app.services import divisions, master_projects, sub_projects
from app.ui.main_window import MainWindow
from tests.dashboard_support import HAND_COUNT


@pytest.fixture
def window(qtbot, city_ws):
    win = MainWindow(city_ws)
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    return win


def wait_loaded(qtbot, page):
    qtbot.waitUntil(lambda: page.board is not None and not page.busy.isVisible(), timeout=10_000)


def show(qtbot, win):
    page = win.show_module("dashboard")
    wait_loaded(qtbot, page)
    return page


def click_bar(qtbot, chart, key, uid):
    pos = chart.bar_position(key, uid).toPoint()
    qtbot.mouseClick(chart.plot.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def test_the_table_shows_the_hand_counted_figures_and_sorts_with_the_total_last(qtbot, window):
    page = show(qtbot, window)
    model = page.model
    rows = {model.index(r, 0).data(): r for r in range(model.rowCount())}
    keys = [model.key_at(c) for c in range(model.columnCount())]
    lushan = rows["芦山县"]
    assert model.index(lushan, keys.index("sub_projects")).data() == "2"
    assert model.index(lushan, keys.index("attendance")).data() == str(HAND_COUNT["芦山县"]["attendance"])
    assert model.index(model.rowCount() - 1, 0).data() == "全市合计"
    page.table.sortByColumn(keys.index("sub_projects"), Qt.SortOrder.DescendingOrder)
    names = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert names[:2] in (["芦山县", "宝兴县"], ["宝兴县", "芦山县"]) and names[-1] == "全市合计"


def test_clicking_a_countys_bar_opens_the_register_filtered_to_it(qtbot, window, city_ws):
    page = show(qtbot, window)
    baoxing = divisions.find_division(city_ws, "宝兴县").uid
    click_bar(qtbot, page.progress_bars, "visited", baoxing)
    assert window.pages.currentWidget() is window.register
    assert window.register.filter_bar.division.currentData() == baoxing
    shown = {window.register.model.uid_at(r) for r in range(window.register.model.rowCount())}
    assert len(shown) == HAND_COUNT["宝兴县"]["sub_projects"]
    assert {sub_projects.get(city_ws, uid).division_uid for uid in shown} == {baoxing}


def test_clicking_a_problem_bar_opens_the_ledger_at_that_countys_overdue_problems(qtbot, window, city_ws):
    page = show(qtbot, window)
    lushan = divisions.find_division(city_ws, "芦山县").uid
    expected = page.board.row(lushan).counts.problems_overdue
    click_bar(qtbot, page.problem_bars, "problems_overdue", lushan)
    ledger = window.module_pages["ledger"]
    assert window.pages.currentWidget() is ledger
    bar = ledger.filter_bar
    assert (bar.division.currentData(), bar.state.currentData(), bar.overdue.isChecked()) == (lushan, "open", True)
    # the bar's figure is the ledger's own count: one rule for "overdue"
    assert ledger.model.rowCount() == expected > 0


def test_figures_follow_a_master_list_import_without_a_restart(qtbot, window, city_ws, monkeypatch):
    page = show(qtbot, window)
    yucheng = divisions.find_division(city_ws, "雨城区")
    before = page.board.row(yucheng.uid).counts.sub_projects

    def fake_import(_parent, ws):
        # what the import dialog commits, without its file chooser
        master = master_projects.create(ws, {"plan_code": "511802-ZG-0009", "name": "新增总规项目",
                                             "division_uid": yucheng.uid})
        for n in (1, 2):
            sub_projects.create(ws, {"code": f"511802-ZG-0009-0{n}", "name": f"新增子项目{n}",
                                     "division_uid": yucheng.uid, "master_project_uid": master.uid,
                                     "owner_unit": "雨城区教育局"})
        return SimpleNamespace(created=2, updated=0)

    monkeypatch.setattr("app.ui.master_list.import_dialog.choose_and_import", fake_import)
    window.import_master_list()
    qtbot.waitUntil(lambda: page.board.row(yucheng.uid).counts.sub_projects == before + 2, timeout=10_000)
    assert page.board.total.counts.sub_projects == 7
    # and after a package import, which refreshes the window the same way
    sub_projects.delete(city_ws, sub_projects.uid_for_code(city_ws, "511802-ZG-0009-01"))
    window.refresh()
    qtbot.waitUntil(lambda: page.board.row(yucheng.uid).counts.sub_projects == before + 1, timeout=10_000)


def test_a_chart_saves_as_a_png_at_twice_its_size(qtbot, window, tmp_path):
    page = show(qtbot, window)
    path = page.save_chart(page.lines, tmp_path / "月度.png")
    image = QImage(str(path))
    assert not image.isNull()
    assert image.width() == 2 * page.lines.width() and image.height() == 2 * page.lines.height()
    # not blank: the plot drew lines and text in more than two colours
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 10


def test_the_save_menu_asks_where_and_names_the_chart(qtbot, window, tmp_path, monkeypatch):
    page = show(qtbot, window)
    asked = []

    def choose(_parent, _title, suggested, _filter):
        asked.append(suggested)
        return str(tmp_path / "问题整改"), ""

    monkeypatch.setattr("app.ui.dashboard.dashboard_page.QFileDialog.getSaveFileName", choose)
    [action] = [a for a in page.save_button.menu().actions() if a.text().startswith("问题整改")]
    action.trigger()
    assert asked and asked[0].endswith(f"问题整改-{page.board.as_of.isoformat()}.png")
    assert (tmp_path / "问题整改.png").stat().st_size > 5_000


def test_the_statistics_report_is_exported_from_the_page_on_the_worker(qtbot, window, tmp_path, monkeypatch):
    from openpyxl import load_workbook

    page = show(qtbot, window)
    monkeypatch.setattr("app.ui.dashboard.report_actions.QInputDialog.getInt", lambda *a, **k: (2016, True))
    monkeypatch.setattr("app.ui.dashboard.report_actions.ask_save_path", lambda *_a: tmp_path / "统计.xlsx")
    page.report_button.click()
    with qtbot.waitSignal(page.report_task.done, timeout=10_000):
        pass
    book = load_workbook(tmp_path / "统计.xlsx", read_only=True)
    assert book.sheetnames == ["按县（区）", "按行业（领域）"]
    assert "统计.xlsx" in window.statusBar().currentMessage()


def test_an_empty_county_database_shows_zeros_and_empty_charts(qtbot, ws):
    from app.ui.dashboard.dashboard_page import DashboardPage

    page = DashboardPage(ws)
    qtbot.addWidget(page)
    page.show()
    wait_loaded(qtbot, page)
    assert [page.model.index(r, 0).data() for r in range(page.model.rowCount())] == ["芦山县", "合计"]
    assert page.board.months == [] and page.lines.months == []
    assert page.open_register(None) is None  # outside the main window there is nowhere to go


def test_the_charts_library_loads_once_the_window_stands_idle(qtbot, monkeypatch):
    import sys

    from app.ui import modules

    monkeypatch.setattr(modules, "IDLE_PRELOAD_MS", 10)
    monkeypatch.setattr(modules, "SLOW_IMPORTS", ("xml.dom.minidom",))  # something no test has imported
    monkeypatch.delitem(sys.modules, "xml.dom.minidom", raising=False)
    modules.preload_when_idle()
    assert "xml.dom.minidom" not in sys.modules  # not during start-up itself
    qtbot.waitUntil(lambda: "xml.dom.minidom" in sys.modules, timeout=2000)
