"""The scoring sheet (评分表) as a table: section rows with live subtotals, item rows typed in.

What is typed stays exactly as typed (so nothing is lost when the service refuses it); the
live evaluation reads only the values that make sense and treats the rest as not scored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont

from app.i18n import N_, _
from app.services.acceptance_result import Evaluation, Score
from app.services.checklists import ItemView, SectionView, TemplateView

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_EDIT = int(Qt.ItemDataRole.EditRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_CENTER = int(Qt.AlignmentFlag.AlignCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

COLUMNS = (("code", N_("编号")), ("text", N_("检查内容")), ("evidence", N_("备查材料")), ("max", N_("分值")),
           ("self", N_("自检得分")), ("group", N_("验收赋分")), ("remark", N_("说明")))
KEYS = [key for key, _label in COLUMNS]
COL_SELF, COL_GROUP = KEYS.index("self"), KEYS.index("group")

_SECTION_BACKGROUND = QColor("#eef2f6")
_BAD_BACKGROUND = QColor("#fde7e7")
_BAD_TEXT = QColor("#c62828")
_PASS_TEXT = QColor("#2e7d32")
_MUTED = QColor("#888888")

#: what people type for a pass/fail item (lower-cased); everything else is refused
_PASSED = {"1", "y", "yes", "t", "true", "p", "是", "合格", "√", "✓"}  # i18n: input vocabulary
_FAILED = {"0", "n", "no", "f", "false", "x", "×", "否", "不合格", "✗"}  # i18n: input vocabulary


class _Invalid:
    """Typed text that is not a value: kept, marked, and not counted."""


INVALID: Any = _Invalid()


def parse_passed(text: str) -> bool | None | _Invalid:
    raw = (text or "").strip().lower()
    if not raw:
        return None
    if raw in _PASSED or raw == _("合格").lower():
        return True
    if raw in _FAILED or raw == _("不合格").lower():
        return False
    return INVALID


def parse_points(text: str, maximum: float | None) -> float | None | _Invalid:
    raw = (text or "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        return INVALID
    if not 0 <= value <= (maximum or 0) or round(value * 2) != value * 2:
        return INVALID
    return value


def points_text(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


@dataclass(frozen=True)
class Subtotal:
    """A section's live standing: its scores so far, and whether it is complete."""

    score: float | None  # None while no item of it is scored
    own: float | None  # the unit's self-scores, None while none is typed
    complete: bool
    below_floor: bool  # judged only once the section is complete


@dataclass
class _Row:
    section: SectionView
    item: ItemView | None  # None: the section's own row
    number: int  # the section's position, from 1


class ScoreModel(QAbstractTableModel):
    """Rows: each section, then its items. ``typed[item_uid]`` holds self / group / remark text.

    ``edited`` is emitted when a person changed a value (not when subtotals are redrawn).
    """

    edited = Signal()

    def __init__(self, template: TemplateView, parent=None) -> None:
        super().__init__(parent)
        self.template = template
        self.rows: list[_Row] = []
        for number, section in enumerate(template.sections, start=1):
            self.rows.append(_Row(section, None, number))
            self.rows.extend(_Row(section, item, number) for item in section.items)
        self.items = {row.item.uid: row.item for row in self.rows if row.item is not None}
        self.typed: dict[str, dict[str, str]] = {uid: {"self": "", "group": "", "remark": ""} for uid in self.items}
        self.errors: dict[str, str] = {}
        self.read_only = False
        #: per section uid, from the last evaluation
        self.subtotals: dict[str, Subtotal] = {}
        self._headers = [_(label) for _key, label in COLUMNS]
        self._bold = QFont()
        self._bold.setBold(True)

    # -- loading and reading the values ------------------------------------------
    def load(self, scores: Mapping[str, Score]) -> None:
        self.beginResetModel()
        for uid, item in self.items.items():
            score = scores.get(uid)
            if score is None:
                continue
            if item.kind == "pass_fail":
                group = "" if score.passed is None else (_("合格") if score.passed else _("不合格"))
            else:
                group = points_text(score.group_score)
            self.typed[uid] = {"self": points_text(score.self_score), "group": group, "remark": score.remark or ""}
        self.errors.clear()
        self.endResetModel()
        self.edited.emit()

    def value_of(self, uid: str, key: str) -> Any:
        item = self.items[uid]
        text = self.typed[uid][key]
        if item.kind == "pass_fail":
            return parse_passed(text) if key == "group" else None
        return parse_points(text, item.max_score)

    def live_scores(self) -> dict[str, Score]:
        """The values that make sense, as the service's ``evaluate`` takes them."""
        found = {}
        for uid, item in self.items.items():
            group, own = self.value_of(uid, "group"), self.value_of(uid, "self")
            group = None if group is INVALID else group
            own = None if own is INVALID else own
            if item.kind == "pass_fail":
                found[uid] = Score(uid, None, None, group, self.typed[uid]["remark"])
            else:
                found[uid] = Score(uid, own, group, None, self.typed[uid]["remark"])
        return found

    def raw_scores(self, stored: Mapping[str, Score]) -> dict[str, dict[str, Any]]:
        """What ``set_scores`` takes: every item typed in or stored before (so a cleared cell clears)."""
        raw = {}
        for uid, item in self.items.items():
            typed = self.typed[uid]
            if not any(v.strip() for v in typed.values()) and uid not in stored:
                continue
            if item.kind == "pass_fail":
                passed = parse_passed(typed["group"])
                # a word the sheet does not know goes to the service as typed, which names it
                raw[uid] = {"passed": typed["group"] if passed is INVALID else passed, "remark": typed["remark"]}
            else:
                raw[uid] = {"self_score": typed["self"], "group_score": typed["group"], "remark": typed["remark"]}
        return raw

    def set_errors(self, errors: Mapping[str, str]) -> None:
        """``item:<code>`` messages from the service, shown on their rows."""
        by_code = {item.code: uid for uid, item in self.items.items()}
        self.errors = {by_code[key.split(":", 1)[1]]: message for key, message in errors.items()
                       if key.startswith("item:") and key.split(":", 1)[1] in by_code}
        self._all_changed()

    def set_evaluation(self, evaluation: Evaluation) -> None:
        """Redraw the section rows from the service's evaluation of the values typed."""
        missing = set(evaluation.missing)
        self.subtotals = {}
        for section, (_title, got, _most, floor) in zip(self.template.sections, evaluation.section_scores, strict=True):
            scored = [i for i in section.items if i.code not in missing]
            own = [v for v in (self.value_of(i.uid, "self") for i in section.items if i.kind == "score")
                   if isinstance(v, float)]
            complete = len(scored) == len(section.items)
            self.subtotals[section.uid] = Subtotal(got if scored else None, sum(own) if own else None, complete,
                                                   complete and floor is not None and got < floor)
        for row, entry in enumerate(self.rows):
            if entry.item is None:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(KEYS) - 1))

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self._all_changed()

    def _all_changed(self) -> None:
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(KEYS) - 1))

    # -- rows ---------------------------------------------------------------------
    def is_section(self, row: int) -> bool:
        return 0 <= row < len(self.rows) and self.rows[row].item is None

    def row_of_item(self, uid: str) -> int:
        return next((n for n, r in enumerate(self.rows) if r.item is not None and r.item.uid == uid), -1)

    def first_item_row(self) -> int:
        return next((n for n, r in enumerate(self.rows) if r.item is not None), -1)

    # -- Qt model API -------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(KEYS)

    def headerData(self, section, orientation, role=_DISPLAY):
        if role == _DISPLAY and orientation == Qt.Orientation.Horizontal and 0 <= section < len(KEYS):
            return self._headers[section]
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not index.isValid() or index.row() >= len(self.rows):
            return Qt.ItemFlag.NoItemFlags
        item = self.rows[index.row()].item
        if item is None or self.read_only:
            return base
        key = KEYS[index.column()]
        if key in ("group", "remark") or (key == "self" and item.kind == "score"):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: QModelIndex, role: int = _DISPLAY):
        if not index.isValid() or index.row() >= len(self.rows) or index.column() >= len(KEYS):
            return None
        entry = self.rows[index.row()]
        key = KEYS[index.column()]
        try:
            if entry.item is None:
                return self._section_data(entry, key, role)
            return self._item_data(entry.item, key, role)
        except Exception:  # noqa: BLE001 - a repaint must never raise
            return None

    def _section_data(self, entry: _Row, key: str, role: int):
        section = entry.section
        if role == _DISPLAY:
            standing = self.subtotals.get(section.uid, Subtotal(None, None, False, False))
            if key == "code":
                return str(entry.number)
            if key == "text":
                if section.floor is None:
                    return section.title
                return _("{title}（最低 {floor:g} 分）").format(title=section.title, floor=section.floor)
            if key == "max":
                return points_text(section.max_score)
            if key == "self":
                return points_text(standing.own)
            if key == "group":
                return points_text(standing.score)
            if key == "remark" and standing.below_floor:
                return _("低于最低分")
            return None
        if role == _BACKGROUND:
            return _SECTION_BACKGROUND
        if role == _FONT:
            return self._bold
        if role == _FOREGROUND and key == "remark":
            return _BAD_TEXT
        if role == _ALIGN and key in ("code", "max", "self", "group"):
            return _CENTER
        return None

    def _item_data(self, item: ItemView, key: str, role: int):
        typed = self.typed[item.uid]
        if role == _DISPLAY or role == _EDIT:
            if key == "code":
                return _("{code}（否决）").format(code=item.code) if item.veto and role == _DISPLAY else item.code
            if key == "text":
                return item.text
            if key == "evidence":
                return item.evidence
            if key == "max":
                return _("合格/不合格") if item.kind == "pass_fail" else points_text(item.max_score)
            if key == "self":
                return "—" if item.kind == "pass_fail" and role == _DISPLAY else typed["self"]
            if key == "group" and item.kind == "pass_fail" and role == _DISPLAY:
                passed = parse_passed(typed["group"])
                if passed is True:
                    return _("合格")
                if passed is False:
                    return _("不合格")
            return typed.get(key, "")
        if role == _TOOLTIP:
            if item.uid in self.errors:
                return self.errors[item.uid]
            if key in ("self", "group") and self.value_of(item.uid, key) is INVALID:
                return self._invalid_hint(item)
            if key in ("text", "max", "self", "group") and item.deduction_guide:
                return _("扣分标准：{guide}").format(guide=item.deduction_guide)
            if key in ("text", "evidence"):
                return item.text if key == "text" else item.evidence
            return None
        if role == _BACKGROUND:
            if item.uid in self.errors:
                return _BAD_BACKGROUND
            if key in ("self", "group") and self.value_of(item.uid, key) is INVALID:
                return _BAD_BACKGROUND
            if key == "group" and item.veto and self.value_of(item.uid, "group") is False:
                return _BAD_BACKGROUND
            return None
        if role == _FOREGROUND:
            if key == "code" and item.veto:
                return _BAD_TEXT
            if key == "self" and item.kind == "pass_fail":
                return _MUTED
            if key == "group" and item.kind == "pass_fail":
                passed = self.value_of(item.uid, "group")
                return _PASS_TEXT if passed is True else _BAD_TEXT if passed is False else None
            return None
        if role == _FONT and key == "code" and item.veto:
            return self._bold
        if role == _ALIGN:
            return _CENTER if key in ("code", "max", "self", "group") else _LEFT
        return None

    def _invalid_hint(self, item: ItemView) -> str:
        if item.kind == "pass_fail":
            return _("请填“合格”或“不合格”（可输入 1 或 0、y 或 n）。")
        return _("应为 0 到 {max:g} 之间的分数，以 0.5 分为单位。").format(max=item.max_score or 0)

    def setData(self, index: QModelIndex, value, role: int = _EDIT) -> bool:  # noqa: N802
        if role != _EDIT or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        item = self.rows[index.row()].item
        key = KEYS[index.column()]
        text = "" if value is None else str(value).strip() if key != "remark" else str(value)
        if key == "group" and item.kind == "pass_fail":
            passed = parse_passed(text)
            text = _("合格") if passed is True else _("不合格") if passed is False else text
        if self.typed[item.uid][key] == text:
            return True
        self.typed[item.uid][key] = text
        self.errors.pop(item.uid, None)
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), len(KEYS) - 1))
        self.edited.emit()
        return True
