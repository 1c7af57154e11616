"""What the package preview dialogs share: their 合并 runs in the worker, one at a time.

While the merge runs the dialog cannot be closed (the merge stops through its progress
dialog's Cancel, which rolls back what it was writing); a refusal or a Cancel leaves the
dialog open saying the database was not changed; once merged, ``imported`` is emitted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QLabel, QWidget

from app.i18n import _
from app.services.workspace import Workspace
from app.ui.worker import Task, release_task, run_task


class MergeDialog(QDialog):
    """Subclasses build their preview, call ``run_merge`` from their 合并 button, show the
    outcome in ``merge_finished`` and enable their buttons in ``_update_buttons``."""

    help_topic = "nodes"

    imported = Signal(object)

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.task: Task | None = None
        self.status_label = QLabel(self)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setWordWrap(True)

    def run_merge(self, work: Callable[[Any, Any], Any]) -> None:
        self.task = run_task(self, _("合并数据包"), work, on_done=self._done, on_cancelled=self._stopped)
        self.task.error.connect(self._stopped)
        self._update_buttons()

    def merge_finished(self, result: Any) -> None:
        raise NotImplementedError

    def _update_buttons(self) -> None:
        raise NotImplementedError

    def _done(self, result: Any) -> None:
        self._drop_task()
        self.merge_finished(result)

    def _stopped(self, _error: object = None) -> None:
        # refused or cancelled: the presenter has spoken, the database is as it was
        self._drop_task()
        self.status_label.setText(_("没有合并：数据库未作任何修改。"))
        self._update_buttons()

    def _drop_task(self) -> None:
        task, self.task = self.task, None
        release_task(task)

    def reject(self) -> None:
        if self.task is not None:
            return  # a merge is being written: it stops through its own Cancel
        super().reject()


def open_merge_dialog(dialog: MergeDialog, on_imported: Callable[[Any], None] | None) -> None:
    """Show ``dialog`` window-modal without blocking (the worker's done callback opens it)."""
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if on_imported is not None:
        dialog.imported.connect(on_imported)
    dialog.open()
