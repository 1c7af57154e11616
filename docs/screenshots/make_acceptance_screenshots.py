"""Screenshots of the acceptance screens: python docs/screenshots/make_acceptance_screenshots.py

Writes ``acceptance-scoring.png`` (the 评分 tab half-way through a sheet, live total) and
``acceptances.png`` (the acceptance list with passes, fails, a re-inspection and a
reissued certificate), from a throw-away city database in a temporary folder.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from shot_support import OUT, open_node, start_app  # first: Qt offscreen, the repository importable

from app.services import acceptances, certificates, checklists, divisions, sub_project_search  # noqa: E402
from app.services.sub_project_search import SubProjectFilter  # noqa: E402
from app.services.workspace import Workspace  # noqa: E402
from app.ui.acceptance.acceptance_dialog import SCORING_TAB, AcceptanceDialog  # noqa: E402
from app.ui.acceptance.acceptances_page import AcceptancesPage  # noqa: E402
from app.ui.acceptance.score_model import COL_GROUP, COL_SELF  # noqa: E402


GROUP = [("杨建华", "reconstruction_committee", "市重建委", "leader"),
         ("陈丽", "archives_bureau", "市档案局", "deputy"),
         ("刘强", "finance_bureau", "县财政局", "member"),
         ("周敏", "development_commission", "县发改委", "member"),
         ("吴刚", "housing_bureau", "县住建局", "member")]
#: (division, acceptance date, deductions by item code, failed pass/fail items, votes against)
PLAN = [
    ("雨城区", "2016-03-22", {"1.4": 1, "2.4": 2, "2.7": 2}, set(), 0),
    ("名山区", "2016-04-12", {"1.2": 1, "2.1": 3, "2.4": 3, "2.7": 4, "3.1": 2, "3.3": 2}, set(), 1),
    ("芦山县", "2016-05-10", {"2.4": 1.5}, set(), 0),
    ("天全县", "2016-05-26", {"2.1": 2, "2.7": 3}, {"2.8"}, 0),
    ("宝兴县", "2016-06-14", {"2.1": 4, "2.2": 3, "2.3": 3, "2.4": 6, "2.5": 4, "2.7": 6}, set(), 1),
    ("汉源县", "2016-07-05", {"1.1": 1, "3.2": 2}, set(), 0),
    ("石棉县", "2016-07-19", {"2.7": 2, "2.10": 1}, set(), 0),
]


def _sub_project_in(ws: Workspace, division: str, n: int = 0) -> str:
    flt = SubProjectFilter(division_uid=divisions.find_division(ws, division).uid, construction_status="completed")
    ids = sub_project_search.search_ids(ws, flt) or sub_project_search.search_ids(
        ws, SubProjectFilter(division_uid=flt.division_uid))
    return sub_project_search.fetch_rows(ws, [ids[n]])[ids[n]].uid


def _group(votes_against: int = 0) -> list[dict]:
    return [{"name": name, "unit_kind": kind, "unit_name": unit, "role": role,
             "vote": "disagree" if n >= len(GROUP) - votes_against else "agree"}
            for n, (name, kind, unit, role) in enumerate(GROUP)]


def _populate(ws: Workspace) -> None:
    template = checklists.get(ws, checklists.ensure_default(ws))
    for division, day, minus, failed, against in PLAN:
        a = acceptances.create(ws, _sub_project_in(ws, division), {
            "acceptance_date": day, "total_volumes": "240", "sampled_volumes": "20", "accepted_volumes": "240",
            "accepted_items": "3125", "accepted_drawings": "418"})
        acceptances.set_members(ws, a.uid, _group(against))
        acceptances.set_scores(ws, a.uid, {
            i.uid: ({"passed": i.code not in failed} if i.kind == "pass_fail"
                    else {"self_score": str(i.max_score), "group_score": str(i.max_score - minus.get(i.code, 0))})
            for i in template.items})
        evaluation = acceptances.evaluation_of(ws, a.uid)
        if evaluation.conclusion == "fail":
            acceptances.conclude(ws, a.uid, opinions=["补编竣工图并加盖竣工图章"], rectification_deadline="2016-09-30")
            if division == "天全县":
                acceptances.reinspect(ws, a.uid, {"acceptance_date": "2016-10-11"})
        else:
            acceptances.conclude(ws, a.uid)
    passed = [c for c in certificates.for_acceptance(ws, acceptances.for_sub_project(
        ws, _sub_project_in(ws, "雨城区"))[0].uid)]
    certificates.reissue(ws, passed[0].uid, reason="证书污损，按原内容补发")
    # two still in progress
    for division in ("荥经县", "芦山县"):
        acceptances.create(ws, _sub_project_in(ws, division, 1), {"acceptance_date": "2016-08-02"})


def _scoring_dialog(ws: Workspace) -> AcceptanceDialog:
    """A sheet half scored: group in, header in, the cursor on the next 验收赋分 cell."""
    uid = acceptances.create(ws, _sub_project_in(ws, "芦山县", 2), {
        "acceptance_date": "2016-08-16", "application_date": "2016-08-03", "completion_acceptance_date": "2016-10-28",
        "total_volumes": "186", "sampled_volumes": "16", "total_drawings": "512", "sampled_drawings": "55",
        "accepted_volumes": "186", "accepted_items": "2473", "accepted_drawings": "512"}).uid
    acceptances.set_members(ws, uid, [{**m, "vote": ""} for m in _group()])
    dialog = AcceptanceDialog(ws, uid)
    model = dialog.scoring.model
    typed = {"1.1": ("2", "2"), "1.2": ("3", "3"), "1.3": ("3", "2"), "1.4": ("4", "3"), "1.5": ("3", "3"),
             "1.6": ("3", "2.5"), "1.7": ("2", "2"), "2.1": ("6", "5"), "2.2": ("4", "4"), "2.3": ("4", "3"),
             "2.4": ("8", "6.5"), "2.5": ("5", "3")}
    remark = model.columnCount() - 1
    model.setData(model.index(model.row_of_item(_item(dialog, "2.3")), remark), "缺 2 份施工合同原件")
    model.setData(model.index(model.row_of_item(_item(dialog, "2.5")), remark), "监理日志 2015 年 3 月缺页")
    for code, (own, group) in typed.items():
        row = model.row_of_item(_item(dialog, code))
        model.setData(model.index(row, COL_SELF), own)
        model.setData(model.index(row, COL_GROUP), group)
    dialog.tabs.setCurrentIndex(SCORING_TAB)
    next_row = model.row_of_item(_item(dialog, "2.6"))
    dialog.scoring.table.setCurrentIndex(model.index(next_row, COL_GROUP))
    return dialog


def _item(dialog: AcceptanceDialog, code: str) -> str:
    return next(i.uid for i in dialog.template.items if i.code == code)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = start_app(tmp)
        ws = open_node(Path(tmp) / "demo.db", divisions.CITY_CODE, "张晓梅", sub_projects=400)
        _populate(ws)

        dialog = _scoring_dialog(ws)
        dialog.resize(1280, 820)
        dialog.show()
        dialog.scoring.table.setFocus()
        app.processEvents()
        dialog.scoring.table.scrollToTop()
        app.processEvents()
        dialog.grab().save(str(OUT / "acceptance-scoring.png"))
        dialog.close()

        page = AcceptancesPage(ws)
        page.resize(1320, 420)
        page.show()
        page.table.selectRow(4)
        app.processEvents()
        page.grab().save(str(OUT / "acceptances.png"))
        page.close()
        ws.close()


if __name__ == "__main__":
    main()
