"""Named hooks of the profile engine (blinker signals). Receivers take `**kwargs`.

attribute_demand
    Sent with `tenant=` (a CurrentTenant) when the profile engine orders the questions to ask. A receiver
    returns a mapping of attribute key to weight (0-100): how much its work for this tenant needs that
    answer. The segments engine weighs the attributes its saved segments select on, the content engine
    those its eligibility rules and ranking features read, a domain what its matching needs most. The
    weights of all receivers are added up; the most needed questions are asked first, before the
    questionnaires' own priority decides.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from blinker import Namespace

from aandacht.tenancy.context import CurrentTenant

_signals = Namespace()

attribute_demand = _signals.signal("attribute-demand")


def demand_for(tenant: CurrentTenant) -> Mapping[str, int]:
    """The summed weights that the receivers of `attribute_demand` give each attribute for `tenant`."""
    total: Counter[str] = Counter()
    for _receiver, weights in attribute_demand.send(tenant=tenant):
        total.update({key: int(weight) for key, weight in (weights or {}).items()})
    return total
