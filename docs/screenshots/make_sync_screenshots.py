"""Screenshots of sync: python docs/screenshots/make_sync_screenshots.py

Writes ``import-package-preview.png`` (the city previewing 芦山县's second package: new,
updated, merged, already-known records and conflicts) and ``conflicts.png`` (the city's
open conflicts after merging it), from throw-away county and city databases in a
temporary folder.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from shot_support import OUT, open_node, start_app  # first: Qt offscreen, the repository importable

from app.services import (
    demo,
    divisions,
    enrolment,
    master_projects,
    packages,
    sub_project_search,
    sub_projects,
    sync_overview,
)
from app.services.sub_project_search import SubProjectFilter
from app.services.workspace import Workspace
from app.ui.sync.conflicts_page import ConflictsPage
from app.ui.sync.package_actions import ImportPreviewDialog


def _uids(ws: Workspace) -> list[str]:
    ids = sub_project_search.search_ids(ws, SubProjectFilter())
    rows = sub_project_search.fetch_rows(ws, ids)
    return [rows[i].uid for i in ids]


def _edit(ws: Workspace, uid: str, **values) -> None:
    sub_projects.update(ws, uid, {**sub_projects.get(ws, uid).form_values(), **values})


#: a sub-project entered twice at the county, with no field work yet: one it may delete
DUPLICATE_CODE = "511826-ZG-9001-01"


def _register_duplicate(county: Workspace) -> None:
    first = sub_projects.get(county, _uids(county)[15])
    sub_projects.create(county, {**first.form_values(), "code": DUPLICATE_CODE, "remarks": ""})


def _work_offline(county: Workspace, city: Workspace) -> None:
    """Both sides edit after the first exchange: some the same fields (conflicts), some not."""
    uids = _uids(county)
    # the same fields on both sides: kept as conflicts
    _edit(county, uids[3], archivist="赵敏", archivist_phone="13981623456")
    _edit(city, uids[3], archivist="赵明", archivist_phone="13981623465")
    _edit(county, uids[7], remarks="竣工图已补编，待监理签章")
    _edit(city, uids[7], remarks="2016年9月督导：竣工图缺监理签章")
    _edit(county, uids[11], construction_status="completed", finish_date="2015-10-31")
    _edit(city, uids[11], finish_date="2015-11-30")
    # registered twice by mistake: deleted at the county while the city edits it
    gone = sub_projects.uid_for_code(county, DUPLICATE_CODE)
    sub_projects.delete(county, gone)
    _edit(city, gone, remarks="市局核实：项目已并入同村二期")
    # different fields: merged without asking anyone
    for n in (20, 21):
        _edit(county, uids[n], archivist_phone="0835-6521188")
        _edit(city, uids[n], remarks="已抽查档案")
    # county-only edits: updates
    for n in range(24, 30):
        _edit(county, uids[n], archive_lead="杨志强")
    # new at the county
    lushan = divisions.find_division(county, "芦山县")
    master = master_projects.create(county, {"plan_code": "511826-ZG-0212", "name": "芦山县大川镇灾后产业恢复",
                                             "division_uid": lushan.uid, "sector": "产业重建",
                                             "owner_unit": "大川镇人民政府"})
    for n, name in enumerate(("大川镇茶叶加工厂", "大川镇乡村旅游接待中心", "大川镇农产品冷链仓储"), start=1):
        sub_projects.create(county, {
            "code": f"511826-ZG-0212-{n:02d}", "name": name, "division_uid": lushan.uid,
            "master_project_uid": master.uid, "sector": "产业重建", "owner_unit": "大川镇人民政府",
            "investment": str(180 * n), "start_date": "2015-03-01", "construction_status": "under_construction",
            "archive_lead": "杨志强", "archive_lead_phone": "13881600001", "archivist": "罗丹",
            "archivist_phone": "13881600002"})


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        app = start_app(tmp)
        county = open_node(folder / "lushan.db", "芦山县", "张晓梅")
        city = open_node(folder / "city.db", "雅安市", "杨建华")
        for ws, other in ((county, city), (city, county)):
            enrolment.enrol(ws, enrolment.local_identity(other))
        demo.generate(county, sub_projects=60)
        _register_duplicate(county)
        packages.import_package(city, packages.export_package(county, folder / "1.zip").path)
        _work_offline(county, city)
        # the city has not sent anything down yet, so the county's second package carries everything again
        second = packages.export_package(county, folder / "芦山县-导出包-第2号-2026-11-25.zip").path

        dialog = ImportPreviewDialog(city, sync_overview.preview_import(city, second))
        dialog.resize(960, 640)
        dialog.show()
        app.processEvents()
        dialog.grab().save(str(OUT / "import-package-preview.png"))
        dialog.close()

        packages.import_package(city, second)
        page = ConflictsPage(city)
        page.resize(1360, 360)
        page.show()
        app.processEvents()
        page.grab().save(str(OUT / "conflicts.png"))
        page.close()
        county.close()
        city.close()


if __name__ == "__main__":
    main()
