"""Quick replies: answers a person sends with one tap, for those who find writing hard.

Each has a key (kept with the message, so a coach's view and a report can count them), a Tabler
icon and short words. The words are stored in the person's language when they tap.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class QuickReply:
    """One tap-only answer."""

    key: str
    icon: str
    label: object


QUICK_REPLIES: dict[str, QuickReply] = {
    reply.key: reply
    for reply in (
        QuickReply("yes", "thumb-up", _l("Yes, that is fine")),
        QuickReply("call_me", "phone-call", _l("Call me")),
        QuickReply("dont_understand", "help-circle", _l("I don't get it")),
        QuickReply("thanks", "heart-handshake", _l("Thank you")),
    )
}


def quick_reply(key: str) -> QuickReply | None:
    """The quick reply of `key`; None when there is none."""
    return QUICK_REPLIES.get(key)
