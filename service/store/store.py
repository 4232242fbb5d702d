"""The store: one database shared by every service process (audit trail, review queue, API keys,
rate windows, idempotency records, batches).

Every method is one short transaction and is synchronous; async callers run it in a worker
thread (`anyio.to_thread.run_sync`). Any database failure surfaces as `StoreUnavailable`, a
typed error the API answers with 503, never as an untraceable 500.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
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

T = TypeVar("T")

MIGRATIONS = Path(__file__).parent / "migrations"

_MIGRATING = threading.Lock()

REVIEW_STATUSES = ("pending", "approved", "edited", "rejected")


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
        return cls(engine)

    @property
    def backend(self) -> str:
        """`sqlite` or `postgresql`."""
        return self.engine.dialect.name

    def close(self) -> None:
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

    def ping(self) -> None:
        self._read(lambda c: c.execute(sa.text("SELECT 1")))

    # -- audit trail -------------------------------------------------------------------------

    def add_record(self, record: AuditRecord, review_reasons: list[str] | None = None) -> None:
        """Store the record and, when there are reasons, hold it for review, atomically."""
        row = {f: getattr(record, f) for f in _AUDIT_FIELDS}
        # Parameters passed apart from the statement: the compiled INSERT is cached, and the
        # JSON values are bound as they are instead of being coerced into SQL expressions.
        if not review_reasons:
            self._tx(lambda c: c.execute(_INSERT_RECORD, row), autocommit=True)
            return
        review = {
            "draft_id": record.id,
            "status": "pending",
            "reasons": review_reasons,
            "created_at": record.created_at,
        }

        def both(c: Connection) -> None:
            c.execute(_INSERT_RECORD, row)
            c.execute(_INSERT_REVIEW, review)

        self._tx(both)

    def get_record(self, record_id: str) -> tuple[AuditRecord, Review | None] | None:
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

        updated, row = self._tx(work)
        if row is None:
            raise ReviewConflict(f"draft {draft_id} is not held for review")
        review = _review_row(row)
        if not updated:
            raise ReviewConflict(f"draft {draft_id} was already {review.status}")
        return review

    # -- API keys ----------------------------------------------------------------------------

    def add_key(self, name: str, key_hash: str) -> ApiKey:
        key = ApiKey(name=name, key_hash=key_hash, created_at=utcnow())
        statement = schema.api_keys.insert().values(
            name=key.name, key_hash=key.key_hash, created_at=key.created_at
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
        atomic statement, so every process sharing the database counts against one limit."""
        instant = utcnow().timestamp() if now is None else now
        start = int(instant // window_s * window_s)
        table = schema.rate_windows
        insert = postgresql.insert if self.backend == "postgresql" else sqlite.insert
        statement = (
            insert(table)
            .values(bucket=bucket, window_start=start, used=cost)
            .on_conflict_do_update(
                index_elements=[table.c.bucket, table.c.window_start],
                set_={"used": table.c.used + cost},
            )
            .returning(table.c.used)
        )
        return int(self._tx(lambda c: c.execute(statement).scalar_one(), autocommit=True))

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
_INSERT_RECORD = schema.audit_records.insert()
_INSERT_REVIEW = schema.reviews.insert()
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
    )


def _brief(exc: BaseException) -> str:
    # The driver's first line says what failed; the rest (SQL, parameters) stays in the log.
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
