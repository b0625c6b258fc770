"""Tenant logic: finding a tenant, and syncing tenants with their files."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from aandacht.db import session
from aandacht.tenancy.context import CurrentTenant
from aandacht.tenancy.files import TenantDeclaration
from aandacht.tenancy.models import Tenant, TenantHost

_SYNCED_FIELDS = ("name", "kind", "status", "domains", "locales", "branding", "channels", "retention")


def snapshot(tenant: Tenant) -> CurrentTenant:
    """What running code needs of `tenant`, detached from the session."""
    return CurrentTenant(
        id=tenant.id,
        slug=tenant.slug,
        name=tenant.name,
        kind=tenant.kind,
        status=tenant.status,
        domains=tuple(tenant.domains),
        locales=tuple(tenant.locales),
        branding=dict(tenant.branding),
    )


def find_tenant(*, slug: str | None = None, host: str | None = None) -> CurrentTenant | None:
    """The tenant with this slug or custom host, whatever its status; None when unknown."""
    if slug is not None:
        query = select(Tenant).where(Tenant.slug == slug)
    else:
        query = select(Tenant).join(TenantHost).where(TenantHost.host == host)
    tenant = session.execute(query).scalar_one_or_none()
    return snapshot(tenant) if tenant else None


def tenant_by_id(tenant_id: int) -> CurrentTenant:
    """The tenant with this id, whatever its status (jobs finish work begun before a suspension)."""
    return snapshot(session.execute(select(Tenant).where(Tenant.id == tenant_id)).scalar_one())


def all_tenants() -> list[CurrentTenant]:
    """Every tenant, active and suspended, by name."""
    return [snapshot(tenant) for tenant in session.execute(select(Tenant).order_by(Tenant.name)).scalars()]


def active_tenants() -> list[CurrentTenant]:
    """Every active tenant, by name."""
    rows = session.execute(select(Tenant).where(Tenant.status == "active").order_by(Tenant.name)).scalars()
    return [snapshot(tenant) for tenant in rows]


@dataclass
class TenantChange:
    """What a sync did (or would do) to one tenant."""

    slug: str
    #: "created", "updated", "unchanged" or "not declared" (in the database, without a file; left as is).
    action: str
    #: Field -> (old, new) for the fields that differ.
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)


def sync_tenants(declarations: list[TenantDeclaration], *, dry_run: bool = False) -> list[TenantChange]:
    """Create or update the declared tenants in one transaction; with `dry_run`, only report."""
    existing = {tenant.slug: tenant for tenant in session.execute(select(Tenant)).scalars()}
    changes = [_apply(declaration, existing.get(declaration.slug)) for declaration in declarations]
    declared = {declaration.slug for declaration in declarations}
    changes += [TenantChange(slug, "not declared") for slug in sorted(existing) if slug not in declared]
    if dry_run:
        session.rollback()
    else:
        session.commit()
    return changes


def _apply(declaration: TenantDeclaration, tenant: Tenant | None) -> TenantChange:
    if tenant is None:
        tenant = Tenant(slug=declaration.slug)
        session.add(tenant)
        action = "created"
    else:
        action = "updated"
    differences: dict[str, tuple[Any, Any]] = {}
    for name in _SYNCED_FIELDS:
        old, new = getattr(tenant, name), getattr(declaration, name)
        if old != new:
            differences[name] = (old, new)
            setattr(tenant, name, new)
    old_hosts, new_hosts = [host.host for host in tenant.hosts], sorted(declaration.hosts)
    if old_hosts != new_hosts:
        differences["hosts"] = (old_hosts, new_hosts)
        kept = [host for host in tenant.hosts if host.host in new_hosts]
        tenant.hosts = kept + [TenantHost(host=host) for host in new_hosts if host not in old_hosts]
    if action == "updated" and not differences:
        action = "unchanged"
    return TenantChange(declaration.slug, action, {} if action == "created" else differences)
