"""Opening the store's database: the SQLite file in the data directory, or PostgreSQL.

SQLite runs in WAL mode (readers never wait for the writer) with `synchronous=NORMAL` (a commit
survives the process dying; the last commits before a power cut may not), foreign keys on,
and every transaction begun IMMEDIATE so that two processes sharing the file queue for the
write lock instead of failing with "database is locked" halfway through.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Engine, make_url

from service.settings import Settings

SQLITE_FILE = "amends.db"


def store_url(settings: Settings) -> URL:
    """`AMENDS_DATABASE_URL` when set (plain `postgresql://` means psycopg 3), else the SQLite
    file in `AMENDS_DATA_DIR`, whose directory is created here."""
    configured = settings.database_url.get_secret_value() if settings.database_url else ""
    if configured:
        url = make_url(configured)
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")
        return url
    data_dir = Path(settings.data_dir).expanduser()
    data_dir.mkdir(parents=True, exist_ok=True)
    return URL.create("sqlite+pysqlite", database=str(data_dir / SQLITE_FILE))


def create_store_engine(settings_or_url: Settings | URL | str) -> Engine:
    url = (
        store_url(settings_or_url)
        if isinstance(settings_or_url, Settings)
        else make_url(settings_or_url)
    )
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    return create_engine(url, pool_size=5, max_overflow=10, pool_pre_ping=True)


def _sqlite_engine(url: URL) -> Engine:
    engine = create_engine(url, connect_args={"timeout": 10})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (
            "journal_mode=WAL",
            "synchronous=NORMAL",
            "foreign_keys=ON",
            "busy_timeout=10000",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine
