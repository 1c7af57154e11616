"""The register, the blank template and the rejected rows, written to Excel and read back with openpyxl."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from app.errors import Cancelled
from app.services import sub_projects
from app.services.master_list.columns import COLUMNS
from app.services.master_list.exporter import (
    export_register,
    write_rejections,
    write_template,
)
from app.services.master_list.plan import ImportPlan, Rejection, SourceRow
from app.services.sub_project_search import SubProjectFilter
from app.services.tasks import CancelToken
from tests.conftest import sub_project_input

HEADERS = [c.header for c in COLUMNS]
PINK = "FFFFC7CE"
LONG_NAME = "芦山县龙门乡古城村灾后农房重建三期工程（含附属设施）"


def col(header: str) -> int:
    return HEADERS.index(header)


def read_rows(path: Path, sheet: str | None = None):
    book = openpyxl.load_workbook(path)
    ws = book[sheet] if sheet else book.worksheets[0]
    return book, ws, [list(row) for row in ws.iter_rows()]


@pytest.fixture
def register(ws, master, lushan):
    """Three live sub-projects and a deleted one."""
    sub_projects.create(ws, sub_project_input(master, lushan, code="2014001", demonstration_site=True,
                                              remarks="=SUM(A1)"))
    sub_projects.create(ws, sub_project_input(master, lushan, code="2014002", name="古城村农房重建二期",
                                              investment="538447.043", foreign_loan=True, start_date="",
                                              finish_date="", construction_status="under_construction",
                                              archivist_phone="", remarks="<r>不是富文本</r>"))
    sub_projects.create(ws, sub_project_input(master, lushan, code="2014003", name=LONG_NAME,
                                              investment=""))
    gone = sub_projects.create(ws, sub_project_input(master, lushan, code="2014009", name="已删除的子项目"))
    sub_projects.delete(ws, gone.uid)
    return ws


def test_export_has_the_canonical_headers_and_the_layout(register, tmp_path):
    out = tmp_path / "清单.xlsx"
    assert export_register(register, out) == 3
    book, sheet, rows = read_rows(out)
    assert book.sheetnames == ["子项目清单"]
    assert [c.value for c in rows[0]] == HEADERS  # the header is row 1: no title row above it
    assert all(c.font.b for c in rows[0])
    assert rows[0][0].fill.fgColor.rgb not in (None, "00000000")
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(COLUMNS))}4"
    for index, column in enumerate(COLUMNS, start=1):
        width = sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width
        assert column.width <= width <= 51  # xlsxwriter adds the cell padding
    # a Chinese character counts two units: 26 of them widen the column from its minimum of 34 to the cap
    name_width = sheet.column_dimensions[openpyxl.utils.get_column_letter(col("子项目名称") + 1)].width
    assert 50 <= name_width <= 51


def test_export_writes_values_as_their_types(register, tmp_path):
    out = tmp_path / "清单.xlsx"
    export_register(register, out)
    _book, _sheet, rows = read_rows(out)
    first, second, third = rows[1], rows[2], rows[3]
    assert [r[col("子项目编号")].value for r in rows[1:]] == ["2014001", "2014002", "2014003"]
    code = first[col("子项目编号")]
    assert code.data_type == "s" and code.value == "2014001"  # never the number 2014001
    phone = first[col("分管领导电话")]
    assert phone.data_type == "s" and phone.value == "13881612345"
    assert first[col("档案人员电话")].value == "0835-6522123"
    start = first[col("开工日期")]
    assert start.is_date and start.value == datetime(2014, 3, 1) and start.number_format == "yyyy-mm-dd"
    assert first[col("完工日期")].value == datetime(2015, 6, 30)
    assert second[col("开工日期")].value is None
    investment = first[col("总投资（万元）")]
    assert investment.data_type == "n" and investment.value == 356.5
    assert second[col("总投资（万元）")].value == 538447.043  # the exact decimal, no float noise
    assert third[col("总投资（万元）")].value is None  # an empty amount stays empty
    assert [r[col("是否国外贷款项目")].value for r in rows[1:]] == ["否", "是", "否"]
    assert [r[col("是否示范点")].value for r in rows[1:]] == ["是", "否", "否"]
    assert [r[col("建设状态")].value for r in rows[1:]] == ["已完工", "在建", "已完工"]
    assert first[col("县（区）")].value == "芦山县"
    assert first[col("总规项目编号")].value == "511826-ZG-0001"
    assert first[col("总规项目名称")].value == "芦山县龙门乡古城村农房重建"
    # text that looks like a formula or like xlsxwriter's rich-text markup stays that text
    assert first[col("备注")].value == "=SUM(A1)" and first[col("备注")].data_type == "s"
    assert second[col("备注")].value == "<r>不是富文本</r>"


def test_a_deleted_sub_project_is_not_exported(register, tmp_path):
    out = tmp_path / "清单.xlsx"
    export_register(register, out)
    codes = [row[col("子项目编号")].value for row in read_rows(out)[2][1:]]
    assert "2014009" not in codes and len(codes) == 3


def test_a_filter_exports_only_the_matching_rows_in_the_tables_order(register, tmp_path):
    out = tmp_path / "筛选.xlsx"
    progress = []
    written = export_register(register, out, flt=SubProjectFilter(construction_status="completed"),
                              sort="code", descending=True, progress=lambda *args: progress.append(args))
    assert written == 2
    codes = [row[col("子项目编号")].value for row in read_rows(out)[2][1:]]
    assert codes == ["2014003", "2014001"]
    assert progress[0][:2] == (0, 2) and progress[-1][:2] == (2, 2)


def test_a_cancelled_export_leaves_no_file_behind(register, tmp_path):
    token = CancelToken()
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "清单.xlsx"
    with pytest.raises(Cancelled):
        export_register(register, out, cancel=token, progress=lambda *args: token.cancel())
    assert list(folder.iterdir()) == []  # neither the workbook nor its temporary file

    out.write_bytes(b"the previous export")
    with pytest.raises(Cancelled):
        export_register(register, out, cancel=token)
    assert out.read_bytes() == b"the previous export"
    assert list(folder.iterdir()) == [out]


def test_the_template_has_the_headers_and_the_instructions(tmp_path):
    out = tmp_path / "模板.xlsx"
    write_template(out)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["子项目清单", "填表说明"]
    sheet = book["子项目清单"]
    header = [c.value for c in sheet[1]]
    assert header == HEADERS and sheet.max_row == 1 and sheet.freeze_panes == "A2"
    code = sheet.cell(1, col("子项目编号") + 1)
    assert code.comment is not None and "必填" in code.comment.text
    assert code.font.color.rgb == "FFC00000"  # required headers in red
    assert sheet.cell(1, col("行业（领域）") + 1).comment is None
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in sheet.data_validations.dataValidation}
    letter = openpyxl.utils.get_column_letter
    assert lists[f"{letter(col('是否示范点') + 1)}2"] == '"是,否"'
    assert lists[f"{letter(col('建设状态') + 1)}2"] == '"未开工,在建,已完工,停缓建"'
    notes = {row[0]: row for row in book["填表说明"].iter_rows(min_row=2, values_only=True) if row[0]}
    assert set(HEADERS) <= set(notes)
    assert notes["子项目编号"][1] == "必填" and notes["备注"][1] == "选填"
    assert "2014-05-20" in notes["开工日期"][2] and "0835-2221234" in notes["档案人员电话"][2]
    assert "芦山" in notes["县（区）"][2] and "万元" in notes["总投资（万元）"][2]
    text = " ".join(str(v) for row in book["填表说明"].iter_rows(values_only=True) for v in row if v)
    assert "跳过" in text


def test_rejected_rows_come_back_with_their_reasons_and_the_bad_cells_marked(tmp_path):
    plan = ImportPlan(
        path=tmp_path / "芦山.xlsx", sheet="Sheet1", header_row=3,
        headers=["县区", "子项目编号", "子项目名称", "开工日期", "总投资(万元)", "联系人"],
        ignored_columns=["联系人"],
        rejected=[
            Rejection(5, "开工日期", "2014.13.1", "“开工日期”不是有效日期：“2014.13.1”。"),
            # named by its canonical header: found by folding the brackets
            Rejection(5, "总投资（万元）", "-5", "“总投资（万元）”不能为负数：-5。"),
            Rejection(7, "子项目名称", "", "“子项目名称”不能为空。"),
        ],
        rejected_rows=[
            SourceRow(5, ("芦山", 2014001, "古城村农房重建一期", "2014.13.1", -5, None)),
            SourceRow(7, ("芦山", "A-1", None, datetime(2014, 5, 20), 12.5, "王芳")),
        ],
    )
    out = tmp_path / "退回.xlsx"
    assert write_rejections(plan, out) == 2
    book, sheet, rows = read_rows(out)
    assert book.sheetnames == ["退回行"] and sheet.freeze_panes == "A2"
    assert [c.value for c in rows[0]] == [*plan.headers, "错误原因", "原行号"]
    first, second = rows[1], rows[2]
    assert first[6].value == "“开工日期”不是有效日期：“2014.13.1”。；“总投资（万元）”不能为负数：-5。"
    assert [first[7].value, second[7].value] == [5, 7]
    assert first[3].fill.fgColor.rgb == PINK and first[4].fill.fgColor.rgb == PINK
    assert first[1].fill.fgColor.rgb != PINK and first[2].fill.fgColor.rgb != PINK
    assert second[2].value is None and second[2].fill.fgColor.rgb == PINK  # the empty required cell
    # the original values keep their types
    assert first[1].value == 2014001 and first[1].data_type == "n"
    assert first[3].value == "2014.13.1" and first[4].value == -5
    assert second[3].is_date and second[3].value == datetime(2014, 5, 20)
    assert second[4].value == 12.5 and second[5].value == "王芳"


def test_rejections_take_odd_values_without_failing(tmp_path):
    cells = (float("nan"), True, date(1899, 1, 1), "a\x01b", "x" * 40_000, datetime(2014, 5, 20, 8, 30))
    plan = ImportPlan(path=tmp_path / "a.xlsx", sheet="S", header_row=1,
                      headers=["A", "B", "C", "D", "E", "F"], ignored_columns=[],
                      rejected=[Rejection(2, "", "", "整行有误。")], rejected_rows=[SourceRow(2, cells)])
    out = tmp_path / "退回.xlsx"
    write_rejections(plan, out)
    row = read_rows(out)[2][1]
    assert row[0].value == "nan" and row[1].value is True and row[2].value == "1899-01-01"
    assert row[5].value == datetime(2014, 5, 20, 8, 30) and row[6].value == "整行有误。"
