"""API keys get a role: `caller` (drafts, rewrites, checks, stored drafts) or `reviewer` (also
the review queue and its decisions). Existing keys become callers.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("api_keys") as table:
        table.add_column(sa.Column("role", sa.String(32), nullable=False, server_default="caller"))


def downgrade() -> None:
    with op.batch_alter_table("api_keys") as table:
        table.drop_column("role")
