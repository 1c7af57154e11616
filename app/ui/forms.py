"""Inline validation for forms: a message under the field, the field outlined, text kept."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

INVALID_STYLE = "border: 1px solid #c62828; border-radius: 2px;"


class FieldSlot(QWidget):
    """An input with its (normally hidden) error message below it."""

    def __init__(self, editor: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(editor)
        layout.addWidget(self.error)

    def set_error(self, message: str | None) -> None:
        if message:
            self.error.setText(message)
            self.error.show()
            self.editor.setStyleSheet(INVALID_STYLE)
            self.editor.setToolTip(message)
        else:
            self.error.clear()
            self.error.hide()
            self.editor.setStyleSheet("")
            self.editor.setToolTip("")


class FormErrors:
    """Maps service field keys to slots and shows a ``ValidationError``'s messages."""

    def __init__(self) -> None:
        self.slots: dict[str, FieldSlot] = {}

    def add(self, key: str, slot: FieldSlot) -> FieldSlot:
        self.slots[key] = slot
        return slot

    def clear(self) -> None:
        for slot in self.slots.values():
            slot.set_error(None)

    def show(self, field_errors: Mapping[str, str]) -> list[str]:
        """Show each message beside its field; returns the messages with no field to sit by."""
        self.clear()
        unplaced = []
        first = None
        for key, message in field_errors.items():
            slot = self.slots.get(key)
            if slot is None:
                unplaced.append(message)
                continue
            slot.set_error(message)
            first = first or slot
        if first is not None:
            first.editor.setFocus()
        return unplaced

    def message_for(self, key: str) -> str:
        slot = self.slots.get(key)
        return slot.error.text() if slot and not slot.error.isHidden() else ""
