"""The store on both backends: migrations, audit records, reviews, keys, rate windows,
idempotency, retention, and failures that surface as a typed error."""

from __future__ import annotations

import multiprocessing
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from service.settings import Settings
from service.store import (
    AuditRecord,
    KeyExists,
    ReviewConflict,
    Store,
    StoreUnavailable,
    new_id,
    utcnow,
)
from service.store import schema as store_schema
from service.store.engine import SQLITE_FILE, create_store_engine
from tests.conftest import NO_POSTGRES


def _record(**overrides: object) -> AuditRecord:
    values: dict[str, object] = {
        "id": new_id(),
        "kind": "draft",
        "created_at": utcnow(),
        "fingerprint": "f" * 64,
        "request": {"incident": {"summary": "The parcel was late."}},
        "subject": "About your order",
        "body": "Hello Dana,\nWe are sorry the parcel was late.",
        "channel": "email",
        "tone": "warm",
        "passed": True,
        "report": {"passed": True, "findings": []},
        "meta": {"provider": "offline", "attempts": 1},
        "request_id": "req-1",
        "key_name": "support-desk",
    }
    values.update(overrides)
    return AuditRecord(**values)  # type: ignore[arg-type]


# -- opening and migrating -----------------------------------------------------------------


def test_the_sqlite_file_is_created_in_the_data_dir_in_wal_mode(tmp_path: Path) -> None:
    data_dir = tmp_path / "nested" / "data"
    store = Store.open(Settings(_env_file=None, data_dir=data_dir))
    store.close()
    path = data_dir / SQLITE_FILE
    assert path.is_file()
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"audit_records", "reviews", "api_keys", "rate_windows", "idempotency"} <= tables
    assert {"batch_jobs", "batch_items", "alembic_version"} <= tables
    assert data_dir.stat().st_mode & 0o777 == 0o700, "letters and names are not world-readable"


def test_sqlite_readers_do_not_wait_for_a_writer_holding_the_lock(tmp_path: Path) -> None:
    store = Store.open(Settings(_env_file=None, data_dir=tmp_path))
    record = _record()
    store.add_record(record, ["fallback"])
    writer = sqlite3.connect(tmp_path / SQLITE_FILE, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another process mid-write holds the write lock
    try:
        found = store.get_record(record.id)
        assert found is not None and found[0] == record
        assert store.count_pending_reviews() == 1
    finally:
        writer.execute("ROLLBACK")
        writer.close()
        store.close()


def test_the_migrations_build_exactly_the_declared_schema(store: Store) -> None:
    with store.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), store_schema.metadata)
    assert diff == []


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+pysqlite:///{tmp_path / 'fresh.db'}"
    fixture: str = request.getfixturevalue("fresh_postgres_url")
    return fixture


def _open_and_close(url: str) -> str:
    store = Store.open(url)
    store.close()
    return url


def test_several_processes_starting_at_once_migrate_the_database_once(
    empty_database: str,
) -> None:
    with multiprocessing.get_context("fork").Pool(4) as pool:
        assert pool.map(_open_and_close, [empty_database] * 4) == [empty_database] * 4
    engine = create_store_engine(empty_database)
    with engine.connect() as c:
        versions = c.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    assert len(versions) == 1
    engine.dispose()


def test_processes_racing_to_create_new_sqlite_files_all_open_them(tmp_path: Path) -> None:
    """The switch to WAL mode is raced by every process opening a new file; SQLite answers
    the losers "database is locked" at once. Eight processes on each of ten new files (the
    race failed about 1 open in 70 before the store retried the switch)."""
    urls = [f"sqlite+pysqlite:///{tmp_path / f'new-{i}.db'}" for i in range(10)]
    with multiprocessing.get_context("fork").Pool(8) as pool:
        for url in urls:
            assert pool.map(_open_and_close, [url] * 8) == [url] * 8
    with sqlite3.connect(tmp_path / "new-0.db") as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_downgrade_removes_every_table_and_upgrade_restores_them(empty_database: str) -> None:
    from alembic import command
    from alembic.config import Config

    from service.store.store import MIGRATIONS

    engine = create_store_engine(empty_database)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    for target in ("head", "base", "head"):
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            (command.upgrade if target == "head" else command.downgrade)(config, target)
        tables = set(sa.inspect(engine).get_table_names()) - {"alembic_version"}
        expected = set(store_schema.metadata.tables) if target == "head" else set()
        assert tables == expected
    engine.dispose()


def test_an_unreachable_database_is_a_typed_error_naming_the_cause() -> None:
    with pytest.raises(StoreUnavailable) as caught:
        Store.open("postgresql+psycopg://amends@127.0.0.1:1/nowhere?connect_timeout=2")
    assert caught.value.status == 503
    assert caught.value.code == "store_unavailable"
    assert "127.0.0.1" in caught.value.message or "connect" in caught.value.message


def test_an_unwritable_data_dir_is_a_typed_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreUnavailable):
        Store.open(Settings(_env_file=None, data_dir=blocker / "data"))


@pytest.mark.parametrize("durable", [False, True])
def test_durable_commit_waits_for_the_disk_only_when_asked(
    durable: bool, tmp_path: Path, _postgres_store: Store | None
) -> None:
    stores = [Store.open(Settings(_env_file=None, data_dir=tmp_path, durable_commit=durable))]
    if _postgres_store is not None:
        url = _postgres_store.engine.url.render_as_string(hide_password=False)
        stores.append(
            Store.open(Settings(_env_file=None, database_url=url, durable_commit=durable))
        )
    with stores[0].engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA synchronous").scalar() == (2 if durable else 1)
    for store in stores[1:]:
        with store.engine.connect() as c:
            setting = c.exec_driver_sql("SHOW synchronous_commit").scalar()
        assert setting == ("on" if durable else "off")
    for store in stores:
        store.close()
    if _postgres_store is None:
        pytest.skip(f"checked on SQLite only: {NO_POSTGRES}")


def test_a_connection_the_server_dropped_is_replaced_without_failing_the_request(
    _postgres_store: Store | None,
) -> None:
    if _postgres_store is None:
        pytest.skip(NO_POSTGRES)
    store = Store.open(_postgres_store.engine.url.render_as_string(hide_password=False))
    with store.engine.connect() as pooled:  # the one connection the pool then holds
        pid = pooled.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    with _postgres_store.engine.connect() as admin:
        assert admin.exec_driver_sql(f"SELECT pg_terminate_backend({int(pid or 0)})").scalar()
        admin.commit()
    assert store.hit("after", 60) == 1
    with store.engine.connect() as pooled:
        pid = pooled.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    with _postgres_store.engine.connect() as admin:
        assert admin.exec_driver_sql(f"SELECT pg_terminate_backend({int(pid or 0)})").scalar()
        admin.commit()
    record = _record()
    store.add_record(record, ["fallback"])  # the audit write's own DBAPI path retries too
    assert store.get_record(record.id) is not None
    store.close()


def test_a_plain_postgresql_url_uses_psycopg_3() -> None:
    from service.store.engine import store_url

    settings = Settings(_env_file=None, database_url="postgresql://u:p@db.example/amends")
    assert store_url(settings).drivername == "postgresql+psycopg"


# -- audit trail and reviews ---------------------------------------------------------------


def test_a_record_reads_back_as_written(store: Store) -> None:
    record = _record()
    store.add_record(record)
    found = store.get_record(record.id)
    assert found is not None
    stored, review = found
    assert stored == record
    assert review is None
    assert store.get_record(new_id()) is None


def test_a_held_record_waits_in_the_queue_until_decided_once(store: Store) -> None:
    first, second, clean = _record(), _record(), _record()
    store.add_record(first, ["fallback"])
    store.add_record(second, ["warnings", "cautious posture"])
    store.add_record(clean)
    pending = store.pending_reviews()
    assert [r.id for r, _ in pending] == [first.id, second.id]
    assert pending[1][1].reasons == ["warnings", "cautious posture"]
    assert store.count_pending_reviews() == 2

    decided = store.decide_review(
        second.id, "edited", decided_by="reviewer", subject="S", body="B", report={"passed": True}
    )
    assert (decided.status, decided.body, decided.decided_by) == ("edited", "B", "reviewer")
    assert decided.decided_at is not None
    with pytest.raises(ReviewConflict, match="already edited"):
        store.decide_review(second.id, "rejected")
    with pytest.raises(ReviewConflict, match="not held"):
        store.decide_review(clean.id, "approved")
    assert store.count_pending_reviews() == 1
    found = store.get_record(second.id)
    assert found is not None and found[1] is not None and found[1].status == "edited"


def test_retention_deletes_old_records_with_their_reviews(store: Store) -> None:
    old = _record(created_at=utcnow() - timedelta(days=40))
    new = _record()
    store.add_record(old, ["fallback"])
    store.add_record(new, ["fallback"])
    assert store.purge(older_than_days=30) == 1
    assert store.get_record(old.id) is None
    assert store.get_record(new.id) is not None
    assert store.count_pending_reviews() == 1


# -- keys, rate windows, idempotency -------------------------------------------------------


def test_a_revoked_key_stays_known_but_inactive(store: Store) -> None:
    store.add_key("support-desk", "hash-1")
    with pytest.raises(KeyExists):
        store.add_key("support-desk", "hash-2")
    key = store.find_key("hash-1")
    assert key is not None and key.active
    assert store.revoke_key("support-desk") is True
    assert store.revoke_key("support-desk") is False
    key = store.find_key("hash-1")
    assert key is not None and not key.active
    assert store.find_key("hash-unknown") is None
    assert [k.name for k in store.list_keys()] == ["support-desk"]


def test_rate_windows_count_per_bucket_and_window(store: Store) -> None:
    assert store.hit("key:a", 60, now=120.0) == 1
    assert store.hit("key:a", 60, cost=500, now=179.9) == 501
    assert store.hit("key:a", 60, now=180.0) == 1  # the next window
    assert store.hit("key:b", 60, now=150.0) == 1


def test_concurrent_hits_are_all_counted(store: Store) -> None:
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: store.hit("key:c", 3600, now=7200.0), range(80)))
    assert sorted(results) == list(range(1, 81))


def test_an_idempotency_key_is_claimed_once_and_replays_its_answer(store: Store) -> None:
    assert store.claim_idempotency("desk", "k1", "fp") is None
    running = store.claim_idempotency("desk", "k1", "fp")
    assert running is not None and running.status_code is None
    store.complete_idempotency("desk", "k1", 200, {"body": "Hello"})
    done = store.claim_idempotency("desk", "k1", "fp")
    assert done is not None and (done.status_code, done.response) == (200, {"body": "Hello"})
    assert store.claim_idempotency("other-caller", "k1", "fp") is None
    store.release_idempotency("desk", "k1")
    assert store.claim_idempotency("desk", "k1", "fp") is None
