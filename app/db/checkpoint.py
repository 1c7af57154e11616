"""WAL checkpoints on a thread of their own, so a commit returns once its WAL is durable.

With SQLite's automatic checkpoint, the commit that pushes the WAL past 1,000 pages also
copies those pages into the database file and syncs it: after a master-list import, a
sixth of the wait. SQLite's documentation suggests instead turning the automatic
checkpoint off on the working connections and running checkpoints from another thread,
which is what this does. A transaction is durable as soon as its WAL is synced
(``synchronous=FULL``); the checkpoint only moves committed pages, so a crash before it
loses nothing (the WAL is replayed when the file is next opened).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

log = logging.getLogger(__name__)


class Checkpointer:
    """A daemon thread that folds the WAL into the database file after write transactions.

    ``poke`` after a commit wakes it; pokes that arrive while it works are coalesced into
    one more pass. ``close`` stops it and closes its connection, so nobody else holds the
    file (a restore needs that). A pass after a small edit copies a few pages: cheaper
    than letting the WAL of a day's work grow until the file is closed.
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._changed = threading.Condition()
        self._requested = 0  # pokes so far
        self._done = 0  # pokes that a finished pass has covered
        self._stopping = False
        self._thread: threading.Thread | None = None

    def poke(self) -> None:
        with self._changed:
            if self._stopping:
                return
            self._requested += 1
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name=f"checkpoint {self._path.name}", daemon=True)
                self._thread.start()
            self._changed.notify_all()

    def settle(self, timeout: float = 10.0) -> bool:
        """Wait until a pass has followed every poke so far; False if ``timeout`` ran out."""
        with self._changed:
            wanted = self._requested
            return self._changed.wait_for(lambda: self._done >= wanted or self._thread is None, timeout)

    def close(self) -> None:
        """Stop the thread (a later ``poke`` starts a new one: a disposed engine can be reused)."""
        with self._changed:
            self._stopping = True
            thread = self._thread
            self._changed.notify_all()
        if thread is not None:
            thread.join()
        with self._changed:
            self._thread, self._stopping = None, False
            self._done = self._requested
            self._changed.notify_all()

    def _run(self) -> None:
        try:
            con = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
            con.execute("PRAGMA busy_timeout=1000")
        except sqlite3.Error as exc:  # the WAL keeps every commit; the next poke tries again
            log.warning("checkpoint thread for %s could not open it: %s", self._path, exc)
            return
        try:
            while True:
                with self._changed:
                    self._changed.wait_for(lambda: self._stopping or self._requested > self._done)
                    if self._stopping:
                        return
                    covered = self._requested
                try:
                    # PASSIVE: never waits for readers or writers; what it cannot copy now
                    # is copied on a later pass
                    con.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                except sqlite3.Error as exc:
                    log.warning("checkpoint of %s failed: %s", self._path, exc)
                with self._changed:
                    self._done = covered
                    self._changed.notify_all()
        finally:
            con.close()
