"""The current tenant of the running code: a request, a CLI command or a job.

Held in a context variable, so threads and jobs never see each other's tenant.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any


class TenantContextMissing(RuntimeError):
    """Tenant-owned rows were queried or written with no tenant in context."""


@dataclass(frozen=True)
class CurrentTenant:
    """What running code knows of its tenant: a snapshot, safe to keep after the session closes."""

    id: int
    slug: str
    name: str
    kind: str
    status: str = "active"
    domains: tuple[str, ...] = ()
    locales: tuple[str, ...] = ("nl", "en")
    branding: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    #: The tenant's own profile attributes from its tenant file (`[[attributes]]`).
    attributes: tuple[dict[str, Any], ...] = field(default=(), hash=False, compare=False)
    #: The staff's OpenID Connect provider as the tenant file declares it; {}: none.
    identity_provider: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    #: Per channel its settings (sender names; secrets only as names of environment variables).
    channels: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    #: Outreach rules (`[outreach]`): time_zone, quiet_hours, campaign_cap, tracking.
    outreach: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    #: The coach's worklist (`[attention]`): signal thresholds, signals switched off, the digest's hour.
    attention: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def default_locale(self) -> str:
        """The tenant's own language, used when nothing else chooses one."""
        return self.locales[0]


_current: ContextVar[CurrentTenant | None] = ContextVar("aandacht_tenant", default=None)


def current_tenant() -> CurrentTenant | None:
    """The tenant in context, or None outside any tenant (platform pages, platform jobs)."""
    return _current.get()


def require_tenant() -> CurrentTenant:
    """The tenant in context; raise `TenantContextMissing` when there is none."""
    tenant = _current.get()
    if tenant is None:
        raise TenantContextMissing(
            "Tenant-owned data was used outside any tenant; wrap the work in tenant_context(tenant)."
        )
    return tenant


@contextmanager
def tenant_context(tenant: CurrentTenant | None) -> Iterator[CurrentTenant | None]:
    """Run the enclosed code as `tenant` (None: as no tenant), restoring the previous one afterwards."""
    token = _current.set(tenant)
    try:
        yield tenant
    finally:
        _current.reset(token)


def set_request_tenant(tenant: CurrentTenant | None) -> object:
    """Enter `tenant` for the rest of a request; returns the token for `reset_request_tenant`."""
    return _current.set(tenant)


def reset_request_tenant(token: object) -> None:
    """Leave the tenant entered by `set_request_tenant`."""
    _current.reset(token)  # type: ignore[arg-type]
