"""The problem ledger's filters and its Excel export (问题台账), as an office reads them (no Qt)."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook

from app.reports.ledger_xlsx import export_ledger
from app.services import ledger, problems, sub_projects, visits
from app.services.ledger import LedgerFilter
from tests.conftest import sub_project_input

TODAY = date(2016, 6, 1)


@pytest.fixture
def book(ws, master, lushan):
    """One sub-project with five problems: two overdue, one not yet due, one rectified late, one verified."""
    sub = sub_projects.create(ws, sub_project_input(master, lushan))
    visits.create(ws, sub.uid, {"visit_date": "2016-03-02", "kind": "mid_term_check", "archivists": "张晓梅"}, [
        {"description": "竣工图未加盖竣工图章", "deadline": "2016-04-01", "responsible_person": "李建国"},
        {"description": "监理日志缺少2015年10月至12月部分", "deadline": "2016-05-01", "responsible_person": "王芳"},
        {"description": "声像档案未标注拍摄时间地点", "deadline": "2016-07-01", "responsible_person": "王芳"},
        {"description": "卷内目录、备考表未填写", "deadline": "2016-04-01", "responsible_person": "李建国"},
        {"description": "隐蔽工程验收记录签字不全", "deadline": "2016-04-01", "responsible_person": "李建国"},
    ])
    found = {p.description: p for p in problems.for_sub_project(ws, sub.uid)}
    problems.rectify(ws, found["卷内目录、备考表未填写"].uid, rectification="已补填卷内目录和备考表",
                     rectified_by="李建国", rectified_on="2016-04-20")
    verified = found["隐蔽工程验收记录签字不全"].uid
    problems.rectify(ws, verified, rectification="已由施工、监理、建设单位补签", rectified_by="李建国",
                     rectified_on="2016-03-25")
    problems.verify(ws, verified, passed=True, note="复查合格，同意销号", verified_on="2016-03-28")
    return sub, found


def descriptions(ws, flt: LedgerFilter) -> set[str]:
    rows = ledger.fetch_rows(ws, ledger.search_ids(ws, flt), today=flt.today)
    return {row.description for row in rows.values()}


def test_overdue_narrows_the_chosen_state_instead_of_replacing_it(ws, book) -> None:
    late = {"竣工图未加盖竣工图章", "监理日志缺少2015年10月至12月部分"}
    assert descriptions(ws, LedgerFilter(overdue=True, today=TODAY)) == late
    assert descriptions(ws, LedgerFilter(state="open", overdue=True, today=TODAY)) == late
    assert descriptions(ws, LedgerFilter(state="unverified", overdue=True, today=TODAY)) == late
    # a verified or rectified problem is never overdue: nothing is both
    for state in ("verified", "rectified"):
        flt = LedgerFilter(state=state, overdue=True, today=TODAY)
        assert ledger.count(ws, flt) == 0 and ledger.search_ids(ws, flt) == []
    # the other filters still apply on top
    assert descriptions(ws, LedgerFilter(overdue=True, keyword="监理", today=TODAY)) == {
        "监理日志缺少2015年10月至12月部分"}
    assert descriptions(ws, LedgerFilter(overdue=True, deadline_to=date(2016, 4, 15), today=TODAY)) == {
        "竣工图未加盖竣工图章"}


def test_the_overdue_count_is_of_the_rows_shown(ws, book) -> None:
    assert ledger.overdue_count(ws, LedgerFilter(today=TODAY)) == 2
    assert ledger.overdue_count(ws, LedgerFilter(state="verified", today=TODAY)) == 0
    assert ledger.overdue_count(ws, LedgerFilter(state="rectified", today=TODAY)) == 0
    assert ledger.overdue_count(ws, LedgerFilter(state="open", today=TODAY)) == 2
    assert ledger.overdue_count(ws, LedgerFilter(keyword="竣工图", today=TODAY)) == 1
    # judged on the filter's day: before the first deadline nothing was late
    assert ledger.overdue_count(ws, LedgerFilter(today=date(2016, 3, 31))) == 0


def _sheet(path):
    workbook = load_workbook(path)
    sheet = workbook.worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    fills = [sheet.cell(row=r, column=4).fill.fgColor.rgb for r in range(1, sheet.max_row + 1)]
    return sheet.title, rows, fills


def test_the_excel_ledger_has_the_conventional_layout_and_tints_overdue_rows(ws, book, tmp_path) -> None:
    sub, _found = book
    path = tmp_path / "台账.xlsx"
    written = export_ledger(ws, path, LedgerFilter(today=TODAY))
    assert written == 5
    title, rows, fills = _sheet(path)
    assert title == "问题台账"
    assert rows[0][0] == "灾后恢复重建项目档案问题台账"
    assert rows[1][0] == "截至 2016-06-01，共 5 条，其中超期未整改 2 条（标红）"
    assert rows[2] == ["序号", "县区", "项目", "问题描述", "责任人", "整改时限", "整改情况", "复查结论"]
    body = rows[3:]
    assert [r[0] for r in body] == ["1", "2", "3", "4", "5"]
    assert {r[1] for r in body} == {"芦山县"}
    assert {r[2] for r in body} == {f"{sub.code} {sub.name}"}
    by_description = {r[3]: r for r in body}
    assert set(by_description) == {"竣工图未加盖竣工图章", "监理日志缺少2015年10月至12月部分", "声像档案未标注拍摄时间地点",
                                   "卷内目录、备考表未填写", "隐蔽工程验收记录签字不全"}
    # in deadline order, as the ledger showed them
    assert [r[5] for r in body] == sorted(r[5] for r in body)
    late = by_description["竣工图未加盖竣工图章"]
    assert (late[4], late[5], late[6]) == ("李建国", "2016-04-01", "超期未整改") and not late[7]
    assert by_description["声像档案未标注拍摄时间地点"][6] == "整改中"
    assert by_description["卷内目录、备考表未填写"][6] == "已补填卷内目录和备考表（2016-04-20）"
    assert by_description["隐蔽工程验收记录签字不全"][7] == "已复查：复查合格，同意销号（2016-03-28）"
    tinted = {rows[i][3] for i in range(3, len(rows)) if fills[i] not in (None, "00000000")}
    assert tinted == {"竣工图未加盖竣工图章", "监理日志缺少2015年10月至12月部分"}


def test_the_excel_ledger_holds_only_the_filtered_problems_and_counts_their_overdue(ws, book, tmp_path) -> None:
    path = tmp_path / "verified.xlsx"
    assert export_ledger(ws, path, LedgerFilter(state="verified", today=TODAY)) == 1
    _title, rows, _fills = _sheet(path)
    assert rows[1][0] == "截至 2016-06-01，共 1 条，其中超期未整改 0 条（标红）"
    assert [r[3] for r in rows[3:]] == ["隐蔽工程验收记录签字不全"]

    path = tmp_path / "overdue.xlsx"
    assert export_ledger(ws, path, LedgerFilter(overdue=True, today=TODAY)) == 2
    _title, rows, fills = _sheet(path)
    assert rows[1][0] == "截至 2016-06-01，共 2 条，其中超期未整改 2 条（标红）"
    assert len(rows) == 5 and all(f not in (None, "00000000") for f in fills[3:])
