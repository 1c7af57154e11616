"""What the screenshot scripts share. Imported first: it puts Qt offscreen and the
repository on the import path, so ``python docs/screenshots/make_x.py`` works from anywhere.

Every script works on throw-away databases in a temporary folder, keeps the window
settings there too (a screenshot never reads or changes the user's), and sets up nodes
the way the first-start dialog does.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.services import demo, divisions, master_projects, node, sub_projects  # noqa: E402
from app.services.workspace import Workspace  # noqa: E402

OUT = Path(__file__).resolve().parent


def start_app(folder: Path | str) -> QApplication:
    """The application as ``main.py`` makes it, its window settings kept in ``folder``."""
    from app.ui.application import create_application

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return create_application(sys.argv[:1])


def open_node(path: Path, division: str = divisions.CITY_CODE, operator: str = "张晓梅", *,
              sub_projects: int = 0) -> Workspace:
    """A database at ``path`` set up as ``division``'s node (a name, or the city's code),
    with ``sub_projects`` demo sub-projects and their field work."""
    ws = Workspace.open(path)
    node.setup_node(ws, division_uid=divisions.find_division(ws, division).uid, operator=operator)
    if sub_projects:
        demo.generate(ws, sub_projects=sub_projects)
    return ws


def lushan_sub_project(ws: Workspace, **overrides):
    """古城村农房重建一期 of 芦山县, with its master project: the guide's running example."""
    lushan = divisions.find_division(ws, "芦山县")
    master = master_projects.create(ws, {
        "plan_code": "511826-ZG-0001", "name": "芦山县龙门乡古城村农房重建", "division_uid": lushan.uid,
        "sector": "城乡住房", "owner_unit": "龙门乡人民政府", "investment": "1200", "foreign_loan": False,
    })
    return sub_projects.create(ws, {
        "code": "511826-ZG-0001-01", "name": "古城村农房重建一期", "division_uid": lushan.uid,
        "master_project_uid": master.uid, "sector": "城乡住房", "owner_unit": "龙门乡人民政府",
        "investment": "356.5", "foreign_loan": False, "start_date": "2014-03-01", "finish_date": "2015-06-30",
        "construction_status": "completed", "demonstration_site": False, "archive_lead": "李建国",
        "archive_lead_phone": "13881612345", "archivist": "王芳", "archivist_phone": "0835-6522123",
        **overrides,
    })
