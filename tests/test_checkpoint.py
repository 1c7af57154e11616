"""Committed pages reach the database file from the checkpoint thread, never lost on the way."""

from __future__ import annotations

import sqlite3

from sqlalchemy import text

from app.db.database import Database
from app.services.restore import settle_database


def _fill(db: Database, rows: int) -> None:
    with db.write() as session:
        session.execute(text("CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, body TEXT)"))
        session.execute(text("INSERT INTO notes (body) VALUES (:body)"), [{"body": "记" * 500}] * rows)


def test_a_commit_does_not_wait_for_the_checkpoint(tmp_path):
    db = Database(tmp_path / "a.db")
    try:
        with db.read() as session:
            assert session.connection().exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 0
    finally:
        db.dispose()


def test_a_big_commit_is_folded_into_the_database_file_while_it_stays_open(tmp_path):
    path = tmp_path / "a.db"
    db = Database(path)
    try:
        _fill(db, 1)
        assert db._checkpointer.settle()
        before = path.stat().st_size
        _fill(db, 3000)  # ~4.5 MB: past SQLite's own 1,000-page checkpoint threshold

        assert db._checkpointer.settle()
        assert path.stat().st_size > before + 4_000_000
        # the file alone (as a crash would leave it, WAL set aside) holds every committed row
        copy = tmp_path / "copy.db"
        copy.write_bytes(path.read_bytes())
        con = sqlite3.connect(copy)
        assert con.execute("SELECT count(*) FROM notes").fetchone() == (3001,)
        con.close()
    finally:
        db.dispose()


def test_after_close_nobody_holds_the_file_and_a_reopened_engine_checkpoints_again(tmp_path):
    path = tmp_path / "a.db"
    db = Database(path)
    _fill(db, 10)
    db.dispose()
    settle_database(path)  # raises DatabaseInUse if the checkpoint thread kept its connection

    _fill(db, 3000)  # a disposed engine opens new connections on use
    assert db._checkpointer.settle()
    copy = tmp_path / "copy.db"
    copy.write_bytes(path.read_bytes())
    con = sqlite3.connect(copy)
    assert con.execute("SELECT count(*) FROM notes").fetchone() == (3010,)
    con.close()
    db.dispose()

