"""Ctrl+Tab / Ctrl+Shift+Tab turn the dialog's page from inside a table too.

A table whose Tab key moves between cells (``tabKeyNavigation``) also takes Ctrl+Tab as
one more Tab, in the table and in a cell's editor alike, so the tab widget around it never
sees the key: the group and scoring pages would be dead ends for the keyboard.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QTabWidget, QWidget

#: key sequence -> page step
_KEYS = {"Ctrl+Tab": 1, "Ctrl+PgDown": 1, "Ctrl+Shift+Tab": -1, "Ctrl+Shift+Backtab": -1, "Ctrl+PgUp": -1}


def _tabs_around(widget: QWidget) -> QTabWidget | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QTabWidget):
        parent = parent.parentWidget()
    return parent


def _focus_into(page: QWidget) -> None:
    """Keep the keyboard on the page just shown (hiding the old page sends the focus elsewhere),
    unless whoever shows the page has already put it there."""
    focused = QApplication.focusWidget()
    if focused is not None and page.isAncestorOf(focused):
        return
    # the child last focused there (a closed cell editor no longer counts), else the first
    candidates = [page.focusWidget(), *page.findChildren(QWidget)]
    target = next((w for w in candidates if w is not None and w.isVisibleTo(page) and w.isEnabled()
                   and w.focusPolicy() & Qt.FocusPolicy.TabFocus), None)
    if target is not None:
        target.setFocus(Qt.FocusReason.TabFocusReason)


def turn_pages_from(view: QWidget) -> None:
    """Give ``view`` (and the editors open in it) the keys that turn the surrounding pages."""

    def turn(step: int) -> None:
        tabs = _tabs_around(view)
        if tabs is not None and tabs.count():
            tabs.setCurrentIndex((tabs.currentIndex() + step) % tabs.count())
            _focus_into(tabs.currentWidget())

    for keys, step in _KEYS.items():
        shortcut = QShortcut(QKeySequence(keys), view, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(lambda step=step: turn(step))
