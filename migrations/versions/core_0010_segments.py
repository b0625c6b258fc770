"""Segments: saved selections and their frozen lists, and what selections read of behaviour.

Behaviour comes from the person's last activity, interaction events (personalisation) and messages
(outreach); the tables of those engines start here with what selections need and grow with them.

Revision ID: core_0010
Revises: core_0009
Create Date: 2026-11-25 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from aandacht.tenancy.rls import enable_row_level_security

revision: str = "core_0010"
down_revision: str | Sequence[str] | None = "core_0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _tenant_columns(table: str) -> list[sa.Column | sa.ForeignKeyConstraint]:
    return [
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name=op.f(f"fk_{table}_tenant_id_tenant"), ondelete="CASCADE"
        ),
    ]


def _person_key(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id", "person_id"],
        ["person.tenant_id", "person.id"],
        name=op.f(f"fk_{table}_tenant_id_person_id_person"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.add_column("person", sa.Column("last_active_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_person_last_active", "person", ["tenant_id", "last_active_at"])
    op.create_table(
        "segment",
        *_tenant_columns("segment"),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("predicate", json, nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("frozen_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("frozen_count", sa.Integer(), nullable=True),
        sa.CheckConstraint("kind IN ('dynamic', 'static')", name=op.f("ck_segment_kind")),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_segment")),
        sa.UniqueConstraint("tenant_id", "name", name=op.f("uq_segment_tenant_id_name")),
    )
    op.create_table(
        "segment_member",
        *_tenant_columns("segment_member"),
        sa.Column("segment_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        _person_key("segment_member"),
        sa.ForeignKeyConstraint(
            ["tenant_id", "segment_id"],
            ["segment.tenant_id", "segment.id"],
            name=op.f("fk_segment_member_tenant_id_segment_id_segment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "segment_id", "person_id", name=op.f("pk_segment_member")),
    )
    op.create_table(
        "interaction_event",
        *_tenant_columns("interaction_event"),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("item_type", sa.String(length=60), nullable=True),
        sa.Column("item_id", sa.String(length=100), nullable=True),
        sa.Column("context", json, nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        _person_key("interaction_event"),
        sa.CheckConstraint(
            "kind IN ('impression', 'open', 'click', 'save', 'dismiss', 'share', 'apply')",
            name=op.f("ck_interaction_event_kind"),
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_interaction_event")),
    )
    op.create_index(
        "ix_interaction_event_person", "interaction_event", ["tenant_id", "person_id", "kind", "occurred_at"]
    )
    op.create_table(
        "message",
        *_tenant_columns("message"),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        _person_key("message"),
        sa.CheckConstraint("channel IN ('in_app', 'email', 'sms', 'push')", name=op.f("ck_message_channel")),
        sa.CheckConstraint("status IN ('queued', 'sent', 'failed')", name=op.f("ck_message_status")),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_message")),
    )
    op.create_index("ix_message_person", "message", ["tenant_id", "person_id", "sent_at"])
    for table in ("segment", "segment_member", "interaction_event", "message"):
        enable_row_level_security(op, table)


def downgrade() -> None:
    op.drop_index("ix_message_person", table_name="message")
    op.drop_table("message")
    op.drop_index("ix_interaction_event_person", table_name="interaction_event")
    op.drop_table("interaction_event")
    op.drop_table("segment_member")
    op.drop_table("segment")
    op.drop_index("ix_person_last_active", table_name="person")
    op.drop_column("person", "last_active_at")
