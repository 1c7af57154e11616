"""A sub-project's timeline tells its story newest first: visits, problems, steps, acceptances."""

from __future__ import annotations

from app.services import acceptances, checklists, problems, sub_projects, timeline, visits
from tests.conftest import sub_project_input
from tests.test_acceptances import GROUP


def test_timeline_of_a_sub_project(ws, master, lushan):
    sub = sub_projects.create(ws, sub_project_input(master, lushan))
    visits.create(ws, sub.uid, {"visit_date": "2015-03-02", "kind": "early_intervention", "archivists": "张晓梅",
                                "content": "指导编制保管期限表"},
                  [{"description": "未编制保管期限表", "deadline": "2015-04-01", "category": "rules"}])
    [p] = problems.for_sub_project(ws, sub.uid)
    problems.rectify(ws, p.uid, rectification="已编制", rectified_by="李建国", rectified_on="2015-03-20")
    problems.verify(ws, p.uid, passed=True, note="到位", verified_on="2015-03-25")
    template = checklists.get(ws, checklists.ensure_default(ws))
    a = acceptances.create(ws, sub.uid, {"acceptance_date": "2016-05-10"})
    acceptances.set_members(ws, a.uid, GROUP)
    acceptances.set_scores(ws, a.uid, {i.uid: ({"passed": True} if i.kind == "pass_fail" else
                                               {"group_score": str(i.max_score)}) for i in template.items})
    acceptances.conclude(ws, a.uid)

    entries = timeline.for_sub_project(ws, sub.uid)
    assert [e.kind for e in entries] == ["acceptance", "verification", "rectification", "problem", "visit"]
    assert entries[0].state == "合格，100 分" and entries[0].summary.startswith("证书编号 ")
    assert entries[3].state == "已复查" and entries[3].problem_state == "verified"
    assert entries[4].label == "现场指导·提前介入" and entries[4].summary.endswith("发现 1 个问题")
