"""A small city database with hand-counted figures, built through the services.

Three divisions; "today" is 2016-06-01 for every overdue judgement. What each division
holds, and so what every figure must be, is written beside it (see HAND_COUNT).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.services import (
    acceptances,
    certificates,
    checklists,
    divisions,
    master_projects,
    node,
    problems,
    sub_projects,
    trainings,
    visits,
)
from app.services.workspace import Workspace
from tests.test_acceptances import GROUP, _score_all

TODAY = date(2016, 6, 1)

#: the dashboard's figures, counted by hand from ``build`` below (today = 2016-06-01)
HAND_COUNT = {
    # 芦山县: A1 (demo, completed), A2 (under construction); A3 deleted with its visit and problem
    "芦山县": {"sub_projects": 2, "visited": 2, "with_open_problems": 2, "with_overdue_problems": 2,
            "problems_open": 3, "problems_overdue": 2, "acceptances_passed": 1, "acceptances_failed": 0,
            "certificates": 1, "trainings": 1, "attendance": 20, "demonstration_sites": 1, "accepted": 1,
            "under_construction": 1, "completed": 1, "investment_yuan": 4_565_000},
    # 宝兴县: B1 (demo, failed then passed: the failure's opinion is an overdue problem), B2 never visited;
    # its one training was deleted
    "宝兴县": {"sub_projects": 2, "visited": 1, "with_open_problems": 1, "with_overdue_problems": 1,
            "problems_open": 1, "problems_overdue": 1, "acceptances_passed": 1, "acceptances_failed": 1,
            "certificates": 1, "trainings": 0, "attendance": 0, "demonstration_sites": 1, "accepted": 1,
            "under_construction": 0, "completed": 1, "investment_yuan": 2_500_000},
    # 雨城区: C1 failed its acceptance (opinion due 2016-08-01: open, not overdue)
    "雨城区": {"sub_projects": 1, "visited": 1, "with_open_problems": 1, "with_overdue_problems": 1,
            "problems_open": 2, "problems_overdue": 1, "acceptances_passed": 0, "acceptances_failed": 1,
            "certificates": 0, "trainings": 1, "attendance": 12, "demonstration_sites": 0, "accepted": 0,
            "under_construction": 0, "completed": 1, "investment_yuan": 800_000},
}
#: the city's own (市本级) figures: two city-level trainings
CITY_TRAININGS = {"trainings": 2, "attendance": 75}


class _Day(date):
    """Stands in for ``date`` in the certificate service, so certificates carry a 2016 date."""

    fixed = date(2016, 5, 12)

    @classmethod
    def today(cls):
        return cls.fixed


def _issued_on(monkeypatch, day: date) -> None:
    _Day.fixed = day
    monkeypatch.setattr(certificates, "date", _Day)


def _sub(ws, master, division, code, name, sector, investment, status, demo=False):
    return sub_projects.create(ws, {
        "code": code, "name": name, "division_uid": division.uid, "master_project_uid": master.uid,
        "sector": sector, "owner_unit": "建设单位", "investment": investment, "construction_status": status,
        "demonstration_site": demo, "start_date": "2014-03-01", "archivist": "王芳",
    })


def _problem(description, deadline):
    return {"category": "as_built", "description": description, "responsible_person": "李建国",
            "deadline": deadline}


def _visit(ws, sub, day, *found):
    visits.create(ws, sub.uid, {"visit_date": day, "kind": "mid_term_check", "archivists": "张晓梅"}, list(found))
    return {p.description: p for p in problems.for_sub_project(ws, sub.uid)}


def _acceptance(ws, sub, template, day, *, fail_deadline=None, previous=None):
    if previous is not None:
        a = acceptances.reinspect(ws, previous.uid, {"acceptance_date": day})
        acceptances.set_members(ws, a.uid, GROUP)
    else:
        a = acceptances.create(ws, sub.uid, {"acceptance_date": day})
        acceptances.set_members(ws, a.uid, GROUP)
    veto = next(i for i in template.items if i.code == "2.8")
    _score_all(ws, a, template, override={veto.uid: {"passed": False}} if fail_deadline else {})
    if fail_deadline:
        return acceptances.conclude(ws, a.uid, opinions=["补编竣工图"], rectification_deadline=fail_deadline)
    return acceptances.conclude(ws, a.uid)


def build(path: Path) -> dict[str, str]:
    """Build the database at ``path`` (the city's installation); returns division names -> uids."""
    ws = Workspace.open(path)
    try:
        with pytest.MonkeyPatch.context() as monkeypatch:
            return _fill(ws, monkeypatch)
    finally:
        ws.close()


def _fill(ws: Workspace, monkeypatch) -> dict[str, str]:
    city = divisions.find_division(ws, divisions.CITY_CODE)
    node.setup_node(ws, division_uid=city.uid, operator="市档案局")
    found = {name: divisions.find_division(ws, name) for name in ("芦山县", "宝兴县", "雨城区")}
    lushan, baoxing, yucheng = found["芦山县"], found["宝兴县"], found["雨城区"]
    masters = {}
    for n, (division, code) in enumerate(((lushan, "511826"), (baoxing, "511827"), (yucheng, "511802")), 1):
        masters[division.uid] = master_projects.create(ws, {
            "plan_code": f"{code}-ZG-000{n}", "name": f"总规项目{n}", "division_uid": division.uid,
            "sector": "城乡住房", "owner_unit": "建设单位", "investment": "5000"})
    template = checklists.get(ws, checklists.ensure_default(ws))

    a1 = _sub(ws, masters[lushan.uid], lushan, "511826-ZG-0001-01", "古城村农房重建", "城乡住房", "356.5",
              "completed", demo=True)
    a2 = _sub(ws, masters[lushan.uid], lushan, "511826-ZG-0001-02", "龙门乡卫生院", "公共服务", "100",
              "under_construction")
    a3 = _sub(ws, masters[lushan.uid], lushan, "511826-ZG-0001-03", "已删除的子项目", "城乡住房", "999",
              "completed", demo=True)
    b1 = _sub(ws, masters[baoxing.uid], baoxing, "511827-ZG-0002-01", "宝兴县城道路", "基础设施", "200",
              "completed", demo=True)
    _sub(ws, masters[baoxing.uid], baoxing, "511827-ZG-0002-02", "宝兴县供水", "基础设施", "50", "not_started")
    c1 = _sub(ws, masters[yucheng.uid], yucheng, "511802-ZG-0003-01", "雨城区学校", "公共服务", "80", "completed")

    # A1: two visits; problems open+overdue, open not yet due, rectified, verified
    a1_found = _visit(ws, a1, "2015-03-02", _problem("竣工图未盖章", "2015-04-30"), _problem("声像档案未标注", "2016-07-01"),
                      _problem("卷内目录未填", "2015-05-01"), _problem("签字不全", "2015-05-01"))
    problems.rectify(ws, a1_found["卷内目录未填"].uid, rectification="已补填", rectified_by="李建国",
                     rectified_on="2015-04-20")
    problems.rectify(ws, a1_found["签字不全"].uid, rectification="已补签", rectified_by="李建国",
                     rectified_on="2015-04-21")
    problems.verify(ws, a1_found["签字不全"].uid, passed=True, note="复查合格", verified_on="2015-04-28")
    _visit(ws, a1, "2016-02-10")
    # A2: one overdue problem
    _visit(ws, a2, "2016-01-15", _problem("监理日志缺页", "2016-03-01"))
    # A3: visited, an overdue problem, then deleted: none of it counts
    _visit(ws, a3, "2015-06-01", _problem("已删除项目的问题", "2015-07-01"))
    sub_projects.delete(ws, a3.uid)
    # B1: a verified problem; a failed acceptance whose opinion stays open past its deadline; then a pass
    b1_found = _visit(ws, b1, "2015-09-10", _problem("档案室未设防盗门", "2015-10-10"))
    problems.rectify(ws, b1_found["档案室未设防盗门"].uid, rectification="已安装", rectified_by="李建国",
                     rectified_on="2015-10-01")
    problems.verify(ws, b1_found["档案室未设防盗门"].uid, passed=True, note="复查合格", verified_on="2015-10-05")
    failed = _acceptance(ws, b1, template, "2016-03-10", fail_deadline="2016-04-30")
    _issued_on(monkeypatch, date(2016, 5, 25))
    _acceptance(ws, b1, template, "2016-05-20", previous=failed)
    # C1: an overdue problem, a rectified one, a failed acceptance due later
    c1_found = _visit(ws, c1, "2016-04-01", _problem("案卷题名不规范", "2016-05-01"), _problem("备考表未签", "2016-05-01"))
    problems.rectify(ws, c1_found["备考表未签"].uid, rectification="已签", rectified_by="李建国",
                     rectified_on="2016-04-20")
    _acceptance(ws, c1, template, "2016-05-15", fail_deadline="2016-08-01")
    # A1 passes; its certificate is reissued (the voided one no longer counts)
    _issued_on(monkeypatch, date(2016, 5, 12))
    passed = _acceptance(ws, a1, template, "2016-05-10")
    [first] = certificates.for_acceptance(ws, passed.uid)
    _issued_on(monkeypatch, date(2016, 5, 14))
    certificates.reissue(ws, first.uid, reason="业主单位名称有误")

    # trainings: two at city level (2016), one in 芦山 (2016), one in 雨城 (2015), one in 宝兴 deleted
    for day, level, division, attendance in (("2016-03-15", "city", city, "45"), ("2016-04-20", "city", city, "30"),
                                             ("2016-02-01", "county", lushan, "20"),
                                             ("2015-11-05", "county", yucheng, "12")):
        trainings.create(ws, {"held_on": day, "level": level, "division_uid": division.uid, "organiser": "档案局",
                              "topic": "重建项目档案整理", "attendance": attendance})
    gone = trainings.create(ws, {"held_on": "2016-01-10", "level": "county", "division_uid": baoxing.uid,
                                 "organiser": "宝兴县档案局", "topic": "档案整理", "attendance": "33"})
    trainings.delete(ws, gone.uid)
    return {"芦山县": lushan.uid, "宝兴县": baoxing.uid, "雨城区": yucheng.uid, "雅安市": city.uid}
