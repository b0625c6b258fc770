"""The attribute registry of a tenant: the core's attributes, those of its enabled domains, its own."""

from __future__ import annotations

from flask import current_app

from aandacht.profiles.definitions import CORE_ATTRIBUTES, ProfileAttribute
from aandacht.tenancy.context import CurrentTenant


class UnknownAttribute(KeyError):
    """No attribute with this key exists for the tenant."""


def attributes_for(tenant: CurrentTenant) -> dict[str, ProfileAttribute]:
    """Every attribute the tenant's profiles may hold, by key, in a stable order."""
    registry = current_app.extensions["aandacht.domains"]
    found: dict[str, ProfileAttribute] = {attribute.key: attribute for attribute in CORE_ATTRIBUTES}
    for domain in registry.enabled_for(tenant):
        for attribute in domain.profile_attributes():
            if attribute.key in found or not attribute.key.startswith(f"{domain.name}."):
                continue  # the domain test suite flags these; a tenant never sees a clash
            found[attribute.key] = _from(attribute, domain.name)
    for attribute in tenant_attributes(tenant):
        found.setdefault(attribute.key, attribute)
    return found


def attribute(tenant: CurrentTenant, key: str) -> ProfileAttribute:
    """The tenant's attribute `key`; raises UnknownAttribute."""
    try:
        return attributes_for(tenant)[key]
    except KeyError:
        raise UnknownAttribute(key) from None


def tenant_attributes(tenant: CurrentTenant) -> list[ProfileAttribute]:
    """The attributes the tenant file adds (`[[attributes]]`), with labels in the tenant's languages."""
    return [_from(ProfileAttribute(**spec), "tenant") for spec in tenant.attributes]


def _from(attribute: ProfileAttribute, source: str) -> ProfileAttribute:
    object.__setattr__(attribute, "source", source)
    return attribute
