"""验收检查表 in Excel: a version laid out for print, and a workbook read back as a new draft.

The workbook is an exchange format, like the master list: its labels, headers and words
(计分, 是/否) are the Chinese msgids whatever the interface language, so a checklist the
city sends down reads the same on every node. Import reads what export writes and what
people make of it: the header on any of the first rows, header variants, numbers typed
as text. A refused workbook names each Excel row and column, and nothing is written.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook
from sqlalchemy import func, select
from xlsxwriter.utility import xl_rowcol_to_cell

from app.errors import AppError, ValidationError
from app.i18n import N_, _
from app.models import TEMPLATE_STATUSES, Acceptance
from app.reports.xlsx import atomic_workbook, display_width, put_text
from app.services import checklists, fields
from app.services.checklists import TemplateView
from app.services.master_list.columns import header_key
from app.services.workspace import Workspace

SHEET = N_("检查表")
HEADER_SEARCH_ROWS = 15
SUPPORTED_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # msgid, written as is (see the module docstring)
    width: int
    variants: tuple[str, ...] = ()
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("section", N_("部分"), 5, ("检查部分", "评分部分", "类别", "项目类别", "验收项目"), True),  # i18n: input vocabulary
    Column("code", N_("编号"), 6, ("序号", "项目编号", "检查项编号", "条目编号"), True),  # i18n: input vocabulary
    Column("text", N_("检查内容"), 45, ("检查项", "检查项目", "验收内容", "内容", "评分内容"), True),  # i18n: input vocabulary
    Column("evidence", N_("备查材料"), 20, ("备查资料", "查验材料", "检查材料", "备查文件", "查阅材料")),  # i18n: input vocabulary
    Column("kind", N_("类型"), 11, ("评分方式", "计分方式", "评分类型", "项目类型")),  # i18n: input vocabulary
    Column("max_score", N_("分值"), 6, ("标准分", "满分", "分数", "标准分值", "应得分"), True),  # i18n: input vocabulary
    Column("deduction_guide", N_("扣分标准"), 38, ("评分标准", "扣分说明", "评分细则", "扣分办法")),  # i18n: input vocabulary
    Column("veto", N_("否决项"), 7, ("一票否决", "否决")),  # i18n: input vocabulary
)
KEYS = [c.key for c in COLUMNS]
_HEADER_KEYS = {header_key(text): c.key for c in COLUMNS for text in (c.header, *c.variants)}

#: the title block: the name on the first row, then a label in column A and its value beside it
LABEL_VERSION, LABEL_BANDS, LABEL_NOTE = N_("版本"), N_("等级"), N_("说明")
_LABELS = {"名称": "name", "检查表名称": "name", "版本": "", "状态": "", "总分": "", "说明": "",  # i18n: input vocabulary
           "等级": "bands", "等级划分": "bands", "评定等级": "bands", "评定标准": "bands"}  # i18n: input vocabulary
KIND_WORDS = {"score": N_("计分"), "pass_fail": N_("合格/不合格")}
_KINDS = {"计分": "score", "评分": "score", "打分": "score", "score": "score", "合格不合格": "pass_fail",  # i18n: input vocabulary
          "合格": "pass_fail", "通过不通过": "pass_fail", "passfail": "pass_fail"}  # i18n: input vocabulary
_VETO_WORDS = ("否决", "否决项", "★")  # i18n: input vocabulary
YES, NO = N_("是"), N_("否")
FLOOR_SUFFIX = N_("（最低分 {floor}）")
BELOW_LOWEST = N_("低于 {min} 分不合格")
_FLOOR = re.compile(r"[(（]\s*最低分?\s*[:：]?\s*([0-9０-９.．]+)\s*分?\s*[)）]\s*$")  # i18n: input vocabulary
_BAND = re.compile(r"(?:≥|>=|≧|大于等于|不低于)?\s*([0-9]+(?:\.[0-9]+)?)\s*分?\s*(?:及以上|以上)?\s*为?\s*(\S.*)")  # i18n: input vocabulary
_BELOW = ("低于", "不足", "<", "小于", "其余", "否则")  # i18n: input vocabulary
#: rows below the items that close the sheet rather than start a part
_FOOTERS = ("合计", "总计", "总分", "小计", "说明", "注", "备注")  # i18n: input vocabulary
_LINE_BREAKS = re.compile(r"[\r\n\v\f\u2028\u2029]+")


class ChecklistWorkbookError(AppError):
    """The file cannot be read as a checklist at all (as opposed to cells being refused)."""


@dataclass(frozen=True)
class ImportedTemplate:
    """A checked workbook, ready for ``install_imported``; nothing is written yet."""

    path: Path
    content: dict[str, Any]  # the ``checklists.content_of`` shape, validated
    total_score: float
    item_count: int
    #: the latest version of the checklist with the same name, which the import follows; None: a new checklist
    target_uid: str | None
    next_version: int
    #: a version of that checklist with exactly this content (the import would change nothing)
    same_as_version: int | None


def points(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def bands_text(bands: Any, *, translate: bool = False) -> str:
    """≥90 优良；≥70 合格；低于 70 分不合格 (untranslated unless for the screen)."""
    ordered = sorted(bands, key=lambda b: -b["min"])
    parts = [f"≥{points(b['min'])} {b['grade']}" for b in ordered]
    if ordered:
        parts.append((_(BELOW_LOWEST) if translate else BELOW_LOWEST).format(min=points(ordered[-1]["min"])))
    return (_("；") if translate else "；").join(parts)  # i18n: input vocabulary


def usage_counts(ws: Workspace) -> dict[str, int]:
    """Live acceptances per checklist version uid (versions never used are absent)."""
    with ws.db.read() as session:
        return dict(session.execute(select(Acceptance.template_uid, func.count()).where(
            Acceptance.deleted.is_(False)).group_by(Acceptance.template_uid)).all())


def default_file_name(view: TemplateView) -> str:
    name = re.sub(r'[\\/:*?"<>|\s]+', "_", view.name).strip("_") or "checklist"
    return _("{name}-第{version}版.xlsx").format(name=name, version=view.version)


# -- export ------------------------------------------------------------------------

HEADER_ROW = 4  # below the name, 版本, 等级 and 说明
NOTE = N_("否决项不合格或某部分得分低于其最低分的，验收不合格。修改后可导入为新版本：“部分”行写标题，可加“（最低分 36）”；"
          "其下各行为该部分的检查项；小计和总分自动计算。")
LINE_HEIGHT = 15  # points per line of 11 pt text
_FORMATS = {
    "title": {"bold": True, "font_size": 16, "align": "center", "valign": "vcenter", "text_wrap": True},
    "label": {"bold": True, "valign": "top"}, "value": {"text_wrap": True, "valign": "top"},
    "header": {"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center", "valign": "vcenter"},
    "section": {"bold": True, "bg_color": "#E2EFDA", "border": 1, "valign": "vcenter", "text_wrap": True},
    "subtotal": {"bold": True, "bg_color": "#E2EFDA", "border": 1, "align": "center", "valign": "vcenter"},
    # centred in the row: the row heights are estimates, and Latin and CJK glyphs sit differently at the top
    "cell": {"border": 1, "valign": "vcenter", "text_wrap": True},
    "centre": {"border": 1, "valign": "vcenter", "align": "center", "text_wrap": True},
    "veto": {"border": 1, "valign": "vcenter", "align": "center", "bold": True, "font_color": "#C00000"},
}


def _lines(text: str, width: int) -> int:
    return sum(max(1, math.ceil(display_width(part) / max(width - 1, 1))) for part in text.split("\n"))


def export_template(ws: Workspace, uid: str, path: Path | str) -> Path:
    """Write version ``uid`` to ``path`` (atomically): one sheet, landscape A4, ready to print
    and to be edited and imported back."""
    view = checklists.get(ws, uid)
    last, score_col = len(COLUMNS) - 1, KEYS.index("max_score")
    with atomic_workbook(path, constant_memory=False) as book:
        f = {name: book.add_format(props) for name, props in _FORMATS.items()}
        sheet = book.add_worksheet(SHEET)
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        sheet.fit_to_pages(1, 0)  # one page wide, as many long as it takes
        sheet.repeat_rows(HEADER_ROW)
        sheet.set_footer(N_("&C第 &P 页，共 &N 页"))
        for col, column in enumerate(COLUMNS):
            sheet.set_column(col, col, column.width)
        sheet.merge_range(0, 0, 0, last, view.name, f["title"])
        sheet.set_row(0, 30)
        info = N_("第 {version} 版　　状态：{status}　　总分：{total} 分").format(
            version=view.version, status=TEMPLATE_STATUSES.get(view.status, view.status), total=points(view.total_score))
        value_width = sum(c.width for c in COLUMNS[1:])
        for row, (label, value) in enumerate(((LABEL_VERSION, info), (LABEL_BANDS, bands_text(view.grade_bands)),
                                              (LABEL_NOTE, NOTE)), start=1):
            put_text(sheet, row, 0, label, f["label"])
            sheet.merge_range(row, 1, row, last, value, f["value"])
            sheet.set_row(row, LINE_HEIGHT * _lines(value, value_width) + 3)
        for col, column in enumerate(COLUMNS):
            put_text(sheet, HEADER_ROW, col, column.header, f["header"])
        sheet.set_row(HEADER_ROW, 22)
        sheet.freeze_panes(HEADER_ROW + 1, 0)
        row = HEADER_ROW
        for section in view.sections:
            row += 1
            floor = FLOOR_SUFFIX.format(floor=points(section.floor)) if section.floor is not None else ""
            sheet.merge_range(row, 0, row, score_col - 1, section.title + floor, f["section"])
            # a formula, so the subtotal follows the points when someone edits the sheet
            span = f"{xl_rowcol_to_cell(row + 1, score_col)}:{xl_rowcol_to_cell(row + len(section.items), score_col)}"
            sheet.write_formula(row, score_col, f"=SUM({span})", f["subtotal"], section.max_score)
            for col in range(score_col + 1, last + 1):
                sheet.write_blank(row, col, None, f["section"])
            sheet.set_row(row, 20)
            for item in section.items:
                row += 1
                values = {"section": "", "code": item.code, "text": item.text, "evidence": item.evidence,
                          "kind": KIND_WORDS.get(item.kind, item.kind), "deduction_guide": item.deduction_guide,
                          "veto": YES if item.veto else NO}
                for col, key in enumerate(KEYS):
                    if key == "max_score":  # a number, or an empty cell for a pass/fail item
                        sheet.write(row, col, item.max_score, f["centre"])
                        continue
                    style = "veto" if key == "veto" and item.veto else "centre" if key in ("code", "kind", "veto") \
                        else "cell"
                    put_text(sheet, row, col, values[key], f[style])
                sheet.set_row(row, LINE_HEIGHT * max(_lines(values[c.key], c.width) for c in COLUMNS
                                                     if c.key in values) + 3)
        # drop-down lists, for the rows people add below too
        for key, choices in (("kind", list(KIND_WORDS.values())), ("veto", [YES, NO])):
            col = KEYS.index(key)
            sheet.data_validation(HEADER_ROW + 1, col, row + 200, col, {"validate": "list", "source": choices})
    return Path(path)


# -- import ------------------------------------------------------------------------

def _read_rows(path: Path) -> tuple[list[list[Any]], int, dict[int, str]]:
    """The rows of the sheet with the best checklist header, the header's index and its columns."""
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise ChecklistWorkbookError(_("不支持的文件类型“{suffix}”：请选择 .xlsx、.xls 或 .ods 文件。").format(
            suffix=path.suffix or path.name))
    if not path.is_file():
        raise ChecklistWorkbookError(_("找不到文件：{path}").format(path=path))
    try:
        book = CalamineWorkbook.from_path(str(path))
        sheets = [(name, book.get_sheet_by_name(name).to_python(skip_empty_area=False)) for name in book.sheet_names]
    except (CalamineError, OSError, ValueError) as exc:
        raise ChecklistWorkbookError(_("无法读取文件 {path}：文件已损坏或不是 Excel/ODS 表格（{error}）。").format(
            path=path.name, error=exc)) from None
    found = [(name, rows, header) for name, rows in sheets if (header := _find_header(rows)) is not None]
    if not found:
        raise ChecklistWorkbookError(_("在文件 {path} 各工作表的前 {n} 行中找不到检查表的表头（需有“部分”“编号”“检查内容”“分值”等列）。").format(
            path=path.name, n=HEADER_SEARCH_ROWS))
    name, rows, (index, columns) = max(found, key=lambda f: len(f[2][1]))
    missing = [c.header for c in COLUMNS if c.required and c.key not in columns.values()]
    if missing:
        raise ChecklistWorkbookError(_("工作表“{sheet}”第 {row} 行的表头缺少必需的列：{missing}。").format(
            sheet=name, row=index + 1, missing="、".join(missing)))
    return rows, index, columns


def _find_header(rows: list[list[Any]]) -> tuple[int, dict[int, str]] | None:
    best = None
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns: dict[int, str] = {}
        for col, cell in enumerate(row):
            key = _HEADER_KEYS.get(header_key(cell)) if isinstance(cell, str) and cell.strip() else None
            if key is not None and key not in columns.values():
                columns[col] = key
        if {"code", "text"} <= set(columns.values()) and len(columns) >= 3 and (
                best is None or len(columns) > len(best[1])):
            best = (index, columns)
    return best


def _text(cell: Any, breaks: str = "") -> str:
    """A cell as typed. Line breaks inside a cell are layout (Alt+Enter to fit a column), not content."""
    if cell is None or cell == "":
        return ""
    if isinstance(cell, float) and math.isfinite(cell) and cell.is_integer():
        cell = int(cell)
    return _LINE_BREAKS.sub(breaks, str(cell)).replace("\u3000", " ").strip()


def _split_floor(raw: str) -> tuple[str, str | None]:
    """``档案安全（最低分 12）`` -> (``档案安全``, ``12``)."""
    match = _FLOOR.search(raw)
    return (raw, None) if match is None else (raw[:match.start()].strip(), fields.normalize(match.group(1)))


class _Reader:
    """One pass over the rows: the content, where each part of it came from, and the refusals."""

    def __init__(self, rows: list[list[Any]], header_row: int, columns: dict[int, str]) -> None:
        self.rows, self.header_row = rows, header_row
        self.col_of = {key: col for col, key in columns.items()}
        self.headers = {key: _text(rows[header_row][col]) for col, key in columns.items()}
        self.errors: dict[tuple[int, int], str] = {}  # (Excel row, column) -> message
        self.name, self.bands = "", []
        #: where the name and the grade bands were read, (Excel row, column); None: nowhere
        self.name_at: tuple[int, int] | None = None
        self.bands_at: tuple[int, int] | None = None
        self.sections: list[dict[str, Any]] = []
        self.section_rows: list[int] = []
        self.item_rows: list[list[int]] = []  # per section
        self.code_rows: dict[str, int] = {}

    def refuse(self, row: int, key: str | None, message: str, col: int = -1) -> None:
        """``row`` as Excel numbers it; ``key`` names the column, else ``col`` (-1: the whole row)."""
        if key is not None:
            col = self.col_of.get(key, 0)
            where = _("第 {row} 行“{header}”列（{cell}）").format(row=row, header=self.headers.get(key, key),
                                                              cell=xl_rowcol_to_cell(row - 1, col))
        elif col >= 0:
            where = _("第 {row} 行（{cell}）").format(row=row, cell=xl_rowcol_to_cell(row - 1, col))
        else:
            where = _("第 {row} 行").format(row=row)
        self.errors.setdefault((row, col), _("{where}：{message}").format(where=where, message=message))

    def cell(self, cells: list[Any], key: str) -> Any:
        col = self.col_of.get(key)
        return cells[col] if col is not None and col < len(cells) else None

    def read_title_block(self) -> None:
        """名称 and 等级 above the header: ``label | value``, ``label：value``, or the name standing alone."""
        labelled_name = False
        for index in range(self.header_row):
            cells = [(col, text) for col, c in enumerate(self.rows[index]) if (text := _text(c, "\n"))]
            if not cells:
                continue
            (col, first), row = cells[0], index + 1
            labelled = re.fullmatch(r"([^:：]{1,8})[:：]\s*(.+)", first, re.DOTALL)
            if labelled and header_key(labelled.group(1)) in _LABELS:
                kind, value, at = _LABELS[header_key(labelled.group(1))], labelled.group(2), col
            elif header_key(first.rstrip(":：")) in _LABELS and len(cells) > 1:
                kind, value, at = _LABELS[header_key(first.rstrip(":："))], "\n".join(t for _c, t in cells[1:]), \
                    cells[1][0]
            else:
                kind, value, at = (None if labelled_name or self.name else "name"), first, col
            if kind == "name" and not labelled_name:
                labelled_name = value != first  # a labelled name wins over a title standing alone
                self.name, self.name_at = _LINE_BREAKS.sub("", value).strip(), (row, at)
            elif kind == "bands":
                self.bands_at = (row, at)
                self.read_bands(row, at, value)

    def read_bands(self, row: int, col: int, text: str) -> None:
        for part in re.split(r"[；;，,、\n]+", unicodedata.normalize("NFKC", text)):
            part = part.strip()
            if not part or part.startswith(_BELOW):
                continue
            match = _BAND.fullmatch(part)
            if match is None:
                self.refuse(row, None, _("无法识别等级“{part}”，请写成“≥90 优良；≥70 合格”。").format(part=part), col)
            else:
                self.bands.append({"min": float(match.group(1)), "grade": match.group(2).strip()})

    def read_body(self) -> None:
        for index in range(self.header_row + 1, len(self.rows)):
            cells, row = self.rows[index], index + 1
            part = _text(self.cell(cells, "section"))
            code, text = _text(self.cell(cells, "code")), _text(self.cell(cells, "text"))
            if not (code or text):
                if part and not part.startswith(_FOOTERS):
                    self.start_section(row, part)
                continue
            # sheets that repeat the part on every item row start a new part where its title changes
            if part and (not self.sections or _split_floor(part)[0] != self.sections[-1]["title"]):
                self.start_section(row, part)
            if not self.sections:
                self.refuse(row, "section", _("检查项之前应有一行“部分”，写明该部分的标题。"))
            else:
                self.read_item(row, cells, code, text)

    def start_section(self, row: int, raw: str) -> None:
        title, floor = _split_floor(raw)
        self.sections.append({"title": title, "floor": floor, "items": []})
        self.section_rows.append(row)
        self.item_rows.append([])

    def read_item(self, row: int, cells: list[Any], code: str, text: str) -> None:
        item: dict[str, Any] = {"code": code, "text": text, "evidence": _text(self.cell(cells, "evidence")),
                                "deduction_guide": _text(self.cell(cells, "deduction_guide"))}
        kind = _text(self.cell(cells, "kind"))
        item["kind"] = _KINDS.get(header_key(kind).lower()) if kind else "score"
        if item["kind"] is None:
            self.refuse(row, "kind", _("类型应填“计分”或“合格/不合格”，不能是“{value}”。").format(value=kind))
            item["kind"] = "score"
        item["max_score"] = self.number(row, cells, "max_score")
        veto = self.cell(cells, "veto")
        try:
            item["veto"] = True if _text(veto) in _VETO_WORDS else fields.flag(veto, self.headers.get("veto", ""))
        except fields.FieldError as exc:
            self.refuse(row, "veto", exc.message)
        folded = fields.normalize(code)
        if folded in self.code_rows:
            self.refuse(row, "code", _("编号 {code} 与第 {other} 行重复。").format(code=folded,
                                                                             other=self.code_rows[folded]))
            return
        if folded:
            self.code_rows[folded] = row
        self.sections[-1]["items"].append(item)
        self.item_rows[-1].append(row)

    def number(self, row: int, cells: list[Any], key: str) -> float | None:
        cell = self.cell(cells, key)
        if isinstance(cell, (int, float)) and not isinstance(cell, bool):
            return float(cell)
        raw = fields.normalize(_text(cell)).removesuffix("分").strip()  # i18n: input vocabulary
        try:
            return float(raw) if raw else None
        except ValueError:
            self.refuse(row, key, _("应为数字，不能是“{value}”。").format(value=_text(cell)))
            return None

    def place(self, errors: dict[str, str]) -> None:
        """Put ``parse_content``'s messages on the Excel rows (and columns) they are about."""
        for key, message in errors.items():
            kind, _sep, where = key.partition(":")
            if kind == "item":
                s_no, i_no = (int(n) for n in where.split(":"))
                row = self.item_rows[s_no - 1][i_no - 1]
                if not any(r == row for r, _c in self.errors):  # a row already refused says enough
                    self.refuse(row, _column_of(message), message)
            elif kind == "section":
                self.refuse(self.section_rows[int(where) - 1], "section", message)
            elif kind in ("band", "grade_bands") and self.bands_at is not None:
                self.refuse(self.bands_at[0], None, message, self.bands_at[1])
            elif kind == "name" and self.name_at is not None:
                self.refuse(self.name_at[0], None, message, self.name_at[1])
            elif kind == "grade_bands":
                self.errors[0, 0] = _("表头上方找不到“等级”行（如“等级 | ≥90 优良；≥70 合格”）。")
            elif kind == "name":
                self.errors[0, 1] = _("表头上方找不到检查表的名称（第一行写名称）。")
            else:
                self.errors[0, 2 + len(self.errors)] = message


def _column_of(message: str) -> str | None:
    """The column a ``parse_content`` item message is about, from the field label it names."""
    for key, label in (("max_score", N_("分值")), ("code", N_("编号")), ("evidence", N_("备查材料")),
                       ("deduction_guide", N_("扣分标准")), ("kind", N_("类型")), ("text", N_("检查内容"))):
        if _(label) in message:
            return key
    return None


def import_template(ws: Workspace, path: Path | str) -> ImportedTemplate:
    """Read and check a checklist workbook; nothing is written.

    Raises ``ChecklistWorkbookError`` for a file that is not a checklist and
    ``ValidationError`` (one message per refused cell, naming its Excel row and column, in
    the order of the sheet) for one that is, but has mistakes.
    """
    path = Path(path)
    reader = _Reader(*_read_rows(path))
    reader.read_title_block()
    reader.read_body()
    try:
        parsed = checklists.parse_content({"name": reader.name, "grade_bands": reader.bands,
                                           "sections": reader.sections})
    except ValidationError as exc:
        reader.place(exc.field_errors)
        parsed = None
    if reader.errors or parsed is None:
        raise ValidationError({f"{r}:{c}": reader.errors[r, c] for r, c in sorted(reader.errors)})
    content = {k: parsed[k] for k in ("name", "grade_bands", "sections")}
    target, next_version, same = _target(ws, content)
    return ImportedTemplate(path, content, parsed["total_score"], sum(len(s["items"]) for s in content["sections"]),
                            target.uid if target else None, next_version, same)


def _target(ws: Workspace, content: dict[str, Any]) -> tuple[TemplateView | None, int, int | None]:
    """The latest version of the checklist named like ``content``, the next version number, an equal version."""
    versions = checklists.list_templates(ws)
    named = [t for t in versions if t.name == content["name"]]
    if not named:
        return None, 1, None
    # two checklists of one name: follow the one in use
    lineage = next((t.lineage_uid for t in named if t.status == "active"), named[0].lineage_uid)
    versions = [t for t in versions if t.lineage_uid == lineage]
    latest = max(versions, key=lambda t: t.version)
    same = next((t.version for t in versions if checklists.content_of(checklists.get(ws, t.uid)) == content), None)
    return latest, latest.version + 1, same


def install_imported(ws: Workspace, imported: ImportedTemplate) -> TemplateView:
    """The import as a draft: the next version of the checklist of the same name, or a new
    checklist (version 1). Versions already there, active or used, are never changed."""
    target, _next, _same = _target(ws, imported.content)
    if target is None:
        return checklists.create(ws, imported.content)
    return checklists.new_version(ws, target.uid, imported.content)
