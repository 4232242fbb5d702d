"""Alembic environment: runs on the connection the store hands over, or opens the configured
database when `alembic` is run by hand.

On PostgreSQL the migration holds an advisory lock, so several service processes starting at
once against one database migrate it exactly once; on SQLite the store's transactions begin
IMMEDIATE, which has the same effect.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import text
from sqlalchemy.engine import Connection

from service.store.schema import metadata

MIGRATION_LOCK = 0x414D454E  # "AMEN": the advisory lock key every process agrees on


def _migrate(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
        context.run_migrations()


def _run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    from service.settings import get_settings
    from service.store.engine import create_store_engine

    engine = create_store_engine(get_settings())
    with engine.begin() as opened:
        _migrate(opened)
    engine.dispose()


_run()
