"""Read a workbook (.xlsx, .xls, .ods) with python-calamine and find its header row."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

from app.errors import AppError
from app.i18n import _
from app.services.master_list.columns import COLUMNS, Column, column_for

#: title rows, a 填报单位 line and merged cells may stand above the header
HEADER_SEARCH_ROWS = 10
SUPPORTED_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


class WorkbookError(AppError):
    """The file cannot be read as a master list at all (as opposed to rows being rejected)."""


@dataclass
class Sheet:
    name: str
    rows: list[list[Any]]
    header_row: int  # 0-based index into rows
    headers: list[str]
    columns: dict[int, Column]  # column index -> the field it fills
    ignored: list[str]

    @property
    def key_index(self) -> dict[str, int]:
        return self._key_index

    def __post_init__(self) -> None:
        self._key_index = {column.key: index for index, column in self.columns.items()}


def _header_columns(row: list[Any]) -> tuple[dict[int, Column], list[str]]:
    columns: dict[int, Column] = {}
    ignored: list[str] = []
    seen: set[str] = set()
    for index, cell in enumerate(row):
        text = str(cell).strip() if cell not in (None, "") else ""
        if not text:
            continue
        column = column_for(text)
        if column is None or column.key in seen:
            ignored.append(text)
            continue
        seen.add(column.key)
        columns[index] = column
    return columns, ignored


def _find_header(rows: list[list[Any]]) -> tuple[int, dict[int, Column], list[str]] | None:
    best = None
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns, ignored = _header_columns(row)
        keys = {c.key for c in columns.values()}
        if not ({"code", "name"} & keys) or len(columns) < 3:
            continue
        if best is None or len(columns) > len(best[1]):
            best = (index, columns, ignored)
    return best


def read_master_list(path: Path) -> Sheet:
    """The first sheet that has a master-list header within its first rows."""
    path = Path(path)
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise WorkbookError(_("不支持的文件类型“{suffix}”：请选择 .xlsx、.xls 或 .ods 文件。").format(
            suffix=path.suffix or path.name))
    if not path.is_file():
        raise WorkbookError(_("找不到文件：{path}").format(path=path))

    def unreadable(exc: Exception) -> WorkbookError:
        return WorkbookError(_("无法读取文件 {path}：文件已损坏或不是 Excel/ODS 表格（{error}）。").format(
            path=path.name, error=exc))

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        names = list(workbook.sheet_names)
    except (CalamineError, OSError, ValueError) as exc:
        raise unreadable(exc) from None
    for name in names:
        # one sheet at a time: the sheets after the list (a 填表说明, old years) are never parsed
        try:
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except (CalamineError, OSError, ValueError) as exc:
            raise unreadable(exc) from None
        found = _find_header(rows)
        if found is None:
            continue
        index, columns, ignored = found
        keys = {c.key for c in columns.values()}
        missing = [_(c.header) for c in COLUMNS if c.required and c.key not in keys]
        if missing:
            raise WorkbookError(_("工作表“{sheet}”第 {row} 行的表头缺少必需的列：{missing}。").format(
                sheet=name, row=index + 1, missing="、".join(missing)))
        headers = ["" if c in (None, "") else str(c).strip() for c in rows[index]]
        return Sheet(name, rows, index, headers, columns, ignored)
    raise WorkbookError(_("在文件 {path} 各工作表的前 {n} 行中找不到表头（需包含“子项目编号”“子项目名称”等列）。").format(
        path=path.name, n=HEADER_SEARCH_ROWS))
