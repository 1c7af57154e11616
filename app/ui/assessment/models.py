"""Table models of the assessment page: the ranking, one subject's items, one item's records.

Each holds a few dozen rows of an ``AssessmentView`` the page already has: no queries here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from app.i18n import N_, _
from app.models import RULE_KINDS, SUBJECT_KINDS, SYNC_MODELS
from app.services.assessment_metrics import number_text
from app.services.assessment_views import ScoreView, Standing
from app.ui.lazy_table import ALIGN, CENTER, DISPLAY, FOREGROUND, RIGHT, TOOLTIP
from app.ui.rows_model import RowsModel

_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_RED = QBrush(QColor("#c62828"))
_MUTED = QBrush(QColor("#888888"))
_WAITING = QBrush(QColor("#fff3e0"))


class RankingModel(RowsModel):
    """Counties, then departments, each ranked by total."""

    COLUMNS = (("rank", N_("名次")), ("name", N_("考核对象")), ("kind", N_("类别")), ("total", N_("得分")),
               ("deduction", N_("扣分")), ("grade", N_("等次")), ("unscored", N_("待评分")))

    def row_of(self, key: str | None) -> int:
        return next((n for n, s in enumerate(self.rows) if s.key == key), -1)

    def cell_data(self, s: Standing, key: str, role: int):
        if role == DISPLAY:
            if key == "kind":
                return _(SUBJECT_KINDS.get(s.kind, s.kind))
            if key in ("total", "deduction"):
                return number_text(getattr(s, key))
            if key == "unscored":
                return str(s.unscored) if s.unscored else ""
            return str(getattr(s, key))
        if role == ALIGN and key != "name":
            return CENTER
        if role == TOOLTIP:
            return _("满分 {full}；{kind}中第 {rank} 名").format(full=number_text(s.full), rank=s.rank,
                                                             kind=_(SUBJECT_KINDS.get(s.kind, s.kind)))
        if role == FOREGROUND and key == "unscored" and s.unscored:
            return _RED
        return None


class BreakdownModel(RowsModel):
    """One subject's items: points, score, deduction and why."""

    COLUMNS = (("code", N_("编号")), ("title", N_("考核项目")), ("kind", N_("评分方式")), ("points", N_("分值")),
               ("score", N_("得分")), ("deduction", N_("扣分")), ("explanation", N_("扣分理由")))

    def row_of(self, item_uid: str | None) -> int:
        return next((n for n, s in enumerate(self.rows) if s.item.uid == item_uid), -1)

    def cell_data(self, s: ScoreView, key: str, role: int):
        if role == DISPLAY:
            if key == "code":
                return s.item.code
            if key == "title":
                return s.item.title
            if key == "kind":
                return _(RULE_KINDS.get(s.item.kind, s.item.kind))
            if key in ("points", "score", "deduction"):
                value = getattr(s, key)
                return "" if value is None else number_text(value)
            return s.explanation
        if role == ALIGN and key in ("code", "kind", "points", "score", "deduction"):
            return CENTER
        if role == FOREGROUND:
            if key == "deduction" and s.deduction:
                return _RED
            if key == "kind" and s.manual:
                return None
            return _MUTED if key == "kind" else None
        if role == _BACKGROUND and s.manual and not s.scored:
            return _WAITING
        if role == TOOLTIP:
            if key == "title":
                return f"{s.item.section} · {s.item.title}\n{s.item.guide}"
            if key == "explanation":
                return s.explanation
        return None


class EvidenceModel(RowsModel):
    """The records behind a deduction (a double-click opens the sub-project they belong to).

    Rows are ``(number, record)`` pairs of the score row's ``evidence``.
    """

    COLUMNS = (("n", N_("序号")), ("entity", N_("记录类型")), ("label", N_("记录")))

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._labels = {name: _(model.entity_label) for name, model in SYNC_MODELS.items()}

    def set_evidence(self, evidence: Sequence[dict[str, Any]]) -> None:
        self.set_rows(list(enumerate(evidence, start=1)))

    def record_at(self, row: int) -> dict[str, Any] | None:
        found = self.row_at(row)
        return found[1] if found else None

    def cell_data(self, row: tuple[int, dict[str, Any]], key: str, role: int):
        n, e = row
        if role == DISPLAY:
            if key == "n":
                return str(n)
            if key == "entity":
                return self._labels.get(e.get("entity") or "", _("报送期间"))
            return e.get("label", "")
        if role == ALIGN and key == "n":
            return RIGHT
        if role == TOOLTIP and key == "label":
            return e.get("label", "") + ("\n" + _("双击打开所属子项目") if e.get("sub_project_uid") else "")
        return None
