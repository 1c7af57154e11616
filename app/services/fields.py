"""Parsing and checking of single field values, as people type them (or Excel stores them).

Each parser takes the raw value and the field's label and returns the stored form, or
raises ``FieldError`` with a Chinese message that names the field. Entity services
collect these into one ``ValidationError``.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from app.i18n import _

YUAN_PER_WAN = 10_000
#: 1 万亿元: far above any project, far below what an integer column holds
MAX_WAN = Decimal(100_000_000)


class FieldError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def normalize(value: Any) -> str:
    """Full-width digits and letters to half-width, surrounding spaces removed."""
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip()


#: Unicode category Cc; a multi-line field keeps its line breaks and tabs
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def text(value: Any, label: str, *, required: bool = False, max_length: int = 200, multiline: bool = False) -> str:
    if value.__class__ is str and value.isprintable():
        # the common case (an import checks it per cell): printable text has no control
        # character and no full-width space
        result = value.strip()
    else:
        result = "" if value is None else str(value).replace("\u3000", " ").strip()
        # control characters are invisible to the user and cannot be written to an .xlsx
        match = (_CONTROL_MULTILINE if multiline else _CONTROL).search(result)
        if match is not None:
            bad = match.group()
            raise FieldError(_("“{label}”含有不可见的控制字符（U+{code:04X}），请删除后重新输入。").format(
                label=label, code=ord(bad)))
    if required and not result:
        raise FieldError(_("“{label}”不能为空。").format(label=label))
    if len(result) > max_length:
        raise FieldError(
            _("“{label}”过长：最多 {max} 个字，现有 {n} 个字。").format(label=label, max=max_length, n=len(result))
        )
    return result


def code(value: Any, label: str, *, max_length: int = 64) -> str:
    """An identifier (编号): full-width characters folded, a number cell's ``.0`` dropped."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return text(normalize(value), label, required=True, max_length=max_length)


_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"(0\d{2,3})-?(\d{7,8})")
_PHONE_NOISE = re.compile(r"[\s()（）]")


def phone(value: Any, label: str) -> str:
    """Mobile: 11 digits; landline: area code and number, stored as ``0835-2221234``."""
    if value.__class__ is str and value.isascii() and value.isdigit() and _MOBILE.fullmatch(value):
        return value  # a mobile number as typed: nothing to fold, strip or reformat
    raw = normalize(value)
    if not raw:
        return ""
    compact = _PHONE_NOISE.sub("", raw)
    if compact.endswith(".0") and compact[:-2].isdigit():
        compact = compact[:-2]  # a number cell read as float
    if _MOBILE.fullmatch(compact):
        return compact
    match = _LANDLINE.fullmatch(compact)
    if match:
        return f"{match.group(1)}-{match.group(2)}"
    raise FieldError(
        _("“{label}”格式不正确：“{value}”。应为 11 位手机号，或带区号的固定电话（如 0835-2221234），只能包含数字。").format(
            label=label, value=raw
        )
    )


def money_wan(value: Any, label: str) -> int | None:
    """An amount in 万元, stored as whole yuan so sums never drift."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        raw = str(value)
    else:
        raw = normalize(value).replace(",", "").replace(" ", "")
    if not raw:
        return None
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise FieldError(
            _("“{label}”应为数字（单位：万元），不能是“{value}”。").format(label=label, value=normalize(value))
        ) from None
    if not amount.is_finite():
        raise FieldError(_("“{label}”应为数字（单位：万元），不能是“{value}”。").format(label=label, value=raw))
    if amount < 0:
        raise FieldError(_("“{label}”不能为负数：{value}。").format(label=label, value=raw))
    if amount > MAX_WAN:
        raise FieldError(_("“{label}”数值过大：{value} 万元。请检查单位是否为万元。").format(label=label, value=raw))
    yuan = amount * YUAN_PER_WAN
    if yuan != yuan.to_integral_value():
        raise FieldError(_("“{label}”最多保留四位小数（精确到元）：{value}。").format(label=label, value=raw))
    return int(yuan)


def number(value: Any, label: str, *, required: bool = False) -> float | None:
    """A number as typed (full-width digits folded), None when empty; the caller checks its range."""
    raw = normalize(value)
    if not raw:
        if required:
            raise FieldError(_("“{label}”不能为空。").format(label=label))
        return None
    try:
        return float(raw)
    except ValueError:
        raise FieldError(_("“{label}”应为数字，不能是“{value}”。").format(label=label, value=raw)) from None


def wan_text(yuan: int | None) -> str:
    """Display form of a yuan amount in 万元, without trailing zeros."""
    if yuan is None:
        return ""
    amount = Decimal(yuan) / YUAN_PER_WAN
    text_form = format(amount, "f")
    if "." in text_form:
        text_form = text_form.rstrip("0").rstrip(".")
    return text_form


_DATE_FORMS = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?"),  # i18n: input vocabulary
)


def day(value: Any, label: str) -> date | None:
    """A date typed as 2014-05-20, 2014/5/20, 2014.5.20 or 2014年5月20日 (or a date object)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = normalize(value)
    if not raw:
        return None
    for form in _DATE_FORMS:
        match = form.fullmatch(raw)
        if match:
            try:
                return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                break
    raise FieldError(
        _("“{label}”不是有效日期：“{value}”。请按 2014-05-20、2014/5/20、2014.5.20 或 2014年5月20日 填写。").format(
            label=label, value=raw
        )
    )


_TRUE = {"是", "y", "yes", "true", "1", "√"}  # i18n: input vocabulary
_FALSE = {"否", "n", "no", "false", "0", ""}  # i18n: input vocabulary


#: each word as it is already normalised: what most cells hold
_FLAG_WORDS = {**dict.fromkeys(_FALSE, False), **dict.fromkeys(_TRUE, True)}


def flag(value: Any, label: str) -> bool:
    if isinstance(value, bool):
        return value
    if value.__class__ is str and value in _FLAG_WORDS:
        return _FLAG_WORDS[value]
    raw = normalize(value).lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise FieldError(_("“{label}”应填“是”或“否”，不能是“{value}”。").format(label=label, value=raw))


def choice(value: Any, label: str, choices: dict[str, str]) -> str:
    """A code from ``choices`` (code -> Chinese label); the label itself is accepted too."""
    raw = normalize(value)
    if raw in choices:
        return raw
    for code, name in choices.items():
        if raw == name or raw == _(name):
            return code
    names = "、".join(_(name) for name in choices.values())
    raise FieldError(_("“{label}”应为以下之一：{names}；不能是“{value}”。").format(label=label, names=names, value=raw))
