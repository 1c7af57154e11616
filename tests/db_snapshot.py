"""The whole database as text, to show that a refused action changed nothing."""

from __future__ import annotations

import sqlite3


def db_snapshot(ws) -> list[str]:
    """Every row of every table (schema included), as SQL text, read past the app's session."""
    con = sqlite3.connect(ws.db.path)
    try:
        return list(con.iterdump())
    finally:
        con.close()
