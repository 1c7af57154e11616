"""The sub-project service refuses bad input field by field, in Chinese, and changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.errors import ValidationError
from app.models import AuditEntry, RecordRevision, SubProject
from app.services import sub_projects
from tests.conftest import sub_project_input


def table_counts(ws):
    with ws.db.read() as session:
        return tuple(session.scalar(select(func.count()).select_from(m)) for m in (SubProject, RecordRevision, AuditEntry))


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("code", "  ", "“子项目编号”不能为空"),
        ("name", "", "“子项目名称”不能为空"),
        ("owner_unit", "", "“项目业主（责任单位）”不能为空"),
        ("investment", "三百万", "“总投资（万元）”应为数字"),
        ("investment", "-5", "“总投资（万元）”不能为负数"),
        ("investment", "1.123456", "最多保留四位小数"),
        ("archivist_phone", "1388161234", "“档案人员电话”格式不正确"),
        ("archivist_phone", "138-8161-234x", "只能包含数字"),
        ("archive_lead_phone", "2221234", "带区号的固定电话"),
        ("start_date", "2014-13-01", "“开工日期”不是有效日期"),
        ("finish_date", "2014-02-01", "“完工日期”（2014-02-01）不能早于“开工日期”（2014-03-01）"),
        ("construction_status", "拆除", "“建设状态”应为以下之一"),
        ("master_project_uid", "", "请选择所属的“总规项目”"),
        ("division_uid", "", "请选择“县（区）”"),
    ],
)
def test_bad_value_is_refused_with_a_message_naming_the_field(ws, master, lushan, field, value, expected):
    before = table_counts(ws)
    with pytest.raises(ValidationError) as info:
        sub_projects.create(ws, sub_project_input(master, lushan, **{field: value}))
    assert expected in info.value.field_errors[field]
    assert table_counts(ws) == before


def test_all_bad_fields_are_reported_at_once(ws, master, lushan):
    with pytest.raises(ValidationError) as info:
        sub_projects.create(ws, sub_project_input(master, lushan, name="", archivist_phone="abc", investment="x"))
    assert set(info.value.field_errors) == {"name", "archivist_phone", "investment"}


def test_code_must_be_unique_among_live_sub_projects(ws, master, lushan):
    sub_projects.create(ws, sub_project_input(master, lushan))
    with pytest.raises(ValidationError) as info:
        sub_projects.create(ws, sub_project_input(master, lushan, name="另一个"))
    assert "已被子项目“古城村农房重建一期”使用" in info.value.field_errors["code"]


def test_refused_update_keeps_the_stored_record(ws, master, lushan):
    created = sub_projects.create(ws, sub_project_input(master, lushan))
    before = table_counts(ws)
    with pytest.raises(ValidationError):
        sub_projects.update(ws, created.uid, sub_project_input(master, lushan, name="改了", investment="-1"))
    assert sub_projects.get(ws, created.uid) == created
    assert table_counts(ws) == before


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("13881612345", "13881612345"), ("0835 6522123", "0835-6522123"), ("(0835)6522123", "0835-6522123"),
     ("０８３５－６５２２１２３", "0835-6522123"), ("028-86001234", "028-86001234"), ("", "")],
)
def test_phone_numbers_as_people_type_them(ws, master, lushan, typed, stored):
    created = sub_projects.create(ws, sub_project_input(master, lushan, archivist_phone=typed))
    assert created.archivist_phone == stored


@pytest.mark.parametrize(
    ("typed", "yuan"), [("356.5", 3565000), ("1,200", 12000000), ("０.０００１", 1), ("", None), ("0", 0)]
)
def test_investment_in_wan_is_stored_exactly_in_yuan(ws, master, lushan, typed, yuan):
    created = sub_projects.create(ws, sub_project_input(master, lushan, investment=typed))
    assert created.investment_yuan == yuan


@pytest.mark.parametrize("typed", ["2014-03-01", "2014/3/1", "2014.3.1", "2014年3月1日"])
def test_dates_in_the_forms_people_write(ws, master, lushan, typed):
    created = sub_projects.create(ws, sub_project_input(master, lushan, start_date=typed))
    assert created.start_date.isoformat() == "2014-03-01"
