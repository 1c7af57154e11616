"""Alembic environment: batch mode for SQLite, one transaction for the whole upgrade."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from app.models import Base

config = context.config
target_metadata = Base.metadata


def _check_foreign_keys(connection) -> None:
    # Migrations run with foreign keys off (table rebuilds need it); prove nothing broke.
    broken = connection.execute(text("PRAGMA foreign_key_check")).fetchall()
    if broken:
        raise RuntimeError(f"foreign key violations after migration: {broken[:5]}")


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        from app.db.migrate import migration_engine

        engine = migration_engine(config.get_main_option("sqlalchemy.url"))
        with engine.connect() as connection:
            _run(connection)
        engine.dispose()
    else:
        _run(connection)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        # SQLite can roll back DDL: a failed upgrade leaves the old schema intact.
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()
        _check_foreign_keys(connection)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
