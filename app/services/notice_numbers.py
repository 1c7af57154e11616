"""文号: the number of an official document, e.g. 雅重建委〔2016〕3号 (GB/T 9704-2012 7.2.4).

The issuing organ's abbreviation, the full year in six-sided brackets 〔〕, the sequence
number without leading zeros or 第, then 号. People type [] or () for 〔〕 (and full-width
forms, which NFKC folds); the stored form is always the official one. A correction carries
a mark after the number: 雅重建委〔2016〕3号（更正）, then （更正2）, ...
"""

from __future__ import annotations

import re
from typing import Any

from app.i18n import _
from app.services import fields

_NUMBER = re.compile(
    r"(?P<org>[\u4e00-\u9fffA-Za-z]+)[〔\[(【](?P<year>\d{4})[〕\])】]第?(?P<seq>\d{1,5})号"  # i18n: input vocabulary
    r"(?:\(更正(?P<fix>\d*)\))?")  # i18n: input vocabulary
_FIX_MARK = "（更正{n}）"  # i18n: input vocabulary
YEAR_RANGE = (1949, 2099)


def parse(value: Any, label: str) -> str:
    """A 文号 in its official form; raises ``FieldError`` naming the field."""
    typed = fields.normalize(value)
    raw = typed.replace(" ", "")
    if not raw:
        raise fields.FieldError(_("“{label}”不能为空。").format(label=label))
    match = _NUMBER.fullmatch(raw)
    if match is None:
        raise fields.FieldError(_("“{label}”格式不正确：“{value}”。应写作 机关代字〔年份〕序号，如 雅重建委〔2016〕3号"
                                  "（年份也可用 [ ] 或 ( ) 括起）。").format(label=label, value=typed))
    year, seq = int(match["year"]), int(match["seq"])
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        raise fields.FieldError(_("“{label}”中的年份 {year} 不正确。").format(label=label, year=year))
    if seq == 0:
        raise fields.FieldError(_("“{label}”中的序号不能为 0。").format(label=label))
    fix = match["fix"]
    return official(match["org"], year, seq) + ("" if fix is None else correction_mark(int(fix or 1)))


def official(org: str, year: int, seq: int) -> str:
    return f"{org}〔{year}〕{seq}" + "号"  # i18n: input vocabulary


def correction_mark(n: int) -> str:
    """The mark of the n-th correction: （更正）, （更正2）, ..."""
    return _FIX_MARK.format(n="" if n <= 1 else n)


def split(number: str) -> tuple[str, int, int] | None:
    """(organ, year, sequence) of a stored number, or None for a number of another form."""
    match = _NUMBER.fullmatch(number.replace("（", "(").replace("）", ")"))
    return (match["org"], int(match["year"]), int(match["seq"])) if match else None


def base(number: str) -> str:
    """The number without its correction mark."""
    return number.split("（", 1)[0]
