"""The signal API: why a person needs a coach's attention now, as rules the core and the domains add.

A `SignalRule` looks at all the people of a caseload at once (one query per rule, never one per
person) and returns a `Signal` for each person who needs attention for its reason. The core's rules live
in `aandacht.attention.rules`; a domain adds its own through `Domain.attention_signals()`, keyed
`<domain>.<name>`. Each rule declares its thresholds with defaults; a tenant changes them, or switches a
rule off, in the `[attention]` table of its tenant file (docs/tenants.md).
"""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum
from typing import Any, ClassVar

from aandacht.tenancy.context import CurrentTenant


class Severity(IntEnum):
    """How urgent a signal is; the worklist puts the highest first."""

    LOW = 1
    MEDIUM = 2
    HIGH = 3


@dataclass(frozen=True)
class Signal:
    """One reason why a person needs attention."""

    #: The rule's key, e.g. `inactive` or `werk.no_search_activity`.
    key: str
    severity: Severity
    #: The reason in plain words, translated, e.g. "Niet actief sinds 19 dagen".
    reason: str
    #: Since when the reason holds (the oldest unread message, the last activity), when known.
    since: datetime | None = None


@dataclass(frozen=True)
class SignalContext:
    """What a rule evaluates: the people of one caseload, the moment, and the tenant's thresholds."""

    tenant: CurrentTenant
    person_ids: Sequence[uuid.UUID]
    now: datetime
    #: The rule's thresholds: its defaults with the tenant's own values laid over them.
    thresholds: Mapping[str, float] = field(default_factory=dict)
    #: Per person: when they last used the app (None: never) and when they signed up; read once for
    #: every rule.
    activity: Mapping[uuid.UUID, tuple[datetime | None, datetime]] = field(default_factory=dict)

    def threshold(self, name: str) -> float:
        """One threshold of the rule being evaluated."""
        return self.thresholds[name]


class SignalRule(ABC):
    """A reason for attention, evaluated for many people at once.

    Subclasses set `key`, `label` and `defaults`, and implement `evaluate` with one query (or a few)
    for all of `context.person_ids`; people without the signal are simply left out of the answer.
    """

    #: Unique key: a core rule's plain name, a domain's `<domain>.<name>`.
    key: ClassVar[str] = ""
    #: What the signal means, a lazy string (shown in the worklist's filter and in docs).
    label: ClassVar[object] = ""
    #: Threshold name -> default value; a tenant overrides them in `[attention.<key>]`.
    defaults: ClassVar[Mapping[str, float]] = {}

    @abstractmethod
    def evaluate(self, context: SignalContext) -> dict[uuid.UUID, list[Signal]]:
        """The signals of the people in `context.person_ids` who need attention for this reason."""

    def thresholds_for(self, tenant: CurrentTenant) -> dict[str, float]:
        """The rule's thresholds for `tenant`: the defaults, with the tenant file's values laid over."""
        own: Mapping[str, Any] = settings_of(tenant).get(self.key, {})
        return {name: float(own.get(name, default)) for name, default in self.defaults.items()}

    def enabled_for(self, tenant: CurrentTenant) -> bool:
        """Whether the tenant keeps this signal on (`off = [...]` in `[attention]` switches it off)."""
        return self.key not in settings_of(tenant).get("off", ())

    def __repr__(self) -> str:
        return f"<SignalRule {self.key}>"


def settings_of(tenant: CurrentTenant) -> Mapping[str, Any]:
    """The tenant's `[attention]` table (empty: every default)."""
    return tenant.attention or {}
