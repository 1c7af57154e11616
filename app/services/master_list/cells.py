"""Cell values as Excel really holds them, turned into what the field rules accept."""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta
from typing import Any

from app.services.master_list.columns import Column

_SPACES = re.compile(r"[ \t\u3000\xa0]+")
_LINE_BREAKS = re.compile(r"[\r\n\v\f\u2028\u2029]+")
#: Excel serials of 1990-01-01 .. 2050-12-31: a bare number in a date column is an
#: unformatted date cell, not a count
_SERIAL_RANGE = (32874, 54789)
_EXCEL_EPOCH = date(1899, 12, 30)

_CODE_LIKE = {"plan_code", "code", "archive_lead_phone", "archivist_phone"}
_FLAGS = {"foreign_loan", "demonstration_site"}


def display(cell: Any) -> str:
    """The cell as a person reads it in Excel (for messages and previews)."""
    if cell is None:
        return ""
    if isinstance(cell, float):
        if math.isfinite(cell) and cell.is_integer() and abs(cell) < 1e15:
            return str(int(cell))
        return repr(cell)
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == datetime.min.time() else cell.isoformat(sep=" ")
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    return str(cell)


def _plain_text(cell: Any) -> str:
    # Line breaks inside a cell are layout (Alt+Enter to fit a column), not content.
    text = _LINE_BREAKS.sub("", display(cell))
    return _SPACES.sub(" ", text).strip()


def is_blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def is_plain(cell: Any) -> bool:
    """A text cell every column reads as ``cell.strip()`` (most cells of a real list).

    Printable text holds no line break, tab, control character, full-width or no-break
    space (``str.isprintable`` is false for all of them), so with no run of spaces
    either, every rule of ``to_raw`` below leaves it as it is, stripped.
    """
    return cell.__class__ is str and "  " not in cell and cell.isprintable()


def to_raw(column: Column, cell: Any) -> Any:
    """The raw form value for ``column`` (what a user would have typed in the dialog)."""
    if is_plain(cell):
        return cell.strip()
    if is_blank(cell):
        return ""
    key = column.key
    if key in _CODE_LIKE:
        return _plain_text(cell).replace(" ", "") if not isinstance(cell, str) else _plain_text(cell)
    if column.date:
        if isinstance(cell, datetime):
            return cell.date()
        if isinstance(cell, date):
            return cell
        if (isinstance(cell, (int, float)) and not isinstance(cell, bool) and float(cell).is_integer()
                and _SERIAL_RANGE[0] <= cell <= _SERIAL_RANGE[1]):
            return _EXCEL_EPOCH + timedelta(days=int(cell))
        return _plain_text(cell)
    if key in _FLAGS:
        if isinstance(cell, bool):
            return cell
        return _plain_text(cell)
    if key == "investment":
        if isinstance(cell, (int, float)) and not isinstance(cell, bool):
            return display(cell) if math.isfinite(cell) else str(cell)
        return _plain_text(cell)
    if key == "remarks":
        return display(cell).strip()
    return _plain_text(cell)
