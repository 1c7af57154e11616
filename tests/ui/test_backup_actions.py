"""文件 > 备份… / 恢复… in the window: the work in the worker, a damaged backup refused with
nothing changed, a good one restored and the window reopened on it."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from app.services import backups, sub_project_search, sub_projects
from app.services import settings as app_settings
from app.ui import backup_actions
from app.ui.main_window import MainWindow
from tests.conftest import sub_project_input


@pytest.fixture(autouse=True)
def own_home(tmp_path, monkeypatch):
    monkeypatch.setenv(app_settings.HOME_ENV, str(tmp_path / "home"))


@pytest.fixture
def said(monkeypatch):
    """What the window told the person, instead of modal boxes."""
    messages = []
    for name in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name, lambda parent, title, text, *a, _n=name, **k:
                            messages.append((_n, title, text)) or QMessageBox.StandardButton.Ok)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    return messages


def _done(task) -> bool:
    return not task.running


def test_backup_then_restore_reopens_the_window_on_the_backup(qtbot, ws, master, lushan, tmp_path, said):
    sub_projects.create(ws, sub_project_input(master, lushan, code="IN-THE-BACKUP"))
    window = MainWindow(ws)
    qtbot.addWidget(window)
    task = backup_actions.backup(window, tmp_path / "stick")
    qtbot.waitUntil(lambda: _done(task), timeout=20000)
    assert said[-1][0] == "information" and "逐一读回核对" in said[-1][2]
    made = backups.list_backups(tmp_path / "stick")
    assert len(made) == 1

    sub_projects.create(ws, sub_project_input(master, lushan, code="AFTER-THE-BACKUP"))
    task = backup_actions.restore_from(window, made[0].path)
    qtbot.waitUntil(lambda: bool(backup_actions._windows), timeout=20000)
    reopened = backup_actions._windows[-1]
    qtbot.addWidget(reopened)
    assert reopened is not window and not window.isVisible()
    assert sub_project_search.count_live(reopened.ws) == 1
    assert said[-1][1] == "恢复完成" and "原数据库已改名保留为" in said[-1][2]
    assert len(list(ws.db.path.parent.glob("archive.replaced-*"))) == 1
    backup_actions._windows.clear()
    reopened.ws.close()


def test_a_damaged_backup_is_refused_and_the_window_carries_on(qtbot, ws, master, lushan, tmp_path, said):
    sub_projects.create(ws, sub_project_input(master, lushan))
    info = backups.create_backup(ws.db.path, tmp_path / "stick")
    db = info.path / "archive.db"
    data = bytearray(db.read_bytes())
    data[len(data) // 3] ^= 0x55
    db.write_bytes(bytes(data))
    window = MainWindow(ws)
    qtbot.addWidget(window)
    before = ws.db.path.read_bytes()

    task = backup_actions.restore_from(window, info.path)
    qtbot.waitUntil(lambda: _done(task), timeout=20000)

    assert said and said[-1][0] == "warning" and "未通过校验" in said[-1][2]
    assert backup_actions._windows == [] and ws.db.path.read_bytes() == before
    assert sub_project_search.count_live(window.ws) == 1
