"""Crash safety: what is typed in a dialog survives an unexpected error or a killed process.

The crash tests run the program in child processes, as a person meets it: the first types
into a new guidance visit and then hits an unexpected error (the excepthook's path: drafts
saved, report written, the error dialog shown) or is killed outright; it never exits
cleanly. The second starts the program again through its real start-up, finds the offer,
presses 恢复, reads what the reopened dialog holds and saves it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from app.services import drafts, sub_projects, visits
from app.services import settings as app_settings
from app.services.workspace import Workspace
from app.ui import drafts as drafts_ui
from app.ui.dialogs.sub_project_dialog import SubProjectDialog
from app.ui.main_window import MainWindow
from tests.conftest import sub_project_input

ROOT = Path(__file__).resolve().parents[2]
CONTENT = "档案室潮湿，竣工图未加盖竣工图章"
PROBLEM = "竣工图缺少竣工图章"

TYPE_THEN_CRASH = r"""
import json, os, signal, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication
from app.services import logs
from app.services.drafts import DraftStore
from app.services.workspace import Workspace
from app.ui.application import create_application
from app.ui.crash_dialog import CrashDialog
from app.ui.drafts import SAVE_DELAY_MS
from app.ui.errors import install_excepthook
from app.ui.field_work.problem_rows import KEYS
from app.ui.field_work.visit_dialog import VisitDialog

db, sub_uid, mode, content, problem = sys.argv[1:6]
logs.setup_logging()
app = create_application([sys.argv[0]])
install_excepthook()
ws = Workspace.open(Path(db))
dialog = VisitDialog(ws, sub_uid)
dialog.show()

def type_text(widget, text):
    # typed as an input method commits Chinese (QTest cannot type it)
    widget.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)

type_text(dialog.content, content)
dialog.kind.setCurrentIndex(dialog.kind.findData("supervision"))
row = dialog.problems.add_row(None)
dialog.problems.setData(dialog.problems.index(row, KEYS.index("description")), problem)
store = DraftStore(Path(db))

def die(facts):
    print(json.dumps(facts, ensure_ascii=False), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)  # no clean exit, no chance to tidy up

if mode == "excepthook":
    drafts_before = len(store.list())  # nothing saved yet: typing has not paused long enough

    def boom():
        raise RuntimeError("模拟的意外错误")

    def on_crash_dialog():
        shown = QApplication.activeModalWidget()
        die({"drafts_before": drafts_before, "dialog": type(shown).__name__,
             "message": shown.message.text(), "report": str(shown.report_path)})

    QTimer.singleShot(0, boom)  # an error in a slot reaches sys.excepthook
    QTimer.singleShot(500, on_crash_dialog)  # runs inside the error dialog's own event loop
else:
    QTimer.singleShot(SAVE_DELAY_MS + 500, lambda: die({"drafts_before": len(store.list())}))
app.exec()
"""

START_AGAIN = r"""
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from app.ui import application
from app.ui.drafts import DraftOfferDialog
from app.ui.field_work.visit_dialog import VisitDialog

app = application.create_application([sys.argv[0]])
seen = {}

def watch():
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, DraftOfferDialog) and widget.isVisible() and "offer" not in seen:
            seen["offer"] = [widget.list.item(i).text() for i in range(widget.list.count())]
            widget.restore_button.click()
        elif isinstance(widget, VisitDialog) and widget.isVisible() and "visit" not in seen:
            seen["visit"] = widget.values()
            seen["problems"] = [dict(r) for r in widget.problems.rows]
            widget.accept()  # 保存
            seen["saved"] = widget.saved is not None
            print(json.dumps(seen, ensure_ascii=False), flush=True)
            QApplication.quit()

timer = QTimer()
timer.timeout.connect(watch)
timer.start(50)
QTimer.singleShot(30000, lambda: (print(json.dumps(seen, ensure_ascii=False)), QApplication.exit(3)))
sys.exit(application.main([sys.argv[0], "--db", sys.argv[1]]))
"""


def _run(script: str, *args: str, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", app_settings.HOME_ENV: str(home),
           "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=120)


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
@pytest.mark.parametrize("mode", ["excepthook", "kill"])
def test_a_crash_while_typing_a_visit_offers_the_draft_at_the_next_start(ws, master, lushan, tmp_path, mode):
    sub = sub_projects.create(ws, sub_project_input(master, lushan))
    db_path = ws.db.path
    ws.close()
    home = tmp_path / "home"

    crashed = _run(TYPE_THEN_CRASH, str(db_path), sub.uid, mode, CONTENT, PROBLEM, home=home)
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr
    facts = json.loads(crashed.stdout.strip().splitlines()[-1])
    left = drafts.DraftStore(db_path).list()
    assert len(left) == 1 and left[0].kind == "guidance_visit" and left[0].values["visit"]["content"] == CONTENT
    if mode == "excepthook":
        assert facts["drafts_before"] == 0, "the draft was saved by the crash hook, not by the typing pause"
        assert facts["dialog"] == "CrashDialog" and "正在编辑的内容已保存为草稿" in facts["message"]
        report = Path(facts["report"]).read_text(encoding="utf-8")
        assert "RuntimeError: 模拟的意外错误" in report and "drafts saved: 1" in report
        assert Path(facts["report"]).parent == home / "logs" / "crash-reports"

    started = _run(START_AGAIN, str(db_path), home=home)
    assert started.returncode == 0, started.stdout + started.stderr
    seen = json.loads(started.stdout.strip().splitlines()[-1])
    assert len(seen["offer"]) == 1 and "新建现场指导" in seen["offer"][0]
    assert seen["visit"]["content"] == CONTENT and seen["visit"]["kind"] == "supervision"
    assert [p["description"] for p in seen["problems"]] == [PROBLEM]
    assert seen["saved"]
    assert drafts.DraftStore(db_path).list() == []  # saved: the draft has served
    again = Workspace.open(db_path)
    try:
        saved = visits.for_sub_project(again, sub.uid)
        assert [(v.content, v.kind, v.problem_count) for v in saved] == [(CONTENT, "supervision", 1)]
    finally:
        again.close()


# -- the draft keeper in one process -------------------------------------------------------
def test_a_dialog_keeps_its_draft_while_edited_and_drops_it_when_cancelled(qtbot, ws, master, lushan):
    dialog = SubProjectDialog(ws)
    qtbot.addWidget(dialog)
    dialog.show()
    store = drafts.DraftStore(ws.db.path)
    dialog.draft.save_now()
    assert store.list() == []  # nothing typed: nothing kept
    dialog.code.setText("511826-ZG-0001-07")
    dialog.name.setText("古城村便民服务中心")
    dialog.master.setEditText("还没登记的总规项目")
    qtbot.waitUntil(lambda: len(store.list()) == 1, timeout=drafts_ui.SAVE_DELAY_MS + 3000)
    kept = store.list()[0]
    assert kept.kind == "sub_project" and kept.record_uid is None
    assert kept.values["name"] == "古城村便民服务中心" and kept.values["master_text"] == "还没登记的总规项目"

    restored = SubProjectDialog(ws)
    qtbot.addWidget(restored)
    restored.draft.restore(kept)
    assert restored.name.text() == "古城村便民服务中心" and restored.master.currentText() == "还没登记的总规项目"
    assert [d.id for d in store.list()] == [kept.id]  # one draft, carried on by the new dialog
    dialog.draft._closed = True  # the first dialog is gone with the crash it stands for
    qtbot.mouseClick(restored.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel),
                     Qt.MouseButton.LeftButton)
    assert store.list() == []


def test_editing_a_record_keeps_its_revision_and_saving_drops_the_draft(qtbot, ws, master, lushan):
    sub = sub_projects.create(ws, sub_project_input(master, lushan))
    dialog = SubProjectDialog(ws, uid=sub.uid)
    qtbot.addWidget(dialog)
    dialog.remarks.setPlainText("补充：2016 年 5 月现场核查")
    assert dialog.draft.save_now()
    kept = drafts.DraftStore(ws.db.path).list()[0]
    assert kept.record_uid == sub.uid and kept.base_rev == sub.rev
    dialog.accept()
    assert dialog.saved is not None and drafts.DraftStore(ws.db.path).list() == []


def test_a_draft_of_a_record_deleted_since_is_shown_and_dropped(qtbot, ws, master, lushan, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    sub = sub_projects.create(ws, sub_project_input(master, lushan))
    store = drafts.DraftStore(ws.db.path)
    store.save(drafts.new_draft("sub_project", sub.uid, title="编辑子项目"), {"remarks": "草稿里的字"})
    sub_projects.delete_many(ws, [sub.uid])
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append((box.text(), box.detailedText())) or 0)
    window = MainWindow(ws)
    qtbot.addWidget(window)
    offer = drafts_ui.offer_drafts(window, ws)
    assert offer is not None and offer.list.count() == 1
    offer.restore_all()
    assert offer.opened == [] and "无法重新打开" in shown[0][0] and "草稿里的字" in shown[0][1]
    assert store.list() == []
