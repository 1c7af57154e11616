"""Small helpers for editable item views."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemDelegate, QAbstractItemView


def commit_open_editor(view: QAbstractItemView) -> None:
    """Take what is being typed in a cell as the cell's value, as leaving the cell would.

    Saving a dialog with Ctrl+Enter while a cell editor is open must not lose that text.
    """
    index = view.currentIndex()  # cells are only ever edited where the cursor is
    editor = view.indexWidget(index) if index.isValid() else None
    if editor is not None:
        delegate = view.itemDelegateForIndex(index)
        delegate.commitData.emit(editor)
        delegate.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
