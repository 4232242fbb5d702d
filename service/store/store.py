"""The store: one database shared by every service process (audit trail, review queue, API keys,
rate windows, idempotency records, batches).

Every method is one short transaction and is synchronous; async callers run it in a worker
thread (`anyio.to_thread.run_sync`). Any database failure surfaces as `StoreUnavailable`, a
typed error the API answers with 503, never as an untraceable 500.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError

from service.errors import AmendsError
from service.settings import Settings
from service.store import schema
from service.store.engine import READ_ONLY, RawJSON, create_store_engine
from service.store.writer import Queued, RecordWriter

T = TypeVar("T")

MIGRATIONS = Path(__file__).parent / "migrations"

_MIGRATING = threading.Lock()

REVIEW_STATUSES = ("pending", "approved", "edited", "rejected")

KEY_ROLES = ("caller", "reviewer")


class StoreUnavailable(AmendsError):
    """The store could not be read or written; nothing was answered that it cannot trace."""

    status, code = 503, "store_unavailable"


def new_id() -> str:
    return uuid.uuid4().hex


def utcnow() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime | None) -> datetime | None:
    # SQLite hands timestamps back without a zone; everything is stored in UTC.
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


JsonDoc = dict[str, Any] | RawJSON
"""A JSON document: a dict, or (when writing) text already encoded. Reads give dicts."""


@dataclass(frozen=True)
class AuditRecord:
    """One answered draft, rewrite or check, as stored."""

    id: str
    kind: str
    """`draft`, `rewrite` or `check`."""
    created_at: datetime
    fingerprint: str
    """SHA-256 of the request as received (customer message included), hex."""
    request: JsonDoc
    body: str
    passed: bool
    report: JsonDoc
    subject: str | None = None
    channel: str | None = None
    tone: str | None = None
    meta: JsonDoc | None = None
    request_id: str | None = None
    key_name: str | None = None


@dataclass(frozen=True)
class Review:
    draft_id: str
    status: str
    reasons: list[str]
    created_at: datetime
    decided_at: datetime | None = None
    decided_by: str | None = None
    note: str | None = None
    subject: str | None = None
    body: str | None = None
    report: dict[str, Any] | None = None


@dataclass(frozen=True)
class ApiKey:
    name: str
    key_hash: str
    created_at: datetime
    revoked_at: datetime | None = None
    role: str = "caller"
    """`caller` (drafts, rewrites, checks, stored drafts) or `reviewer` (also reviews)."""

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class IdempotencyRecord:
    key_name: str
    idempotency_key: str
    fingerprint: str
    status_code: int | None
    response: Any
    created_at: datetime


class KeyExists(AmendsError):
    """An API key of that name already exists (revoked keys keep their name)."""

    status, code = 409, "key_exists"


class ReviewConflict(AmendsError):
    """The letter is not waiting for review (already decided, or never held)."""

    status, code = 409, "review_not_pending"


def migrate(engine: Engine) -> None:
    """Bring the database to the newest migration (idempotent; safe from several processes)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # Alembic's `context` is module-global: one migration per process at a time.
    with _MIGRATING, engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # SQLite's transactions are begun by the engine's own hook and a single statement is
        # as cheap either way; only PostgreSQL gains from autocommit. SQLite reads begin
        # DEFERRED so they never queue behind, or hold up, a writer.
        self._autocommit: Engine
        self._reader: Engine
        self._bind_cache: dict[str, list[Any]] = {}
        self._writer = RecordWriter(self._add_records)
        self.durable_commit = False
        """Opened with `AMENDS_DURABLE_COMMIT` on: every commit waits for the disk's flush."""
        if engine.dialect.name == "postgresql":
            self._autocommit = self._reader = engine.execution_options(isolation_level="AUTOCOMMIT")
        else:
            self._autocommit = engine
            self._reader = engine.execution_options(**{READ_ONLY: True})

    @classmethod
    def open(cls, settings_or_url: Settings | str) -> Store:
        """Open (creating the SQLite file if need be) and migrate the configured database."""
        try:
            engine = create_store_engine(settings_or_url)
            migrate(engine)
        except (SQLAlchemyError, OSError) as exc:
            raise StoreUnavailable(f"cannot open the store: {_brief(exc)}") from exc
        store = cls(engine)
        if isinstance(settings_or_url, Settings):
            store.durable_commit = settings_or_url.durable_commit
        return store

    @property
    def backend(self) -> str:
        """`sqlite` or `postgresql`."""
        return self.engine.dialect.name

    def close(self) -> None:
        """Write the records still queued, then close every connection."""
        self._writer.close()
        self.engine.dispose()

    def _tx(
        self, work: Callable[[Connection], T], *, autocommit: bool = False, read: bool = False
    ) -> T:
        """Run `work` in one transaction and commit. A pooled connection the server has dropped
        (a restart, an idle timeout) is discarded and the work retried once on a fresh one, so
        no request pays for a liveness ping. `autocommit` is for one-statement work: on
        PostgreSQL it saves the BEGIN and COMMIT round trips."""
        engine = self._reader if read else self._autocommit if autocommit else self.engine
        for attempt in (1, 2):
            try:
                with engine.begin() as connection:
                    return work(connection)
            except DBAPIError as exc:
                if attempt == 1 and exc.connection_invalidated:
                    continue
                raise StoreUnavailable(f"the store could not be reached: {_brief(exc)}") from exc
            except SQLAlchemyError as exc:
                raise StoreUnavailable(f"the store could not be reached: {_brief(exc)}") from exc
        raise AssertionError("unreachable")

    def _read(self, run: Callable[[Connection], T]) -> T:
        return self._tx(run, read=True)

    def flush(self) -> None:
        """Wait until the records this process queued (`add_record_later`) are written: every
        read of the audit trail or the review queue does, so a process reads what it wrote."""
        if self._writer.outstanding:
            self._writer.flush()

    def ping(self) -> None:
        self._read(lambda c: c.execute(sa.text("SELECT 1")))

    # -- audit trail -------------------------------------------------------------------------

    def add_record(self, record: AuditRecord, review_reasons: list[str] | None = None) -> None:
        """Store the record and, when there are reasons, hold it for review, atomically.

        The hottest write of the service (one per answered request), so it skips SQLAlchemy's
        execution layer: one statement on a pooled DBAPI connection. On PostgreSQL that is a
        single round trip in autocommit, a prepared statement after the first use, and the
        review (when there is one) inserted by the same statement; on SQLite one INSERT, or
        two in one IMMEDIATE transaction."""
        row = [getattr(record, f) for f in _AUDIT_FIELDS]
        review = None
        if review_reasons:
            review = [record.id, "pending", list(review_reasons), record.created_at]
        if self.backend == "postgresql":
            self._raw(lambda cursor: _pg_insert_record(cursor, row, review))
        else:
            self._raw(lambda cursor: self._sqlite_insert_record(cursor, row, review))

    def add_record_later(
        self,
        record: AuditRecord,
        review_reasons: Sequence[str],
        on_failure: Callable[[], None] | None = None,
        *,
        block: bool = False,
    ) -> bool:
        """Queue the record for the store's writer thread (see `service.store.writer`): it is
        committed a moment later, batched with the records queued beside it. False when the
        queue is full and `block` is off; with `block` on, waits for room. A record that
        cannot be written is logged and `on_failure` called."""
        item = Queued(record, list(review_reasons), on_failure)
        if self._writer.submit(item, block=block):
            return True
        if not block:
            return False
        self.add_record(record, list(review_reasons))  # the writer is closed: write it now
        return True

    @property
    def writes_failing(self) -> bool:
        """The writer's last batch had a record it could not write; callers should write
        synchronously (and answer 503 on failure) until the store works again."""
        return self._writer.failing

    def _add_records(self, batch: Sequence[Queued]) -> None:
        """Write queued records in one transaction: on PostgreSQL one pipelined round trip of
        INSERTs (records with a review use the record-and-review statement) and the commit."""
        if self.backend != "postgresql":
            for item in batch:
                self.add_record(item.record, item.reasons)
            return
        plain, reviewed = [], []
        for item in batch:
            row = [getattr(item.record, f) for f in _AUDIT_FIELDS]
            if item.reasons:
                review = [item.record.id, "pending", list(item.reasons), item.record.created_at]
                reviewed.append(_pg_values(row, review))
            else:
                plain.append(_pg_values(row, None))

        def work(cursor: Any) -> None:
            with cursor.connection.transaction():
                if plain:
                    cursor.executemany(_PG_INSERT_RECORD, plain)
                if reviewed:
                    cursor.executemany(_PG_INSERT_RECORD_AND_REVIEW, reviewed)

        self._raw(work)

    def _raw(self, work: Callable[[Any], T]) -> T:
        """Run `work` with a cursor of a pooled DBAPI connection, in autocommit: a connection
        the server dropped is discarded and the work retried once, and any driver error is
        `StoreUnavailable`, as in `_tx`."""
        for attempt in (1, 2):
            try:
                connection = self.engine.raw_connection()
            except SQLAlchemyError as exc:
                raise StoreUnavailable(f"the store could not be reached: {_brief(exc)}") from exc
            driver = connection.driver_connection
            postgres = self.backend == "postgresql"
            try:
                if postgres:
                    driver.autocommit = True  # type: ignore[union-attr]
                cursor = connection.cursor()
                try:
                    result = work(cursor)
                finally:
                    cursor.close()
            except self.engine.dialect.loaded_dbapi.Error as exc:
                dropped = bool(postgres and getattr(driver, "closed", False))
                connection.invalidate()
                connection.close()
                if attempt == 1 and dropped:
                    continue
                raise StoreUnavailable(f"the store could not be reached: {_brief(exc)}") from exc
            else:
                if postgres:
                    driver.autocommit = False  # type: ignore[union-attr]
                connection.close()
                return result
        raise AssertionError("unreachable")

    def _sqlite_insert_record(self, cursor: Any, row: list[Any], review: list[Any] | None) -> None:
        values = [bind(v) if bind else v for bind, v in zip(self._binds(), row, strict=True)]
        if review is None:
            cursor.execute(_SQLITE_INSERT_RECORD, values)
            return
        review_binds = self._binds("reviews")
        cursor.execute("BEGIN IMMEDIATE")
        try:
            cursor.execute(_SQLITE_INSERT_RECORD, values)
            cursor.execute(
                _SQLITE_INSERT_REVIEW,
                [bind(v) if bind else v for bind, v in zip(review_binds, review, strict=True)],
            )
        except BaseException:
            cursor.execute("ROLLBACK")
            raise
        cursor.execute("COMMIT")

    def _binds(self, table: str = "audit_records") -> list[Any]:
        """SQLAlchemy's own conversions of each column's value for SQLite (timestamps, JSON,
        booleans), so the raw INSERT stores exactly what the Core statements would."""
        cached = self._bind_cache.get(table)
        if cached is None:
            dialect = self.engine.dialect
            columns = _REVIEW_INSERT_COLUMNS if table == "reviews" else _AUDIT_FIELDS
            cached = [
                schema.metadata.tables[table]
                .c[name]
                .type.dialect_impl(dialect)
                .bind_processor(dialect)
                for name in columns
            ]
            self._bind_cache[table] = cached
        return cached

    def get_record(self, record_id: str) -> tuple[AuditRecord, Review | None] | None:
        self.flush()
        query = (
            sa.select(schema.audit_records, *_REVIEW_COLUMNS)
            .outerjoin(schema.reviews)
            .where(schema.audit_records.c.id == record_id)
        )
        row = self._read(lambda c: c.execute(query).mappings().first())
        return None if row is None else (_record(row), _review(row))

    def purge(self, older_than_days: int, now: datetime | None = None) -> int:
        """Delete audit records (with their reviews), idempotency records and rate windows
        older than the retention; returns how many audit records went."""
        cutoff = (now or utcnow()) - timedelta(days=older_than_days)
        self.flush()

        def work(c: Connection) -> int:
            c.execute(
                schema.reviews.delete().where(
                    schema.reviews.c.draft_id.in_(
                        sa.select(schema.audit_records.c.id).where(
                            schema.audit_records.c.created_at < cutoff
                        )
                    )
                )
            )
            gone = c.execute(
                schema.audit_records.delete().where(schema.audit_records.c.created_at < cutoff)
            ).rowcount
            c.execute(schema.idempotency.delete().where(schema.idempotency.c.created_at < cutoff))
            c.execute(
                schema.rate_windows.delete().where(
                    schema.rate_windows.c.window_start < int(cutoff.timestamp())
                )
            )
            return int(gone)

        return self._tx(work)

    # -- review queue ------------------------------------------------------------------------

    def pending_reviews(self, limit: int = 100) -> list[tuple[AuditRecord, Review]]:
        """Letters waiting for a person, oldest first."""
        self.flush()
        query = (
            sa.select(schema.audit_records, *_REVIEW_COLUMNS)
            .join(schema.reviews)
            .where(schema.reviews.c.status == "pending")
            .order_by(schema.reviews.c.created_at, schema.reviews.c.draft_id)
            .limit(limit)
        )
        rows = self._read(lambda c: c.execute(query).mappings().all())
        return [(_record(r), review) for r in rows if (review := _review(r)) is not None]

    def count_pending_reviews(self) -> int:
        self.flush()
        query = sa.select(sa.func.count()).where(schema.reviews.c.status == "pending")
        return int(self._read(lambda c: c.execute(query).scalar_one()))

    def decide_review(
        self,
        draft_id: str,
        status: str,
        *,
        decided_by: str | None = None,
        note: str | None = None,
        subject: str | None = None,
        body: str | None = None,
        report: dict[str, Any] | None = None,
    ) -> Review:
        """Approve, edit or reject a pending letter; only one decision ever wins."""
        if status not in REVIEW_STATUSES[1:]:
            raise ValueError(f"not a decision: {status!r}")
        table = schema.reviews
        values: dict[str, Any] = {
            "status": status,
            "decided_at": utcnow(),
            "decided_by": decided_by,
            "note": note,
        }
        if status == "edited":
            values.update(subject=subject, body=body, report=report)

        def work(c: Connection) -> tuple[int, Any]:
            updated = c.execute(
                table.update()
                .where(table.c.draft_id == draft_id, table.c.status == "pending")
                .values(values)
            ).rowcount
            row = c.execute(sa.select(table).where(table.c.draft_id == draft_id)).mappings().first()
            return updated, row

        self.flush()
        updated, row = self._tx(work)
        if row is None:
            raise ReviewConflict(f"draft {draft_id} is not held for review")
        review = _review_row(row)
        if not updated:
            raise ReviewConflict(f"draft {draft_id} was already {review.status}")
        return review

    # -- API keys ----------------------------------------------------------------------------

    def add_key(self, name: str, key_hash: str, role: str = "caller") -> ApiKey:
        if role not in KEY_ROLES:
            raise ValueError(f"not a key role: {role!r} (one of {', '.join(KEY_ROLES)})")
        key = ApiKey(name=name, key_hash=key_hash, created_at=utcnow(), role=role)
        statement = schema.api_keys.insert().values(
            name=key.name, key_hash=key.key_hash, created_at=key.created_at, role=role
        )
        try:
            self._tx(lambda c: c.execute(statement), autocommit=True)
        except StoreUnavailable as exc:
            if isinstance(exc.__cause__, IntegrityError):
                raise KeyExists(f"an API key named {name!r} already exists") from exc
            raise
        return key

    def find_key(self, key_hash: str) -> ApiKey | None:
        query = sa.select(schema.api_keys).where(schema.api_keys.c.key_hash == key_hash)
        row = self._read(lambda c: c.execute(query).mappings().first())
        return None if row is None else _key(row)

    def list_keys(self) -> list[ApiKey]:
        query = sa.select(schema.api_keys).order_by(schema.api_keys.c.name)
        return [_key(r) for r in self._read(lambda c: c.execute(query).mappings().all())]

    def revoke_key(self, name: str) -> bool:
        """Revoke the named key at once for every process; False when no active key has it."""
        table = schema.api_keys
        statement = (
            table.update()
            .where(table.c.name == name, table.c.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
        return bool(self._tx(lambda c: c.execute(statement).rowcount, autocommit=True))

    # -- rate windows ------------------------------------------------------------------------

    def hit(self, bucket: str, window_s: int, cost: int = 1, now: float | None = None) -> int:
        """Add `cost` to `bucket`'s current fixed window and return the window's total, in one
        atomic statement (an upsert with RETURNING, on a pooled DBAPI connection in
        autocommit), so every process sharing the database counts against one limit."""
        instant = utcnow().timestamp() if now is None else now
        start = int(instant // window_s * window_s)
        if self.backend == "postgresql":
            return int(
                self._raw(
                    lambda cursor: cursor.execute(
                        _PG_HIT, (bucket, start, cost), prepare=True
                    ).fetchone()[0]
                )
            )
        return int(
            self._raw(
                lambda cursor: cursor.execute(_SQLITE_HIT, (bucket, start, cost)).fetchone()[0]
            )
        )

    def window_total(self, bucket: str, window_s: int, now: float | None = None) -> int:
        """The current fixed window's total for `bucket` (0 before its first hit): a read."""
        instant = utcnow().timestamp() if now is None else now
        start = int(instant // window_s * window_s)
        table = schema.rate_windows
        query = sa.select(table.c.used).where(
            table.c.bucket == bucket, table.c.window_start == start
        )
        return int(self._read(lambda c: c.execute(query).scalar()) or 0)

    # -- idempotency -------------------------------------------------------------------------

    def claim_idempotency(
        self, key_name: str, idempotency_key: str, fingerprint: str
    ) -> IdempotencyRecord | None:
        """Claim the key for a new request (None), or return the earlier claim: its answer
        once stored, or `status_code=None` while the first request is still running."""
        table = schema.idempotency
        insert = postgresql.insert if self.backend == "postgresql" else sqlite.insert
        statement = (
            insert(table)
            .values(
                key_name=key_name,
                idempotency_key=idempotency_key,
                fingerprint=fingerprint,
                created_at=utcnow(),
            )
            .on_conflict_do_nothing()
            .returning(table.c.key_name)
        )
        earlier = sa.select(table).where(
            table.c.key_name == key_name, table.c.idempotency_key == idempotency_key
        )

        def work(c: Connection) -> Any:
            if c.execute(statement).first() is not None:
                return None
            return c.execute(earlier).mappings().one()

        row = self._tx(work)
        if row is None:
            return None
        return IdempotencyRecord(**{**row, "created_at": _aware(row["created_at"])})

    def complete_idempotency(
        self, key_name: str, idempotency_key: str, status_code: int, response: Any
    ) -> None:
        table = schema.idempotency
        statement = (
            table.update()
            .where(table.c.key_name == key_name, table.c.idempotency_key == idempotency_key)
            .values(status_code=status_code, response=response)
        )
        self._tx(lambda c: c.execute(statement), autocommit=True)

    def release_idempotency(self, key_name: str, idempotency_key: str) -> None:
        """Forget a claim whose request failed, so the caller may retry with the same key."""
        table = schema.idempotency
        statement = table.delete().where(
            table.c.key_name == key_name, table.c.idempotency_key == idempotency_key
        )
        self._tx(lambda c: c.execute(statement), autocommit=True)


_AUDIT_FIELDS = tuple(c.name for c in schema.audit_records.columns)
AUDIT_FIELDS = _AUDIT_FIELDS
"""The audit record's columns, in table order: `AuditRecord`'s fields of the same names."""
_REVIEW_INSERT_COLUMNS = ("draft_id", "status", "reasons", "created_at")
_JSON_COLUMNS = frozenset({"request", "report", "meta", "reasons"})


def _placeholders(columns: tuple[str, ...], mark: str, cast: str = "") -> str:
    return ", ".join(mark + (cast if c in _JSON_COLUMNS else "") for c in columns)


_SQLITE_INSERT_RECORD = (
    f"INSERT INTO audit_records ({', '.join(_AUDIT_FIELDS)}) "
    f"VALUES ({_placeholders(_AUDIT_FIELDS, '?')})"
)
_SQLITE_INSERT_REVIEW = (
    f"INSERT INTO reviews ({', '.join(_REVIEW_INSERT_COLUMNS)}) "
    f"VALUES ({_placeholders(_REVIEW_INSERT_COLUMNS, '?')})"
)
_PG_INSERT_RECORD = (
    f"INSERT INTO audit_records ({', '.join(_AUDIT_FIELDS)}) "
    f"VALUES ({_placeholders(_AUDIT_FIELDS, '%s', '::jsonb')})"
)
# One statement, one round trip: the record, and its review in the same statement (foreign
# keys are checked at the statement's end, when the record is there).
_PG_INSERT_RECORD_AND_REVIEW = (
    f"WITH record AS ({_PG_INSERT_RECORD}) "
    f"INSERT INTO reviews ({', '.join(_REVIEW_INSERT_COLUMNS)}) "
    f"VALUES ({_placeholders(_REVIEW_INSERT_COLUMNS, '%s', '::jsonb')})"
)


_HIT = (
    "INSERT INTO rate_windows (bucket, window_start, used) VALUES ({0}, {0}, {0}) "
    "ON CONFLICT (bucket, window_start) DO UPDATE SET used = rate_windows.used + excluded.used "
    "RETURNING used"
)
_SQLITE_HIT = _HIT.format("?")
_PG_HIT = _HIT.format("%s")


def _pg_json(value: Any) -> Any:
    if value is None or isinstance(value, RawJSON):
        return value
    return json.dumps(value)


def _pg_values(row: list[Any], review: list[Any] | None) -> list[Any]:
    values = [
        _pg_json(v) if f in _JSON_COLUMNS else v for f, v in zip(_AUDIT_FIELDS, row, strict=True)
    ]
    if review is None:
        return values
    review[2] = json.dumps(review[2])
    return [*values, *review]


def _pg_insert_record(cursor: Any, row: list[Any], review: list[Any] | None) -> None:
    statement = _PG_INSERT_RECORD if review is None else _PG_INSERT_RECORD_AND_REVIEW
    cursor.execute(statement, _pg_values(row, review), prepare=True)


_REVIEW_COLUMNS = tuple(
    c.label(f"review_{c.name}") for c in schema.reviews.columns if c.name != "draft_id"
)


def _record(row: Any) -> AuditRecord:
    values = {f: row[f] for f in _AUDIT_FIELDS}
    values["created_at"] = _aware(values["created_at"])
    return AuditRecord(**values)


def _review(row: Any) -> Review | None:
    if row["review_status"] is None:
        return None
    values = {
        c.name: row[f"review_{c.name}"] for c in schema.reviews.columns if c.name != "draft_id"
    }
    return _review_row({**values, "draft_id": row["id"]})


def _review_row(row: Any) -> Review:
    values = dict(row)
    values["created_at"] = _aware(values["created_at"])
    values["decided_at"] = _aware(values["decided_at"])
    return Review(**values)


def _key(row: Any) -> ApiKey:
    return ApiKey(
        name=row["name"],
        key_hash=row["key_hash"],
        created_at=_aware(row["created_at"]) or utcnow(),
        revoked_at=_aware(row["revoked_at"]),
        role=row["role"],
    )


def _brief(exc: BaseException) -> str:
    # The driver's first line says what failed; the rest (SQL, parameters) stays in the log.
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
