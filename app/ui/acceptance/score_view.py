"""The scoring table, scored from the keyboard.

Typing in a cell starts editing it; Enter or Down takes the value and moves to the same
column of the next item (Up: the item before), skipping the section rows, so a whole
sheet is scored by typing a number and Enter, item after item. Tab moves across cells.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QTableView,
)

from app.ui.acceptance.score_model import COL_GROUP, COL_SELF, KEYS, ScoreModel
from app.ui.item_views import size_columns

_NEXT_KEYS = {int(Qt.Key.Key_Return): 1, int(Qt.Key.Key_Enter): 1, int(Qt.Key.Key_Down): 1, int(Qt.Key.Key_Up): -1}
WIDTHS = {"code": 80, "evidence": 150, "max": 86, "self": 70, "group": 70, "remark": 160}
_CHORD = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier \
    | Qt.KeyboardModifier.MetaModifier


def _step_of(event) -> int:
    """+1 / -1 for a plain Enter, Down or Up (keypad too); 0 for anything else or with a chord."""
    if event.modifiers() & _CHORD:
        return 0
    return _NEXT_KEYS.get(int(event.key()), 0)


class ScoreDelegate(QStyledItemDelegate):
    """A plain line editor whose Enter / Down / Up commit and move on."""

    advance = Signal(int)

    def createEditor(self, parent, option, index):  # noqa: N802
        editor = QLineEdit(parent)
        editor.setFrame(False)
        if index.column() in (COL_SELF, COL_GROUP):
            editor.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return editor

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and isinstance(editor, QLineEdit):
            step = _step_of(event)
            if step:
                self.commitData.emit(editor)
                self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
                self.advance.emit(step)
                return True
        return super().eventFilter(editor, event)


class ScoreTableView(QTableView):
    def __init__(self, model: ScoreModel, parent=None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.delegate = ScoreDelegate(self)
        self.delegate.advance.connect(self.advance)
        self.setItemDelegate(self.delegate)
        self.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed
                             | QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTabKeyNavigation(True)
        self.setWordWrap(True)
        self.setAlternatingRowColors(False)
        self.horizontalHeader().setSectionResizeMode(KEYS.index("text"), QHeaderView.ResizeMode.Stretch)
        size_columns(self, {KEYS.index(key): width for key, width in WIDTHS.items()})
        self.verticalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

    def score_model(self) -> ScoreModel:
        return self.model()  # type: ignore[return-value]

    def start_scoring(self) -> None:
        """Put the cursor on the first item's 验收赋分 cell, ready to type."""
        row = self.score_model().first_item_row()
        if row >= 0:
            self.setFocus(Qt.FocusReason.OtherFocusReason)
            self.setCurrentIndex(self.score_model().index(row, COL_GROUP))

    def advance(self, step: int) -> None:
        """Same column, the next (or previous) row whose cell can be typed in."""
        current = self.currentIndex()
        if not current.isValid():
            self.start_scoring()
            return
        model = self.score_model()
        row = current.row() + step
        while 0 <= row < model.rowCount():
            index = model.index(row, current.column())
            if model.flags(index) & Qt.ItemFlag.ItemIsEditable or (model.read_only and not model.is_section(row)):
                self.setCurrentIndex(index)
                self.scrollTo(index)
                return
            row += step

    def keyPressEvent(self, event) -> None:  # noqa: N802
        step = _step_of(event)
        if step and self.state() != QAbstractItemView.State.EditingState:
            self.advance(step)
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEditor(self, editor, hint) -> None:  # noqa: N802
        super().closeEditor(editor, hint)
        # the focus returns to the table so the next digit typed starts the next cell
        self.setFocus(Qt.FocusReason.OtherFocusReason)
