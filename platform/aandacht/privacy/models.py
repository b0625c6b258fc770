"""The access log: one row each time staff or an integration viewed a person's data.

The viewer's name and role are copied into the row: the log must still say who it was after a staff
member is renamed or deactivated, or an integration client is revoked.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from aandacht.db import Base, TenantScoped, new_id, tenant_foreign_key, utcnow

#: page: a page of the workspace or portal; api: the API; export: a download (CSV, JSON).
ACCESS_CHANNELS = ("page", "api", "export")


class AccessLogEntry(Base, TenantScoped):
    """One view of one person's data by a staff member or an integration client."""

    __tablename__ = "access_log_entry"
    __table_args__ = (
        tenant_foreign_key("person_id", "person", ondelete="CASCADE"),
        CheckConstraint(f"channel IN {ACCESS_CHANNELS}", name="channel"),
        Index("ix_access_log_entry_person", "tenant_id", "person_id", "at"),
        Index("ix_access_log_entry_at", "tenant_id", "at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    person_id: Mapped[uuid.UUID]
    #: "staff" or "client" (an integration acting as itself).
    viewer_kind: Mapped[str] = mapped_column(String(8))
    #: The staff member's or the API credential's id.
    viewer_id: Mapped[uuid.UUID | None]
    viewer_name: Mapped[str] = mapped_column(String(200))
    viewer_role: Mapped[str | None] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(8))
    #: What was viewed, as a key of `aandacht.privacy.service.WHAT` (or a domain's own key).
    what: Mapped[str] = mapped_column(String(60))
    #: The method and path of the request: the purpose as far as the platform knows it.
    route: Mapped[str] = mapped_column(String(300))
    at: Mapped[datetime] = mapped_column(default=utcnow)
