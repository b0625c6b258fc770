"""Conversations between a person and their coaches: messages, attachments and appointments.

Revision ID: core_0022
Revises: core_0021
Create Date: 2026-12-06 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from aandacht.tenancy.rls import enable_row_level_security

revision: str = "core_0022"
down_revision: str | Sequence[str] | None = "core_0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

moment = sa.DateTime(timezone=True)


def _tenant(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id"], ["tenant.id"], name=op.f(f"fk_{table}_tenant_id_tenant"), ondelete="CASCADE"
    )


def _to(table: str, column: str, target: str, ondelete: str | None = None) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id", column],
        [f"{target}.tenant_id", f"{target}.id"],
        name=op.f(f"fk_{table}_tenant_id_{column}_{target}"),
        ondelete=ondelete,
    )


def upgrade() -> None:
    op.create_table(
        "conversation_message",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("author", sa.String(length=8), nullable=False),
        sa.Column("staff_id", sa.Uuid(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("quick_reply", sa.String(length=30), nullable=True),
        sa.Column("created_at", moment, nullable=False),
        sa.Column("read_at", moment, nullable=True),
        sa.Column("notification_id", sa.Uuid(), nullable=True),
        _tenant("conversation_message"),
        _to("conversation_message", "person_id", "person", "CASCADE"),
        _to("conversation_message", "staff_id", "staff_member"),
        sa.CheckConstraint("author IN ('person', 'staff')", name=op.f("ck_conversation_message_author")),
        sa.CheckConstraint(
            "(author = 'staff') = (staff_id IS NOT NULL)", name=op.f("ck_conversation_message_staff_author")
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_conversation_message")),
    )
    op.create_index(
        "ix_conversation_message_person", "conversation_message", ["tenant_id", "person_id", "created_at"]
    )
    enable_row_level_security(op, "conversation_message")

    op.create_table(
        "conversation_attachment",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("message_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=60), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        _tenant("conversation_attachment"),
        _to("conversation_attachment", "message_id", "conversation_message", "CASCADE"),
        _to("conversation_attachment", "person_id", "person", "CASCADE"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_conversation_attachment")),
    )
    op.create_index(
        "ix_conversation_attachment_message", "conversation_attachment", ["tenant_id", "message_id"]
    )
    enable_row_level_security(op, "conversation_attachment")

    op.create_table(
        "appointment",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("staff_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("starts_at", moment, nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("proposed_starts_at", moment, nullable=True),
        sa.Column("proposal_note", sa.String(length=500), nullable=True),
        sa.Column("cancelled_by", sa.String(length=8), nullable=True),
        sa.Column("cancel_reason", sa.String(length=500), nullable=True),
        sa.Column("reminder_sent_at", moment, nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("created_at", moment, nullable=False),
        sa.Column("updated_at", moment, nullable=False),
        _tenant("appointment"),
        _to("appointment", "person_id", "person", "CASCADE"),
        _to("appointment", "staff_id", "staff_member"),
        sa.CheckConstraint("kind IN ('meeting', 'phone')", name=op.f("ck_appointment_kind")),
        sa.CheckConstraint(
            "status IN ('invited', 'proposed', 'accepted', 'cancelled', 'attended', 'no_show')",
            name=op.f("ck_appointment_status"),
        ),
        sa.CheckConstraint(
            "cancelled_by IS NULL OR cancelled_by IN ('person', 'staff')",
            name=op.f("ck_appointment_cancelled_by"),
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_appointment")),
    )
    op.create_index("ix_appointment_person", "appointment", ["tenant_id", "person_id", "starts_at"])
    op.create_index("ix_appointment_due", "appointment", ["tenant_id", "status", "starts_at"])
    enable_row_level_security(op, "appointment")


def downgrade() -> None:
    op.drop_index("ix_appointment_due", table_name="appointment")
    op.drop_index("ix_appointment_person", table_name="appointment")
    op.drop_table("appointment")
    op.drop_index("ix_conversation_attachment_message", table_name="conversation_attachment")
    op.drop_table("conversation_attachment")
    op.drop_index("ix_conversation_message_person", table_name="conversation_message")
    op.drop_table("conversation_message")
