"""Screenshots of the yearly assessment: python docs/screenshots/make_assessment_screenshots.py

Writes ``assessment.png`` (the page on a city-sized demo: the ranking, a county's items,
a deduction and the records behind it) and ``assessment-notice.png`` (the first page of
the published notice, ``pdftoppm -png -r 80``), from a throw-away city database of 4,055
demo sub-projects in a temporary folder. The demo has no acceptances and no export
packages, so a few acceptances are held and the packages merged from the counties are
recorded as a merge records them (sync state rows), one a month with some months missed.
"""

from __future__ import annotations

import subprocess
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

from shot_support import OUT, open_node, start_app  # first: Qt offscreen, the repository importable

from app.models import Node, Package  # noqa: E402
from app.reports import assessment_pdf  # noqa: E402
from app.services import acceptances, assessments, checklists, divisions, sub_project_search  # noqa: E402
from app.services.sub_project_search import SubProjectFilter  # noqa: E402
from app.services.workspace import Workspace  # noqa: E402
from app.ui.assessment.assessment_page import AssessmentPage  # noqa: E402


YEAR = 2016
GROUP = [{"name": "杨建华", "unit_kind": "reconstruction_committee", "role": "leader", "vote": "agree"},
         {"name": "陈丽", "unit_kind": "archives_bureau", "role": "deputy", "vote": "agree"},
         {"name": "刘强", "unit_kind": "finance_bureau", "vote": "agree"},
         {"name": "周敏", "unit_kind": "development_commission", "vote": "agree"},
         {"name": "吴刚", "unit_kind": "housing_bureau", "vote": "agree"}]
#: division -> (acceptances held in 2016 (passed, failed), months without a package)
FIELD = {"雨城区": ((6, 0), ()), "名山区": ((4, 1), (2,)), "荥经县": ((3, 0), (8, 9)), "汉源县": ((3, 1), ()),
         "石棉县": ((2, 0), (1, 2, 7)), "天全县": ((4, 2), (5,)), "芦山县": ((8, 1), ()), "宝兴县": ((2, 1), (3, 4, 10, 11)),
         "芦天宝飞地产业园区": ((1, 0), (6, 7, 8))}
#: hand scores below full points: (subject, item code) -> (score, reason)
HAND = {("名山区", "1.1"): (3, "领导小组成员调整后未及时发文明确"),
        ("石棉县", "2.1"): (2, "未制定项目档案管理制度，合同中无归档条款"),
        ("宝兴县", "4.2"): (2, "第二轮督导通报问题整改情况逾期 3 次报送"),
        ("芦天宝飞地产业园区", "1.1"): (3, "园区管委会未将项目档案工作纳入年度目标考核"),
        ("天全县", "4.2"): (4, "通报问题整改情况逾期 1 次报送"),
        ("市民政局", "2.1"): (2, "行业内项目档案管理制度未印发"),
        ("市发展改革委", "1.1"): (4, "分管领导调整后未及时明确")}


def _accept(ws: Workspace, template, division_uid: str, n: int, *, fail: bool) -> None:
    flt = SubProjectFilter(division_uid=division_uid, construction_status="completed")
    ids = sub_project_search.search_ids(ws, flt)
    sub = sub_project_search.fetch_rows(ws, [ids[n]])[ids[n]].uid
    day = f"{YEAR}-{3 + n % 9:02d}-{10 + n % 15:02d}"
    a = acceptances.create(ws, sub, {"acceptance_date": day})
    acceptances.set_members(ws, a.uid, GROUP)
    acceptances.set_scores(ws, a.uid, {i.uid: ({"passed": not (fail and i.code == "2.8")} if i.kind == "pass_fail"
                                               else {"group_score": str(i.max_score)}) for i in template.items})
    if fail:
        acceptances.conclude(ws, a.uid, opinions=["补编竣工图并加盖竣工图章"], rectification_deadline=f"{YEAR}-11-30")
    else:
        acceptances.conclude(ws, a.uid)


def _populate(ws: Workspace) -> None:
    template = checklists.get(ws, checklists.ensure_default(ws))
    with ws.db.write() as session:
        for name, (_held, missed) in FIELD.items():
            division = divisions.find_division(ws, name)
            county = str(uuid.uuid4())
            session.add(Node(uid=county, division_uid=division.uid, label=name, code=division.code + "0A1B",
                             is_local=False, created_at=datetime(2014, 3, 1)))
            months = [m for m in range(1, 13) if m not in missed]
            for seq, month in enumerate(months, start=1):
                at = datetime(YEAR, month, 20, 2, 30)
                session.add(Package(uid=str(uuid.uuid4()), direction="in", origin_node=county,
                                    receiver_node=ws.node_uid, sequence=seq, created_at=at, handled_at=at,
                                    manifest_sha256="0" * 64, counts={}))
    for name, ((passed, failed), _missed) in FIELD.items():
        division = divisions.find_division(ws, name)
        for n in range(passed + failed):
            _accept(ws, template, division.uid, n, fail=n >= passed)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = start_app(tmp)
        ws = open_node(Path(tmp) / "c.db", divisions.CITY_CODE, "陈丽", sub_projects=4055)
        _populate(ws)
        start = time.perf_counter()
        view = assessments.compute(ws, YEAR)
        print(f"computed {YEAR}: {len(view.scores)} score rows in {time.perf_counter() - start:.2f} s")
        for s in view.scores:
            if s.manual:
                score, note = HAND.get((s.subject_name, s.item.code), (s.points, ""))
                assessments.score_manual(ws, s.uid, score=str(score), note=note)
        raw = assessments.publish_defaults(ws, view.uid)
        published = assessments.publish(ws, view.uid, {**raw, "number": f"雅重建委〔{YEAR + 1}〕2号",
                                                       "published_on": f"{YEAR + 1}-01-20"})

        page = AssessmentPage(ws)
        page.resize(1440, 820)
        page.show()
        page.year.setCurrentIndex(page.year.findData(YEAR))
        page.load_versions(keep=published.uid)
        row = next(n for n, s in enumerate(page.ranking_model.rows) if s.name == "宝兴县")
        page.ranking.setCurrentIndex(page.ranking_model.index(row, 0))
        overdue = page.breakdown_model.row_of(next(i.uid for i in published.rule_set.items if i.code == "4.1"))
        page.breakdown.setCurrentIndex(page.breakdown_model.index(overdue, 0))
        app.processEvents()
        page.grab().save(str(OUT / "assessment.png"))

        pdf = Path(tmp) / "notice.pdf"
        start = time.perf_counter()
        assessment_pdf.write_assessment(ws, YEAR, pdf)
        print(f"notice: {pdf.stat().st_size:,} bytes in {time.perf_counter() - start:.2f} s")
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(OUT / "assessment-notice")], check=True)
        page.close()
        ws.close()
    print(OUT / "assessment.png", OUT / "assessment-notice.png")


if __name__ == "__main__":
    main()
