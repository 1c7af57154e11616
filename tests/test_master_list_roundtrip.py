"""What the register exports, the register imports back unchanged."""

from __future__ import annotations

from app.services import demo, divisions, master_projects, node, sub_project_search, sub_projects
from app.services.master_list.exporter import export_register
from app.services.master_list.importer import commit_import, plan_import
from app.services.workspace import Workspace
from tests.conftest import sub_project_input


def test_export_then_import_reports_nothing_new_and_nothing_changed(ws, lushan, master, tmp_path):
    tricky = [
        dict(code="2014001", investment="538447.0431", remarks="第一行\n第二行", archivist_phone="0835-6522123"),
        dict(code="2014002", investment="", start_date="", finish_date="", construction_status="not_started"),
        dict(code="2014003", name="<r>门诊楼</r>", demonstration_site=True, foreign_loan=True,
             construction_status="suspended", archive_lead_phone="13881612345"),
    ]
    for values in tricky:
        sub_projects.create(ws, sub_project_input(master, lushan, **values))
    demo.generate(ws, sub_projects=60)
    book = tmp_path / "register.xlsx"
    assert export_register(ws, book) == 63

    plan = plan_import(ws, book)
    assert plan.rejected == [] and plan.skipped == []
    assert (len(plan.created), len(plan.updated), len(plan.unchanged)) == (0, 0, 63)
    assert (len(plan.masters_created), len(plan.masters_updated)) == (0, 0)


def test_an_exported_register_rebuilds_the_same_register_elsewhere(ws, lushan, master, tmp_path):
    demo.generate(ws, sub_projects=40)
    sub_projects.create(ws, sub_project_input(master, lushan, code="2014009", investment="0.0001"))
    book = tmp_path / "county.xlsx"
    export_register(ws, book)

    city = Workspace.open(tmp_path / "city.db")
    try:
        node.setup_node(city, division_uid=divisions.find_division(city, divisions.CITY_CODE).uid, operator="市局")
        result = commit_import(city, plan_import(city, book))
        assert result.created == 41 and sub_project_search.count_live(city) == 41
        again = tmp_path / "city.xlsx"
        export_register(city, again)
        assert (len(plan_import(ws, again).updated), len(plan_import(ws, again).created)) == (0, 0)
        copied = sub_projects.get(city, sub_projects.uid_for_code(city, "2014009"))
        assert copied.investment_yuan == 1 and copied.master_project_label == f"{master.plan_code} {master.name}"
        assert master_projects.find_by_code(city, master.plan_code).uid != master.uid  # a new record at the city
    finally:
        city.close()
