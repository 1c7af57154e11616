"""Database access: engine with durable SQLite settings, sessions, migrations and backups."""

from app.db.database import Database

__all__ = ["Database"]
