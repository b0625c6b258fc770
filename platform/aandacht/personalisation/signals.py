"""Named hooks of the personalisation engine (blinker signals). Receivers take `**kwargs`.

item_published
    Sent with `item_id=`, `item_type=`, `link_url=` and `eligibility_segment_id=` (None: everyone may
    see it) when a content item became published (new, or changed to published), inside the
    transaction that publishes it and before it commits. Who may see it is the eligibility segment's people; a
    receiver that needs them resolves them in a job, not in the request (an item may reach thousands).
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

item_published = _signals.signal("item-published")
