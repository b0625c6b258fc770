"""Named hooks of the segments engine (blinker signals). Receivers take `**kwargs`.

segment_users
    Sent with `segment=` (a Segment) before it is deleted. A receiver returns the names of what still
    uses it (content items that only its people may see, campaigns that go to it); any name refuses the
    deletion, with the names in the message.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

segment_users = _signals.signal("segment-users")
