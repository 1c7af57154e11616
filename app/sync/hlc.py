"""Hybrid logical clock: wall-clock milliseconds plus a counter, packed in one integer.

It only orders revisions for display and breaks ties; ancestry decides newer or older,
because a laptop's clock can be wrong by a year.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

COUNTER_BITS = 16
COUNTER_MASK = (1 << COUNTER_BITS) - 1


def pack(millis: int, counter: int) -> int:
    # Addition, not OR: a counter past 16 bits carries into the milliseconds and stays monotonic.
    return (millis << COUNTER_BITS) + counter


def unpack(value: int) -> tuple[int, int]:
    return value >> COUNTER_BITS, value & COUNTER_MASK


class HybridLogicalClock:
    def __init__(self, last: int = 0, wall: Callable[[], int] | None = None) -> None:
        self._last = last
        self._wall = wall or (lambda: time.time_ns() // 1_000_000)
        self._lock = threading.Lock()

    def now(self) -> int:
        """A value greater than every value this clock has issued or observed."""
        with self._lock:
            wall = self._wall()
            last_ms, counter = unpack(self._last)
            if wall > last_ms:
                self._last = pack(wall, 0)
            else:
                self._last = pack(last_ms, counter + 1)
            return self._last

    def observe(self, remote: int) -> None:
        """Move past a timestamp seen on an incoming revision."""
        with self._lock:
            if remote > self._last:
                self._last = remote
