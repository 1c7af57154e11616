"""Sync screens driven through real widgets: export, the import preview and merge, a refused
package, conflicts resolved by a person, and the city's overview of the nodes."""

from __future__ import annotations

import zipfile
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from app.services import conflicts, enrolment, packages, sub_projects
from app.ui.main_window import MainWindow
from app.ui.sync.conflicts_page import (
    COL_FIELD,
    COL_LOCAL,
    COL_RECORD,
    COL_REMOTE,
    COL_WHO,
    COL_WINNER,
    ConflictsPage,
    ResolveDialog,
)
from app.ui.sync.nodes_page import (
    COL_DIVISION,
    COL_FINGERPRINT,
    COL_RECORDS,
    COL_SEQUENCE,
    COL_STATUS,
    EnrolDialog,
    FingerprintDialog,
    NodesPage,
)
from app.ui.sync.package_actions import ImportPreviewDialog
from tests.sync_support import digest, enrol_each_other, make_node, register


@pytest.fixture
def city(tmp_path):
    city = make_node(tmp_path, "city", "雅安市", "市局")
    yield city
    city.close()


@pytest.fixture
def pair(ws, city):
    """``ws`` is 芦山县's laptop; the two have enrolled each other."""
    enrol_each_other(ws, city)
    return ws, city


@pytest.fixture
def messages(monkeypatch):
    """Every message box shown, as (kind, text), instead of blocking the test."""
    shown: list[tuple[str, str]] = []
    for kind in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, kind, lambda parent, title, text, *a, _k=kind, **kw:
                            shown.append((_k, text)) or QMessageBox.StandardButton.Ok)
    return shown


def _window(qtbot, ws) -> MainWindow:
    window = MainWindow(ws)
    qtbot.addWidget(window)
    return window


def _preview(window) -> ImportPreviewDialog | None:
    found = window.findChild(ImportPreviewDialog)
    return found if found is not None and found.isVisible() else None


def test_export_from_a_county_writes_a_package_read_back_before_saying_done(qtbot, pair, tmp_path, monkeypatch,
                                                                            messages):
    county, city = pair
    register(county, "SP-1")
    suggested = []
    target = tmp_path / "stick" / "out"
    target.parent.mkdir()

    def save_as(parent, title, path, filter_):
        suggested.append(path)
        return str(target), filter_

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    window = _window(qtbot, county)
    window.act_export_package.trigger()
    qtbot.waitUntil(lambda: bool(messages), timeout=10000)
    assert suggested[0].endswith(f"芦山县-导出包-第1号-{date.today().isoformat()}.zip")
    written = tmp_path / "stick" / "out.zip"
    assert written.exists() and not list(written.parent.glob(".*partial"))
    kind, text = messages[0]
    assert kind == "information" and "第 1 号" in text and "发往雅安市" in text
    assert "重建子项目 1" in text and "已读回校验" in text
    # the city can merge what the action wrote
    assert packages.import_package(city, written).summary()["added"] == 2


def test_the_city_chooses_the_county_it_sends_to(qtbot, pair, tmp_path, monkeypatch, messages):
    county, city = pair
    offered = []
    monkeypatch.setattr(QInputDialog, "getItem", lambda parent, title, label, items, *a, **k:
                        offered.append(list(items)) or (items[0], True))
    suggested = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda parent, title, path, f:
                        suggested.append(path) or (str(tmp_path / "down.zip"), f))
    window = _window(qtbot, city)
    window.act_export_package.trigger()
    qtbot.waitUntil(lambda: bool(messages), timeout=10000)
    code = enrolment.local_identity(county).node_code
    assert offered == [[f"芦山县（节点 {code}）"]]
    assert "发往芦山县" in suggested[0] and "雅安市-导出包-第1号" in suggested[0]
    assert packages.import_package(county, tmp_path / "down.zip").info.receiver_node == county.node_uid


def test_importing_at_the_city_previews_the_counts_and_merges_on_confirm(qtbot, pair, tmp_path, monkeypatch,
                                                                         messages):
    county, city = pair
    register(county, "SP-1")
    register(county, "SP-2")
    package = packages.export_package(county, tmp_path / "p1.zip").path
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(package)], ""))
    window = _window(qtbot, city)
    before = digest(city)
    window.act_import_package.trigger()
    qtbot.waitUntil(lambda: _preview(window) is not None, timeout=10000)
    dialog = _preview(window)
    # the dry run left the database alone
    assert digest(city) == before
    identity = enrolment.local_identity(county)
    assert dialog.origin_label.text() == f"芦山县（节点 {identity.node_code}）"
    assert dialog.fingerprint_label.text() == identity.fingerprint
    assert dialog.sequence_label.text().startswith("第 1 号")
    assert dialog.counts_label.accessibleName() == "新增 4 · 更新 0 · 合并 0 · 已有 0 · 冲突 0"
    assert dialog.entity_model.rowCount() == 2
    assert dialog.merge_button.isEnabled()

    dialog.merge_button.click()
    qtbot.waitUntil(lambda: bool(messages), timeout=10000)
    kind, text = messages[0]
    assert kind == "information" and "已合并芦山县的第 1 号数据包" in text and "新增 4" in text
    assert sub_projects.uid_for_code(city, "SP-2") is not None
    assert window.register.model.rowCount() == 2  # the window refreshed after the merge
    assert packages.import_package(city, package).already_imported


def test_a_preview_lists_the_conflicts_it_would_keep(qtbot, pair, tmp_path):
    county, city = pair
    created = register(county, "SP-1")
    packages.import_package(city, packages.export_package(county, tmp_path / "1.zip").path)
    sub_projects.update(county, created.uid, {**created.form_values(), "archivist": "县里改的"})
    sub_projects.update(city, created.uid, {**sub_projects.get(city, created.uid).form_values(), "archivist": "市里改的"})
    from app.services import sync_overview

    preview = sync_overview.preview_import(city, packages.export_package(county, tmp_path / "2.zip").path)
    dialog = ImportPreviewDialog(city, preview)
    qtbot.addWidget(dialog)
    assert dialog.counts_label.accessibleName().endswith("冲突 1")
    model = dialog.conflict_model
    assert [model.index(0, c).data() for c in range(3)] == ["重建子项目", f"SP-1 {created.name}", "档案人员"]
    assert dialog.tabs.currentIndex() == 0 and dialog.tabs.tabText(0) == "冲突（1）"


def test_a_tampered_package_shows_the_refusal_and_changes_nothing(qtbot, pair, tmp_path, monkeypatch, messages):
    county, city = pair
    register(county, "SP-1")
    good = packages.export_package(county, tmp_path / "good.zip").path
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.endswith("changes.jsonl"):
                data = data.replace(b"SP-1", b"SP-9")
            dst.writestr(item, data)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(bad)], ""))
    window = _window(qtbot, city)
    before = digest(city)
    window.act_import_package.trigger()
    qtbot.waitUntil(lambda: bool(messages), timeout=10000)
    kind, text = messages[0]
    assert kind == "warning"
    assert "已拒绝" in text or "校验失败" in text
    assert text.endswith("数据库未作任何修改。")
    assert _preview(window) is None
    assert digest(city) == before


def test_a_package_from_an_unknown_node_is_refused_with_its_fingerprint(qtbot, ws, city, tmp_path, monkeypatch,
                                                                         messages):
    register(ws, "SP-1")
    package = packages.export_package(ws, tmp_path / "p.zip", receiver="").path
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(package)], ""))
    window = _window(qtbot, city)
    window.act_import_package.trigger()
    qtbot.waitUntil(lambda: bool(messages), timeout=10000)
    text = messages[0][1]
    assert "未登记或已吊销" in text and enrolment.local_identity(ws).fingerprint in text
    assert "数据库未作任何修改" in text


@pytest.fixture
def conflicted(pair, tmp_path):
    """The same field changed on both nodes; the city merged the county's change."""
    county, city = pair
    created = register(county, "SP-1")
    packages.import_package(city, packages.export_package(county, tmp_path / "1.zip").path)
    sub_projects.update(county, created.uid, {**created.form_values(), "archivist": "县里改的"})
    sub_projects.update(city, created.uid, {**sub_projects.get(city, created.uid).form_values(), "archivist": "市里改的"})
    packages.import_package(city, packages.export_package(county, tmp_path / "2.zip").path)
    return county, city, created


def test_a_conflict_appears_on_the_page_and_resolving_it_closes_it(qtbot, conflicted, monkeypatch):
    _county, city, created = conflicted
    page = ConflictsPage(city)
    qtbot.addWidget(page)
    model = page.model
    assert model.rowCount() == 1
    assert model.index(0, COL_RECORD).data() == f"重建子项目 SP-1 {created.name}"
    assert model.index(0, COL_FIELD).data() == "档案人员"
    assert (model.index(0, COL_LOCAL).data(), model.index(0, COL_REMOTE).data()) == ("市里改的", "县里改的")
    assert model.index(0, COL_WINNER).data() in ("本机", "对方")
    assert model.index(0, COL_WHO).data() == "本机：市局（雅安市）；对方：张晓梅（芦山县）"

    def decide(dialog: ResolveDialog) -> int:
        assert not dialog.ok_button.isEnabled()  # nothing is preselected: a person decides
        dialog.choose("archivist", "custom", "王芳（已核实）")
        assert dialog.ok_button.isEnabled()
        dialog.ok_button.click()
        return dialog.result()

    monkeypatch.setattr(ResolveDialog, "exec", decide)
    with qtbot.waitSignal(page.changed):
        page.resolve_button.click()
    assert model.rowCount() == 0 and page.stack.currentWidget() is page.empty
    assert conflicts.list_conflicts(city) == []
    assert sub_projects.get(city, created.uid).archivist == "王芳（已核实）"


def test_choosing_a_side_in_the_dialog_keeps_that_value(qtbot, conflicted):
    _county, city, created = conflicted
    [conflict] = conflicts.list_conflicts(city)
    dialog = ResolveDialog(city, conflict)
    qtbot.addWidget(dialog)
    dialog.choose("archivist", "remote")
    assert dialog.selected() == {"archivist": "remote"}
    dialog.ok_button.click()
    assert dialog.resolved is not None and dialog.resolved.status == "resolved"
    assert sub_projects.get(city, created.uid).archivist == "县里改的"


def test_the_nodes_page_lists_an_enrolled_county_with_its_fingerprint_and_last_package(qtbot, pair, tmp_path):
    county, city = pair
    register(county, "SP-1")
    packages.import_package(city, packages.export_package(county, tmp_path / "1.zip").path)
    page = NodesPage(city)
    qtbot.addWidget(page)
    model = page.model
    cells = [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]
    assert cells[0][COL_DIVISION] == "雅安市" and cells[0][COL_STATUS] == "本机"
    [lushan] = [row for row in cells if row[COL_DIVISION] == "芦山县"]
    assert lushan[COL_FINGERPRINT] == enrolment.local_identity(county).fingerprint
    assert lushan[COL_STATUS] == "已登记"
    assert (lushan[COL_SEQUENCE], lushan[COL_RECORDS]) == ("第 1 号", "2")
    assert lushan[6]  # when it arrived
    assert "宝兴县" in page.waiting.text() and "芦山县" not in page.waiting.text()


def test_enrolling_asks_for_the_fingerprint_check_and_revoking_for_a_reason(qtbot, ws, city, tmp_path, monkeypatch,
                                                                          messages):
    identity_file = tmp_path / "lushan.json"
    enrolment.export_identity(ws, identity_file)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(identity_file), ""))
    shown = []

    def confirm(dialog: EnrolDialog) -> int:
        shown.append(dialog.fingerprint.accessibleName())
        assert not dialog.enrol_button.isEnabled()
        dialog.confirm.setChecked(True)
        dialog.enrol_button.click()
        return dialog.result()

    monkeypatch.setattr(EnrolDialog, "exec", confirm)
    page = NodesPage(city)
    qtbot.addWidget(page)
    assert page.enrol_node()
    assert shown == [enrolment.local_identity(ws).fingerprint]
    assert page.current_node().division == "芦山县" and page.revoke_button.isEnabled()

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("笔记本电脑丢失", True))
    assert page.revoke_selected()
    node = page.current_node()
    assert node.status == "revoked" and node.revoked_reason == "笔记本电脑丢失"
    assert page.model.index(page.table.currentIndex().row(), COL_STATUS).data() == "已吊销"


def test_exporting_the_identity_shows_the_fingerprint_to_read_out(qtbot, ws, tmp_path, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "me"), ""))
    page = NodesPage(ws)
    qtbot.addWidget(page)
    dialog = page.export_identity()
    assert isinstance(dialog, FingerprintDialog)
    identity = enrolment.read_identity(tmp_path / "me.json")
    assert dialog.fingerprint.accessibleName() == identity.fingerprint
    assert dialog.fingerprint.text().replace("\n", "   ").split("   ") == identity.fingerprint.split("-")
    assert page.model.index(0, COL_FINGERPRINT).data() == identity.fingerprint
    dialog.close()


def test_the_sync_modules_open_from_the_navigation_and_the_tools_menu(qtbot, ws):
    window = _window(qtbot, ws)
    assert isinstance(window.show_module("conflicts"), ConflictsPage)
    window.act_node_keys.trigger()
    assert isinstance(window.pages.currentWidget(), NodesPage)
    file_menu = window.menuBar().actions()[0].menu()
    assert {"导入数据包…", "导出数据包…"} <= {a.text() for a in file_menu.actions()}


def test_a_delete_against_an_edit_reads_as_deleted_or_not_and_selects_as_one(qtbot, pair, tmp_path):
    county, city = pair
    first, second = register(county, "SP-1"), register(county, "SP-2")
    packages.import_package(city, packages.export_package(county, tmp_path / "1.zip").path)
    sub_projects.delete(county, first.uid)
    sub_projects.update(city, first.uid, {**sub_projects.get(city, first.uid).form_values(), "remarks": "市局核实"})
    sub_projects.update(county, second.uid, {**second.form_values(), "archivist": "县", "archivist_phone": "13900000001"})
    sub_projects.update(city, second.uid, {**sub_projects.get(city, second.uid).form_values(), "archivist": "市",
                                           "archivist_phone": "13900000002"})
    packages.import_package(city, packages.export_package(county, tmp_path / "2.zip").path)
    page = ConflictsPage(city)
    qtbot.addWidget(page)
    model = page.model
    rows = {(model.index(r, COL_FIELD).data(), model.index(r, COL_LOCAL).data(), model.index(r, COL_REMOTE).data())
            for r in range(model.rowCount())}
    assert ("删除", "未删除", "已删除") in rows and model.rowCount() == 3
    # clicking either field of the two-field conflict selects both: it is decided as a whole
    two = next(r for r in range(model.rowCount()) if model.index(r, COL_FIELD).data() == "档案人员电话")
    page.table.selectRow(two)
    assert len(page.table.selectionModel().selectedRows()) == 2
    assert page.current_conflict().record_label.startswith("SP-2")


def test_a_county_without_the_city_enrolled_is_asked_before_exporting_everything(qtbot, ws, monkeypatch):
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda parent, title, text, *a, **k:
                        asked.append(text) or QMessageBox.StandardButton.No)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: pytest.fail("no file is asked for"))
    window = _window(qtbot, ws)
    window.act_export_package.trigger()
    assert "还没有登记市局" in asked[0] and window.package_task is None


def test_the_city_register_says_which_county_each_record_came_from(qtbot, pair, tmp_path):
    county, city = pair
    register(county, "LS-ORIGIN-1")
    packages.import_package(city, packages.export_package(county, tmp_path / "up.zip").path)
    register(city, "CITY-OWN-1", division="芦山县")  # registered at the city itself
    window = _window(qtbot, city)
    model = window.register.model
    column = [key for key, _label in model.COLUMNS].index("origin")
    origins = {model.index(row, 0).data(): model.index(row, column).data() for row in range(model.rowCount())}
    assert origins == {"LS-ORIGIN-1": "芦山县", "CITY-OWN-1": "雅安市"}
    # and it sorts by origin like any other column (by node code: the city's 511800 first)
    model.sort(column, Qt.SortOrder.AscendingOrder)
    assert [model.index(row, 0).data() for row in range(model.rowCount())] == ["CITY-OWN-1", "LS-ORIGIN-1"]
    model.sort(column, Qt.SortOrder.DescendingOrder)
    assert [model.index(row, 0).data() for row in range(model.rowCount())] == ["LS-ORIGIN-1", "CITY-OWN-1"]
