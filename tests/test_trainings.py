"""Trainings: validation (attendance as people type it), listing with filters, totals."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.errors import StaleRecord, ValidationError
from app.models import AuditEntry, RecordRevision, Training
from app.services import divisions, fields, trainings
from app.services.divisions import CITY_CODE


@pytest.fixture
def city(ws):
    return divisions.find_division(ws, CITY_CODE)


def city_training(**overrides):
    raw = {"held_on": "2016-03-15", "level": "city", "organiser": "雅安市档案局",
           "topic": "重建项目档案整理规范", "attendance": "45", "location": "市政务中心"}
    raw.update(overrides)
    return raw


def counts(ws):
    with ws.db.read() as session:
        return tuple(session.scalar(select(func.count()).select_from(m)) for m in (Training, RecordRevision, AuditEntry))


@pytest.mark.parametrize("typed, expected", [("45", 45), ("４５", 45), (" 120 ", 120), (7, 7), ("007", 7)])
def test_attendance_accepts_digits_after_nfkc(typed, expected):
    assert trainings.attendance(typed, "参训人次") == expected


@pytest.mark.parametrize("typed, message", [
    ("45人", "“参训人次”只能填写数字（如 45），不能是“45人”。"),
    ("四十五", "“参训人次”只能填写数字（如 45），不能是“四十五”。"),
    ("1,341", "“参训人次”只能填写数字（如 45），不能是“1,341”。"),
    ("4.5", "“参训人次”只能填写数字（如 45），不能是“4.5”。"),
    ("-3", "“参训人次”只能填写数字（如 45），不能是“-3”。"),
    ("0", "“参训人次”至少为 1，不能是 0。"),
    ("", "“参训人次”不能为空。"),
    ("1000000", "“参训人次”数值过大：1000000。"),
])
def test_attendance_refuses_anything_else(typed, message):
    with pytest.raises(fields.FieldError) as info:
        trainings.attendance(typed, "参训人次")
    assert info.value.message.startswith(message)


def test_a_city_training_belongs_to_the_city(ws, city, lushan):
    saved = trainings.create(ws, city_training(attendance="４５"))
    assert (saved.level, saved.division_uid, saved.division_name, saved.attendance) == ("city", city.uid, "雅安市", 45)
    again = trainings.create(ws, city_training(level="市级", division_uid=city.uid))
    assert again.level == "city"
    with pytest.raises(ValidationError) as info:
        trainings.create(ws, city_training(division_uid=lushan.uid))
    assert info.value.field_errors == {"division_uid": "市级培训的“所属县（区）”应为雅安市，不能是芦山县。"}


def test_validation_names_every_field_and_changes_nothing(ws, city):
    before = counts(ws)
    with pytest.raises(ValidationError) as info:
        trainings.create(ws, {"held_on": "", "level": "省级", "organiser": " ", "topic": "",
                              "attendance": "45人"})
    errors = info.value.field_errors
    assert errors["held_on"] == "“培训日期”不能为空。"
    assert errors["level"].startswith("“培训级别”应为以下之一：市级、县级")
    assert errors["organiser"] == "“组织单位”不能为空。"
    assert errors["topic"] == "“培训主题”不能为空。"
    assert errors["attendance"] == "“参训人次”只能填写数字（如 45），不能是“45人”。"
    assert errors["division_uid"] == "请选择“所属县（区）”。"
    with pytest.raises(ValidationError) as info:
        trainings.create(ws, city_training(level="county", division_uid=city.uid))
    assert "县级培训应选择具体的县（区），不能是雅安市" in info.value.field_errors["division_uid"]
    with pytest.raises(ValidationError) as info:
        trainings.create(ws, city_training(held_on=date.today() + timedelta(days=1)))
    assert "“培训日期”不能晚于今天" in info.value.field_errors["held_on"]
    assert counts(ws) == before


def test_update_and_delete_are_revisions(ws, lushan):
    saved = trainings.create(ws, city_training(level="county", division_uid=lushan.uid, organiser="芦山县档案局"))
    changed = trainings.update(ws, saved.uid, {**saved.form_values(), "attendance": "52"}, expected_rev=saved.rev)
    assert changed.attendance == 52 and changed.rev != saved.rev
    with pytest.raises(StaleRecord):
        trainings.update(ws, saved.uid, saved.form_values(), expected_rev=saved.rev)
    trainings.delete(ws, saved.uid, expected_rev=changed.rev)
    assert trainings.list_trainings(ws) == []
    with ws.db.read() as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.record_uid == saved.uid)
                                  .order_by(AuditEntry.id)).all()
    assert actions == ["create", "update", "delete"]


def test_lists_filter_and_totals_count_sessions_and_attendance(ws, city, lushan):
    tianquan = divisions.find_division(ws, "天全县")
    for day, people in (("2015-05-10", 60), ("2016-03-15", 45), ("2016-08-20", 38)):
        trainings.create(ws, city_training(held_on=day, attendance=str(people)))
    trainings.create(ws, city_training(held_on="2016-04-01", level="county", division_uid=lushan.uid,
                                       organiser="芦山县档案局", attendance="30"))
    trainings.create(ws, city_training(held_on="2016-05-01", level="county", division_uid=tianquan.uid,
                                       organiser="天全县档案局", attendance="25"))

    listed = trainings.list_trainings(ws)
    assert [t.held_on.isoformat() for t in listed] == [
        "2016-08-20", "2016-05-01", "2016-04-01", "2016-03-15", "2015-05-10"]
    assert len(trainings.list_trainings(ws, year=2016, level="city")) == 2
    assert [t.division_name for t in trainings.list_trainings(ws, division_uid=lushan.uid)] == ["芦山县"]
    assert trainings.years(ws) == [2016, 2015]

    all_time = trainings.totals(ws)
    assert all_time.total == trainings.Tally(5, 198)
    assert all_time.by_level == {"city": trainings.Tally(3, 143), "county": trainings.Tally(2, 55)}
    assert all_time.by_year == {2015: {"city": trainings.Tally(1, 60)},
                                2016: {"city": trainings.Tally(2, 83), "county": trainings.Tally(2, 55)}}
    assert trainings.summary_line(all_time) == "市级培训 3 次 143 人次；县级培训 2 次 55 人次"
    only_city = trainings.totals(ws, year=2016, level="city")
    assert trainings.summary_line(only_city) == "市级培训 2 次 83 人次"
    assert trainings.summary_line(trainings.totals(ws, year=2014)) == "市级培训 0 次 0 人次；县级培训 0 次 0 人次"


def test_summary_line_groups_thousands():
    totals = trainings.TrainingTotals(trainings.Tally(31, 1341), {"city": trainings.Tally(31, 1341)}, {})
    assert trainings.summary_line(totals) == "市级培训 31 次 1,341 人次"
