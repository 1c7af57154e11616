"""The 3-month rule compares an acceptance with its sub-project's planned completion
acceptance (计划竣工验收日期), which the sub-project holds and the acceptance copies."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.errors import ValidationError
from app.models import Acceptance
from app.services import acceptances, checklists, records, sub_projects
from app.services.master_list.exporter import export_register
from app.services.master_list.importer import commit_import, plan_import
from tests.conftest import sub_project_input
from tests.test_acceptances import GROUP, _score_all


@pytest.fixture
def sub(ws, master, lushan):
    return sub_projects.create(ws, sub_project_input(master, lushan, completion_acceptance_date="2016年8月10日"))


def warning_for(ws, sub, held: str) -> str:
    a = acceptances.create(ws, sub.uid, {"acceptance_date": held})
    return acceptances.timing_warning(acceptances.get(ws, a.uid).values)


def test_the_sub_project_keeps_its_planned_completion_acceptance(ws, sub):
    assert sub.completion_acceptance_date == date(2016, 8, 10)
    assert sub.form_values()["completion_acceptance_date"] == "2016-08-10"
    assert sub_projects.LABELS["completion_acceptance_date"] == "计划竣工验收日期"


def test_exactly_three_months_before_is_in_time(ws, sub):
    assert warning_for(ws, sub, "2016-05-10") == ""
    assert warning_for(ws, sub, "2016-02-01") == ""


def test_less_than_three_months_before_warns_naming_both_dates(ws, sub):
    assert warning_for(ws, sub, "2016-05-11") == (
        "档案验收（2016-05-11）距竣工验收（2016-08-10）不足 3 个月：按规定档案验收应在竣工验收 3 个月前完成。")
    assert "不足 3 个月" in warning_for(ws, sub, "2016-08-20")  # after it, too


def test_no_planned_date_no_warning(ws, master, lushan):
    bare = sub_projects.create(ws, sub_project_input(master, lushan, code="511826-ZG-0001-05"))
    assert bare.completion_acceptance_date is None
    assert warning_for(ws, bare, "2016-08-01") == ""


def test_a_draft_follows_the_plan_and_a_concluded_acceptance_keeps_the_date_it_was_judged_against(ws, sub):
    template = checklists.get(ws, checklists.ensure_default(ws))
    a = acceptances.create(ws, sub.uid, {"acceptance_date": "2016-06-01"})
    assert "不足 3 个月" in acceptances.timing_warning(acceptances.get(ws, a.uid).values)
    sub_projects.update(ws, sub.uid, {**sub.form_values(), "completion_acceptance_date": "2016-12-01"})
    assert acceptances.get(ws, a.uid).values["completion_acceptance_date"] == date(2016, 12, 1)
    assert acceptances.timing_warning(acceptances.get(ws, a.uid).values) == ""

    acceptances.set_members(ws, a.uid, GROUP)
    _score_all(ws, a, template)
    acceptances.conclude(ws, a.uid)
    changed = sub_projects.get(ws, sub.uid)
    sub_projects.update(ws, sub.uid, {**changed.form_values(), "completion_acceptance_date": "2016-07-01"})
    assert acceptances.get(ws, a.uid).values["completion_acceptance_date"] == date(2016, 12, 1)
    with ws.db.read() as session:
        stored = session.scalar(select(Acceptance.completion_acceptance_date).where(Acceptance.uid == a.uid))
    assert stored == date(2016, 12, 1)


def test_a_date_typed_on_an_acceptance_before_sub_projects_held_one_is_still_used(ws, master, lushan):
    bare = sub_projects.create(ws, sub_project_input(master, lushan, code="511826-ZG-0001-05"))
    a = acceptances.create(ws, bare.uid, {"acceptance_date": "2016-05-10"})
    with ws.db.write() as session:  # as version 0005 stored what was typed on the acceptance
        record = session.scalar(select(Acceptance).where(Acceptance.uid == a.uid))
        records.update(session, ws, record, {"completion_acceptance_date": date(2016, 7, 1)})
    assert "不足 3 个月" in acceptances.timing_warning(acceptances.get(ws, a.uid).values)
    acceptances.update(ws, a.uid, {"opinion": "资料基本齐全"})
    assert acceptances.get(ws, a.uid).values["completion_acceptance_date"] == date(2016, 7, 1)


def test_the_plan_cannot_come_before_the_works_are_finished(ws, master, lushan):
    with pytest.raises(ValidationError) as info:
        sub_projects.create(ws, sub_project_input(master, lushan, code="511826-ZG-0001-06",
                                                  completion_acceptance_date="2015-05-01"))
    assert info.value.field_errors == {
        "completion_acceptance_date": "“计划竣工验收日期”（2015-05-01）不能早于“完工日期”（2015-06-30）。"}
    with pytest.raises(ValidationError) as info:
        sub_projects.create(ws, sub_project_input(master, lushan, code="511826-ZG-0001-06", finish_date="",
                                                  completion_acceptance_date="2014-01-01"))
    assert info.value.field_errors == {
        "completion_acceptance_date": "“计划竣工验收日期”（2014-01-01）不能早于“开工日期”（2014-03-01）。"}
    with pytest.raises(ValidationError) as info:
        sub_projects.create(ws, sub_project_input(master, lushan, code="511826-ZG-0001-06",
                                                  completion_acceptance_date="2016-13-01"))
    assert "“计划竣工验收日期”不是有效日期" in info.value.field_errors["completion_acceptance_date"]


def test_the_master_list_round_trip_leaves_the_plan_alone(ws, sub, tmp_path):
    """The master list has no column for it: an import neither clears nor changes it."""
    book = tmp_path / "register.xlsx"
    export_register(ws, book)
    plan = plan_import(ws, book)
    assert (len(plan.created), len(plan.updated), len(plan.unchanged)) == (0, 0, 1)
    commit_import(ws, plan)
    assert sub_projects.get(ws, sub.uid).completion_acceptance_date == date(2016, 8, 10)
