"""Named hooks of the accounts engine (blinker signals). Receivers take `**kwargs`.

person_joined
    Sent with `person_ids=` (a list of UUIDs) when residents were added to the current tenant, inside
    the transaction that adds them and before it commits: what a receiver writes in the session
    (e.g. the welcome message of an outreach rule) is committed with them, or not at all.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

person_joined = _signals.signal("person-joined")
