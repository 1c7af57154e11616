"""Bring a database file to the schema this version of the application expects."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event

from app import resources
from app.errors import SchemaTooNew
from app.i18n import _


def migrations_dir() -> Path:
    """The alembic scripts: beside this module from source or a wheel, under ``sys._MEIPASS``
    in a bundle (alembic reads them as files, so the spec ships them as data)."""
    return resources.migrations_dir()


def alembic_config(db_path: Path | str):
    # alembic itself is loaded only when a database must change: a sixth of start-up otherwise
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.set_main_option("sqlalchemy.url", f"sqlite:///{db_path}")
    return cfg


def _migration_connect(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None
    dbapi_connection.execute("PRAGMA journal_mode=WAL")
    dbapi_connection.execute("PRAGMA synchronous=FULL")
    # Batch table rebuilds drop and recreate tables: foreign keys must be off while they run;
    # env.py runs foreign_key_check before committing.
    dbapi_connection.execute("PRAGMA foreign_keys=OFF")


def migration_engine(url: str) -> Engine:
    engine = create_engine(url)
    event.listen(engine, "connect", _migration_connect)
    event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
    return engine


_REVISION = re.compile(r"""^revision\s*=\s*['"]([^'"]+)['"]""", re.MULTILINE)
_DOWN = re.compile(r"""^down_revision\s*=\s*(?:None|['"]([^'"]+)['"])""", re.MULTILINE)


@lru_cache(maxsize=1)
def _chain() -> tuple[dict[str, str | None], str]:
    """{revision: down_revision} of the migration scripts, and the head, read from their
    text: every start asks, and importing alembic to answer took a sixth of start-up.
    ``tests/test_schema.py`` checks it against alembic's own reading."""
    chain: dict[str, str | None] = {}
    for script in migrations_dir().joinpath("versions").glob("*.py"):
        text = script.read_text(encoding="utf-8")
        found, down = _REVISION.search(text), _DOWN.search(text)
        if found and down:
            chain[found.group(1)] = down.group(1)
    heads = set(chain) - set(chain.values())
    if len(heads) != 1:
        raise RuntimeError(f"migration scripts must form one line, found heads {sorted(heads)}")
    return chain, heads.pop()


def head_revision() -> str:
    return _chain()[1]


def known_revisions() -> set[str]:
    return set(_chain()[0])


def current_revision(db_path: Path) -> str | None:
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    con = sqlite3.connect(db_path)
    try:
        has_table = con.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        if not has_table:
            return None
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    finally:
        con.close()


@dataclass(frozen=True)
class UpgradeResult:
    from_revision: str | None
    to_revision: str
    backup_path: Path | None


def upgrade_database(db_path: Path) -> UpgradeResult:
    """Upgrade to head; an existing database is backed up first. Refuses a newer schema."""
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    current = current_revision(db_path)
    head = head_revision()
    if current == head:
        return UpgradeResult(current, head, None)
    if current is not None and current not in known_revisions():
        raise SchemaTooNew(
            _("数据库 {path} 由更新版本的程序创建（结构版本 {rev}），请升级本程序后再打开。").format(
                path=db_path, rev=current
            )
        )
    backup = None
    if current is not None:
        # the one backup mechanism: database and attachments, verified, the last N kept
        # (imported here: the services sit above this module)
        from app.services.backups import automatic_backup

        backup = automatic_backup(db_path, reason="migration").database_path
    from alembic import command

    command.upgrade(alembic_config(db_path), "head")
    return UpgradeResult(current, head, backup)
