"""The checklists page: python docs/screenshots/make_checklist_screenshot.py

Writes ``checklists.png`` beside this file: the default checklist (version 1, in use by a
few acceptances) selected, with a draft version 2 under it, from a throw-away county
database in a temporary folder.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from shot_support import OUT, open_node, start_app  # first: Qt offscreen, the repository importable

from app.services import (  # noqa: E402
    acceptances,
    checklists,
    sub_project_search,
)
from app.services.sub_project_search import SubProjectFilter  # noqa: E402
from app.services.workspace import Workspace  # noqa: E402
from app.ui.checklists import ChecklistsPage  # noqa: E402


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
        app = start_app(tmp)
        ws = open_node(Path(tmp) / "county.db", "芦山县", "张晓梅", sub_projects=20)
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
