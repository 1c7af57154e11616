"""The schema lives under alembic: head equals the models, and upgrades back up first."""

from __future__ import annotations

import sqlite3

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from app.db.migrate import alembic_config, head_revision, upgrade_database
from app.errors import SchemaTooNew
from app.models import Base, DEFAULT_SCHEDULE_UID
from app.services.workspace import Workspace
from app.sync.revision import next_rev


def test_upgrade_head_on_an_empty_database_gives_exactly_the_models_schema(tmp_path):
    path = tmp_path / "empty.db"
    command.upgrade(alembic_config(path), "head")
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"render_as_batch": True}), Base.metadata)
    engine.dispose()
    assert diff == []


def test_an_older_database_is_backed_up_then_upgraded(tmp_path):
    path = tmp_path / "old.db"
    command.upgrade(alembic_config(path), "0001")
    con = sqlite3.connect(path)
    con.execute("INSERT INTO app_settings (key, value) VALUES ('marker', 'kept')")
    con.commit()
    con.close()

    result = upgrade_database(path)

    assert result.from_revision == "0001" and result.to_revision == head_revision()
    assert result.backup_path is not None and result.backup_path.exists()
    backup = sqlite3.connect(result.backup_path)
    assert backup.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert backup.execute("SELECT value FROM app_settings").fetchone() == ("kept",)
    backup.close()
    con = sqlite3.connect(path)
    assert con.execute("SELECT count(*) FROM divisions").fetchone() == (10,)
    con.close()


def test_a_database_from_a_newer_version_is_refused_untouched(tmp_path):
    path = tmp_path / "future.db"
    command.upgrade(alembic_config(path), "head")
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(SchemaTooNew) as info:
        upgrade_database(path)
    assert "更新版本" in info.value.message
    assert path.read_bytes() == before


def test_connections_are_durable(ws):
    with ws.db.read() as session:
        conn = session.connection()
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_seeded_reference_data_has_revisions_every_node_computes_alike(ws):
    with ws.db.read() as session:
        conn = session.connection()
        rows = conn.exec_driver_sql(
            "SELECT r.rev, r.data FROM record_revisions r "
            "WHERE r.entity IN ('divisions', 'retention_schedules') AND r.parent_rev IS NULL").fetchall()
        default = conn.exec_driver_sql(
            "SELECT count(*) FROM retention_schedules WHERE uid = ?", (DEFAULT_SCHEDULE_UID,)).scalar()
    import orjson

    assert len(rows) == 11 and default == 1
    for rev, data in rows:
        assert next_rev(None, orjson.loads(data), False) == rev


def test_opening_sets_up_nothing_until_the_node_is_chosen(tmp_path):
    ws = Workspace.open(tmp_path / "fresh.db")
    try:
        assert ws.needs_setup
    finally:
        ws.close()


def test_the_revisions_read_at_start_are_alembics_own():
    from alembic.script import ScriptDirectory

    from app.db.migrate import known_revisions, migrations_dir

    script = ScriptDirectory(str(migrations_dir()))
    assert head_revision() == script.get_current_head()
    assert known_revisions() == {rev.revision for rev in script.walk_revisions()}
