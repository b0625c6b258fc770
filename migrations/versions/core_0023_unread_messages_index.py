"""Messages: a partial index of the unread personal messages from staff, for the worklist's signal.

The signal "unread messages from the coach" asks, for a whole caseload, which personal messages from
staff are still unopened. Those are a small share of a person's messages; without this index PostgreSQL
reads every message of each person of the caseload (campaigns, read ones) to find them. The predicate
holds no parameter (`IS NULL`, `IS NOT NULL`), so a prepared statement's generic plan can use it too.

Revision ID: core_0023
Revises: core_0022
Create Date: 2026-12-06 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "core_0023"
down_revision: str | Sequence[str] | None = "core_0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNREAD_FROM_STAFF = sa.text("sender_id IS NOT NULL AND opened_at IS NULL")


def upgrade() -> None:
    op.create_index(
        "ix_message_unread_from_staff",
        "message",
        ["tenant_id", "person_id", "sent_at"],
        postgresql_where=UNREAD_FROM_STAFF,
        sqlite_where=UNREAD_FROM_STAFF,
    )


def downgrade() -> None:
    op.drop_index("ix_message_unread_from_staff", table_name="message")
