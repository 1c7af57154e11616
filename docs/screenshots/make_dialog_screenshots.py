"""Render the history, retention and master-project dialogs, populated, to PNGs beside this file.

Run once from the repository root: ``QT_QPA_PLATFORM=offscreen python docs/screenshots/make_dialog_screenshots.py``.
It works on a throw-away database in a temporary folder.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from shot_support import OUT, lushan_sub_project, open_node, start_app

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from app.services import retention, sub_projects  # noqa: E402
from app.services.workspace import Workspace  # noqa: E402
from app.ui.dialogs.history_dialog import HistoryDialog  # noqa: E402
from app.ui.dialogs.master_project_dialog import MasterProjectDialog  # noqa: E402
from app.ui.dialogs.retention_dialog import RetentionDialog  # noqa: E402


def _populate(ws: Workspace) -> tuple[str, str]:
    sub = lushan_sub_project(ws, construction_status="under_construction")
    raw = sub.form_values() | {"archivist": "赵敏", "archivist_phone": "13981623456",
                               "construction_status": "completed", "demonstration_site": True}
    sub = sub_projects.update(ws, sub.uid, raw, expected_rev=sub.rev)
    schedule = retention.create_for(ws, sub.uid)
    items = [dict(i) for i in schedule.items]
    items[14]["retention"] = "30y"
    items.append({"document_class": "灾后重建项目影像及测绘成果", "retention": "permanent"})
    retention.save_items(ws, schedule.uid, items, expected_rev=schedule.rev)
    return sub.uid, sub.master_project_uid


def _save(widget: QWidget, name: str) -> None:
    widget.show()
    QApplication.processEvents()
    path = OUT / name
    widget.grab().save(str(path))
    print(path)
    widget.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        start_app(folder)
        ws = open_node(Path(folder) / "archive.db", "芦山县")
        try:
            sub_uid, master_uid = _populate(ws)
            _save(HistoryDialog(ws, sub_uid), "history.png")
            retention_dialog = RetentionDialog(ws, sub_project_uid=sub_uid)
            retention_dialog.view.selectRow(14)
            _save(retention_dialog, "retention.png")
            _save(MasterProjectDialog(ws, uid=master_uid), "master-project.png")
        finally:
            ws.close()


if __name__ == "__main__":
    main()
