"""Named hooks of the profile engine (blinker signals). Receivers take `**kwargs`.

attribute_demand
    Sent with `tenant=` (a CurrentTenant) when the profile engine orders the questions to ask. A receiver
    returns a mapping of attribute key to weight (0-100): how much its work for this tenant needs that
    answer. The segments engine weighs the attributes its saved segments select on, the content engine
    those its eligibility rules and ranking features read, a domain what its matching needs most. The
    weights of all receivers are added up; the most needed questions are asked first, before the
    questionnaires' own priority decides.

answer_recorded
    Sent with `person_id=`, `changes=` (a list of `ValueChange`: key, old and new value) and `source=`
    when values of a person's profile changed, inside the transaction that stores them and before it
    commits: what a receiver writes in the session is committed with the answer, or not at all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from blinker import Namespace

from aandacht.tenancy.context import CurrentTenant

_signals = Namespace()

attribute_demand = _signals.signal("attribute-demand")
answer_recorded = _signals.signal("answer-recorded")


def demand_for(tenant: CurrentTenant) -> Mapping[str, int]:
    """The summed weights that the receivers of `attribute_demand` give each attribute for `tenant`."""
    total: Counter[str] = Counter()
    for _receiver, weights in attribute_demand.send(tenant=tenant):
        total.update({key: int(weight) for key, weight in (weights or {}).items()})
    return total
