"""The import dialog: preview counts, cancel writes nothing, 导入 commits, re-import is a no-op."""

from __future__ import annotations

import gc
import time
import weakref
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton

from app.services import master_projects, sub_project_search, sub_projects
from app.ui.master_list import import_dialog
from app.ui.master_list.import_dialog import ImportDialog, choose_and_import
from app.ui.worker import wait_for_workers

HEADERS = ["序号", "县（区）", "总规项目编号", "总规项目名称", "子项目编号", "子项目名称", "行业（领域）",
           "项目业主（责任单位）", "总投资（万元）", "开工日期", "完工日期", "档案人员", "档案人员电话"]
MASTER_A = ("511826-ZG-0101", "芦山县龙门乡道路交通恢复重建")
MASTER_B = ("511827-ZG-0201", "宝兴县灵关镇学校重建")


def _rows(**archivists: str) -> list[list]:
    """Three good rows, a blank line (skipped), then a row with an unknown county that also ends before it starts."""
    return [
        [1, "芦山县", *MASTER_A, "511826-ZG-0101-01", "龙门乡红星村道路", "交通", "芦山县交通运输局", 320.5,
         date(2014, 5, 20), date(2015, 6, 30), archivists.get("first", "王芳"), 13881612345],
        [2, "芦山", *MASTER_A, "511826-ZG-0101-02", "龙门乡古城村桥梁", "交通", "芦山县交通运输局", "1,200",
         "2014.6.1", "2015年8月31日", "王芳", "0835-6522123"],
        [3, "宝兴县", *MASTER_B, "511827-ZG-0201-01", "灵关镇中心小学教学楼", "教育", "宝兴县教育局", 2560,
         date(2014, 9, 1), None, "李娜", None],
        [None] * len(HEADERS),
        [5, "芦三县", *MASTER_B, "511827-ZG-0201-02", "灵关镇中学宿舍", "教育", "宝兴县教育局", 900,
         date(2014, 9, 1), date(2014, 3, 1), "李娜", None],
    ]


def _workbook(path: Path, rows: list[list]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "总规项目清单"
    sheet.append(["芦山县灾后恢复重建总规项目及子项目清单"])
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


@pytest.fixture(autouse=True)
def no_unexpected_message_boxes(monkeypatch):
    def boom(*args, **kwargs):
        raise AssertionError(f"unexpected message box: {args[1:]}")
    for name in ("warning", "critical", "information", "question", "exec"):  # exec: an unexpected error's box
        monkeypatch.setattr(QMessageBox, name, boom)


@pytest.fixture
def source(tmp_path) -> Path:
    return _workbook(tmp_path / "芦山县总规表.xlsx", _rows())


@pytest.fixture
def info_boxes(monkeypatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text, *a: shown.append(text))
    return shown


def _open(qtbot, ws, path: Path) -> ImportDialog:
    dialog = ImportDialog(ws, path)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.plan_ready, timeout=10000):
        pass
    return dialog


def _table(model) -> list[list[str]]:
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def _commit(qtbot, dialog: ImportDialog) -> None:
    assert dialog.import_button.isEnabled()
    with qtbot.waitSignal(dialog.imported, timeout=10000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)


def test_preview_counts_then_cancel_writes_nothing_then_import_commits(qtbot, ws, source, info_boxes):
    before = sub_project_search.count_live(ws)
    dialog = _open(qtbot, ws, source)

    assert dialog.counts_label.accessibleName() == (
        "新增 3 · 修改 0 · 未变 0 · 退回 1 行 · 跳过 1 行 · 新增总规项目 2 · 修改总规项目 0")
    assert "<b" in dialog.counts_label.text()  # the numbers stand out
    assert "芦山县总规表.xlsx" in dialog.file_label.text() and "总规项目清单" in dialog.file_label.text()
    assert "第 2 行" in dialog.file_label.text()
    assert dialog.ignored_label.text() == "已忽略的列：序号" and not dialog.ignored_label.isHidden()
    titles = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert titles == ["新增（3）", "修改（0）", "退回（1 行）"]
    assert _table(dialog.new_model) == [
        ["3", "511826-ZG-0101-01", "龙门乡红星村道路", "芦山县"],
        ["4", "511826-ZG-0101-02", "龙门乡古城村桥梁", "芦山县"],
        ["5", "511827-ZG-0201-01", "灵关镇中心小学教学楼", "宝兴县"],
    ]
    assert dialog.changed_page.currentIndex() == 1  # the empty hint instead of an empty table
    rejected = _table(dialog.rejected_model)
    assert {(r[0], r[1], r[2]) for r in rejected} >= {("7", "县（区）", "芦三县")}
    assert all(r[0] == "7" for r in rejected)
    assert any("芦山县" in r[3] for r in rejected)  # the closest county is suggested
    assert dialog.rejected_model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert dialog.import_button.isEnabled() and dialog.save_button.isEnabled()
    assert dialog.plan is not None and len(dialog.plan.created) == 3

    with qtbot.waitSignal(dialog.rejected):
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and dialog.result is None
    assert sub_project_search.count_live(ws) == before
    assert master_projects.find_by_code(ws, MASTER_A[0]) is None

    dialog = _open(qtbot, ws, source)
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        _commit(qtbot, dialog)
    assert (dialog.result.created, dialog.result.updated) == (3, 0)
    assert (dialog.result.masters_created, dialog.result.masters_updated) == (2, 0)
    assert sub_project_search.count_live(ws) == before + 3
    assert master_projects.find_by_code(ws, MASTER_B[0]).name == MASTER_B[1]
    assert len(info_boxes) == 1 and "新增子项目 3 个" in info_boxes[0] and "退回的 1 行没有导入" in info_boxes[0]


def test_reimport_of_the_same_file_changes_nothing(qtbot, ws, source, info_boxes):
    _commit(qtbot, _open(qtbot, ws, source))

    dialog = _open(qtbot, ws, source)
    assert dialog.counts_label.accessibleName() == (
        "新增 0 · 修改 0 · 未变 3 · 退回 1 行 · 跳过 1 行 · 新增总规项目 0 · 修改总规项目 0")
    assert not dialog.import_button.isEnabled()
    assert dialog.new_page.currentIndex() == 1 and dialog.changed_page.currentIndex() == 1
    assert dialog.tabs.currentIndex() == 2  # the only tab with something in it


def test_a_changed_cell_shows_old_and_new_in_the_changes_tab(qtbot, ws, source, tmp_path, info_boxes):
    _commit(qtbot, _open(qtbot, ws, source))
    rows = _rows(first="赵敏")
    for row in rows[:2]:
        row[3] = "芦山县龙门乡道路桥梁恢复重建"  # the master project is renamed on both of its rows
    changed = _workbook(tmp_path / "第二版.xlsx", rows)

    dialog = _open(qtbot, ws, changed)
    assert dialog.counts_label.accessibleName() == (
        "新增 0 · 修改 1 · 未变 2 · 退回 1 行 · 跳过 1 行 · 新增总规项目 0 · 修改总规项目 1")
    assert dialog.tabs.tabText(1) == "修改（2）" and dialog.tabs.currentIndex() == 1
    assert _table(dialog.changed_model) == [
        ["3", MASTER_A[0], "总规项目名称", MASTER_A[1], "芦山县龙门乡道路桥梁恢复重建"],
        ["3", "511826-ZG-0101-01", "档案人员", "王芳", "赵敏"],
    ]

    uid = sub_projects.uid_for_code(ws, "511826-ZG-0101-01")
    rev = sub_projects.get(ws, uid).rev
    _commit(qtbot, dialog)
    detail = sub_projects.get(ws, uid)
    assert detail.archivist == "赵敏" and detail.rev != rev
    assert sub_projects.get(ws, sub_projects.uid_for_code(ws, "511826-ZG-0101-02")).archivist == "王芳"


def test_an_unreadable_file_is_reported_and_the_dialog_closes(qtbot, ws, tmp_path, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: shown.append(text))
    fake = tmp_path / "总规表.xlsx"
    fake.write_text("这不是表格，只是一段文字。", encoding="utf-8")

    dialog = ImportDialog(ws, fake)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.rejected, timeout=10000):
        pass
    assert not dialog.isVisible() and dialog.plan is None
    assert len(shown) == 1 and "无法读取" in shown[0] and "总规表.xlsx" in shown[0]


def test_closing_while_reading_stops_quietly(qtbot, ws, source):
    dialog = ImportDialog(ws, source)
    qtbot.addWidget(dialog)
    ready: list[bool] = []
    dialog.plan_ready.connect(lambda: ready.append(True))
    dialog.reject()
    wait_for_workers()
    qtbot.wait(50)  # deliver whatever the worker sent back
    assert ready == [] and dialog.plan is None and dialog.task is None
    assert sub_project_search.count_live(ws) == 0


def _wait_for_cancel(cancel, *args, **kwargs):
    """Stands in for a long read or write: runs until the user presses Cancel."""
    while not cancel.cancelled:
        time.sleep(0.01)
    cancel.check()


def test_cancel_in_the_progress_dialog_while_reading_closes_the_dialog(qtbot, ws, source, monkeypatch):
    monkeypatch.setattr(import_dialog, "plan_import", lambda ws, path, *, cancel, progress: _wait_for_cancel(cancel))
    dialog = ImportDialog(ws, source)
    qtbot.addWidget(dialog)
    dialog.show()
    progress = dialog.task.dialog
    qtbot.waitUntil(progress.isVisible, timeout=5000)  # shown after a short delay

    with qtbot.waitSignal(dialog.rejected, timeout=5000):
        qtbot.mouseClick(progress.findChild(QPushButton), Qt.MouseButton.LeftButton)
    assert dialog.plan is None and dialog.task is None and not dialog.isVisible()


def test_cancel_in_the_progress_dialog_while_importing_writes_nothing(qtbot, ws, source, monkeypatch):
    dialog = _open(qtbot, ws, source)
    monkeypatch.setattr(import_dialog, "commit_import", lambda ws, plan, *, cancel, progress: _wait_for_cancel(cancel))
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert not dialog.import_button.isEnabled() and not dialog.cancel_button.isEnabled()
    dialog.reject()  # Esc while writing: the write's own Cancel is the way to stop it
    assert dialog.isVisible()
    progress = dialog.task.dialog
    qtbot.waitUntil(progress.isVisible, timeout=5000)

    qtbot.mouseClick(progress.findChild(QPushButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.task is None, timeout=5000)
    assert dialog.isVisible() and dialog.result is None
    assert dialog.import_button.isEnabled() and dialog.cancel_button.isEnabled()
    assert sub_project_search.count_live(ws) == 0


def test_data_changed_since_the_preview_imports_nothing_and_offers_a_new_preview(
        qtbot, ws, source, tmp_path, monkeypatch, info_boxes):
    _commit(qtbot, _open(qtbot, ws, source))
    dialog = _open(qtbot, ws, _workbook(tmp_path / "第二版.xlsx", _rows(first="赵敏")))
    uid = sub_projects.uid_for_code(ws, "511826-ZG-0101-01")
    detail = sub_projects.get(ws, uid)
    sub_projects.update(ws, uid, detail.form_values() | {"archivist": "刘洋"}, expected_rev=detail.rev)
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: warnings.append(text))

    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(warnings), timeout=10000)
    assert dialog.isVisible() and dialog.result is None
    assert sub_projects.get(ws, uid).archivist == "刘洋"
    assert not dialog.import_button.isEnabled() and not dialog.reload_button.isHidden()
    assert "重新预览" in dialog.status_label.text()

    with qtbot.waitSignal(dialog.plan_ready, timeout=10000):
        qtbot.mouseClick(dialog.reload_button, Qt.MouseButton.LeftButton)
    assert _table(dialog.changed_model) == [["3", "511826-ZG-0101-01", "档案人员", "刘洋", "赵敏"]]
    assert dialog.import_button.isEnabled() and dialog.reload_button.isHidden()


def test_save_rejected_rows_beside_the_source(qtbot, ws, source, monkeypatch, info_boxes):
    pytest.importorskip("app.services.master_list.exporter")
    dialog = _open(qtbot, ws, source)
    offered: list[str] = []

    def save_name(parent, caption, directory, filters, *a):
        offered.append(directory)
        return str(Path(directory).with_name("退回")), filters
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(info_boxes), timeout=10000)
    assert offered == [str(source.with_name("芦山县总规表-退回行.xlsx"))]
    saved = source.with_name("退回.xlsx")
    assert str(saved) in info_boxes[0]
    cells = [c for row in openpyxl.load_workbook(saved).active.iter_rows(values_only=True) for c in row]
    assert "芦三县" in cells and any(isinstance(c, str) and "芦山县" in c and "芦三县" in c for c in cells)
    assert dialog.isVisible() and dialog.save_button.isEnabled()


def test_a_finished_dialog_is_freed_without_the_garbage_collector(qtbot, ws, source, tmp_path, monkeypatch,
                                                                   info_boxes):
    """A cycle through a task would leave the dialog to the collector, which may run on a pool thread."""
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: None)
    fake = tmp_path / "坏文件.xlsx"
    fake.write_text("不是表格", encoding="utf-8")
    gc.collect()
    gc.disable()
    try:
        committed = _open(qtbot, ws, source)
        _commit(qtbot, committed)
        failed = ImportDialog(ws, fake)
        with qtbot.waitSignal(failed.rejected, timeout=10000):
            pass
        qtbot.wait(20)  # the finished tasks' deferred deletes
        refs = [weakref.ref(committed), weakref.ref(failed)]
        del committed, failed
        assert [ref() for ref in refs] == [None, None]
    finally:
        gc.enable()


def test_choose_and_import(qtbot, ws, source, monkeypatch, info_boxes):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: ("", ""))
    assert choose_and_import(None, ws) is None

    class AutoImport(ImportDialog):
        def __init__(self, *args) -> None:
            super().__init__(*args)
            # queued: a new task is not started from inside the reading task's done callback
            self.plan_ready.connect(self.import_button.click, Qt.ConnectionType.QueuedConnection)

    asked: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda parent, caption, folder, filters: (
        asked.append(filters) or (str(source), filters)))
    monkeypatch.setattr(import_dialog, "ImportDialog", AutoImport)
    result = choose_and_import(None, ws)
    assert result is not None and result.created == 3
    assert asked == ["Excel/ODS 表格 (*.xlsx *.xls *.ods)"]
    assert sub_project_search.count_live(ws) == 3
