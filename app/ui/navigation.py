"""The navigation pane: the register by division, then the other modules."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from app.i18n import _
from app.services.divisions import DivisionInfo
from app.ui.modules import MODULES

_ROLE = Qt.ItemDataRole.UserRole
REGISTER = "register"


class NavigationPane(QTreeWidget):
    #: (module key, division uid or None): the register by division, or another module
    chosen = Signal(str, object)

    def __init__(self, divisions: list[DivisionInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setRootIsDecorated(True)
        self.setMinimumWidth(200)
        self.register = QTreeWidgetItem(self, [_("子项目登记")])
        self.register.setData(0, _ROLE, (REGISTER, None))
        self._items: dict[str, QTreeWidgetItem] = {}
        self._names: dict[str, str] = {}
        for d in divisions:
            item = QTreeWidgetItem(self.register, [d.name])
            item.setData(0, _ROLE, (REGISTER, d.uid))
            self._items[d.uid] = item
            self._names[d.uid] = d.name
        self.modules: dict[str, QTreeWidgetItem] = {}
        for module in MODULES:
            item = QTreeWidgetItem(self, [module.title()])
            item.setData(0, _ROLE, (module.key, None))
            self.modules[module.key] = item
        self.expandAll()
        self.setCurrentItem(self.register)
        self.itemClicked.connect(lambda item, _col: self.chosen.emit(*item.data(0, _ROLE)))

    def set_counts(self, counts: dict[str, int], total: int) -> None:
        self.register.setText(0, _("子项目登记（{n}）").format(n=f"{total:,}"))
        for uid, item in self._items.items():
            item.setText(0, _("{name}（{n}）").format(name=self._names[uid], n=f"{counts.get(uid, 0):,}"))

    def highlight(self, module: str, division_uid: str | None = None) -> None:
        if module == REGISTER:
            item = self._items.get(division_uid) if division_uid else self.register
        else:
            item = self.modules.get(module)
        self.blockSignals(True)
        self.setCurrentItem(item or self.register)
        self.blockSignals(False)
