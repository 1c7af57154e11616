"""The checklists page: python docs/screenshots/make_checklist_screenshot.py

Writes ``checklists.png`` beside this file: the default checklist (version 1, in use by a
few acceptances) selected, with a draft version 2 under it, from a throw-away county
database in a temporary folder.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings  # noqa: E402

from app.services import (  # noqa: E402
    acceptances,
    checklists,
    demo,
    divisions,
    node,
    sub_project_search,
)
from app.services.sub_project_search import SubProjectFilter  # noqa: E402
from app.services.workspace import Workspace  # noqa: E402
from app.ui.application import create_application  # noqa: E402
from app.ui.checklists import ChecklistsPage  # noqa: E402

OUT = Path(__file__).resolve().parent


def _populate(ws: Workspace) -> str:
    """Three acceptances on version 1 and a draft version 2 with one item reworded; returns version 1's uid."""
    default_uid = checklists.ensure_default(ws)
    ids = sub_project_search.search_ids(ws, SubProjectFilter())[:3]
    for n, row in enumerate(sub_project_search.fetch_rows(ws, ids).values()):
        acceptances.create(ws, row.uid, {"acceptance_date": f"2016-0{5 + n}-1{n}"})
    content = checklists.content_of(checklists.get(ws, default_uid))
    content["sections"][2]["items"][-1]["text"] = "电子文件及数码照片异地备份，存储介质登记清楚"
    checklists.new_version(ws, default_uid, content)
    return default_uid


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tmp)
        app = create_application(sys.argv[:1])
        ws = Workspace.open(Path(tmp) / "county.db")
        node.setup_node(ws, division_uid=divisions.find_division(ws, "芦山县").uid, operator="张晓梅")
        demo.generate(ws, sub_projects=20)
        default_uid = _populate(ws)

        page = ChecklistsPage(ws)
        page.resize(1400, 860)
        page.select_uid(default_uid)
        page.show()
        app.processEvents()
        page.versions_view.setFocus()
        app.processEvents()
        page.grab().save(str(OUT / "checklists.png"))
        page.close()
        ws.close()


if __name__ == "__main__":
    main()
