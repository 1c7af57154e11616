"""A city database with hand-counted field work in three counties, for the assessment tests.

Built through the services (packages, which only a merge writes, are rows of the sync
state). Reference date 2016-12-31. What each county should score, item by item, is worked
out by hand in ``EXPECTED`` below; the six other divisions have no data at all.
"""

from __future__ import annotations

import shutil
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pytest

from app.models import Node, Package
from app.services import (acceptances, assessments, checklists, divisions, master_projects, node, problems, retention,
                          sub_projects, trainings, visits)
from app.services.workspace import Workspace
from tests.conftest import UNANIMOUS_GROUP, sub_project_input

AS_OF = date(2016, 12, 31)
GROUP = UNANIMOUS_GROUP

# (county, item code) -> (score, deduction), worked out by hand from ``build``:
# 1.2 staffed share x5; 2.2 schedules x6; 3.1 early intervention x8 and 3.2 any visit x12
# over started sub-projects; 4.1 1 point per overdue problem, at most 15; 5.1 pass share
# of 2016's concluded acceptances x10; 5.2 certified share of completed x10; 6.1
# attendance/100 x6; 6.2 sessions/2 x4; 7.1 1 point per month without a package, at most 10.
EXPECTED = {
    # 芦山: A1 A3 staffed of A1-A3 (2/3); A1 scheduled (1/3); of A1, A2 (A3 not started) A1 had
    # early intervention and A2's only visit is after the reference date; p1 and p2 overdue
    # (p2 rectified only in 2017); A1 passed in 2016; 60 + 30 people in 2 sessions; no
    # package in March (one at 2016-03-31 17:00 UTC is April 1st in Ya'an) or July.
    ("芦山县", "1.2"): (3.33, 1.67), ("芦山县", "2.2"): (2.0, 4.0), ("芦山县", "3.1"): (4.0, 4.0),
    ("芦山县", "3.2"): (6.0, 6.0), ("芦山县", "4.1"): (13.0, 2.0), ("芦山县", "5.1"): (10.0, 0.0),
    ("芦山县", "5.2"): (10.0, 0.0), ("芦山县", "6.1"): (5.4, 0.6), ("芦山县", "6.2"): (4.0, 0.0),
    ("芦山县", "7.1"): (8.0, 2.0),
    # 天全: both staffed, none scheduled; B1 ongoing guidance only, B2's visit deleted; 15
    # overdue visit problems + 1 from the failed acceptance (cap 15); 2016: B1 failed, then
    # passed on re-inspection (1 of 2); B1 certified, B2 completed without; one session of
    # 120 people (a deleted one of 50 does not count); a package every month.
    ("天全县", "1.2"): (5.0, 0.0), ("天全县", "2.2"): (0.0, 6.0), ("天全县", "3.1"): (0.0, 8.0),
    ("天全县", "3.2"): (6.0, 6.0), ("天全县", "4.1"): (0.0, 15.0), ("天全县", "5.1"): (5.0, 5.0),
    ("天全县", "5.2"): (5.0, 5.0), ("天全县", "6.1"): (6.0, 0.0), ("天全县", "6.2"): (2.0, 2.0),
    ("天全县", "7.1"): (10.0, 0.0),
    # 宝兴: C1 staffed, scheduled, early intervention; nothing overdue; no acceptance (no
    # deduction), nothing completed (no deduction); no training; no package (cap 10).
    ("宝兴县", "1.2"): (5.0, 0.0), ("宝兴县", "2.2"): (6.0, 0.0), ("宝兴县", "3.1"): (8.0, 0.0),
    ("宝兴县", "3.2"): (12.0, 0.0), ("宝兴县", "4.1"): (15.0, 0.0), ("宝兴县", "5.1"): (10.0, 0.0),
    ("宝兴县", "5.2"): (10.0, 0.0), ("宝兴县", "6.1"): (0.0, 6.0), ("宝兴县", "6.2"): (0.0, 4.0),
    ("宝兴县", "7.1"): (0.0, 10.0),
}
#: computed totals; the 14 manual points are added when scored in full
COMPUTED_TOTALS = {"芦山县": 65.73, "天全县": 39.0, "宝兴县": 66.0, "empty": 66.0}


@dataclass
class Fixture:
    subs: dict[str, str] = field(default_factory=dict)  # A1 -> uid
    problems: dict[str, str] = field(default_factory=dict)  # p1 -> uid
    failed_acceptance: str = ""
    divisions: dict[str, str] = field(default_factory=dict)  # name -> uid


def city_workspace(path: Path) -> Workspace:
    ws = Workspace.open(path)
    city = divisions.find_division(ws, "雅安市")
    node.setup_node(ws, division_uid=city.uid, operator="市局考核组")
    return ws


def _sub(ws, division, code, **overrides):
    plan = f"M-{code}"
    master = master_projects.find_by_code(ws, plan) or master_projects.create(
        ws, {"plan_code": plan, "name": f"总规{code}", "division_uid": division.uid})
    return sub_projects.create(ws, sub_project_input(master, division, code=code, name=f"子项目{code}",
                                                     **overrides)).uid


def _problem(ws, sub_uid, found, deadline, text="文件收集不全"):
    return problems.create(ws, {"category": "collection", "description": text, "found_on": found,
                                "deadline": deadline}, sub_project_uid=sub_uid).uid


def _accept(ws, sub_uid, day, *, fail=False, previous=None):
    template = checklists.get(ws, checklists.ensure_default(ws))
    a = (acceptances.reinspect(ws, previous, {"acceptance_date": day}) if previous
         else acceptances.create(ws, sub_uid, {"acceptance_date": day}))
    acceptances.set_members(ws, a.uid, GROUP)
    raw = {i.uid: ({"passed": not (fail and i.code == "2.8")} if i.kind == "pass_fail"
                   else {"group_score": str(i.max_score)}) for i in template.items}
    acceptances.set_scores(ws, a.uid, raw)
    if fail:
        acceptances.conclude(ws, a.uid, opinions=["补编竣工图"], rectification_deadline="2016-08-01")
    else:
        acceptances.conclude(ws, a.uid)
    return a.uid


def _training(ws, division_uid, day, people):
    return trainings.create(ws, {"held_on": day, "level": "county", "division_uid": division_uid,
                                 "organiser": "县档案局", "topic": "重建项目档案业务培训", "attendance": str(people)}).uid


def _packages(ws, division_uid, times: list[datetime]) -> None:
    """What merging a county's packages records (the sync state, not a synchronised record)."""
    with ws.db.write() as session:
        node_uid = str(uuid.uuid4())
        session.add(Node(uid=node_uid, division_uid=division_uid, label="county", code="X", is_local=False,
                         created_at=datetime(2014, 1, 1)))
        for n, at in enumerate(times, start=1):
            session.add(Package(uid=str(uuid.uuid4()), direction="in", origin_node=node_uid,
                                receiver_node=ws.node_uid, sequence=n, created_at=at, handled_at=at,
                                manifest_sha256="0" * 64, counts={}))


def build(ws: Workspace) -> Fixture:
    fx = Fixture()
    for name in ("芦山县", "天全县", "宝兴县"):
        fx.divisions[name] = divisions.find_division(ws, name).uid
    lushan, tianquan, baoxing = (divisions.find_division(ws, n) for n in ("芦山县", "天全县", "宝兴县"))
    # 芦山 (A)
    fx.subs["A1"] = _sub(ws, lushan, "A1", construction_status="completed", finish_date="2015-06-30")
    fx.subs["A2"] = _sub(ws, lushan, "A2", construction_status="under_construction", finish_date="",
                         archivist="", sector="公共服务")
    fx.subs["A3"] = _sub(ws, lushan, "A3", construction_status="not_started", start_date="", finish_date="")
    gone = _sub(ws, lushan, "A4")
    sub_projects.delete(ws, gone)  # a tombstoned sub-project counts nowhere
    retention.create_for(ws, fx.subs["A1"])
    visits.create(ws, fx.subs["A1"], {"visit_date": "2014-05-01", "kind": "early_intervention", "archivists": "王芳"})
    visits.create(ws, fx.subs["A2"], {"visit_date": "2017-01-05", "kind": "mid_term_check", "archivists": "王芳"})
    fx.problems["p1"] = _problem(ws, fx.subs["A1"], "2016-03-01", "2016-06-30")
    fx.problems["p2"] = _problem(ws, fx.subs["A1"], "2016-03-01", "2016-09-30", "竣工图未盖章")
    problems.rectify(ws, fx.problems["p2"], rectification="已补盖", rectified_by="李", rectified_on="2017-02-01")
    fx.problems["p3"] = _problem(ws, fx.subs["A2"], "2016-10-01", "2016-11-30")
    problems.rectify(ws, fx.problems["p3"], rectification="已补齐", rectified_by="李", rectified_on="2016-11-20")
    problems.verify(ws, fx.problems["p3"], passed=True, verified_on="2016-11-25")
    fx.problems["p4"] = _problem(ws, fx.subs["A2"], "2016-12-01", "2017-01-31")
    fx.problems["p5"] = _problem(ws, fx.subs["A2"], "2016-03-01", "2016-05-01")
    problems.delete(ws, fx.problems["p5"])
    _accept(ws, fx.subs["A1"], "2016-04-10")
    _training(ws, lushan.uid, "2016-03-01", 60)
    _training(ws, lushan.uid, "2016-09-01", 30)
    _training(ws, lushan.uid, "2015-06-01", 100)
    _packages(ws, lushan.uid, [datetime(2016, m, 15, 4) for m in (1, 2, 4, 5, 6, 8, 9, 10, 11, 12)]
              + [datetime(2016, 3, 31, 17)])
    # 天全 (B)
    fx.subs["B1"] = _sub(ws, tianquan, "B1", construction_status="completed", finish_date="2016-05-01",
                         sector="基础设施")
    fx.subs["B2"] = _sub(ws, tianquan, "B2", construction_status="completed", finish_date="2016-08-01")
    visits.create(ws, fx.subs["B1"], {"visit_date": "2016-02-01", "kind": "ongoing_guidance", "archivists": "赵"})
    deleted_visit = visits.create(ws, fx.subs["B2"], {"visit_date": "2016-02-01", "kind": "early_intervention",
                                                      "archivists": "赵"})
    visits.delete(ws, deleted_visit.uid)
    for n in range(15):
        _problem(ws, fx.subs["B1"], "2016-02-01", f"2016-04-{n + 1:02d}", f"问题{n + 1}")
    fx.failed_acceptance = _accept(ws, fx.subs["B1"], "2016-06-01", fail=True)
    _accept(ws, fx.subs["B1"], "2016-09-01", previous=fx.failed_acceptance)
    _training(ws, tianquan.uid, "2016-05-05", 120)
    trainings.delete(ws, _training(ws, tianquan.uid, "2016-06-05", 50))
    _packages(ws, tianquan.uid, [datetime(2016, m, 10, 4) for m in range(1, 13)])
    # 宝兴 (C)
    fx.subs["C1"] = _sub(ws, baoxing, "C1", construction_status="under_construction", finish_date="")
    retention.create_for(ws, fx.subs["C1"])
    visits.create(ws, fx.subs["C1"], {"visit_date": "2015-01-01", "kind": "early_intervention", "archivists": "孙"})
    return fx


def copy_database(source: Path, target: Path) -> None:
    shutil.copy(source, target)
    store = source.parent / "attachments"
    if store.exists():
        shutil.copytree(store, target.parent / "attachments")


def score_manual_items(ws: Workspace, view: assessments.AssessmentView, overrides=None) -> None:
    """Every hand-scored item at full points, except ``{(subject name, code): (score, note)}``."""
    overrides = overrides or {}
    for s in view.scores:
        if s.manual:
            score, note = overrides.get((s.subject_name, s.item.code), (s.points, ""))
            assessments.score_manual(ws, s.uid, score=str(score), note=note)


PUBLICATION = {"number": "雅重建委〔2017〕2号", "title": "关于2016年度灾后恢复重建项目档案工作考核结果的通报",
               "issuer": "雅安市灾后恢复重建委员会 雅安市档案局", "recipients": "各县（区）重建委、档案局",
               "published_on": "2017-01-20"}


@pytest.fixture(scope="session")
def assessed_template(tmp_path_factory):
    """The hand-counted city, built once; ``city`` gives each test its own copy."""
    path = tmp_path_factory.mktemp("assessment") / "city.db"
    ws = city_workspace(path)
    fx = build(ws)
    ws.close()
    return path, fx


@pytest.fixture
def city(assessed_template, tmp_path):
    source, fx = assessed_template
    copy_database(source, tmp_path / "city.db")
    ws = Workspace.open(tmp_path / "city.db")
    ws.fx = fx
    yield ws
    ws.close()
