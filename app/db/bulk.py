"""Bulk inserts straight to the driver, with SQLAlchemy's own type conversions.

``session.execute(insert(table), dicts)`` spends most of its time building parameters
per row; for imports of tens of thousands of records the driver's ``executemany`` with
pre-converted tuples is about twice as fast and stores exactly the same values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Boolean, Date, Table
from sqlalchemy.orm import Session

#: types whose equal values (``True == 1``, two equal dates) always convert alike, so a
#: conversion can be remembered per value; not DateTime (aware ones compare across zones)
#: nor JSON (``True == 1`` there, but they serialise apart)
_REPEATING = (Boolean, Date)


class BulkInserter:
    def __init__(self, session: Session, table: Table, columns: Iterable[str]) -> None:
        self.columns = list(columns)
        dialect = session.get_bind().dialect
        self._types = [table.c[name].type for name in self.columns]
        self._processors = [kind._cached_bind_processor(dialect) for kind in self._types]
        self._pairs = list(zip(self.columns, self._processors))
        self._sql = 'INSERT INTO "{table}" ({cols}) VALUES ({marks})'.format(
            table=table.name, cols=", ".join(f'"{c}"' for c in self.columns),
            marks=", ".join("?" for _ in self.columns))
        # the session's own connection: the rows join its open transaction
        self._driver = session.connection().connection.driver_connection

    def processor(self, column: str) -> Callable[[Any], Any] | None:
        """SQLAlchemy's conversion of ``column``'s values for the driver (None: stored as given)."""
        return self._processors[self.columns.index(column)]

    def remembering_processor(self, column: str) -> Callable[[Any], Any] | None:
        """``processor``, remembering its result per value where that is safe: a bulk write
        repeats the same dates and flags thousands of times."""
        process = self.processor(column)
        if process is None or not isinstance(self._types[self.columns.index(column)], _REPEATING):
            return process
        seen: dict[Any, Any] = {}

        def remembered(value: Any) -> Any:
            try:
                return seen[value]
            except KeyError:
                seen[value] = result = process(value)
                return result

        return remembered

    def convert(self, column: str, value: Any) -> Any:
        """``value`` as the driver stores it in ``column``: for values many rows share."""
        process = self.processor(column)
        return value if process is None else process(value)

    def insert(self, rows: Iterable[Mapping[str, Any]]) -> None:
        pairs = self._pairs
        params = [tuple(proc(row.get(name)) if proc else row.get(name) for name, proc in pairs) for row in rows]
        if params:
            self._driver.executemany(self._sql, params)

    def insert_converted(self, params: Sequence[Sequence[Any]]) -> None:
        """Rows already in ``columns`` order and in the driver's form (see ``processor``)."""
        if params:
            self._driver.executemany(self._sql, params)


#: page cache for one bulk write, in KiB; SQLite's default is 2,000
BULK_CACHE_KIB = 65_536


@contextmanager
def bulk_page_cache(session: Session, kib: int = BULK_CACHE_KIB) -> Iterator[None]:
    """A larger page cache on the session's connection while a bulk write runs.

    Each new sub-project goes into a dozen indexes at random places; with the default
    2 MB cache, once the register outgrows it, those pages are evicted and read back over
    and over (a sixth of the inserts at 40,550 rows). The cache grows only as pages are
    used and goes back to the connection's own size afterwards (the connection is pooled).
    """
    driver = session.connection().connection.driver_connection
    (previous,) = driver.execute("PRAGMA cache_size").fetchone()
    if previous < 0 and -previous >= kib:
        yield
        return
    driver.execute(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        driver.execute(f"PRAGMA cache_size = {int(previous)}")
