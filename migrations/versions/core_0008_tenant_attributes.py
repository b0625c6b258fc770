"""Tenants: their own profile attributes from the tenant file

Revision ID: core_0008
Revises: core_0007
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "core_0008"
down_revision: str | Sequence[str] | None = "core_0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    # Plain ALTER TABLE on SQLite too: a batch copy would drop the tenant table, cascading to its rows.
    op.add_column("tenant", sa.Column("attributes", json, server_default=sa.text("'[]'"), nullable=False))


def downgrade() -> None:
    op.drop_column("tenant", "attributes")
