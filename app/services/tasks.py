"""What long work needs from its caller, without Qt: a cancel token and a progress sink.

The UI adapter (``app.ui.worker``) supplies both; the command line and tests use the
defaults. Work checks the token between batches and raises ``Cancelled`` inside its
transaction, so a cancelled job leaves the database as it was.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from app.errors import Cancelled

#: progress(done, total, message)
ProgressSink = Callable[[int, int, str], None]


def no_progress(done: int, total: int, message: str) -> None:
    pass


class CancelToken:
    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled()
