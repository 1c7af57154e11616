"""One SQLite database file: connection settings, read sessions and write transactions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import orjson
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from app.db.checkpoint import Checkpointer


def _json_dumps(value: object) -> str:
    # Chinese stays readable in the file (the stdlib default escapes it).
    return orjson.dumps(value).decode()


def _configure_connection(dbapi_connection, _record) -> None:
    # Take over transaction control from pysqlite so BEGIN IMMEDIATE can be issued.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # Documents of record: a committed transaction survives a power cut.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    # the database's ``Checkpointer`` folds the WAL in, off the committing thread
    cursor.execute("PRAGMA wal_autocheckpoint=0")
    cursor.close()


def _begin(conn) -> None:
    # Writers take the lock at the start, so two writers never deadlock mid-transaction.
    mode = "BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN"
    conn.exec_driver_sql(mode)


def make_engine(path: Path | str) -> Engine:
    engine = create_engine(f"sqlite:///{path}", json_serializer=_json_dumps, json_deserializer=orjson.loads)
    event.listen(engine, "connect", _configure_connection)
    event.listen(engine, "begin", _begin)
    return engine


class Database:
    """Owns the engine of one database file. Sessions are per unit of work, never shared."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.engine = make_engine(self.path)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self.engine.execution_options(write=True), expire_on_commit=False)
        self._checkpointer = Checkpointer(self.path)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._read() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction (BEGIN IMMEDIATE): committed on success, rolled back on error."""
        with self._write() as session, session.begin():
            yield session
        self._checkpointer.poke()

    def dispose(self) -> None:
        self._checkpointer.close()
        self.engine.dispose()

    def quick_check(self) -> list[str]:
        """``PRAGMA quick_check``: an empty list when the file is sound, else SQLite's findings."""
        with self.engine.connect() as conn:
            rows = [r[0] for r in conn.exec_driver_sql("PRAGMA quick_check").fetchall()]
        return [] if rows == ["ok"] else rows
