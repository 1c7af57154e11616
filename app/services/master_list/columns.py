"""The master list's columns: canonical headers, the variants people type, and the fields they fill."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from app.i18n import N_


@dataclass(frozen=True)
class Column:
    #: field key: a sub-project form key, or ``division`` / ``plan_code`` / ``master_name``
    key: str
    #: canonical header (a msgid: the city's list is Chinese whatever the UI language)
    header: str
    required: bool = False
    #: written as text in exports so Excel never turns it into a number
    text: bool = False
    date: bool = False
    width: int = 12


#: In the order the city's template has them. 建设状态 and 备注 are ours, so a register
#: exported and imported back loses nothing.
COLUMNS: tuple[Column, ...] = (
    Column("division", N_("县（区）"), required=True, width=10),
    Column("plan_code", N_("总规项目编号"), required=True, text=True, width=16),
    Column("master_name", N_("总规项目名称"), required=True, width=30),
    Column("code", N_("子项目编号"), required=True, text=True, width=18),
    Column("name", N_("子项目名称"), required=True, width=34),
    Column("sector", N_("行业（领域）"), width=10),
    Column("owner_unit", N_("项目业主（责任单位）"), required=True, width=26),
    Column("investment", N_("总投资（万元）"), width=12),
    Column("foreign_loan", N_("是否国外贷款项目"), width=8),
    Column("start_date", N_("开工日期"), date=True, width=11),
    Column("finish_date", N_("完工日期"), date=True, width=11),
    Column("archive_lead", N_("分管领导"), width=9),
    Column("archive_lead_phone", N_("分管领导电话"), text=True, width=14),
    Column("archivist", N_("档案人员"), width=9),
    Column("archivist_phone", N_("档案人员电话"), text=True, width=14),
    Column("demonstration_site", N_("是否示范点"), width=8),
    Column("construction_status", N_("建设状态"), width=8),
    Column("remarks", N_("备注"), width=30),
)
BY_KEY = {c.key: c for c in COLUMNS}

_BRACKETS = re.compile(r"[()（）\[\]【】/／、\s]")


def header_key(text: object) -> str:
    """Fold the ways people write a header onto one key.

    Full-width and half-width forms are one, spaces and line breaks go, brackets and the
    ``/`` people use instead of them go, 联系电话 is 电话, and a leading 是否 is optional.
    """
    folded = unicodedata.normalize("NFKC", str(text or ""))
    folded = _BRACKETS.sub("", folded)
    folded = folded.replace("联系电话", "电话")  # i18n: input vocabulary
    if folded.startswith("是否"):  # i18n: input vocabulary
        folded = folded[2:]
    return folded


_CANONICAL = {header_key(c.header): c for c in COLUMNS}


def column_for(header: object) -> Column | None:
    return _CANONICAL.get(header_key(header))
