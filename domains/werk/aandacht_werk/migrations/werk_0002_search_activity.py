"""Job-search activities of job seekers and the agreements with their coach.

Revision ID: werk_0002_search_activity
Revises: werk_0001
Create Date: 2026-12-06 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from aandacht.tenancy.rls import enable_row_level_security

revision: str = "werk_0002_search_activity"
down_revision: str | Sequence[str] | None = "werk_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = "core_0002"

moment = sa.DateTime(timezone=True)
KINDS = "('application', 'letter', 'interview', 'network', 'training', 'other')"
OUTCOMES = "('waiting', 'no_answer', 'interview', 'rejected', 'hired')"


def _tenant_key(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id"], ["tenant.id"], name=op.f(f"fk_{table}_tenant_id_tenant"), ondelete="CASCADE"
    )


def _person_key(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id", "person_id"],
        ["person.tenant_id", "person.id"],
        name=op.f(f"fk_{table}_tenant_id_person_id_person"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    """Create the two tables, each with its tenant isolation policy."""
    op.create_table(
        "werk_search_activity",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=False),
        sa.Column("item_id", sa.Uuid(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.Column("employer", sa.String(length=200), nullable=True),
        sa.Column("sector", sa.String(length=40), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("logged_by", sa.String(length=8), nullable=False),
        sa.Column("created_at", moment, nullable=False),
        sa.Column("outcome_at", moment, nullable=True),
        sa.CheckConstraint(f"kind IN {KINDS}", name=op.f("ck_werk_search_activity_kind")),
        sa.CheckConstraint(f"outcome IN {OUTCOMES}", name=op.f("ck_werk_search_activity_outcome")),
        _person_key("werk_search_activity"),
        _tenant_key("werk_search_activity"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_werk_search_activity")),
    )
    op.create_index(
        "ix_werk_search_activity_person",
        "werk_search_activity",
        ["tenant_id", "person_id", "done_on"],
    )
    enable_row_level_security(op, "werk_search_activity")
    op.create_table(
        "werk_search_agreement",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("per_month", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("reminders", sa.Boolean(), nullable=False),
        sa.Column("set_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", moment, nullable=False),
        sa.CheckConstraint(f"kind IN {KINDS}", name=op.f("ck_werk_search_agreement_kind")),
        sa.CheckConstraint("per_month BETWEEN 1 AND 40", name=op.f("ck_werk_search_agreement_per_month")),
        _person_key("werk_search_agreement"),
        _tenant_key("werk_search_agreement"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_werk_search_agreement")),
    )
    op.create_index(
        "ix_werk_search_agreement_person",
        "werk_search_agreement",
        ["tenant_id", "person_id", "created_at"],
    )
    enable_row_level_security(op, "werk_search_agreement")


def downgrade() -> None:
    """Drop both tables."""
    op.drop_table("werk_search_agreement")
    op.drop_table("werk_search_activity")
