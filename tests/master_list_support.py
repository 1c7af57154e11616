"""Workbooks the tests build themselves, the way county offices fill them in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

CANONICAL = ["县（区）", "总规项目编号", "总规项目名称", "子项目编号", "子项目名称", "行业（领域）",
             "项目业主（责任单位）", "总投资（万元）", "是否国外贷款项目", "开工日期", "完工日期", "分管领导",
             "分管领导电话", "档案人员", "档案人员电话", "是否示范点"]


def good_row(n: int = 1, **overrides: Any) -> dict[str, Any]:
    row = {
        "县（区）": "芦山县", "总规项目编号": "ZG-001", "总规项目名称": "芦山县人民医院重建",
        "子项目编号": f"2014{n:03d}", "子项目名称": f"门诊楼{n}号", "行业（领域）": "公共服务",
        "项目业主（责任单位）": "芦山县卫生和计划生育局", "总投资（万元）": "1200.5", "是否国外贷款项目": "否",
        "开工日期": "2014-05-20", "完工日期": "2015-06-01", "分管领导": "张建国", "分管领导电话": "13812345678",
        "档案人员": "李芳", "档案人员电话": "0835-6522123", "是否示范点": "",
    }
    row.update(overrides)
    return row


def write_workbook(path: Path, rows: list[dict[str, Any]], *, headers: list[str] | None = None,
                   title_rows: list[list[Any]] | None = None, header_map: dict[str, str] | None = None) -> Path:
    """``rows`` are keyed by canonical header; ``header_map`` renames headers as written in the file."""
    headers = headers or CANONICAL
    header_map = header_map or {}
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "清单"
    for title in title_rows or []:
        sheet.append(title)
    sheet.append([header_map.get(h, h) for h in headers])
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    wb.save(path)
    return path
