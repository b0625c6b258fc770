"""Rules on events: the event a rule waits for, and the outbox of events that concern many people.

Revision ID: core_0021
Revises: core_0020
Create Date: 2026-12-06 06:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from aandacht.tenancy.rls import enable_row_level_security

revision: str = "core_0021"
down_revision: str | Sequence[str] | None = "core_0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
moment = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("outreach_rule") as batch:
        batch.add_column(sa.Column("event", sa.String(length=60), nullable=True))
        batch.add_column(sa.Column("event_params", json, nullable=True))
    op.create_table(
        "outreach_event",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("details", json, nullable=False),
        sa.Column("person_ids", json, nullable=True),
        sa.Column("created_at", moment, nullable=False),
        sa.Column("handed_over_at", moment, nullable=True),
        sa.Column("handled_at", moment, nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name=op.f("fk_outreach_event_tenant_id_tenant"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_outreach_event")),
    )
    op.create_index("ix_outreach_event_open", "outreach_event", ["tenant_id", "handled_at", "created_at"])
    enable_row_level_security(op, "outreach_event")


def downgrade() -> None:
    op.drop_index("ix_outreach_event_open", table_name="outreach_event")
    op.drop_table("outreach_event")
    with op.batch_alter_table("outreach_rule") as batch:
        batch.drop_column("event_params")
        batch.drop_column("event")
