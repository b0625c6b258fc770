"""Tenant logic: finding a tenant, and syncing tenants with their files."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from aandacht.db import session
from aandacht.tenancy.context import CurrentTenant
from aandacht.tenancy.files import TenantDeclaration, TenantFileError, TenantFilesInvalid
from aandacht.tenancy.models import Tenant, TenantHost

_SYNCED_FIELDS = (
    "name",
    "kind",
    "status",
    "domains",
    "locales",
    "branding",
    "channels",
    "outreach",
    "attention",
    "retention",
    "identity_provider",
    "attributes",
)


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
        identity_provider=dict(tenant.identity_provider or {}),
        channels=dict(tenant.channels or {}),
        outreach=dict(tenant.outreach or {}),
        attention=dict(tenant.attention or {}),
        attributes=tuple(dict(spec) for spec in tenant.attributes or ()),
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
    _refuse_hosts_of_undeclared_tenants(declarations, existing)
    old_hosts = _release_undeclared_hosts(declarations, existing)
    changes = [_apply(declaration, existing.get(declaration.slug), old_hosts) for declaration in declarations]
    declared = {declaration.slug for declaration in declarations}
    changes += [TenantChange(slug, "not declared") for slug in sorted(existing) if slug not in declared]
    if dry_run:
        session.rollback()
    else:
        session.commit()
    return changes


def _refuse_hosts_of_undeclared_tenants(
    declarations: list[TenantDeclaration], existing: dict[str, Tenant]
) -> None:
    """A file may not claim a host of a tenant that has no file (sync leaves such tenants alone)."""
    declared = {declaration.slug for declaration in declarations}
    holder = {
        host.host: slug for slug, tenant in existing.items() if slug not in declared for host in tenant.hosts
    }
    errors = [
        TenantFileError(
            declaration.source, "hosts", f"{host} belongs to {holder[host]}, which has no tenant file."
        )
        for declaration in declarations
        for host in declaration.hosts
        if host in holder
    ]
    if errors:
        raise TenantFilesInvalid(errors)


def _release_undeclared_hosts(
    declarations: list[TenantDeclaration], existing: dict[str, Tenant]
) -> dict[str, list]:
    """Drop the hosts each tenant no longer declares first, so a host can move between tenants in one sync.

    Returns every tenant's hosts as they were, for the report.
    """
    before = {slug: [host.host for host in tenant.hosts] for slug, tenant in existing.items()}
    for declaration in declarations:
        tenant = existing.get(declaration.slug)
        if tenant is not None:
            tenant.hosts = [host for host in tenant.hosts if host.host in declaration.hosts]
    session.flush()
    return before


def _apply(declaration: TenantDeclaration, tenant: Tenant | None, old_hosts: dict[str, list]) -> TenantChange:
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
    had, new_hosts = old_hosts.get(declaration.slug, []), sorted(declaration.hosts)
    if had != new_hosts:
        differences["hosts"] = (had, new_hosts)
        kept = {host.host for host in tenant.hosts}
        tenant.hosts = [*tenant.hosts, *(TenantHost(host=host) for host in new_hosts if host not in kept)]
    if action == "updated" and not differences:
        action = "unchanged"
    return TenantChange(declaration.slug, action, {} if action == "created" else differences)
