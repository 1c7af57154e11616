"""Writing the master list to Excel: the register, the blank template, and an import's rejected rows.

Workbooks are written atomically through ``app.reports.xlsx``.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from app.reports.xlsx import Styles, atomic_workbook, display_width, fit, put, put_text, write_header
from sqlalchemy import select

from app.i18n import _
from app.models import CONSTRUCTION_STATUSES, Division, MasterProject, SubProject
from app.services.fields import wan_text
from app.services.master_list.columns import COLUMNS, Column, header_key
from app.services.master_list.plan import ImportPlan
from app.services.sub_project_search import SubProjectFilter, search_ids
from app.services.tasks import CancelToken, ProgressSink, no_progress
from app.services.workspace import Workspace

#: rows fetched (and written) between two looks at the cancel token
BATCH = 1000
#: the template's validation lists cover every row a sheet can have
LAST_ROW = 1_048_575
FLAG_KEYS = frozenset({"foreign_loan", "demonstration_site"})
JOIN = "；"

_t, _d, _m = SubProject.__table__, Division.__table__, MasterProject.__table__
#: where each column's value comes from; the rest are sub_projects columns of the same name
_SOURCES = {"division": _d.c.name, "plan_code": _m.c.plan_code, "master_name": _m.c.name,
            "investment": _t.c.investment_yuan}
_QUERY = (
    select(_t.c.id, *(_SOURCES[c.key] if c.key in _SOURCES else _t.c[c.key] for c in COLUMNS))
    .join(_d, _d.c.uid == _t.c.division_uid)
    .join(_m, _m.c.uid == _t.c.master_project_uid)
)


def _column_format(styles: Styles, column: Column):
    return styles.get("text") if column.text else styles.get("date") if column.date else None


def _register_plan(sheet, styles: Styles) -> list[tuple]:
    """Per column, decided once rather than per cell: (index, writer or None for text, format, convert).

    Specialised writers matter here: 730,000 cells at 40,550 rows.
    """
    # the list is a Chinese document of record whatever the UI language: its headers and
    # vocabulary are the msgids themselves, which the importer reads back
    yes, no = "是", "否"  # i18n: input vocabulary
    statuses = dict(CONSTRUCTION_STATUSES)
    plan = []
    for col, column in enumerate(COLUMNS):
        write, fmt, convert = None, styles.get("text" if column.text else "plain"), None
        if column.date:
            write, fmt = sheet.write_datetime, styles.get("date")
        elif column.key == "investment":
            # the exact decimal of wan_text: 356.5 stays 356.5, never 356.49999999999997
            write, convert = sheet.write_number, lambda yuan: Decimal(wan_text(yuan))
        elif column.key in FLAG_KEYS:
            convert = lambda value: yes if value else no
        elif column.key == "construction_status":
            convert = lambda code: statuses.get(code, code)
        plan.append((col, write, fmt, convert))
    return plan


def export_register(ws: Workspace, path: Path | str, *, flt: SubProjectFilter | None = None, sort: str = "code",
                    descending: bool = False, cancel: CancelToken | None = None,
                    progress: ProgressSink = no_progress) -> int:
    """Write the live sub-projects (or those ``flt`` matches, in the table's order) to ``path``.

    Returns the number of rows written. The columns are ``COLUMNS`` under their canonical
    headers, so the file imports back unchanged. Raises ``Cancelled`` (no file written).
    """
    ids = search_ids(ws, flt or SubProjectFilter(), sort=sort, descending=descending)
    total, message = len(ids), _("正在导出子项目清单…")
    progress(0, total, message)
    with atomic_workbook(path, constant_memory=True) as book:
        styles = Styles(book)
        sheet = book.add_worksheet(_("子项目清单"))
        widths = write_header(sheet, styles, [c.header for c in COLUMNS])
        plan = _register_plan(sheet, styles)
        written = 0
        with ws.db.read() as session:
            for start in range(0, total, BATCH):
                if cancel is not None:
                    cancel.check()
                chunk = ids[start:start + BATCH]
                found = {row[0]: row[1:] for row in session.execute(_QUERY.where(_t.c.id.in_(chunk)))}
                for record in filter(None, map(found.get, chunk)):  # deleted since the search: gone
                    written += 1
                    for col, write, fmt, convert in plan:
                        value = record[col]
                        if value is None or value == "":
                            continue
                        if convert is not None:
                            value = convert(value)
                        if write is None:
                            put_text(sheet, written, col, value, fmt)
                            # a character is at most 2 units wide: most cells need no measuring
                            if 2 * len(value) > widths[col]:
                                widths[col] = max(widths[col], display_width(value))
                        else:
                            write(written, col, value, fmt)
                            if convert is not None:
                                widths[col] = max(widths[col], len(str(value)))
                progress(min(start + BATCH, total), total, message)
        if cancel is not None:
            cancel.check()  # before the slowest step: assembling the file
        fit(sheet, widths, [c.width for c in COLUMNS], [_column_format(styles, c) for c in COLUMNS])
        sheet.autofilter(0, 0, written, len(COLUMNS) - 1)
    return written


def _column_notes() -> dict[str, str]:
    date_note = _("日期，如 2014-05-20（也可写 2014/5/20、2014.5.20 或 2014年5月20日）。")
    phone_note = _("11 位手机号（如 13881612345），或带区号的固定电话（如 0835-2221234）；按文本填写。")
    flag_note = _("填“是”或“否”；不填视为“否”。")
    statuses = "、".join(_(label) for label in CONSTRUCTION_STATUSES.values())
    return {
        "division": _("县（区）全称（如 芦山县），也可写简称（如 芦山）。"),
        "plan_code": _("总规项目编号，按文本填写（如 511826-ZG-0001）。同一编号的各行，总规项目名称必须一致。"),
        "code": _("子项目编号，按文本填写（如 2014001），不能重复。"),
        "master_name": _("总规项目名称。"), "name": _("子项目名称。"),
        "sector": _("行业（领域），如 城乡住房、公共服务、基础设施。"),
        "owner_unit": _("项目业主或责任单位的全称。"),
        "investment": _("单位：万元。填数字，最多保留四位小数（如 356.5）；不详可留空。"),
        "foreign_loan": flag_note, "demonstration_site": flag_note,
        "start_date": date_note, "finish_date": date_note + _("不能早于开工日期。"),
        "archive_lead": _("分管领导姓名。"), "archivist": _("档案人员（专兼职）姓名。"),
        "archive_lead_phone": phone_note, "archivist_phone": phone_note,
        "construction_status": _("从下拉列表选择：{names}；不填视为“{default}”。").format(
            names=statuses, default=_(next(iter(CONSTRUCTION_STATUSES.values())))),
        "remarks": _("其他需要说明的情况。"),
    }


def _write_instructions(book, styles: Styles) -> None:
    sheet = book.add_worksheet(_("填表说明"))
    write_header(sheet, styles, [_("列名"), _("是否必填"), _("填写要求")])
    wrap = styles.get("wrap")
    notes = _column_notes()
    for row, column in enumerate(COLUMNS, start=1):
        sheet.write_string(row, 0, column.header, wrap)
        sheet.write_string(row, 1, _("必填") if column.required else _("选填"), wrap)
        sheet.write_string(row, 2, notes.get(column.key, ""), wrap)
    general = (
        _("一、每个子项目填一行；请勿修改表头文字，列的顺序可以调整。"),
        _("二、没有子项目编号、也没有子项目名称的行（空行、表格下方的备注等）导入时跳过，不算错误。"),
        _("三、必填列为空、数字或日期写错、县（区）无法识别、子项目编号重复的行会被退回，并注明行号和原因。"),
        _("四、导入前先显示预览（新增、修改、未变、退回），确认后才写入；退回的行可另存为 Excel，改正后重新导入。"),
    )
    row = len(COLUMNS) + 2
    for offset, line in enumerate(general):
        sheet.merge_range(row + offset, 0, row + offset, 2, line, wrap)
    for col, width in enumerate((22, 10, 80)):
        sheet.set_column(col, col, width)


def write_template(path: Path | str) -> Path:
    """A blank master list: the styled header row, drop-down lists, and a 填表说明 sheet."""
    with atomic_workbook(path, constant_memory=False) as book:
        styles = Styles(book)
        sheet = book.add_worksheet(_("子项目清单"))
        required = {col for col, column in enumerate(COLUMNS) if column.required}
        widths = write_header(sheet, styles, [c.header for c in COLUMNS], required=required)
        for col in required:
            sheet.write_comment(0, col, _("必填"))
        fit(sheet, widths, [c.width for c in COLUMNS], [_column_format(styles, c) for c in COLUMNS])
        lists = {key: (["是", "否"], _("请填写“是”或“否”；不填视为“否”。")) for key in FLAG_KEYS}  # i18n: input vocabulary
        lists["construction_status"] = (list(CONSTRUCTION_STATUSES.values()),
                                        _("请从下拉列表中选择建设状态。"))
        for col, column in enumerate(COLUMNS):
            if column.key in lists:
                source, message = lists[column.key]
                sheet.data_validation(1, col, LAST_ROW, col, {"validate": "list", "source": source,
                                                              "error_message": message})
            elif column.key == "investment":
                # a warning, not a stop: the importer also reads "1,200" or full-width digits
                sheet.data_validation(1, col, LAST_ROW, col, {
                    "validate": "decimal", "criteria": ">=", "value": 0, "error_type": "warning",
                    "error_message": _("总投资应为不小于 0 的数字，单位：万元。")})
        _write_instructions(book, styles)
    return Path(path)


def write_rejections(plan: ImportPlan, path: Path | str) -> int:
    """The rejected rows as the file held them, with the reasons beside them; returns the row count.

    The office corrects this workbook and sends it again: the file's own headers come
    first (so it imports like the original), then 错误原因 and 原行号; bad cells are pink.
    """
    headers = ["" if h is None else str(h) for h in plan.headers]
    # a rejection names the header as the file wrote it (or its canonical form): fold both
    by_key: dict[str, int] = {}
    for col, header in enumerate(headers):
        by_key.setdefault(header_key(header), col)
    reasons: dict[int, list[str]] = {}
    bad: dict[int, set[int]] = {}
    for rejection in plan.rejected:
        messages = reasons.setdefault(rejection.row, [])
        if rejection.message not in messages:
            messages.append(rejection.message)
        col = by_key.get(header_key(rejection.column)) if rejection.column else None
        if col is not None:
            bad.setdefault(rejection.row, set()).add(col)
    sources = {source.row: source.cells for source in plan.rejected_rows}
    width = max([len(headers), *(len(cells) for cells in sources.values())])
    headers += [""] * (width - len(headers))
    with atomic_workbook(path, constant_memory=True) as book:
        styles = Styles(book)
        sheet = book.add_worksheet(_("退回行"))
        widths = write_header(sheet, styles, [*headers, _("错误原因"), _("原行号")])
        rows = sorted(set(sources) | set(reasons))
        for out, row in enumerate(rows, start=1):
            cells, marked = sources.get(row, ()), bad.get(row, set())
            for col in range(width):
                value = cells[col] if col < len(cells) else None
                widths[col] = max(widths[col], put(sheet, styles, out, col, value, bad=col in marked))
            reason = JOIN.join(reasons.get(row, []))
            sheet.write_string(out, width, reason, styles.get("wrap"))
            widths[width] = max(widths[width], display_width(reason))
            sheet.write_number(out, width + 1, row)
        fit(sheet, widths, [8] * width + [30, 8])
        sheet.autofilter(0, 0, len(rows), width + 1)
    return len(rows)
