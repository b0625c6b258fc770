"""The content types of a tenant: the core's, and those of its enabled domains."""

from __future__ import annotations

from flask import current_app

from aandacht.personalisation.types import NEWS, ContentType
from aandacht.tenancy.context import CurrentTenant

#: The core's content types, for every tenant.
CORE_CONTENT_TYPES: tuple[ContentType, ...] = (NEWS,)


def content_types_for(tenant: CurrentTenant | None) -> dict[str, ContentType]:
    """Every content type `tenant` may hold, by key (the core's first; no domain overrides)."""
    found = {kind.key: kind for kind in CORE_CONTENT_TYPES}
    for kind in current_app.extensions["aandacht.domains"].content_types(tenant):
        found.setdefault(kind.key, kind)
    return found


def every_content_type() -> dict[str, ContentType]:
    """Every content type of the core and of every installed domain (the library serves all tenants)."""
    found = {kind.key: kind for kind in CORE_CONTENT_TYPES}
    for domain in current_app.extensions["aandacht.domains"].domains.values():
        for kind in domain.content_types():
            if kind.key.startswith(f"{domain.name}."):
                found.setdefault(kind.key, kind)
    return found
