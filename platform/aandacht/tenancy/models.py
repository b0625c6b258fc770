"""The tenant tables: platform-level, so they are not themselves tenant-scoped."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aandacht.db import Base, JSONDocument, utcnow

KINDS = ("municipality", "care_organisation")
STATUSES = ("active", "suspended")


class Tenant(Base):
    """A municipality or care organisation with its own instance of the platform."""

    __tablename__ = "tenant"
    __table_args__ = (
        CheckConstraint(f"kind IN {KINDS}", name="kind"),
        CheckConstraint(f"status IN {STATUSES}", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Short name in addresses (`/t/<slug>/`, `<slug>.<base domain>`) and the name of its tenant file.
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    #: A suspended tenant keeps its data but serves nothing.
    status: Mapped[str] = mapped_column(String(16), default="active")
    #: Names of the enabled domains.
    domains: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    #: Supported locales; the first is the default.
    locales: Mapped[list[str]] = mapped_column(JSONDocument, default=lambda: ["nl", "en"])
    #: Design tokens: colours, logo, font.
    branding: Mapped[dict] = mapped_column(JSONDocument, default=dict)
    #: Per channel its settings; secrets only as names of environment variables.
    channels: Mapped[dict] = mapped_column(JSONDocument, default=dict)
    #: Outreach rules of the tenant (`[outreach]` of its file): time zone, quiet hours per channel,
    #: the frequency cap of campaigns, and whether opens and clicks of e-mails are tracked.
    outreach: Mapped[dict] = mapped_column(JSONDocument, default=dict, server_default=text("'{}'"))
    #: The coach's worklist (`[attention]` of its file): signal thresholds, signals switched off, and
    #: the hour of the coaches' daily digest.
    attention: Mapped[dict] = mapped_column(JSONDocument, default=dict, server_default=text("'{}'"))
    #: Retention periods in months, per kind of data.
    retention: Mapped[dict] = mapped_column(JSONDocument, default=dict)
    #: The OpenID Connect provider its staff log in with: name, metadata_url, client_id,
    #: client_secret_env (the secret itself only in that environment variable), scopes; {}: none.
    identity_provider: Mapped[dict] = mapped_column(JSONDocument, default=dict, server_default=text("'{}'"))
    #: The tenant's own profile attributes (`[[attributes]]` of its file), as validated specs.
    attributes: Mapped[list[dict]] = mapped_column(JSONDocument, default=list, server_default=text("'[]'"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    hosts: Mapped[list[TenantHost]] = relationship(
        back_populates="tenant", cascade="all, delete-orphan", order_by="TenantHost.host"
    )


class TenantHost(Base):
    """A custom domain that serves one tenant (e.g. `werk.enschede.nl`)."""

    __tablename__ = "tenant_host"

    host: Mapped[str] = mapped_column(String(253), primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"), index=True)

    tenant: Mapped[Tenant] = relationship(back_populates="hosts")
