"""Whatever a cell holds, the row parser accepts the row or rejects it with a message: it never raises."""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.services import fields
from app.services.master_list import cells as cell_rules
from app.services.master_list.columns import COLUMNS, column_for
from app.services.master_list.importer import RowCheck, check_row, load_state
from app.services.master_list.reader import Sheet

cell_values = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=180, max_size=400),  # very long
    st.text(alphabet=st.sampled_from("\x00\x01\x07\x1b\t\n\r\u3000 是否0123456789.,-/年月日"), max_size=20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.booleans(),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)),
    st.times(),
    st.timedeltas(min_value=timedelta(days=-1000), max_value=timedelta(days=1000)),
    st.sampled_from(["芦山", "芦山县", "宝兴 ", "雅安市", "13812345678", "0835-6522123", "2014年5月20日",
                     "1,200.5", "１２００", "是", "否", "在建", "已完工"]),
)

HEADERS = [c.header for c in COLUMNS]


def _sheet() -> Sheet:
    return Sheet("清单", [HEADERS], 0, HEADERS, {i: column_for(h) for i, h in enumerate(HEADERS)}, [])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.lists(cell_values, min_size=0, max_size=len(HEADERS) + 3))
def test_every_row_is_accepted_or_rejected_with_a_message(ws, cells):
    state = load_state(ws)
    row = RowCheck(2, list(cells), _sheet())
    check_row(row, state)  # must not raise
    if row.rejections:
        for rejection in row.rejections:
            assert rejection.row == 2 and rejection.message and isinstance(rejection.value, str)
            assert rejection.column in HEADERS
    else:
        values = row.values
        assert row.division_uid and row.plan_code and row.master_name and values["code"] and values["name"]
        assert values.get("investment_yuan") is None or 0 <= values["investment_yuan"] <= 10**12
        for key in ("start_date", "finish_date"):
            assert values.get(key) is None or isinstance(values[key], date)
        if values.get("start_date") and values.get("finish_date"):
            assert values["finish_date"] >= values["start_date"]
        for text in (values["name"], row.master_name, values.get("owner_unit", "")):
            assert not any(ord(c) < 32 for c in text)


def test_nan_and_infinite_amounts_are_rejected_not_stored(ws):
    state = load_state(ws)
    for value in (math.nan, math.inf, -math.inf, time(12, 0)):
        cells = ["芦山", "ZG1", "医院", "2014001", "门诊楼", "", "卫生局", value]
        row = RowCheck(2, cells, _sheet())
        check_row(row, state)
        assert [r.column for r in row.rejections] == ["总投资（万元）"]


@settings(max_examples=300)
@given(text=st.one_of(st.text(), st.text(alphabet=st.sampled_from(" \t\n\u3000\xa0\x00\x85\u2028ab芦山"))))
def test_the_fast_path_for_plain_text_reads_a_cell_as_the_general_rules_do(text):
    # ``to_raw`` and ``fields.text`` skip their regular expressions for printable text:
    # whatever takes that path must come out exactly as the general rules make it
    if cell_rules.is_plain(text):
        for column in COLUMNS:
            assert cell_rules.to_raw(column, text) == cell_rules._plain_text(text) == text.strip()
    if text.isprintable():
        assert fields.text(text, "名称", max_length=10_000) == text.replace("\u3000", " ").strip()
        assert fields.text(text, "备注", max_length=10_000, multiline=True) == text.strip()


def _outcome(rule, value):
    try:
        return rule(value, "电话")
    except fields.FieldError as exc:
        return exc.message


@settings(max_examples=300)
@given(text=st.one_of(st.text(alphabet=st.sampled_from("0123456789１３-() .是否yesnoTRUEfalse√"), max_size=14),
                      st.sampled_from(["13812345678", "19912345678", "12812345678", "是", "否", "YES", ""])))
def test_the_fast_paths_for_phones_and_flags_agree_with_the_general_rules(text):
    # a space around the value sends it down the general path, which strips it again
    for rule in (fields.phone, fields.flag):
        assert _outcome(rule, text) == _outcome(rule, f" {text} ")
