"""The events a rule can wait for: the core's three and those the tenant's domains declare.

An event kind names what happened (`content.published`, `profile.answered`, `person.joined`, or a
domain's `<domain>.<event>`), the parameters a rule sets to narrow it (the attribute answered, the
content type), and, for an event that concerns everyone who may see something, the selection of those
people (`audience`): such an event is handled by a job, never in the request that caused it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from aandacht.personalisation.registry import content_types_for
from aandacht.profiles.registry import attributes_for
from aandacht.tenancy.context import CurrentTenant, require_tenant

#: The selection of everyone (what an item without eligibility segment may reach).
EVERYONE: dict[str, Any] = {"and": []}


@dataclass(frozen=True)
class EventKind:
    """Something that happened to people, which a rule can send a message on."""

    #: `<area>.<event>`; a domain's start with its name.
    key: str
    #: What the coach reads when choosing it (a lazy string).
    label: Any
    #: The parameters a rule may set; an event matches when each one set equals its detail of that name.
    parameters: tuple[str, ...] = ()
    #: The parameters a rule must set.
    required: tuple[str, ...] = ()
    #: For an event without named people: the selection of those it concerns, from its details.
    audience: Callable[[Mapping[str, Any]], dict[str, Any]] | None = None
    #: The link its messages carry, from its details (None: none).
    link: Callable[[Mapping[str, Any]], str | None] | None = None
    #: Checks of the parameters a rule sets, by parameter (returns the problem in words, or None).
    checks: Mapping[str, Callable[[str], str | None]] = field(default_factory=dict)

    def matches(self, params: Mapping[str, Any], details: Mapping[str, Any]) -> bool:
        """Whether an event with these details is one a rule with these parameters waits for."""
        for name in self.parameters:
            wanted = params.get(name)
            if wanted in (None, ""):
                continue
            found = details.get(name)
            values = found if isinstance(found, list) else [found]
            if str(wanted) not in {str(value) for value in values}:
                return False
        return True

    def problems(self, params: Mapping[str, Any]) -> dict[str, str]:
        """What is wrong with a rule's parameters of this kind, under `event_params`."""
        for name, check in self.checks.items():
            if params.get(name):
                problem = check(str(params[name]))
                if problem:
                    return {"event_params": problem}
        return {}


def _known_attribute(key: str) -> str | None:
    return None if key in attributes_for(require_tenant()) else _("There is no such question.")


def _known_type(key: str) -> str | None:
    return None if key in content_types_for(require_tenant()) else _("There is no such kind of content.")


def _eligible(details: Mapping[str, Any]) -> dict[str, Any]:
    segment_id = details.get("eligibility_segment_id")
    return {"segment": {"id": str(segment_id)}} if segment_id else EVERYONE


def _item_link(details: Mapping[str, Any]) -> str | None:
    link = details.get("link_url")
    return str(link) if link else None


#: The core's events.
CORE_KINDS = (
    EventKind(
        "content.published",
        _l("New content that the person may see"),
        parameters=("type",),
        audience=_eligible,
        link=_item_link,
        checks={"type": _known_type},
    ),
    EventKind(
        "profile.answered",
        _l("The person answered a question"),
        parameters=("attribute", "value"),
        required=("attribute",),
        checks={"attribute": _known_attribute},
    ),
    EventKind("person.joined", _l("The person joined")),
)


def event_kinds(tenant: CurrentTenant) -> dict[str, EventKind]:
    """The events the tenant's rules can wait for: the core's, then those of its enabled domains."""
    found = {kind.key: kind for kind in CORE_KINDS}
    for kind in current_app.extensions["aandacht.domains"].outreach_events(tenant):
        found.setdefault(kind.key, kind)
    return found
