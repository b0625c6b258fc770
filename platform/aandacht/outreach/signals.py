"""Named hooks of the outreach engine (blinker signals). Receivers take `**kwargs`.

event_happened
    Sent by a domain (or any engine) when one of its events happened, with `kind=` (the key of an
    `EventKind` it declares in `Domain.outreach_events`), `person_ids=` (the people it concerns, or
    None when the kind's `audience` finds them) and `details=` (JSON values: what rules' parameters
    are matched against). Send it inside the transaction that records what happened and before it
    commits: the rules' messages (or, for many people, the event's row for a job) are written in it,
    so they are committed with it or not at all.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

event_happened = _signals.signal("event-happened")
