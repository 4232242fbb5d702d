"""The initial store: API keys, rate windows, idempotency, audit records, reviews, batches.

Revision ID: 0001
Revises:
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
Timestamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer(), autoincrement=True, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("key_hash", sa.String(200), nullable=False, unique=True),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("revoked_at", Timestamp, nullable=True),
    )
    op.create_table(
        "rate_windows",
        sa.Column("bucket", sa.String(300), primary_key=True),
        sa.Column("window_start", sa.BigInteger(), primary_key=True),
        sa.Column("used", sa.BigInteger(), nullable=False),
    )
    op.create_table(
        "idempotency",
        sa.Column("key_name", sa.String(200), primary_key=True),
        sa.Column("idempotency_key", sa.String(300), primary_key=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("response", JSON, nullable=True),
        sa.Column("created_at", Timestamp, nullable=False, index=True),
    )
    op.create_table(
        "audit_records",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("created_at", Timestamp, nullable=False, index=True),
        sa.Column("request_id", sa.String(200), nullable=True, index=True),
        sa.Column("key_name", sa.String(200), nullable=True),
        sa.Column("fingerprint", sa.String(64), nullable=False, index=True),
        sa.Column("request", JSON, nullable=False),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(32), nullable=True),
        sa.Column("tone", sa.String(64), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("report", JSON, nullable=False),
        sa.Column("meta", JSON, nullable=True),
    )
    op.create_table(
        "reviews",
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
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("report", JSON, nullable=True),
    )
    op.create_table(
        "batch_jobs",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("key_name", sa.String(200), nullable=True),
        sa.Column("request", JSON, nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("failed", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("updated_at", Timestamp, nullable=False),
    )
    op.create_table(
        "batch_items",
        sa.Column(
            "job_id",
            sa.String(32),
            sa.ForeignKey("batch_jobs.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("position", sa.Integer(), primary_key=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("recipient", JSON, nullable=False),
        sa.Column("draft_id", sa.String(32), nullable=True),
        sa.Column("error", JSON, nullable=True),
        sa.Column("updated_at", Timestamp, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "batch_items",
        "batch_jobs",
        "reviews",
        "audit_records",
        "idempotency",
        "rate_windows",
        "api_keys",
    ):
        op.drop_table(table)
