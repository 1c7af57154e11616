"""Assessment rule sets (考核细则): the shipped default, versions, and what a version refuses."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.errors import AppError, ValidationError
from app.models import AssessmentRuleItem, AssessmentRuleSet
from app.services import assessment_rules as rules
from app.services import assessments
from tests.assessment_support import AS_OF, city_workspace


@pytest.fixture
def city(tmp_path):
    ws = city_workspace(tmp_path / "city.db")
    yield ws
    ws.close()


def test_the_default_rule_set_scores_a_county_on_100_points_in_seven_parts(city):
    view = rules.get(city, rules.ensure_default(city))
    assert view.status == "active" and view.version == 1 and view.total_points == 100
    assert list(dict.fromkeys(i.section for i in view.items)) == [
        "组织领导", "制度建设", "提前介入和现场指导", "问题整改", "档案验收", "培训", "报送数据"]
    assert view.full_points("division") == 100 and view.full_points("department") == 80
    assert {i.kind for i in view.items} == {"computed", "manual"}
    assert [d["name"] for d in view.departments][:2] == ["市住房城乡建设局", "市发展改革委"]
    assert view.grade_for(90, 100) == "优秀" and view.grade_for(64, 80) == "良好" and view.grade_for(59.9, 100) == "不合格"


def test_every_node_installs_the_very_same_default_records(tmp_path, ws):
    city = city_workspace(tmp_path / "other.db")
    try:
        revs = []
        for node_ws in (city, ws):
            rules.ensure_default(node_ws)
            with node_ws.db.read() as session:
                revs.append(sorted(session.execute(select(AssessmentRuleItem.uid, AssessmentRuleItem.rev)).all())
                            + sorted(session.execute(select(AssessmentRuleSet.uid, AssessmentRuleSet.rev)).all()))
        assert revs[0] == revs[1] and len(revs[0]) == 14
    finally:
        city.close()


def test_a_version_in_use_is_never_changed_editing_makes_a_new_one(city):
    default = rules.get(city, rules.ensure_default(city))
    assessments.compute(city, 2016, as_of=AS_OF)
    content = rules.content_of(default)
    with pytest.raises(AppError, match="另存为新版本"):
        rules.save_draft(city, default.uid, content)
    content["items"][0]["points"] = 6
    content["items"][1]["points"] = 4
    draft = rules.new_version(city, default.uid, content)
    assert (draft.version, draft.status, draft.lineage_uid) == (2, "draft", default.uid)
    saved = rules.save_draft(city, draft.uid, {**content, "name": "2017 年考核细则"})
    assert saved.uid != draft.uid and saved.version == 2
    active = rules.activate(city, saved.uid)
    assert active.status == "active" and rules.get(city, default.uid).status == "retired"
    # the 2016 draft stays on version 1; a new year takes the active version
    assert assessments.compute(city, 2016).rule_set.uid == default.uid
    assert assessments.compute(city, 2017, as_of="2017-06-30").rule_set.uid == saved.uid
    assert rules.usage_counts(city) == {default.uid: 1, saved.uid: 1}


def test_a_rule_set_is_checked_item_by_item(city):
    content = rules.content_of(rules.get(city, rules.ensure_default(city)))
    content["items"][1]["code"] = content["items"][0]["code"]
    content["items"][2]["points"] = "五"
    packages = next(i for i in content["items"] if i["metric"] == "packages")
    packages["scope"] = "both"
    content["items"][3]["kind"], content["items"][3]["metric"] = "computed", "nonsense"
    content["departments"][0]["sectors"] = ""
    with pytest.raises(ValidationError) as info:
        rules.parse_content(content)
    errors = info.value.field_errors
    assert "编号 1.1 重复" in errors["item:2"] and "应为数字" in errors["item:3"]
    assert "计算方法应为以下之一" in errors["item:4"] and "只能考核县（区）" in errors["item:13"]
    assert "至少负责一个行业" in errors["department:1"]


def test_parameters_are_typed_and_lists_may_be_written_as_text(city):
    content = rules.content_of(rules.get(city, rules.ensure_default(city)))
    visited = next(i for i in content["items"] if i["code"] == "3.1")
    visited["params"] = {"kinds": "提前介入、mid_term_check", "exclude_statuses": "未开工"}
    content["departments"][0]["sectors"] = "城乡住房，城镇建设"
    parsed = rules.parse_content(content)
    assert next(i for i in parsed["items"] if i["code"] == "3.1")["params"] == {
        "kinds": ["early_intervention", "mid_term_check"], "exclude_statuses": ["not_started"]}
    assert parsed["departments"][0]["sectors"] == ["城乡住房", "城镇建设"]
    visited["params"] = {"kinds": "回访"}
    with pytest.raises(ValidationError, match="指导类型"):
        rules.parse_content(content)
    visited["params"] = {}
    overdue = next(i for i in content["items"] if i["code"] == "4.1")
    overdue["params"] = {"per_item": "2", "cap": "x"}
    with pytest.raises(ValidationError, match="最多扣分"):
        rules.parse_content(content)


def test_a_county_reads_rule_sets_but_never_writes_them(ws):
    uid = rules.ensure_default(ws)  # the same records the city sends down
    with pytest.raises(AppError, match="只能查看"):
        rules.new_version(ws, uid)
    assert [r.uid for r in rules.active_rule_sets(ws)] == [uid]


def test_a_rule_set_goes_out_to_excel_and_comes_back_as_a_new_draft_version(city, tmp_path):
    from app.services import assessment_excel

    default = rules.get(city, rules.ensure_default(city))
    path = assessment_excel.export_rule_set(city, default.uid, tmp_path / "细则.xlsx")
    imported = assessment_excel.import_rule_set(city, path)
    assert (imported.version, imported.status, imported.lineage_uid) == (2, "draft", default.uid)
    assert rules.content_of(imported) == rules.content_of(default)
    assert assessment_excel.params_text("overdue_problems", {"per_item": 1, "cap": 15}) == "每项扣分=1；最多扣分=15"
    assert assessment_excel.parse_params_text("visited", "指导类型（空为任意）=提前介入；exclude_statuses=未开工") == {
        "kinds": "提前介入", "exclude_statuses": "未开工"}
