"""Table models of the supervision page: rounds, the groups of a round, its re-checks.

These lists are short (a few rounds, a few groups, hundreds of re-checks), so each model
holds its service rows in a list and is reset when the page reloads them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtGui import QColor

from app.i18n import N_, _
from app.models import PROBLEM_STATES, RECHECK_RESULTS
from app.services.supervision import GroupInfo, RecheckInfo, RoundInfo
from app.ui.lazy_table import FOREGROUND, TOOLTIP
from app.ui.rows_model import RowsModel

_RESULT_COLOURS = {"pending": QColor("#8a5300"), "rectified": QColor("#1b5e20"), "not_rectified": QColor("#9c0006")}


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


class RoundsModel(RowsModel[RoundInfo]):
    COLUMNS = (("name", N_("轮次")), ("start_date", N_("开始日期")), ("end_date", N_("结束日期")),
               ("groups", N_("督导组")), ("raised", N_("发现问题")), ("pending", N_("待复查")),
               ("done", N_("已复查")))
    CENTERED = frozenset({"start_date", "end_date", "groups", "raised", "pending", "done"})

    def cell(self, row: RoundInfo, key: str) -> str:
        if key == "name":
            return row.name
        if key in ("start_date", "end_date"):
            return _day(getattr(row, key))
        counts = {"groups": row.group_count, "raised": row.problems_raised, "pending": row.rechecks_pending,
                  "done": row.rechecks_done}
        return str(counts[key])

    def role_data(self, row: RoundInfo, key: str, role: int) -> Any:
        if role == TOOLTIP and key == "name" and row.notes:
            return row.notes
        return None


class GroupsModel(RowsModel[GroupInfo]):
    COLUMNS = (("name", N_("督导组")), ("leader", N_("组长")), ("members", N_("成员")),
               ("divisions", N_("督导县（区）")), ("sectors", N_("督导行业")))

    def cell(self, row: GroupInfo, key: str) -> str:
        if key == "divisions":
            return "、".join(row.division_names)
        return getattr(row, key)

    def role_data(self, row: GroupInfo, key: str, role: int) -> Any:
        if role == TOOLTIP and key in ("members", "divisions", "sectors"):
            return self.cell(row, key)
        return None


class RechecksModel(RowsModel[RecheckInfo]):
    COLUMNS = (("division", N_("县（区）")), ("sub_project", N_("子项目")), ("description", N_("问题描述")),
               ("deadline", N_("整改时限")), ("state", N_("台账状态")), ("result", N_("复查结果")),
               ("checked_on", N_("复查日期")), ("note", N_("复查说明")), ("raised_in", N_("提出轮次")))
    CENTERED = frozenset({"deadline", "raised_in", "state", "result", "checked_on"})

    def cell(self, row: RecheckInfo, key: str) -> str:
        if key == "division":
            return row.division_name
        if key == "sub_project":
            return f"{row.sub_project_code} {row.sub_project_name}"
        if key == "description":
            return row.description.replace("\n", " ")
        if key in ("deadline", "checked_on"):
            return _day(getattr(row, key))
        if key == "raised_in":
            return row.raised_in or _("现场指导")
        if key == "state":
            return _(PROBLEM_STATES.get(row.problem_state, row.problem_state))
        if key == "result":
            return _(RECHECK_RESULTS.get(row.result, row.result))
        return row.note.replace("\n", " ")

    def role_data(self, row: RecheckInfo, key: str, role: int) -> Any:
        if role == FOREGROUND and key == "result":
            return _RESULT_COLOURS.get(row.result)
        if role == TOOLTIP and key in ("sub_project", "description", "note"):
            return getattr(row, key) if key != "sub_project" else self.cell(row, key)
        return None
