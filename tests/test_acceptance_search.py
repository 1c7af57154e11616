"""The acceptance list's query service: filters, order, rows with their newest certificate."""

from __future__ import annotations

from datetime import date

import pytest

from app.services import acceptance_search, acceptances, certificates, checklists, divisions, sub_projects
from app.services.acceptance_search import AcceptanceFilter
from tests.conftest import sub_project_input
from tests.test_acceptances import GROUP


def _scored(ws, sub_uid: str, day: str, *, fail_veto: bool = False, conclude: bool = True) -> str:
    template = checklists.get(ws, checklists.ensure_default(ws))
    a = acceptances.create(ws, sub_uid, {"acceptance_date": day})
    acceptances.set_members(ws, a.uid, GROUP)
    raw = {i.uid: ({"passed": not (fail_veto and i.code == "2.8")} if i.kind == "pass_fail"
                   else {"group_score": str(i.max_score)}) for i in template.items}
    acceptances.set_scores(ws, a.uid, raw)
    if conclude:
        if fail_veto:
            acceptances.conclude(ws, a.uid, opinions=["补编竣工图"], rectification_deadline="2017-01-31")
        else:
            acceptances.conclude(ws, a.uid)
    return a.uid


@pytest.fixture
def three(ws, master, lushan):
    """A pass in 芦山县, a fail and a draft re-inspection of another sub-project in 宝兴县."""
    baoxing = divisions.find_division(ws, "宝兴县")
    one = sub_projects.create(ws, sub_project_input(master, lushan))
    two = sub_projects.create(ws, sub_project_input(master, baoxing, code="511827-ZG-0002-01",
                                                    name="宝兴县灵关镇小学重建"))
    passed = _scored(ws, one.uid, "2016-05-10")
    failed = _scored(ws, two.uid, "2016-06-20", fail_veto=True)
    again = acceptances.reinspect(ws, failed, {"acceptance_date": "2016-09-01"}).uid
    return {"pass": passed, "fail": failed, "draft": again, "lushan": lushan.uid, "baoxing": baoxing.uid}


def _uids(ws, flt: AcceptanceFilter, **kwargs) -> list[str]:
    ids = acceptance_search.search_ids(ws, flt, **kwargs)
    rows = acceptance_search.fetch_rows(ws, ids)
    return [rows[i].uid for i in ids]


def test_newest_first_and_each_filter(ws, three):
    assert _uids(ws, AcceptanceFilter()) == [three["draft"], three["fail"], three["pass"]]
    assert _uids(ws, AcceptanceFilter(), descending=False) == [three["pass"], three["fail"], three["draft"]]
    assert _uids(ws, AcceptanceFilter(conclusion="pass")) == [three["pass"]]
    assert _uids(ws, AcceptanceFilter(conclusion="fail")) == [three["fail"]]
    assert _uids(ws, AcceptanceFilter(status="draft")) == [three["draft"]]
    assert _uids(ws, AcceptanceFilter(division_uid=three["baoxing"])) == [three["draft"], three["fail"]]
    assert _uids(ws, AcceptanceFilter(date_from=date(2016, 6, 1), date_to=date(2016, 6, 30))) == [three["fail"]]
    assert _uids(ws, AcceptanceFilter(keyword="灵关")) == [three["draft"], three["fail"]]
    assert _uids(ws, AcceptanceFilter(keyword="0001-01")) == [three["pass"]]
    assert acceptance_search.count(ws, AcceptanceFilter(division_uid=three["lushan"])) == 1


def test_every_sort_key_runs(ws, three):
    for key in acceptance_search.SORT_KEYS:
        assert sorted(_uids(ws, AcceptanceFilter(), sort=key)) == sorted(three[k] for k in ("pass", "fail", "draft"))


def test_rows_carry_the_result_and_the_newest_certificate(ws, three):
    ids = acceptance_search.search_ids(ws, AcceptanceFilter())
    rows = {r.uid: r for r in acceptance_search.fetch_rows(ws, ids).values()}
    passed, failed, draft = rows[three["pass"]], rows[three["fail"]], rows[three["draft"]]
    assert (passed.division_name, passed.conclusion, passed.total_score, passed.grade) == (
        "芦山县", "pass", 100, "优良")
    assert passed.template_version == 1 and passed.template_name.startswith("四川省")
    assert passed.certificate_number.endswith("-00001") and passed.certificate_status == "valid"
    assert failed.conclusion == "fail" and failed.certificate_uid is None and failed.certificate_number == ""
    assert draft.status == "draft" and draft.previous_uid == three["fail"]
    assert acceptance_search.reinspection_of(ws, three["fail"]) == three["draft"]
    assert acceptance_search.rectification_opinions(ws, three["fail"]) == ["补编竣工图"]
    assert acceptance_search.rectification_opinions(ws, three["pass"]) == []
    assert acceptance_search.id_of(ws, three["pass"]) == passed.id

    # a reissue: the row shows the new number, the keyword finds both numbers
    old = certificates.for_acceptance(ws, three["pass"])[0]
    new = certificates.reissue(ws, old.uid, reason="证书污损")
    row = acceptance_search.fetch_rows(ws, [passed.id])[passed.id]
    assert (row.certificate_uid, row.certificate_number, row.certificate_status) == (new.uid, new.number, "valid")
    assert _uids(ws, AcceptanceFilter(keyword=old.number)) == [three["pass"]]
    assert acceptance_search.certificate_uids(ws, AcceptanceFilter()) == [new.uid]
    assert acceptance_search.certificate_uids(ws, AcceptanceFilter(), include_void=True) == [old.uid, new.uid]
    assert acceptance_search.certificate_uids(ws, AcceptanceFilter(division_uid=three["baoxing"])) == []


def test_no_ids_no_query(ws):
    assert acceptance_search.fetch_rows(ws, []) == {}
