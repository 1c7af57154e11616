"""The history dialog lists what the service recorded and filters it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QPushButton

from app.services import sub_projects
from app.ui.dialogs.history_dialog import HistoryDialog, HistoryTableModel
from tests.conftest import sub_project_input

M = HistoryTableModel


def _rows(dialog: HistoryDialog) -> list[list[str]]:
    proxy = dialog.proxy
    return [[proxy.index(r, c).data() for c in range(proxy.columnCount())] for r in range(proxy.rowCount())]


def _make_history(ws, master, lushan) -> str:
    detail = sub_projects.create(ws, sub_project_input(master, lushan))
    raw = detail.form_values() | {"archivist": "赵敏"}
    sub_projects.update(ws, detail.uid, raw, expected_rev=detail.rev)
    return detail.uid


def test_lists_create_and_update_with_old_and_new_values(qtbot, ws, master, lushan):
    uid = _make_history(ws, master, lushan)
    dialog = HistoryDialog(ws, uid)
    qtbot.addWidget(dialog)

    assert dialog.windowTitle() == "变更历史 — 511826-ZG-0001-01 古城村农房重建一期"
    assert "511826-ZG-0001-01" in dialog.header.text() and "古城村农房重建一期" in dialog.header.text()
    headers = [dialog.proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(dialog.proxy.columnCount())]
    assert headers == ["时间", "操作员", "节点", "操作", "对象", "字段", "原值", "新值", "说明"]

    rows = _rows(dialog)
    # Newest first: the update leads, then the create's many fields.
    first = rows[0]
    assert first[M.ACTION] == "修改" and first[M.FIELD] == "档案人员"
    assert (first[M.OLD], first[M.NEW]) == ("王芳", "赵敏")
    assert first[M.OPERATOR] == "张晓梅"
    assert len(first[M.TIME]) == 19 and first[M.TIME][4] == "-" and first[M.TIME][13] == ":"
    created = {r[M.FIELD]: r for r in rows if r[M.ACTION] == "新建"}
    assert created["档案人员"][M.NEW] == "王芳" and created["档案人员"][M.OLD] == ""
    assert created["子项目名称"][M.NEW] == "古城村农房重建一期"
    assert created["总投资（万元）"][M.NEW] == "356.5"
    assert "共 " in dialog.count_label.text()


def test_filter_narrows_rows_over_all_columns(qtbot, ws, master, lushan):
    dialog = HistoryDialog(ws, _make_history(ws, master, lushan))
    qtbot.addWidget(dialog)
    total = dialog.proxy.rowCount()
    assert total > 10

    dialog.filter_edit.setText("赵敏")
    assert [(r[M.FIELD], r[M.NEW]) for r in _rows(dialog)] == [("档案人员", "赵敏")]
    assert dialog.count_label.text() == f"显示 1 / {total} 条变更"

    dialog.filter_edit.setText("王芳")  # the create's new value and the update's old one
    assert sorted((r[M.ACTION], r[M.OLD], r[M.NEW]) for r in _rows(dialog)) == [
        ("修改", "王芳", "赵敏"), ("新建", "", "王芳")]

    dialog.filter_edit.setText("电话")  # the field column too
    assert {r[M.FIELD] for r in _rows(dialog)} == {"分管领导电话", "档案人员电话"}

    dialog.filter_edit.setText("")
    assert dialog.proxy.rowCount() == total


def test_sorting_and_tooltips(qtbot, ws, master, lushan):
    dialog = HistoryDialog(ws, _make_history(ws, master, lushan))
    qtbot.addWidget(dialog)
    dialog.view.sortByColumn(M.TIME, Qt.SortOrder.AscendingOrder)
    assert _rows(dialog)[-1][M.NEW] == "赵敏"  # oldest first now: the update comes last
    dialog.view.sortByColumn(M.TIME, Qt.SortOrder.DescendingOrder)
    assert _rows(dialog)[0][M.NEW] == "赵敏"

    long_name = "古城村农房重建一期（含道路、给排水及公共服务配套设施）"
    sub_projects.update(ws, dialog.sub_project_uid,
                        sub_projects.get(ws, dialog.sub_project_uid).form_values() | {"name": long_name})
    dialog.reload()
    assert dialog.model.index(0, M.FIELD).data() == "子项目名称"
    assert dialog.model.index(0, M.NEW).data(Qt.ItemDataRole.ToolTipRole) == long_name


def test_closes_with_its_button(qtbot, ws, master, lushan):
    dialog = HistoryDialog(ws, _make_history(ws, master, lushan))
    qtbot.addWidget(dialog)
    dialog.show()
    close = next(b for b in dialog.findChildren(QPushButton) if b.text() == "关闭")
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Rejected and not dialog.isVisible()
