"""Packages between a county and the city: what arrives, what is refused, what conflicts."""

from __future__ import annotations

import zipfile

import pytest

from app.services import packages, sub_projects
from app.sync.package import PackageRefused
from tests.sync_support import digest, make_node, register


def test_a_county_package_arrives_whole_at_the_city_and_twice_changes_nothing(county_and_city, tmp_path):
    county, city = county_and_city
    for n in range(5):
        register(county, f"SP-{n}")
    out = packages.export_package(county, tmp_path / "p1.zip")
    assert out.counts["sub_projects"] == 5 and out.receiver == city.node_uid
    result = packages.import_package(city, out.path)
    assert out.counts == {"sub_projects": 5, "master_projects": 5}
    assert (result.summary()["added"], result.summary()["known"]) == (10, 0)
    uid = sub_projects.uid_for_code(city, "SP-3")
    assert sub_projects.get(city, uid).code == "SP-3"
    before = digest(city)
    again = packages.import_package(city, out.path)
    assert again.already_imported and digest(city) == before


def test_edits_travel_and_a_second_package_carries_only_what_is_new(county_and_city, tmp_path):
    county, city = county_and_city
    created = register(county, "SP-1")
    packages.import_package(city, packages.export_package(county, tmp_path / "1.zip").path)
    sub_projects.update(county, created.uid, {**created.form_values(), "archivist": "赵敏"})
    # the city acknowledges package 1 in its own package to the county
    packages.import_package(county, packages.export_package(city, tmp_path / "down.zip", receiver=county.node_uid).path)
    second = packages.export_package(county, tmp_path / "2.zip")
    assert second.counts == {"sub_projects": 1}
    packages.import_package(city, second.path)
    assert sub_projects.get(city, created.uid).archivist == "赵敏"


def test_same_field_edited_on_both_sides_is_one_conflict_with_both_values(county_and_city, tmp_path):
    county, city = county_and_city
    created = register(county, "SP-1")
    packages.import_package(city, packages.export_package(county, tmp_path / "1.zip").path)
    sub_projects.update(county, created.uid, {**created.form_values(), "archivist": "县里改的"})
    at_city = sub_projects.get(city, created.uid)
    sub_projects.update(city, created.uid, {**at_city.form_values(), "archivist": "市里改的", "remarks": "市里备注"})
    result = packages.import_package(city, packages.export_package(county, tmp_path / "2.zip").path)
    assert [(e, f) for e, _u, f in result.report.conflicts] == [("sub_projects", ["archivist"])]
    [conflict] = packages.conflicts(city)
    assert {conflict["fields"]["archivist"]["local"], conflict["fields"]["archivist"]["remote"]} == {"县里改的", "市里改的"}
    merged = sub_projects.get(city, created.uid)
    assert merged.remarks == "市里备注"  # the field only the city changed is kept


def test_a_tampered_package_is_refused_and_changes_nothing(county_and_city, tmp_path):
    county, city = county_and_city
    register(county, "SP-1")
    good = packages.export_package(county, tmp_path / "good.zip").path
    before = digest(city)
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.endswith("changes.jsonl"):
                data = data.replace("SP-1".encode(), "SP-9".encode())
            dst.writestr(item, data)
    with pytest.raises(PackageRefused):
        packages.import_package(city, bad)
    assert digest(city) == before


def test_a_package_from_an_unknown_node_is_refused_showing_its_fingerprint(tmp_path):
    county = make_node(tmp_path, "lushan", "芦山县")
    city = make_node(tmp_path, "city", "雅安市")
    register(county, "SP-1")
    out = packages.export_package(county, tmp_path / "p.zip", receiver="")
    before = digest(city)
    with pytest.raises(PackageRefused) as info:
        packages.import_package(city, out.path)
    assert "未登记或已吊销" in info.value.message and "-" in info.value.message
    assert digest(city) == before
    county.close()
    city.close()


def test_resolving_a_conflict_converges_on_both_nodes_after_the_next_exchange(county_and_city, tmp_path):
    from app.services import conflicts

    county, city = county_and_city
    created = register(county, "SP-1")
    packages.import_package(city, packages.export_package(county, tmp_path / "1.zip").path)
    sub_projects.update(county, created.uid, {**created.form_values(), "archivist": "县里改的"})
    sub_projects.update(city, created.uid, {**sub_projects.get(city, created.uid).form_values(), "archivist": "市里改的"})
    packages.import_package(city, packages.export_package(county, tmp_path / "2.zip").path)
    packages.import_package(county, packages.export_package(city, tmp_path / "3.zip", receiver=county.node_uid).path)
    # both nodes hold the same conflict and the same provisional winner
    assert len(conflicts.list_conflicts(city)) == len(conflicts.list_conflicts(county)) == 1
    assert sub_projects.get(city, created.uid).archivist == sub_projects.get(county, created.uid).archivist
    [conflict] = conflicts.list_conflicts(city)
    conflicts.resolve(city, conflict.id, {"archivist": {"value": "王芳（已核实）"}})
    packages.import_package(county, packages.export_package(city, tmp_path / "4.zip", receiver=county.node_uid).path)
    assert conflicts.list_conflicts(county) == [] and conflicts.list_conflicts(city) == []
    assert sub_projects.get(county, created.uid).archivist == "王芳（已核实）"
    assert sub_projects.get(county, created.uid).rev == sub_projects.get(city, created.uid).rev


def test_a_value_typed_to_resolve_a_conflict_obeys_the_fields_rules(county_and_city, tmp_path):
    from app.errors import ValidationError
    from app.services import conflicts

    county, city = county_and_city
    created = register(county, "SP-1")
    packages.import_package(city, packages.export_package(county, tmp_path / "1.zip").path)
    sub_projects.update(county, created.uid, {**created.form_values(), "archivist_phone": "13800000001"})
    sub_projects.update(city, created.uid, {**sub_projects.get(city, created.uid).form_values(),
                                            "archivist_phone": "13800000002"})
    packages.import_package(city, packages.export_package(county, tmp_path / "2.zip").path)
    [conflict] = conflicts.list_conflicts(city)
    before = digest(city)
    with pytest.raises(ValidationError) as info:
        conflicts.resolve(city, conflict.id, {"archivist_phone": {"value": "12345"}})
    assert "“档案人员电话”格式不正确" in info.value.field_errors["archivist_phone"]
    assert digest(city) == before
    conflicts.resolve(city, conflict.id, {"archivist_phone": {"value": "0835 6522123"}})
    assert sub_projects.get(city, created.uid).archivist_phone == "0835-6522123"


def test_reference_data_from_the_city_is_read_only_on_a_county(county_and_city, tmp_path):
    from app.errors import AppError
    from app.services import divisions, master_projects

    county, city = county_and_city
    lushan = divisions.find_division(city, "芦山县")
    master = master_projects.create(city, {"plan_code": "ZG-CITY-1", "name": "市级总规项目", "division_uid": lushan.uid})
    packages.import_package(county, packages.export_package(city, tmp_path / "down.zip", receiver=county.node_uid).path)
    at_county = master_projects.get(county, master.uid)
    before = digest(county)
    with pytest.raises(AppError) as info:
        master_projects.update(county, master.uid, {"plan_code": "ZG-CITY-1", "name": "县里改名",
                                                    "division_uid": lushan.uid}, expected_rev=at_county.rev)
    assert "市级下发的参考数据" in info.value.message
    assert digest(county) == before
