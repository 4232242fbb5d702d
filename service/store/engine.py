"""Opening the store's database: the SQLite file in the data directory, or PostgreSQL.

SQLite runs in WAL mode (readers never wait for the writer), foreign keys on, and every
transaction begun IMMEDIATE so that two processes sharing the file queue for the write lock
instead of failing with "database is locked" halfway through.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Engine, make_url

from service.settings import Settings

SQLITE_FILE = "amends.db"

READ_ONLY = "amends_read_only"
"""Execution option marking a read-only SQLite transaction (begun DEFERRED, not IMMEDIATE)."""


class RawJSON(str):
    """JSON text already encoded (pydantic's `model_dump_json` is several times faster than
    `json.dumps` of the dumped dict); a JSON column stores it as it is."""


def _json_serializer(value: Any) -> str:
    return str(value) if isinstance(value, RawJSON) else json.dumps(value)


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
    # The store holds letters, customers' names and key hashes: a directory created here is
    # the service user's alone (one that exists already keeps the mode its operator gave it).
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    return URL.create("sqlite+pysqlite", database=str(data_dir / SQLITE_FILE))


def create_store_engine(settings_or_url: Settings | URL | str) -> Engine:
    """The engine for the configured store. With `AMENDS_DURABLE_COMMIT` off (the default) a
    commit survives the service process dying but not necessarily the database host crashing
    in the next fraction of a second (SQLite `synchronous=NORMAL` in WAL mode, PostgreSQL
    `synchronous_commit=off`); on, every commit waits for the disk's flush."""
    if isinstance(settings_or_url, Settings):
        url, durable = store_url(settings_or_url), settings_or_url.durable_commit
    else:
        url, durable = make_url(settings_or_url), False
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url, durable)
    # No liveness ping per checkout: the store retries once on a connection the server dropped.
    return create_engine(
        url,
        pool_size=5,
        max_overflow=10,
        pool_recycle=1800,
        json_serializer=_json_serializer,
        connect_args={"options": f"-c synchronous_commit={'on' if durable else 'off'}"},
    )


def _use_wal(cursor: Any, wait: float = 10.0) -> None:
    """Put the database in WAL mode (a lasting property of the file). Several processes
    opening a new database at once race for that switch, and SQLite answers the losers
    "database is locked" at once, without waiting on its busy timeout: retry within `wait`
    seconds, and skip the switch once another process has made it."""
    deadline = time.monotonic() + wait
    while True:
        try:
            if str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _sqlite_engine(url: URL, durable: bool) -> Engine:
    # The timeout lets a writer wait up to 10 s for another writer's lock before giving up.
    # The pool hands out the connection returned last: a connection keeps its page cache only
    # while no other connection has written, so with the default (the one returned first)
    # every audit INSERT found its cache stale and read a dozen pages back from the file.
    engine = create_engine(
        url,
        connect_args={"timeout": 10},
        json_serializer=_json_serializer,
        pool_use_lifo=True,
    )
    synchronous = "FULL" if durable else "NORMAL"

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        _use_wal(cursor)
        for pragma in (
            f"synchronous={synchronous}",
            "foreign_keys=ON",
            "busy_timeout=10000",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Writers take the write lock up front; readers (READ_ONLY) never take it in WAL mode.
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine
