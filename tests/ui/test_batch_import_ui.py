"""Several packages chosen at once: one table of their dry runs, then 全部合并 with one backup."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog

from app.services import backups, packages, sub_projects
from app.ui.main_window import MainWindow
from app.ui.sync.batch_import_dialog import BatchImportDialog
from tests.sync_support import city_and_counties, digest, register


@pytest.fixture
def city_and_packages(tmp_path):
    city, (lushan, baoxing) = city_and_counties(tmp_path, ("lushan", "芦山县", "张晓梅"), ("baoxing", "宝兴县", "李文"))
    register(lushan, "LS-1")
    register(baoxing, "BX-1", division="宝兴县")
    register(baoxing, "BX-2", division="宝兴县")
    broken = tmp_path / "坏包.zip"
    broken.write_bytes(b"not a package")
    paths = [packages.export_package(lushan, tmp_path / "芦山县-1.zip").path, broken,
             packages.export_package(baoxing, tmp_path / "宝兴县-1.zip").path]
    yield city, paths
    for ws in (city, lushan, baoxing):
        ws.close()


def _column(dialog: BatchImportDialog, column: int) -> list[str]:
    model = dialog.model
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_choosing_several_packages_previews_them_together_then_merges_them_after_one_backup(
        qtbot, city_and_packages, monkeypatch):
    city, paths = city_and_packages
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(p) for p in paths], ""))
    window = MainWindow(city)
    qtbot.addWidget(window)
    before = digest(city)
    window.act_import_package.trigger()
    qtbot.waitUntil(lambda: window.findChild(BatchImportDialog) is not None, timeout=10000)
    dialog = window.findChild(BatchImportDialog)
    qtbot.waitExposed(dialog)

    assert digest(city) == before  # the dry runs changed nothing
    assert _column(dialog, 0) == ["芦山县-1.zip", "坏包.zip", "宝兴县-1.zip"]
    assert _column(dialog, 3) == ["2", "", "4"]  # new records: sub-projects and their master projects
    assert _column(dialog, 7) == ["可合并", "被拒", "可合并"]
    assert _column(dialog, 8)[1]  # the refusal says why
    assert "先备份一次数据库" in dialog.status_label.text() and "2 个可合并" in dialog.status_label.text()

    dialog.merge_button.click()
    qtbot.waitUntil(lambda: dialog.merged is not None, timeout=20000)
    assert _column(dialog, 7) == ["已合并", "被拒", "已合并"]
    assert dialog.status_label.text().startswith("合并 2 个 · 已导入过 0 个 · 被拒 1 个 · 未合并 0 个")
    assert not dialog.merge_button.isEnabled() and dialog.close_button.text() == "关闭"
    assert sub_projects.uid_for_code(city, "LS-1") and sub_projects.uid_for_code(city, "BX-2")
    folder = backups.automatic_folder(city.db.path)
    assert len([b for b in backups.list_backups(folder) if b.automatic]) == 1
    assert window.register.model.rowCount() == 3  # the window refreshed after the merges


def test_two_packages_of_one_county_are_merged_in_the_order_it_numbered_them(qtbot, tmp_path):
    from app.services import package_batch

    city, (lushan,) = city_and_counties(tmp_path, ("lushan", "芦山县", "张晓梅"))
    register(lushan, "LS-1")
    first = packages.export_package(lushan, tmp_path / "b-第1号.zip").path
    register(lushan, "LS-2")
    second = packages.export_package(lushan, tmp_path / "a-第2号.zip").path
    try:
        dialog = BatchImportDialog(city, package_batch.preview_packages(city, [second, first]))
        qtbot.addWidget(dialog)
        assert dialog.mergeable() == [first, second]
    finally:
        city.close()
        lushan.close()
