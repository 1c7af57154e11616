"""A key that a page inside the main window claims ahead of the window's own action.

The main window binds some keys for the register (Ctrl+H: the selected sub-project's
history). A page that binds the same key with a QAction makes Qt refuse both as an
ambiguous shortcut, so nothing happens. While the focus is inside the page, this claims
the key first (a ShortcutOverride the page accepts) and runs the page's own slot.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QWidget

_OVERRIDE = QEvent.Type.ShortcutOverride
_PRESS = QEvent.Type.KeyPress


class PageShortcut(QObject):
    """Runs ``slot`` when ``sequence`` is pressed with the focus anywhere inside ``page``.

    Key events travel from the focus widget up to its parents until one accepts them; the
    filter sits on the page, so a child that uses the key itself (an editor) keeps it.
    """

    def __init__(self, page: QWidget, sequence: QKeySequence | str, slot: Callable[[], object]) -> None:
        super().__init__(page)
        self.sequence = QKeySequence(sequence)
        self.slot = slot
        page.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in (_OVERRIDE, _PRESS) and QKeySequence(event.keyCombination()) == self.sequence:
            event.accept()
            if event.type() == _PRESS:
                self.slot()
            return True
        return False
