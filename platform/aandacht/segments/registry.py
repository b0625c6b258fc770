"""The predicates of a tenant's selection language: the core's, and those of its enabled domains."""

from __future__ import annotations

from flask import current_app

from aandacht.accounts import selections as accounts
from aandacht.outreach import selections as outreach
from aandacht.personalisation import selections as personalisation
from aandacht.profiles import selections as profiles
from aandacht.segments.language import LOGICAL, Predicate
from aandacht.segments.membership import SegmentMembership
from aandacht.tenancy.context import CurrentTenant

#: The core's predicates, each written by the engine that owns what it reads.
CORE_PREDICATES: tuple[Predicate, ...] = (
    *profiles.PREDICATES,
    *accounts.PREDICATES,
    *personalisation.PREDICATES,
    *outreach.PREDICATES,
    SegmentMembership(),
)


def predicates_for(tenant: CurrentTenant | None) -> dict[str, Predicate]:
    """Every predicate a document of `tenant` may use, by name (the core's first; no domain overrides)."""
    found = {predicate.name: predicate for predicate in CORE_PREDICATES}
    for predicate in current_app.extensions["aandacht.domains"].segment_predicates(tenant):
        if predicate.name not in LOGICAL:
            found.setdefault(predicate.name, predicate)
    return found
