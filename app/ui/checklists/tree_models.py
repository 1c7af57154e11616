"""Two small trees for the checklists page: checklists and their versions, and one version's content.

Both hold a few dozen rows, so they keep everything in lists and answer ``data()`` from them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.i18n import N_, _
from app.models import ITEM_KINDS, TEMPLATE_STATUSES
from app.services.checklist_excel import points
from app.services.checklists import ItemView, SectionView, TemplateView

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_CENTER = int(Qt.AlignmentFlag.AlignCenter)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_HORIZONTAL = Qt.Orientation.Horizontal
_Index = QModelIndex | QPersistentModelIndex

_SECTION_BRUSH = QBrush(QColor("#e2efda"))
_VETO_BRUSH = QBrush(QColor("#c62828"))
_STATUS_BRUSHES = {"active": QBrush(QColor("#2e7d32")), "draft": QBrush(QColor("#1565c0")),
                   "retired": QBrush(QColor("#888888"))}
#: internal id of a top-level row; a child row's id is its parent's row + 1
_TOP = 0


class _TwoLevelModel(QAbstractItemModel):
    """Parents and their children; subclasses supply the counts and the cells."""

    HEADERS: Sequence[str] = ()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._headers = [_(h) for h in self.HEADERS]
        self._bold = QFont()
        self._bold.setBold(True)

    def child_count(self, parent_row: int) -> int:
        raise NotImplementedError

    def parent_count(self) -> int:
        raise NotImplementedError

    def cell(self, parent_row: int, child_row: int | None, column: int, role: int):
        raise NotImplementedError

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not 0 <= column < len(self._headers):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _TOP) if 0 <= row < self.parent_count() else QModelIndex()
        if parent.internalId() != _TOP or not 0 <= row < self.child_count(parent.row()):
            return QModelIndex()
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not index.isValid() or index.internalId() == _TOP:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _TOP)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return self.parent_count()
        if parent.internalId() == _TOP and parent.column() == 0:
            return self.child_count(parent.row())
        return 0

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY):
        if role == _DISPLAY and orientation == _HORIZONTAL and 0 <= section < len(self._headers):
            return self._headers[section]
        return None

    def data(self, index: _Index, role: int = _DISPLAY):
        if not index.isValid():
            return None
        try:
            if index.internalId() == _TOP:
                return self.cell(index.row(), None, index.column(), role)
            return self.cell(index.internalId() - 1, index.row(), index.column(), role)
        except Exception:  # noqa: BLE001 - a repaint must never raise
            return None


@dataclass(frozen=True)
class Checklist:
    """One checklist: its versions, newest first."""

    lineage_uid: str
    versions: tuple[TemplateView, ...]

    @property
    def current(self) -> TemplateView:
        """The version in use, else the newest."""
        return next((v for v in self.versions if v.status == "active"), self.versions[0])


class VersionsModel(_TwoLevelModel):
    HEADERS = (N_("名称"), N_("版本"), N_("状态"), N_("验收次数"))

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.checklists: list[Checklist] = []
        self.counts: dict[str, int] = {}

    def set_versions(self, versions: Sequence[TemplateView], counts: Mapping[str, int]) -> None:
        groups: dict[str, list[TemplateView]] = {}
        for view in versions:
            groups.setdefault(view.lineage_uid, []).append(view)
        self.beginResetModel()
        self.checklists = [Checklist(lineage, tuple(sorted(group, key=lambda v: -v.version)))
                           for lineage, group in groups.items()]
        self.checklists.sort(key=lambda c: c.current.name)
        self.counts = dict(counts)
        self.endResetModel()

    def parent_count(self) -> int:
        return len(self.checklists)

    def child_count(self, parent_row: int) -> int:
        return len(self.checklists[parent_row].versions) if 0 <= parent_row < len(self.checklists) else 0

    def view_at(self, index: _Index) -> TemplateView | None:
        """The version a row stands for; a checklist row stands for its current version."""
        if not index.isValid():
            return None
        if index.internalId() == _TOP:
            return self.checklists[index.row()].current
        return self.checklists[index.internalId() - 1].versions[index.row()]

    def index_of(self, uid: str | None) -> QModelIndex:
        for p, checklist in enumerate(self.checklists):
            for c, view in enumerate(checklist.versions):
                if view.uid == uid:
                    return self.index(c, 0, self.index(p, 0))
        return QModelIndex()

    def cell(self, parent_row: int, child_row: int | None, column: int, role: int):
        checklist = self.checklists[parent_row]
        if child_row is None:
            current = checklist.current
            # the view spans this row's first column across the tree: the name, whole
            if role == _DISPLAY and column == 0:
                return current.name
            if role == _FONT:
                return self._bold
            if role == _TOOLTIP:
                return current.name
            return None
        view = checklist.versions[child_row]
        if role == _DISPLAY:
            if column == 0:  # the checklist row above spans the name; a renamed version says so
                return view.name if view.name != checklist.current.name else None
            if column == 1:
                return _("第 {n} 版").format(n=view.version)
            if column == 2:
                return _(TEMPLATE_STATUSES.get(view.status, view.status))
            return str(self.counts.get(view.uid, 0))
        if role == _FOREGROUND and column == 2:
            return _STATUS_BRUSHES.get(view.status)
        if role == _FONT and column == 2 and view.status == "active":
            return self._bold
        if role == _TOOLTIP:
            return view.name
        if role == _ALIGN and column in (1, 2, 3):
            return _RIGHT if column == 3 else _CENTER
        return None


class ContentModel(_TwoLevelModel):
    """A version's sections (with subtotal and floor) and their items."""

    HEADERS = (N_("编号"), N_("检查内容"), N_("备查材料"), N_("类型"), N_("分值"), N_("否决项"))
    CODE, TEXT, EVIDENCE, KIND, POINTS, VETO = range(6)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.sections: tuple[SectionView, ...] = ()

    def set_template(self, view: TemplateView | None) -> None:
        self.beginResetModel()
        self.sections = view.sections if view is not None else ()
        self.endResetModel()

    def item_count(self) -> int:
        return sum(len(s.items) for s in self.sections)

    def parent_count(self) -> int:
        return len(self.sections)

    def child_count(self, parent_row: int) -> int:
        return len(self.sections[parent_row].items) if 0 <= parent_row < len(self.sections) else 0

    def cell(self, parent_row: int, child_row: int | None, column: int, role: int):
        section = self.sections[parent_row]
        if child_row is None:
            return self._section_cell(parent_row, section, column, role)
        return self._item_cell(section.items[child_row], column, role)

    def _section_cell(self, number: int, section: SectionView, column: int, role: int):
        if role == _DISPLAY:
            if column == self.CODE:
                return str(number + 1)
            if column == self.TEXT:
                if section.floor is None:
                    return section.title
                return _("{title}（最低 {floor} 分）").format(title=section.title, floor=points(section.floor))
            if column == self.EVIDENCE:
                return _("{n} 项").format(n=len(section.items))
            if column == self.POINTS:
                return points(section.max_score)
            return None
        if role == _BACKGROUND:
            return _SECTION_BRUSH
        if role == _FONT:
            return self._bold
        if role == _TOOLTIP:
            tip = _("本部分 {n} 项，小计 {total} 分").format(n=len(section.items), total=points(section.max_score))
            if section.floor is not None:
                tip += _("；得分低于 {floor} 分的，验收不合格").format(floor=points(section.floor))
            return tip
        if role == _ALIGN and column in (self.CODE, self.POINTS):
            return _CENTER
        return None

    def _item_cell(self, item: ItemView, column: int, role: int):
        if role == _DISPLAY:
            if column == self.CODE:
                return item.code
            if column == self.TEXT:
                return item.text
            if column == self.EVIDENCE:
                return item.evidence
            if column == self.KIND:
                return _(ITEM_KINDS.get(item.kind, item.kind))
            if column == self.POINTS:
                return "—" if item.kind == "pass_fail" else points(item.max_score)
            return _("否决") if item.veto else None
        if role == _TOOLTIP:
            guide = _("扣分标准：{guide}").format(guide=item.deduction_guide) if item.deduction_guide else ""
            if column == self.TEXT:
                return "\n".join(t for t in (item.text, guide) if t)
            if column == self.EVIDENCE:
                return "\n".join(t for t in (item.evidence, guide) if t) or None
            return guide or None
        if role == _FOREGROUND and column == self.VETO:
            return _VETO_BRUSH
        if role == _FONT and column == self.VETO and item.veto:
            return self._bold
        if role == _ALIGN and column in (self.CODE, self.KIND, self.POINTS, self.VETO):
            return _CENTER
        return None
