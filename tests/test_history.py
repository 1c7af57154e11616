"""The history of a sub-project reads like a person would write it."""

from __future__ import annotations

from app.services import history, retention, sub_projects
from tests.conftest import sub_project_input


def test_history_lists_changes_newest_first_with_readable_values(ws, master, lushan):
    created = sub_projects.create(ws, sub_project_input(master, lushan, demonstration_site=False))
    sub_projects.update(ws, created.uid, sub_project_input(master, lushan, demonstration_site=True,
                                                           investment="400", construction_status="under_construction"))
    schedule = retention.create_for(ws, created.uid)
    items = schedule.items[:2] + [{"document_class": "设计变更文件", "retention": "30y"}]
    retention.save_items(ws, schedule.uid, items, expected_rev=schedule.rev)

    lines = history.for_sub_project(ws, created.uid)
    changed = {(line.action, line.field): (line.old, line.new) for line in lines}
    assert changed[("修改", "是否示范点")] == ("否", "是")
    assert changed[("修改", "总投资（万元）")] == ("356.5", "400")
    assert changed[("修改", "建设状态")] == ("已完工", "在建")
    assert changed[("新建", "子项目")][1] == f"{created.code} {created.name}"
    assert changed[("修改", "文件类别及保管期限")][1].endswith("设计变更文件（30年）")
    assert changed[("新建", "县（区）")] == ("", "芦山县")
    assert lines[0].entity == "保管期限表" and lines[-1].entity == "重建子项目"
    assert all(line.operator == "张晓梅" for line in lines)
    assert lines[0].node.startswith("芦山县")


def test_a_first_schedule_saved_from_an_editor_is_one_step(ws, master, lushan):
    created = sub_projects.create(ws, sub_project_input(master, lushan))
    saved = retention.create_for(ws, created.uid, [{"document_class": "竣工图", "retention": "永久"}])
    assert saved.items == [{"document_class": "竣工图", "retention": "permanent"}]
    assert saved.rev.startswith("1-")
