"""Rule sets (考核细则) in and out of Excel, and the one-line text form of an item's parameters.

The workbook holds the items (one row each, choices written by their Chinese labels and
the parameters as "每项扣分=1；最多扣分=15"), the grade bands, the departments, and a sheet
listing the metrics and their parameters for whoever edits it. An imported workbook
becomes a new draft version of the rule set of the same name (or a new rule set); it is
checked by ``assessment_rules.parse_content`` like anything typed in the editor.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook
from sqlalchemy import select

from app.errors import AppError
from app.i18n import N_, _
from app.models import RULE_KINDS, RULE_SCOPES, AssessmentRuleSet
from app.reports.xlsx import Styles, atomic_workbook, put, write_header
from app.services import assessment_rules as rules
from app.services.assessment_metrics import METRICS, number_text
from app.services.assessment_rules import RuleSetView
from app.services.workspace import Workspace

ITEMS_SHEET, BANDS_SHEET, DEPARTMENTS_SHEET, METRICS_SHEET = (N_("考核项目"), N_("等次"), N_("市级部门"),
                                                               N_("计算方法说明"))
ITEM_COLUMNS = (("section", N_("类别")), ("code", N_("编号")), ("title", N_("考核内容")), ("points", N_("分值")),
                ("scope", N_("考核对象")), ("kind", N_("评分方式")), ("metric", N_("计算方法")),
                ("params", N_("计算参数")), ("guide", N_("评分标准")))
BAND_COLUMNS = (("min", N_("最低分")), ("grade", N_("等次")))
DEPARTMENT_COLUMNS = (("code", N_("代码")), ("name", N_("部门名称")), ("sectors", N_("负责的行业（领域）")))
NAME_LABEL, NOTES_LABEL = N_("考核细则名称"), N_("说明")
_SPLIT = re.compile(r"[;；\n]+")


def params_text(metric: str, params: Mapping[str, Any] | str | None) -> str:
    """"每项扣分=1；最多扣分=15" from stored parameters (text already typed is returned as is)."""
    if isinstance(params, str):
        return params
    spec = METRICS.get(metric)
    if spec is None or not params:
        return ""
    parts = []
    for key, value in params.items():
        param = spec.params.get(key)
        if param is None:
            parts.append(f"{key}={value}")
            continue
        if isinstance(value, (list, tuple)):
            shown = "、".join(_(param.vocabulary.get(v, v)) for v in value)
        elif param.vocabulary:
            shown = _(param.vocabulary.get(value, value))
        elif isinstance(value, (int, float)):
            shown = number_text(value)
        else:
            shown = "" if value is None else str(value)
        parts.append(f"{_(param.label)}={shown}")
    return "；".join(parts)


def parse_params_text(metric: str, text: Any) -> Any:
    """Typed parameters back to ``{key: raw value}`` by label or key; ``parse_content`` checks them."""
    if not isinstance(text, str):
        return text
    spec = METRICS.get(metric)
    found: dict[str, Any] = {}
    for part in _SPLIT.split(text):
        name, sep, value = part.replace("＝", "=").partition("=")
        name = name.strip()
        if not name:
            continue
        key = next((k for k, p in spec.params.items() if name in (k, _(p.label), p.label)), name) if spec else name
        found[key] = value.strip()
    return found


def metric_of(text: Any) -> str:
    """A metric's key from its key or label ("" for a hand-scored item)."""
    raw = "" if text is None else str(text).strip()
    for key, metric in METRICS.items():
        if raw in (key, metric.label, _(metric.label)):
            return key
    return raw


def default_file_name(view: RuleSetView) -> str:
    return _("{name}（第{version}版）.xlsx").format(name=view.name, version=view.version)


def _item_cells(item) -> list[Any]:
    return [item.section, item.code, item.title, item.points, _(RULE_SCOPES.get(item.scope, item.scope)),
            _(RULE_KINDS.get(item.kind, item.kind)), _(METRICS[item.metric].label) if item.metric in METRICS else "",
            params_text(item.metric, item.params), item.guide]


def export_rule_set(ws: Workspace, uid: str, path: Path | str) -> Path:
    view = rules.get(ws, uid)
    target = Path(path)
    with atomic_workbook(target, constant_memory=False) as book:
        styles = Styles(book)
        sheets = [(ITEMS_SHEET, ITEM_COLUMNS, [_item_cells(i) for i in view.items], 3),
                  (BANDS_SHEET, BAND_COLUMNS, [[b["min"], b["grade"]] for b in view.grade_bands], 0),
                  (DEPARTMENTS_SHEET, DEPARTMENT_COLUMNS,
                   [[d["code"], d["name"], "、".join(d["sectors"])] for d in view.departments], 0),
                  (METRICS_SHEET, (("label", N_("计算方法")), ("key", N_("代码")), ("params", N_("可用参数"))),
                   [[_(m.label), key, "；".join(_(p.label) for p in m.params.values())] for key, m in METRICS.items()],
                   0)]
        for name, columns, rows, first in sheets:
            sheet = book.add_worksheet(_(name))
            if first:
                put(sheet, styles, 0, 0, _(NAME_LABEL))
                put(sheet, styles, 0, 1, view.name)
                put(sheet, styles, 1, 0, _(NOTES_LABEL))
                put(sheet, styles, 1, 1, view.notes)
            widths = write_header(sheet, styles, [_(label) for _key, label in columns], row=first)
            for r, cells in enumerate(rows, start=first + 1):
                for c, value in enumerate(cells):
                    widths[c] = max(widths[c], put(sheet, styles, r, c, value))
            for c, width in enumerate(widths):
                sheet.set_column(c, c, min(60, max(8, width + 2)))
    return target


def _sheet(book: CalamineWorkbook, name: str) -> list[list[Any]]:
    for candidate in (_(name), name):
        if candidate in book.sheet_names:
            return book.get_sheet_by_name(candidate).to_python(skip_empty_area=False)
    return []


def _records(rows: list[list[Any]], columns, header_row: int) -> list[dict[str, Any]]:
    if len(rows) <= header_row:
        return []
    headers = [str(h).strip() for h in rows[header_row]]
    index = {key: next((i for i, h in enumerate(headers) if h in (label, _(label))), None) for key, label in columns}
    found = []
    for cells in rows[header_row + 1:]:
        values = {key: (cells[i] if i is not None and i < len(cells) else "") for key, i in index.items()}
        if any(str(v).strip() for v in values.values()):
            found.append(values)
    return found


def read_content(path: Path | str) -> dict[str, Any]:
    """The content of a workbook as ``parse_content`` reads it (not checked yet)."""
    path = Path(path)
    try:
        book = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as exc:
        raise AppError(_("无法读取文件 {name}：文件已损坏或不是 Excel 表格（{error}）。").format(
            name=path.name, error=exc)) from None
    rows = _sheet(book, ITEMS_SHEET)
    if len(rows) < 4:
        raise AppError(_("文件 {name} 中没有“{sheet}”工作表，或其中没有考核项目。").format(name=path.name,
                                                                                 sheet=_(ITEMS_SHEET)))
    items = []
    for record in _records(rows, ITEM_COLUMNS, 3):
        metric = metric_of(record["metric"])
        kind = "computed" if metric else "manual"
        items.append({**record, "metric": metric, "kind": record["kind"] or kind,
                      "params": parse_params_text(metric, str(record["params"] or ""))})
    return {"name": str(rows[0][1] if len(rows[0]) > 1 else "").strip(),
            "notes": str(rows[1][1] if len(rows[1]) > 1 else "").strip(), "items": items,
            "grade_bands": _records(_sheet(book, BANDS_SHEET), BAND_COLUMNS, 0),
            "departments": _records(_sheet(book, DEPARTMENTS_SHEET), DEPARTMENT_COLUMNS, 0)}


def import_rule_set(ws: Workspace, path: Path | str) -> RuleSetView:
    """A new draft version of the rule set of that name, or a new rule set; nothing is
    written unless the whole workbook passes (``ValidationError`` names each bad row)."""
    content = read_content(path)
    parsed_name = rules.parse_content(content)["name"]
    with ws.db.read() as session:
        latest = session.scalar(select(AssessmentRuleSet.uid).where(
            AssessmentRuleSet.name == parsed_name, AssessmentRuleSet.deleted.is_(False))
            .order_by(AssessmentRuleSet.version.desc()))
    if latest is None:
        return rules.create(ws, content)
    return rules.new_version(ws, latest, content)

