"""The navigation pane: the register, by division (a short, fixed list)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from app.i18n import _
from app.services.divisions import DivisionInfo

_UID = Qt.ItemDataRole.UserRole


class NavigationPane(QTreeWidget):
    division_chosen = Signal(object)  # division uid, or None for all

    def __init__(self, divisions: list[DivisionInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setRootIsDecorated(True)
        self.setMinimumWidth(200)
        self.register = QTreeWidgetItem(self, [_("子项目登记")])
        self.register.setData(0, _UID, None)
        self._items: dict[str, QTreeWidgetItem] = {}
        self._names: dict[str, str] = {}
        for d in divisions:
            item = QTreeWidgetItem(self.register, [d.name])
            item.setData(0, _UID, d.uid)
            self._items[d.uid] = item
            self._names[d.uid] = d.name
        self.expandAll()
        self.setCurrentItem(self.register)
        self.itemClicked.connect(lambda item, _col: self.division_chosen.emit(item.data(0, _UID)))

    def set_counts(self, counts: dict[str, int], total: int) -> None:
        self.register.setText(0, _("子项目登记（{n}）").format(n=f"{total:,}"))
        for uid, item in self._items.items():
            item.setText(0, f"{self._names[uid]}（{counts.get(uid, 0):,}）")

    def select_division(self, uid: str | None) -> None:
        item = self._items.get(uid) if uid else self.register
        self.blockSignals(True)
        self.setCurrentItem(item or self.register)
        self.blockSignals(False)
