"""The one way long work runs: off the GUI thread, with delayed progress and Cancel.

The work function is Qt-free and receives ``(cancel, progress)``: a ``CancelToken`` and a
``ProgressSink``. Results and errors come back on the GUI thread; ``Cancelled`` is
swallowed, other errors go to the one presenter (``app.ui.errors.show_error``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.errors import Cancelled
from app.i18n import _
from app.services.tasks import CancelToken, ProgressSink
from app.ui.errors import show_error

Work = Callable[[CancelToken, ProgressSink], Any]

#: a short job never flashes a dialog
SHOW_PROGRESS_AFTER_MS = 400
#: progress is throttled so a tight loop cannot flood the event queue
PROGRESS_INTERVAL_S = 0.05


class _Signals(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)


class _Runnable(QRunnable):
    def __init__(self, work: Work, token: CancelToken, signals: _Signals) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._work, self._token, self._signals = work, token, signals
        self._last_emit = 0.0

    def _progress(self, done: int, total: int, message: str) -> None:
        now = time.monotonic()
        if now - self._last_emit >= PROGRESS_INTERVAL_S or done >= total:
            self._last_emit = now
            self._signals.progress.emit(done, total, message)

    def run(self) -> None:
        try:
            result = self._work(self._token, self._progress)
        except BaseException as exc:  # noqa: BLE001 - delivered to the GUI thread's presenter
            self._signals.failed.emit(exc)
        else:
            self._signals.finished.emit(result)


class Task(QObject):
    """One running job. Keep a reference until ``done`` or ``cancelled`` is emitted."""

    done = Signal(object)
    cancelled = Signal()
    error = Signal(object)

    def __init__(self, parent: QWidget | None, title: str, work: Work, *, quiet: bool = False,
                 pool: QThreadPool | None = None) -> None:
        # No Python reference to the parent: parent and task would form a cycle that the
        # garbage collector may clear on a pool thread, deleting widgets off the GUI thread.
        super().__init__(parent)
        self.title = title
        self.token = CancelToken()
        self._signals = _Signals()
        self._signals.progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self._signals.finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)
        self._signals.failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)
        self.running = True
        self.quiet = quiet
        self.dialog = QProgressDialog(title, _("取消"), 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        # our own timer decides when (and whether, for quiet jobs) the dialog appears
        self.dialog.setMinimumDuration(2**31 - 1)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self.cancel)
        self._show_timer = QTimer(self, singleShot=True, interval=SHOW_PROGRESS_AFTER_MS)
        self._show_timer.timeout.connect(self._show_dialog)
        self._show_timer.start()
        (pool or QThreadPool.globalInstance()).start(_Runnable(work, self.token, self._signals))

    def cancel(self) -> None:
        self.token.cancel()
        self.dialog.setLabelText(_("正在取消…"))

    def _show_dialog(self) -> None:
        if self.running and not self.quiet:
            self.dialog.show()

    def _on_progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total))
        if message and not self.token.cancelled:
            self.dialog.setLabelText(message)

    def _finish(self) -> None:
        self.running = False
        self._show_timer.stop()
        self.dialog.hide()
        self.dialog.deleteLater()

    def _on_finished(self, result: object) -> None:
        self._finish()
        self.done.emit(result)

    def _on_failed(self, exc: BaseException) -> None:
        self._finish()
        if isinstance(exc, Cancelled):
            self.cancelled.emit()
            return
        self.error.emit(exc)
        show_error(self.parent(), exc, title=self.title)


def run_task(parent: QWidget | None, title: str, work: Work, *,
             on_done: Callable[[Any], None] | None = None,
             on_cancelled: Callable[[], None] | None = None, quiet: bool = False) -> Task:
    """Start ``work`` in the thread pool; ``on_done(result)`` runs on the GUI thread.

    ``quiet`` jobs (checks in the background) never show a progress dialog.
    """
    task = Task(parent, title, work, quiet=quiet)
    if on_done is not None:
        task.done.connect(on_done)
    if on_cancelled is not None:
        task.cancelled.connect(on_cancelled)
    return task


def release_task(task: Task | None) -> None:
    """Let go of a finished task that a dialog kept.

    A finished task points back at its dialog, its parent: left to the garbage collector,
    the pair may be collected on a pool thread, and deleting widgets there crashes.
    Unparented, the task cannot outlive or take down the dialog; ``deleteLater`` frees it
    on the GUI thread once its slot has returned.
    """
    if task is not None:
        task.setParent(None)
        task.deleteLater()


def wait_for_workers(timeout_ms: int = 30000) -> None:
    """On close: let running jobs reach their next cancel check and roll back."""
    QThreadPool.globalInstance().waitForDone(timeout_ms)
