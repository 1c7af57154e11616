"""Render the history, retention and master-project dialogs, populated, to PNGs beside this file.

Run once from the repository root: ``QT_QPA_PLATFORM=offscreen python docs/screenshots/make_dialog_screenshots.py``.
It works on a throw-away database in a temporary folder.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from app.services import divisions, master_projects, node, retention, sub_projects  # noqa: E402
from app.services.workspace import Workspace  # noqa: E402
from app.ui.dialogs.history_dialog import HistoryDialog  # noqa: E402
from app.ui.dialogs.master_project_dialog import MasterProjectDialog  # noqa: E402
from app.ui.dialogs.retention_dialog import RetentionDialog  # noqa: E402
from app.ui.fonts import install_ui_font  # noqa: E402


def _populate(ws: Workspace) -> tuple[str, str]:
    lushan = divisions.find_division(ws, "芦山县")
    master = master_projects.create(ws, {
        "plan_code": "511826-ZG-0001", "name": "芦山县龙门乡古城村农房重建", "division_uid": lushan.uid,
        "sector": "城乡住房", "owner_unit": "龙门乡人民政府", "investment": "1200", "foreign_loan": False,
    })
    sub = sub_projects.create(ws, {
        "code": "511826-ZG-0001-01", "name": "古城村农房重建一期", "division_uid": lushan.uid,
        "master_project_uid": master.uid, "sector": "城乡住房", "owner_unit": "龙门乡人民政府",
        "investment": "356.5", "foreign_loan": False, "start_date": "2014-03-01", "finish_date": "2015-06-30",
        "construction_status": "under_construction", "demonstration_site": False, "archive_lead": "李建国",
        "archive_lead_phone": "13881612345", "archivist": "王芳", "archivist_phone": "0835-6522123",
    })
    raw = sub.form_values() | {"archivist": "赵敏", "archivist_phone": "13981623456",
                               "construction_status": "completed", "demonstration_site": True}
    sub = sub_projects.update(ws, sub.uid, raw, expected_rev=sub.rev)
    schedule = retention.create_for(ws, sub.uid)
    items = [dict(i) for i in schedule.items]
    items[14]["retention"] = "30y"
    items.append({"document_class": "灾后重建项目影像及测绘成果", "retention": "permanent"})
    retention.save_items(ws, schedule.uid, items, expected_rev=schedule.rev)
    return sub.uid, master.uid


def _save(widget: QWidget, name: str) -> None:
    widget.show()
    QApplication.processEvents()
    path = HERE / name
    widget.grab().save(str(path))
    print(path)
    widget.close()


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    install_ui_font(app)
    with tempfile.TemporaryDirectory() as folder:
        ws = Workspace.open(Path(folder) / "archive.db")
        try:
            node.setup_node(ws, division_uid=divisions.find_division(ws, "芦山县").uid, operator="张晓梅")
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
