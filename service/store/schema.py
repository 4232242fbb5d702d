"""The store's tables, as SQLAlchemy Core metadata.

The migrations in `migrations/versions/` create exactly these tables; a test compares the two.
To add a column: add it here and in a new migration (`alembic revision`, see the README).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

metadata = sa.MetaData()

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
"""JSON text on SQLite, JSONB on PostgreSQL."""

Timestamp = sa.DateTime(timezone=True)

api_keys = sa.Table(
    "api_keys",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("key_hash", sa.String(200), nullable=False, unique=True),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("revoked_at", Timestamp, nullable=True),
    sa.Column("role", sa.String(32), nullable=False, server_default="caller"),
)
"""Callers' API keys: only a hash of each key is kept. `role`: `caller` or `reviewer`."""

rate_windows = sa.Table(
    "rate_windows",
    metadata,
    sa.Column("bucket", sa.String(300), primary_key=True),
    sa.Column("window_start", sa.BigInteger, primary_key=True),
    sa.Column("used", sa.BigInteger, nullable=False),
)
"""Fixed-window counters: `used` units (requests, tokens) of `bucket` in the window starting at
`window_start` (epoch seconds)."""

idempotency = sa.Table(
    "idempotency",
    metadata,
    sa.Column("key_name", sa.String(200), primary_key=True),
    sa.Column("idempotency_key", sa.String(300), primary_key=True),
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("status_code", sa.Integer, nullable=True),
    sa.Column("response", JSON, nullable=True),
    sa.Column("created_at", Timestamp, nullable=False, index=True),
)
"""One row per (caller, Idempotency-Key): the request's fingerprint and, once answered, the
answer to replay."""

audit_records = sa.Table(
    "audit_records",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("created_at", Timestamp, nullable=False, index=True),
    sa.Column("request_id", sa.String(200), nullable=True, index=True),
    sa.Column("key_name", sa.String(200), nullable=True),
    sa.Column("fingerprint", sa.String(64), nullable=False, index=True),
    sa.Column("request", JSON, nullable=False),
    sa.Column("subject", sa.Text, nullable=True),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("channel", sa.String(32), nullable=True),
    sa.Column("tone", sa.String(64), nullable=True),
    sa.Column("passed", sa.Boolean, nullable=False),
    sa.Column("report", JSON, nullable=False),
    sa.Column("meta", JSON, nullable=True),
)
"""Every draft, rewrite and check the service answered: what was asked (the customer's own
message only when configured), the letter, its guardrail report and meta."""

reviews = sa.Table(
    "reviews",
    metadata,
    sa.Column(
        "draft_id",
        sa.String(32),
        sa.ForeignKey("audit_records.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("status", sa.String(16), nullable=False, index=True),
    sa.Column("reasons", JSON, nullable=False),
    sa.Column("created_at", Timestamp, nullable=False, index=True),
    sa.Column("decided_at", Timestamp, nullable=True),
    sa.Column("decided_by", sa.String(200), nullable=True),
    sa.Column("note", sa.Text, nullable=True),
    sa.Column("subject", sa.Text, nullable=True),
    sa.Column("body", sa.Text, nullable=True),
    sa.Column("report", JSON, nullable=True),
)
"""Letters held for a person: `pending` until approved, edited (the edit, re-checked, is kept in
subject/body/report) or rejected."""

batch_jobs = sa.Table(
    "batch_jobs",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("status", sa.String(16), nullable=False, index=True),
    sa.Column("key_name", sa.String(200), nullable=True),
    sa.Column("request", JSON, nullable=False),
    sa.Column("total", sa.Integer, nullable=False),
    sa.Column("done", sa.Integer, nullable=False, server_default="0"),
    sa.Column("failed", sa.Integer, nullable=False, server_default="0"),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
)
"""A batch of letters from one incident to many recipients."""

batch_items = sa.Table(
    "batch_items",
    metadata,
    sa.Column(
        "job_id",
        sa.String(32),
        sa.ForeignKey("batch_jobs.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("recipient", JSON, nullable=False),
    sa.Column("draft_id", sa.String(32), nullable=True),
    sa.Column("error", JSON, nullable=True),
    sa.Column("updated_at", Timestamp, nullable=False),
)
"""One recipient of a batch: its facts, and the stored draft or the error once processed."""
