"""Importing the master list as county offices really fill it in."""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime

import orjson
import pytest
from sqlalchemy import func, select

from app.errors import Cancelled
from app.models import AuditEntry, MasterProject, RecordRevision, SubProject
from app.services import records, sub_projects
from app.services.master_list.importer import commit_import, plan_import
from app.services.master_list.reader import WorkbookError
from app.services.tasks import CancelToken
from app.sync.revision import next_rev
from tests.master_list_support import CANONICAL, good_row, write_workbook


def db_state(ws):
    with ws.db.read() as session:
        return tuple(session.scalar(select(func.count()).select_from(m))
                     for m in (SubProject, MasterProject, RecordRevision, AuditEntry))


def messages(plan, row):
    return {r.column: r.message for r in plan.rejected if r.row == row}


def test_a_good_file_imports_and_the_same_file_again_changes_nothing(ws, tmp_path):
    path = write_workbook(tmp_path / "m.xlsx", [good_row(1), good_row(2), good_row(3, **{"总规项目编号": "ZG-002",
                                                                                      "总规项目名称": "龙门乡卫生院"})])
    plan = plan_import(ws, path)
    assert (len(plan.created), len(plan.updated), len(plan.masters_created), plan.rejected) == (3, 0, 2, [])
    result = commit_import(ws, plan)
    assert result.created == 3 and result.masters_created == 2
    detail = sub_projects.get(ws, sub_projects.uid_for_code(ws, "2014001"))
    assert detail.investment_yuan == 12_005_000 and detail.start_date == date(2014, 5, 20)
    assert detail.master_project_label == "ZG-001 芦山县人民医院重建" and detail.division_name == "芦山县"
    assert detail.archivist_phone == "0835-6522123"

    before = db_state(ws)
    again = plan_import(ws, path)
    assert (len(again.created), len(again.updated), len(again.unchanged)) == (0, 0, 3)
    commit_import(ws, again)
    assert db_state(ws) == before


def test_every_imported_record_has_its_revision_and_creation_audit_as_a_single_create_writes_them(ws, tmp_path):
    rows = [good_row(n, **({"总规项目编号": "ZG-002", "总规项目名称": "龙门乡卫生院"} if n % 2 else {}))
            for n in range(1, 8)]
    plan = plan_import(ws, write_workbook(tmp_path / "all.xlsx", rows))
    commit_import(ws, plan)
    with ws.db.read() as session:
        for model in (SubProject, MasterProject):
            made = session.scalars(select(model).order_by(model.id)).all()
            assert len(made) == {SubProject: 7, MasterProject: 2}[model]
            # UUIDv7 (version nibble 7, RFC variant), in the order the file has them
            assert all((uuid.UUID(r.uid).version, uuid.UUID(r.uid).variant) == (7, uuid.RFC_4122) for r in made)
            assert [r.uid for r in made] == sorted(r.uid for r in made)
            assert len({r.hlc for r in made}) == len(made)
            for record in made:
                [revision] = session.scalars(select(RecordRevision).where(RecordRevision.record_uid == record.uid))
                assert (revision.entity, revision.rev, revision.parent_rev, revision.hlc, revision.deleted) == (
                    model.__tablename__, record.rev, None, record.hlc, False)
                assert revision.data == orjson.loads(orjson.dumps(records.content_of(record)))  # dates as text
                assert record.rev == next_rev(None, revision.data, False) and record.origin_node == ws.node_uid
                [audit] = session.scalars(select(AuditEntry).where(AuditEntry.record_uid == record.uid))
                assert (audit.action, audit.changes, audit.rev, audit.at, audit.operator) == (
                    "create", {}, record.rev, record.updated_at, "张晓梅")


def test_a_changed_cell_updates_that_record_only_with_a_new_version_and_audit(ws, tmp_path):
    commit_import(ws, plan_import(ws, write_workbook(tmp_path / "a.xlsx", [good_row(1), good_row(2)])))
    uid = sub_projects.uid_for_code(ws, "2014002")
    old_rev = sub_projects.get(ws, uid).rev
    plan = plan_import(ws, write_workbook(tmp_path / "b.xlsx", [good_row(1), good_row(2, **{"档案人员": "赵敏"})]))
    assert len(plan.updated) == 1 and plan.unchanged == [2]
    change = plan.updated[0].changes
    assert [(c.label, c.old, c.new) for c in change] == [("档案人员", "李芳", "赵敏")]
    commit_import(ws, plan)
    detail = sub_projects.get(ws, uid)
    assert detail.archivist == "赵敏" and detail.rev.startswith("2-") and detail.rev != old_rev
    with ws.db.read() as session:
        audit = session.scalars(select(AuditEntry).where(AuditEntry.record_uid == uid).order_by(AuditEntry.id)).all()
    assert audit[-1].action == "update" and audit[-1].changes == {"archivist": ["李芳", "赵敏"]}


@pytest.mark.parametrize("header_map", [
    {},
    {"县（区）": "县(区)", "行业（领域）": "行业/领域", "项目业主（责任单位）": "项目业主 (责任单位)",
     "总投资（万元）": "总投资（ 万元 ）", "是否国外贷款项目": "国外贷款项目", "是否示范点": "示范点",
     "分管领导电话": "分管领导联系电话", "档案人员电话": "档案人员\n联系电话"},
    {"县（区）": "县区", "总投资（万元）": "总投资/万元", "项目业主（责任单位）": "项目业主/责任单位"},
])
def test_header_variants_people_type_are_recognised(ws, tmp_path, header_map):
    path = write_workbook(tmp_path / "h.xlsx", [good_row(1)], header_map=header_map)
    plan = plan_import(ws, path)
    assert plan.rejected == [] and len(plan.created) == 1
    assert plan.created[0].values["archivist_phone"] == "0835-6522123"
    assert plan.created[0].values["investment_yuan"] == 12_005_000


def test_columns_in_any_order_header_below_title_rows_unknown_columns_ignored(ws, tmp_path):
    headers = ["序号", *reversed(CANONICAL), "联系人备注"]
    path = write_workbook(tmp_path / "t.xlsx", [good_row(1)], headers=headers,
                          title_rows=[["雅安市灾后恢复重建项目清单"], [], ["填报单位：芦山县档案局", None, "日期：2016年3月"]])
    plan = plan_import(ws, path)
    assert plan.header_row == 4
    assert plan.ignored_columns == ["序号", "联系人备注"]
    assert len(plan.created) == 1 and plan.rejected == []


def test_merged_title_cells_above_the_header_are_read_past(ws, tmp_path):
    import openpyxl

    path = write_workbook(tmp_path / "merged.xlsx", [good_row(1), good_row(2)],
                          title_rows=[["雅安市“4·20”芦山强烈地震灾后恢复重建项目清单"], ["填报单位：芦山县档案局"]])
    book = openpyxl.load_workbook(path)
    sheet = book.active
    last = openpyxl.utils.get_column_letter(len(CANONICAL))
    sheet.merge_cells(f"A1:{last}1")  # the title across the whole table, as offices lay it out
    sheet.merge_cells("A2:D2")
    book.save(path)
    plan = plan_import(ws, path)
    assert plan.header_row == 3 and plan.rejected == [] and plan.ignored_columns == []
    assert [r.code for r in plan.created] == ["2014001", "2014002"]


def test_the_list_is_found_on_a_later_sheet_and_the_sheets_after_it_are_not_needed(ws, tmp_path):
    import openpyxl

    path = write_workbook(tmp_path / "sheets.xlsx", [good_row(1)])
    book = openpyxl.load_workbook(path)
    notes = book.create_sheet("说明", 0)
    notes.append(["本表由县档案局汇总，金额单位万元。"])
    later = book.create_sheet("2015年清单")
    later.append(["县（区）", "子项目编号", "子项目名称"])  # a header without the required columns: never reached
    book.save(path)
    plan = plan_import(ws, path)
    assert plan.sheet == "清单" and plan.header_row == 1 and len(plan.created) == 1 and plan.rejected == []


@pytest.mark.parametrize(("column", "message"), [
    ("子项目编号", "“子项目编号”不能为空。"),
    ("总规项目编号", "“总规项目编号”不能为空。"),
])
def test_a_row_with_a_name_but_no_code_is_rejected_not_skipped(ws, tmp_path, column, message):
    plan = plan_import(ws, write_workbook(tmp_path / "nocode.xlsx", [good_row(1), good_row(2, **{column: None})]))
    assert len(plan.created) == 1 and plan.skipped == []
    assert [(r.row, r.column, r.value, r.message) for r in plan.rejected] == [(3, column, "", message)]
    assert [r.row for r in plan.rejected_rows] == [3]


def test_cells_as_excel_holds_them(ws, tmp_path):
    row = good_row(1, **{"子项目编号": 2014001.0, "总规项目编号": 2014.0, "总投资（万元）": "１,２００.５",
                         "分管领导电话": 13812345678.0, "档案人员电话": " 0835 6522123 ",
                         "开工日期": datetime(2014, 5, 20), "完工日期": "2015年6月1日",
                         "子项目名称": "  门诊楼\n（一期）  ", "是否示范点": "是", "是否国外贷款项目": None})
    plan = plan_import(ws, write_workbook(tmp_path / "c.xlsx", [row]))
    assert plan.rejected == []
    values = plan.created[0].values
    assert values["code"] == "2014001" and plan.masters_created[0].values["plan_code"] == "2014"
    assert values["investment_yuan"] == 12_005_000
    assert values["archive_lead_phone"] == "13812345678" and values["archivist_phone"] == "0835-6522123"
    assert values["start_date"] == date(2014, 5, 20) and values["finish_date"] == date(2015, 6, 1)
    assert values["name"] == "门诊楼（一期）"
    assert values["demonstration_site"] is True and values["foreign_loan"] is False


@pytest.mark.parametrize("typed", ["2014.5.20", "2014/5/20", "2014-05-20", "2014年5月20日", 41779.0])
def test_date_forms(ws, tmp_path, typed):
    plan = plan_import(ws, write_workbook(tmp_path / "d.xlsx", [good_row(1, **{"开工日期": typed})]))
    assert plan.created[0].values["start_date"] == date(2014, 5, 20)


def test_division_without_suffix_is_accepted_and_unknown_one_gets_suggestions(ws, tmp_path):
    rows = [good_row(1, **{"县（区）": "芦山"}), good_row(2, **{"县（区）": "宝兴 "}),
            good_row(3, **{"县（区）": "芦山市"}), good_row(4, **{"县（区）": "成都"})]
    plan = plan_import(ws, write_workbook(tmp_path / "v.xlsx", rows))
    assert len(plan.created) == 2
    assert "未知的县（区）“芦山市”。您是否要填：芦山县" in messages(plan, 4)["县（区）"]
    assert "未知的县（区）“成都”" in messages(plan, 5)["县（区）"]


def test_blank_rows_and_notes_are_skipped_not_rejected(ws, tmp_path):
    rows = [good_row(1), {}, {"县（区）": "注：本表金额单位为万元"}, good_row(2)]
    plan = plan_import(ws, write_workbook(tmp_path / "s.xlsx", rows))
    assert len(plan.created) == 2 and plan.skipped == [3, 4] and plan.rejected == []


@pytest.mark.parametrize(("column", "value", "expected"), [
    ("子项目名称", "", "“子项目名称”不能为空"),
    ("项目业主（责任单位）", None, "“项目业主（责任单位）”不能为空"),
    ("总规项目名称", "", "“总规项目名称”不能为空"),
    ("县（区）", "", "“县（区）”不能为空"),
    ("总投资（万元）", "约三百万", "“总投资（万元）”应为数字"),
    ("总投资（万元）", -5.0, "不能为负数"),
    ("开工日期", "去年五月", "“开工日期”不是有效日期"),
    ("完工日期", "2014-01-01", "“完工日期”（2014-01-01）不能早于“开工日期”（2014-05-20）"),
    ("档案人员电话", 138123.0, "“档案人员电话”格式不正确"),
    ("是否示范点", "也许", "“是否示范点”应填“是”或“否”"),
])
def test_bad_rows_are_rejected_with_row_column_value_and_reason(ws, tmp_path, column, value, expected):
    plan = plan_import(ws, write_workbook(tmp_path / "r.xlsx", [good_row(1), good_row(2, **{column: value})]))
    assert len(plan.created) == 1
    [rejection] = [r for r in plan.rejected if r.row == 3]
    assert rejection.column == column and expected in rejection.message
    shown = "" if value is None else (str(int(value)) if isinstance(value, float) and value.is_integer() else str(value))
    assert rejection.value == shown
    assert plan.rejected_rows[0].row == 3


def test_a_code_twice_in_the_file_rejects_both_rows_each_naming_the_other(ws, tmp_path):
    rows = [good_row(1), good_row(2), good_row(1, **{"子项目名称": "另一行"})]
    plan = plan_import(ws, write_workbook(tmp_path / "dup.xlsx", rows))
    assert len(plan.created) == 1 and plan.created[0].code == "2014002"
    assert "另见第 4 行" in messages(plan, 2)["子项目编号"]
    assert "另见第 2 行" in messages(plan, 4)["子项目编号"]


def test_a_master_code_with_another_name_rejects_that_row_naming_the_earlier(ws, tmp_path):
    rows = [good_row(1), good_row(2, **{"总规项目名称": "芦山县医院重建"})]
    plan = plan_import(ws, write_workbook(tmp_path / "mn.xlsx", rows))
    assert len(plan.created) == 1
    assert "在第 2 行的名称是“芦山县人民医院重建”" in messages(plan, 3)["总规项目名称"]


def test_a_refused_file_changes_nothing(ws, tmp_path):
    before = db_state(ws)
    bad = tmp_path / "bad.xlsx"
    bad.write_text("this is not a workbook")
    with pytest.raises(WorkbookError):
        plan_import(ws, bad)
    missing = write_workbook(tmp_path / "missing.xlsx", [good_row(1)], headers=["县（区）", "子项目编号", "子项目名称"])
    with pytest.raises(WorkbookError) as info:
        plan_import(ws, missing)
    assert "缺少必需的列：总规项目编号、总规项目名称、项目业主（责任单位）" in info.value.message
    assert db_state(ws) == before


def test_cancelled_commit_leaves_the_database_untouched(ws, tmp_path):
    plan = plan_import(ws, write_workbook(tmp_path / "x.xlsx", [good_row(n) for n in range(1, 30)]))
    before = db_state(ws)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        commit_import(ws, plan, cancel=token)
    assert db_state(ws) == before


def test_data_changed_after_the_preview_aborts_the_whole_commit(ws, tmp_path):
    commit_import(ws, plan_import(ws, write_workbook(tmp_path / "a.xlsx", [good_row(1)])))
    plan = plan_import(ws, write_workbook(tmp_path / "b.xlsx", [good_row(1, **{"档案人员": "赵敏"}), good_row(2)]))
    uid = sub_projects.uid_for_code(ws, "2014001")
    detail = sub_projects.get(ws, uid)
    sub_projects.update(ws, uid, {**detail.form_values(), "remarks": "别处修改"})
    before = db_state(ws)
    with pytest.raises(Exception) as info:
        commit_import(ws, plan)
    assert "未作任何修改" in info.value.message
    assert db_state(ws) == before


def test_legacy_xls_is_read(ws, tmp_path):
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook()
    sheet = book.add_sheet("清单")
    row = good_row(1, **{"子项目编号": 2014001, "开工日期": date(2014, 5, 20)})
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for col, header in enumerate(CANONICAL):
        sheet.write(0, col, header)
        value = row[header]
        sheet.write(1, col, value, date_style if isinstance(value, date) else xlwt.Style.default_style)
    book.save(str(tmp_path / "old.xls"))
    plan = plan_import(ws, tmp_path / "old.xls")
    assert plan.rejected == [] and plan.created[0].values["code"] == "2014001"
    assert plan.created[0].values["start_date"] == date(2014, 5, 20)


def test_opendocument_ods_is_read(ws, tmp_path):
    pytest.importorskip("odf")
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="清单")
    for values in (CANONICAL, [good_row(1)[h] for h in CANONICAL]):
        table_row = TableRow()
        for value in values:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=str(value or "")))
            table_row.addElement(cell)
        table.addElement(table_row)
    doc.spreadsheet.addElement(table)
    doc.save(str(tmp_path / "wps.ods"))
    plan = plan_import(ws, tmp_path / "wps.ods")
    assert plan.rejected == [] and len(plan.created) == 1


def test_unsupported_suffix_is_refused_with_a_clear_message(ws, tmp_path):
    with pytest.raises(WorkbookError) as info:
        plan_import(ws, tmp_path / "list.csv")
    assert "不支持的文件类型" in info.value.message


def test_summary_is_json_ready(ws, tmp_path):
    plan = plan_import(ws, write_workbook(tmp_path / "j.xlsx", [good_row(1), good_row(2, **{"总投资（万元）": "x"})]))
    summary = json.loads(json.dumps(plan.summary(), ensure_ascii=False))
    assert summary["created"] == 1 and summary["rejected"][0]["row"] == 3
    assert set(summary["rejected"][0]) == {"row", "column", "value", "message"}
