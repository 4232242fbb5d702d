"""Batch jobs in the store: the job, one row per recipient, and each finished letter as an
audit record (so `GET /v1/drafts/{id}` finds it like any other draft).

Results are written a chunk at a time in one transaction, and read back a page at a time in
position order, so neither a running job nor its download holds the batch in memory.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, cast

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from service.batches.work import Item, ItemResult
from service.store import (
    AUDIT_FIELDS,
    AuditRecord,
    Store,
    StoreUnavailable,
    new_id,
    schema,
    utcnow,
)

JobStatus = Literal["queued", "running", "paused", "done"]
"""`paused`: stopped by the CLI (Ctrl-C); the CLI resumes it, the server leaves it alone."""

_INSERT_PAGE = 1000


@dataclass(frozen=True)
class Job:
    id: str
    status: JobStatus
    total: int
    done: int
    failed: int
    created_at: datetime
    updated_at: datetime
    request: dict[str, Any]
    key_name: str | None = None
    """The API key that submitted the job; only it may read the job back."""

    @property
    def pending(self) -> int:
        return self.total - self.done - self.failed


@dataclass(frozen=True)
class ResultRow:
    """One recipient's outcome as the results show it."""

    position: int
    status: str
    recipient: dict[str, Any]
    draft_id: str | None
    error: dict[str, Any] | None
    subject: str | None = None
    body: str | None = None
    channel: str | None = None
    tone: str | None = None
    passed: bool | None = None
    report: dict[str, Any] | None = None
    meta: dict[str, Any] | None = None


def fingerprint(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


class BatchStore:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.engine = store.engine

    @contextmanager
    def _tx(self) -> Iterator[Connection]:
        """One transaction; a database failure is the store's typed 503, never a bare 500."""
        try:
            with self.engine.begin() as connection:
                yield connection
        except SQLAlchemyError as exc:
            lines = str(getattr(exc, "orig", None) or exc).strip().splitlines()
            brief = lines[0] if lines else type(exc).__name__
            raise StoreUnavailable(f"the batch store could not be reached: {brief}") from exc

    def create(
        self,
        template: Mapping[str, Any],
        recipients: Sequence[Mapping[str, Any]],
        *,
        job_id: str | None = None,
        key_name: str | None = None,
    ) -> Job:
        """Store a queued job and its recipients, all pending, in one transaction."""
        now = utcnow()
        job_id = job_id or new_id()
        with self._tx() as c:
            c.execute(
                schema.batch_jobs.insert().values(
                    id=job_id,
                    status="queued",
                    key_name=key_name,
                    request={"incident": dict(template)},
                    total=len(recipients),
                    done=0,
                    failed=0,
                    created_at=now,
                    updated_at=now,
                )
            )
            for start in range(0, len(recipients), _INSERT_PAGE):
                rows = [
                    {
                        "job_id": job_id,
                        "position": position,
                        "status": "pending",
                        "recipient": dict(recipient),
                        "updated_at": now,
                    }
                    for position, recipient in enumerate(
                        recipients[start : start + _INSERT_PAGE], start=start
                    )
                ]
                c.execute(schema.batch_items.insert(), rows)
        job = self.get(job_id)
        assert job is not None
        return job

    def get(self, job_id: str) -> Job | None:
        table = schema.batch_jobs
        with self._tx() as c:
            row = c.execute(sa.select(table).where(table.c.id == job_id)).mappings().first()
        if row is None:
            return None
        return Job(
            id=row["id"],
            status=cast(JobStatus, row["status"]),
            total=row["total"],
            done=row["done"],
            failed=row["failed"],
            created_at=_aware(row["created_at"]),
            updated_at=_aware(row["updated_at"]),
            request=row["request"],
            key_name=row["key_name"],
        )

    def set_status(self, job_id: str, status: JobStatus) -> None:
        table = schema.batch_jobs
        with self._tx() as c:
            c.execute(
                table.update()
                .where(table.c.id == job_id)
                .values(status=status, updated_at=utcnow())
            )

    def unfinished(self) -> list[str]:
        """Jobs queued or interrupted while running, oldest first: to resume at start-up."""
        table = schema.batch_jobs
        with self._tx() as c:
            rows = c.execute(
                sa.select(table.c.id)
                .where(table.c.status.in_(("queued", "running")))
                .order_by(table.c.created_at)
            )
            return [row[0] for row in rows]

    def pending(self, job_id: str, after: int, limit: int) -> list[Item]:
        """The next `limit` pending recipients after position `after`, in order."""
        table = schema.batch_items
        with self._tx() as c:
            rows = c.execute(
                sa.select(table.c.position, table.c.recipient)
                .where(
                    table.c.job_id == job_id,
                    table.c.status == "pending",
                    table.c.position > after,
                )
                .order_by(table.c.position)
                .limit(limit)
            )
            return [Item(row[0], row[1]) for row in rows]

    def save(self, job_id: str, results: Sequence[ItemResult], key_name: str | None) -> None:
        """Store a chunk's letters as audit records and mark its recipients, atomically."""
        now = utcnow()
        records: list[dict[str, Any]] = []
        reviews: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for result in results:
            draft_id = None
            if result.letter is not None:
                draft_id = result.letter.id
                records.append(_audit_row(result.letter, now, key_name))
                if result.review:
                    reviews.append(
                        {
                            "draft_id": draft_id,
                            "status": "pending",
                            "reasons": list(result.review),
                            "created_at": now,
                        }
                    )
            updates.append(
                {
                    "b_position": result.position,
                    "b_status": result.status,
                    "b_draft_id": draft_id,
                    "b_error": result.error,
                }
            )
        items = schema.batch_items
        jobs = schema.batch_jobs
        done = sum(r.status == "done" for r in results)
        with self._tx() as c:
            if records:
                c.execute(schema.audit_records.insert(), records)
            if reviews:  # held for a person, like any API draft with review reasons
                c.execute(schema.reviews.insert(), reviews)
            c.execute(
                items.update()
                .where(
                    items.c.job_id == job_id,
                    items.c.position == sa.bindparam("b_position"),
                    items.c.status == "pending",
                )
                .values(
                    status=sa.bindparam("b_status"),
                    draft_id=sa.bindparam("b_draft_id"),
                    error=sa.bindparam("b_error"),
                    updated_at=now,
                ),
                updates,
            )
            c.execute(
                jobs.update()
                .where(jobs.c.id == job_id)
                .values(
                    done=jobs.c.done + done,
                    failed=jobs.c.failed + (len(results) - done),
                    updated_at=now,
                )
            )

    def results(
        self, job_id: str, *, only_failed: bool = False, page: int = 500
    ) -> Iterator[ResultRow]:
        """Every processed recipient in position order, read a page at a time."""
        items = schema.batch_items
        audit = schema.audit_records
        after = -1
        while True:
            query = (
                sa.select(
                    items.c.position,
                    items.c.status,
                    items.c.recipient,
                    items.c.draft_id,
                    items.c.error,
                    audit.c.subject,
                    audit.c.body,
                    audit.c.channel,
                    audit.c.tone,
                    audit.c.passed,
                    audit.c.report,
                    audit.c.meta,
                )
                .select_from(items.outerjoin(audit, audit.c.id == items.c.draft_id))
                .where(items.c.job_id == job_id, items.c.position > after)
                .where(items.c.status == "failed" if only_failed else items.c.status != "pending")
                .order_by(items.c.position)
                .limit(page)
            )
            with self._tx() as c:
                rows = [ResultRow(**row) for row in c.execute(query).mappings()]
            yield from rows
            if len(rows) < page:
                return
            after = rows[-1].position


def _audit_row(letter: AuditRecord, now: datetime, key_name: str | None) -> dict[str, Any]:
    """The letter's audit record as a row: its JSON columns arrive encoded (`RawJSON`) from the
    worker, with the customer's own words already left out unless the store keeps them; the
    job's key and the chunk's commit time are the coordinator's."""
    row = {field: getattr(letter, field) for field in AUDIT_FIELDS}
    row.update(created_at=now, key_name=key_name, request_id=None)
    return row


def _aware(value: datetime) -> datetime:
    # SQLite hands timestamps back without a zone; everything is stored in UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
