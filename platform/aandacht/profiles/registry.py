"""The attribute registry of a tenant: the core's attributes, those of its enabled domains, its own."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from flask import current_app
from flask_babel import get_locale
from markupsafe import escape

from aandacht.profiles.definitions import CORE_ATTRIBUTES, ProfileAttribute
from aandacht.tenancy.context import CurrentTenant
from aandacht.tenancy.files import attribute_arguments

_log = logging.getLogger(__name__)


class UnknownAttribute(KeyError):
    """No attribute with this key exists for the tenant."""


class TenantText:
    """Words from a tenant file in each of its languages; shown in the current one (`str()`).

    Falls back to the tenant's default language, then to any language given, like a lazy gettext string
    does for the core's own words.
    """

    __slots__ = ("default_locale", "texts")

    def __init__(self, texts: Mapping[str, str], default_locale: str) -> None:
        self.texts = dict(texts)
        self.default_locale = default_locale

    def in_locale(self, locale: str | None) -> str:
        """The words in `locale`, else in the tenant's default language, else in any."""
        for candidate in (locale, self.default_locale):
            if candidate and self.texts.get(candidate):
                return self.texts[candidate]
        return next(iter(self.texts.values()), "")

    def __str__(self) -> str:
        locale = get_locale()
        return self.in_locale(locale.language if locale else None)

    def __html__(self) -> str:
        return str(escape(str(self)))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TenantText) and other.texts == self.texts

    def __hash__(self) -> int:
        return hash(tuple(sorted(self.texts.items())))

    def __repr__(self) -> str:
        return f"TenantText({self.texts!r})"


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
    """The attributes the tenant file adds (`[[attributes]]`), with labels in the tenant's languages.

    The file was validated when it was synced; a spec that still does not fit (written by hand into the
    database) is left out and logged, so one bad attribute never takes a profile down.
    """
    found = []
    for spec in tenant.attributes:
        try:
            arguments = attribute_arguments(spec, lambda texts: TenantText(texts, tenant.default_locale))
            found.append(_from(ProfileAttribute(**arguments), "tenant"))
        except (KeyError, TypeError, ValueError) as problem:
            _log.error("tenant attribute left out: %s", problem, extra={"tenant": tenant.slug})
    return found


def _from(attribute: ProfileAttribute, source: str) -> ProfileAttribute:
    object.__setattr__(attribute, "source", source)
    return attribute
