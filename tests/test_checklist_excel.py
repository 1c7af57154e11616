"""Checklists in Excel: the default round-trips exactly, an edited workbook becomes a new draft
version, and a broken one is refused row by row with nothing written."""

from __future__ import annotations

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from app.errors import ValidationError
from app.services import checklist_excel, checklists
from app.services.checklist_excel import ChecklistWorkbookError


@pytest.fixture
def default_uid(ws):
    return checklists.ensure_default(ws)


@pytest.fixture
def exported(ws, default_uid, tmp_path):
    return checklist_excel.export_template(ws, default_uid, tmp_path / "检查表.xlsx")


def _row_of(sheet, code: str) -> int:
    """The 1-based row of the item ``code`` (column B holds the codes)."""
    return next(cell.row for cell in sheet["B"] if cell.value == code)


def _versions(ws):
    return [(t.uid, t.version, t.status) for t in checklists.list_templates(ws)]


def test_the_default_checklist_round_trips_exactly(ws, default_uid, exported):
    imported = checklist_excel.import_template(ws, exported)
    default = checklists.get(ws, default_uid)
    assert imported.content == checklists.content_of(default)
    assert (imported.item_count, imported.total_score) == (29, 100)
    assert (imported.target_uid, imported.next_version, imported.same_as_version) == (default_uid, 2, 1)

    draft = checklist_excel.install_imported(ws, imported)
    assert (draft.version, draft.status, draft.lineage_uid) == (2, "draft", default.lineage_uid)
    assert checklists.content_of(checklists.get(ws, draft.uid)) == checklists.content_of(default)


def test_the_sheet_is_laid_out_for_print(exported):
    rows = CalamineWorkbook.from_path(str(exported)).get_sheet_by_name("检查表").to_python()
    assert rows[0][0] == "四川省重大建设项目档案验收评分表（灾后重建项目适用）"
    assert rows[1][:2] == ["版本", "第 1 版　　状态：启用　　总分：100 分"]
    assert rows[2][:2] == ["等级", "≥90 优良；≥70 合格；低于 70 分不合格"]
    assert rows[4] == ["部分", "编号", "检查内容", "备查材料", "类型", "分值", "扣分标准", "否决项"]
    assert rows[5][0] == "基础管理工作" and rows[5][5] == 20
    floor_row = next(r for r in rows if str(r[0]).startswith("档案的完整"))
    assert floor_row[0] == "档案的完整、准确、系统（最低分 36）" and floor_row[5] == 60
    veto = next(r for r in rows if r[1] == "2.8")
    assert veto[4:] == ["合格/不合格", "", "未编制竣工图的，验收不合格", "是"]

    sheet = openpyxl.load_workbook(exported)["检查表"]
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.freeze_panes == "A6"
    assert sheet["C7"].alignment.wrap_text
    assert sheet["A6"].font.b and sheet["A6"].fill.fgColor.rgb.endswith("E2EFDA")
    assert 30 <= sheet.column_dimensions["C"].width <= 50


def test_an_edited_workbook_becomes_version_2_and_version_1_stays(ws, default_uid, exported, tmp_path):
    before = checklists.content_of(checklists.get(ws, default_uid))
    book = openpyxl.load_workbook(exported)
    sheet = book["检查表"]
    sheet.cell(_row_of(sheet, "1.1"), 3).value = "项目法人明确分管领导，档案工作纳入项目建设管理程序和考核"
    sheet.cell(_row_of(sheet, "1.2"), 6).value = "３分"  # full-width digits and a unit, typed as text
    last = _row_of(sheet, "3.7") + 1
    for col, value in enumerate(["", "3.8", "档案信息化系统有权限管理和操作日志", "系统截图、日志", "计分", "2",
                                 "无权限管理扣1分；无日志扣1分", "否"], start=1):
        sheet.cell(last, col).value = value
    edited = tmp_path / "edited.xlsx"
    book.save(edited)

    imported = checklist_excel.import_template(ws, edited)
    assert (imported.target_uid, imported.next_version, imported.same_as_version) == (default_uid, 2, None)
    draft = checklist_excel.install_imported(ws, imported)

    assert (draft.version, draft.status) == (2, "draft")
    items = {i.code: i for i in draft.items}
    assert items["1.1"].text == "项目法人明确分管领导，档案工作纳入项目建设管理程序和考核"
    assert items["1.2"].max_score == 3
    assert (items["3.8"].text, items["3.8"].max_score, items["3.8"].veto) == ("档案信息化系统有权限管理和操作日志", 2, False)
    assert draft.sections[2].items[-1].code == "3.8" and draft.total_score == 102
    original = checklists.get(ws, default_uid)
    assert (original.version, original.status) == (1, "active")
    assert checklists.content_of(original) == before


def test_a_city_workbook_in_its_own_words_becomes_a_new_checklist(ws, default_uid, tmp_path):
    """Header further down, variant headers, labels with colons, numbers as text."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["附件 2"])
    sheet.append(["名称：雅安市灾后重建项目档案专项验收检查表"])
    sheet.append(["等级：", "90分以上为优良，75分及以上为合格"])
    sheet.append([])
    sheet.append(["序号", "检查项目", "查验材料", "评分方式", "标准分", "评分细则", "是否否决项", "类别"])
    sheet.append(["", "", "", "", "", "", "", "一、管理（最低分：6）"])
    sheet.append(["1", "明确档案工作分管领导", "任命文件", "计分", "10", "未明确扣10分", "", ""])
    sheet.append([2, "编制竣工图", "竣工图", "合格不合格", "", "", "√", ""])
    path = tmp_path / "city.xlsx"
    book.save(path)

    imported = checklist_excel.import_template(ws, path)
    assert imported.target_uid is None
    assert imported.content == {
        "name": "雅安市灾后重建项目档案专项验收检查表",
        "grade_bands": [{"min": 90.0, "grade": "优良"}, {"min": 75.0, "grade": "合格"}],
        "sections": [{"title": "一、管理", "floor": 6.0, "items": [
            {"code": "1", "text": "明确档案工作分管领导", "evidence": "任命文件", "kind": "score", "max_score": 10.0,
             "deduction_guide": "未明确扣10分", "veto": False},
            {"code": "2", "text": "编制竣工图", "evidence": "竣工图", "kind": "pass_fail", "max_score": None,
             "deduction_guide": "", "veto": True}]}]}
    created = checklist_excel.install_imported(ws, imported)
    assert (created.version, created.status) == (1, "draft") and created.lineage_uid != default_uid


def test_a_broken_workbook_is_refused_naming_rows_and_nothing_is_written(ws, default_uid, exported, tmp_path):
    book = openpyxl.load_workbook(exported)
    sheet = book["检查表"]
    missing, duplicate, wrong = _row_of(sheet, "1.3"), _row_of(sheet, "1.5"), _row_of(sheet, "2.1")
    sheet.cell(missing, 6).value = None  # a score item without points
    sheet.cell(duplicate, 2).value = "1.4"
    sheet.cell(wrong, 6).value = "六"
    broken = tmp_path / "broken.xlsx"
    book.save(broken)
    versions = _versions(ws)

    with pytest.raises(ValidationError) as caught:
        checklist_excel.import_template(ws, broken)

    messages = list(caught.value.field_errors.values())
    assert len(messages) == 3
    assert messages[0] == f"第 {missing} 行“分值”列（F{missing}）：“第 1 部分第 3 项的分值”不能为空。"
    assert messages[1] == f"第 {duplicate} 行“编号”列（B{duplicate}）：编号 1.4 与第 {duplicate - 1} 行重复。"
    assert messages[2] == f"第 {wrong} 行“分值”列（F{wrong}）：应为数字，不能是“六”。"
    assert _versions(ws) == versions


def test_a_file_that_is_not_a_workbook_is_refused(ws, default_uid, tmp_path):
    versions = _versions(ws)
    fake = tmp_path / "检查表.xlsx"
    fake.write_text("这不是 Excel 文件", encoding="utf-8")
    with pytest.raises(ChecklistWorkbookError, match="不是 Excel/ODS 表格"):
        checklist_excel.import_template(ws, fake)
    with pytest.raises(ChecklistWorkbookError, match="不支持的文件类型"):
        checklist_excel.import_template(ws, tmp_path / "检查表.docx")
    sheet_without_header = tmp_path / "其他.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["姓名", "电话"])
    book.save(sheet_without_header)
    with pytest.raises(ChecklistWorkbookError, match="找不到检查表的表头"):
        checklist_excel.import_template(ws, sheet_without_header)
    assert _versions(ws) == versions


def test_an_import_never_touches_a_version_in_use(ws, default_uid, exported):
    """Importing twice gives drafts 2 and 3; the active version 1 is left as it was."""
    first = checklist_excel.install_imported(ws, checklist_excel.import_template(ws, exported))
    second = checklist_excel.install_imported(ws, checklist_excel.import_template(ws, exported))
    assert (first.version, second.version) == (2, 3)
    assert [(t.version, t.status) for t in checklists.list_templates(ws)] == [(3, "draft"), (2, "draft"),
                                                                             (1, "active")]
