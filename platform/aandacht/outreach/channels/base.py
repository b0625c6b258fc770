"""What every channel is: a small adapter that says whether it can reach a person and hands a message over.

A channel never touches the message table: the delivery worker (`aandacht.outreach.delivery`) claims
a message, asks its channel to hand it over, and records what came back. A channel answers with a
`HandOff` when the provider accepted the message, or raises `DeliveryFailed`: `permanent` when trying
again cannot help (an address the provider refuses), otherwise the worker tries again after a pause.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any, Protocol

from aandacht.tenancy.context import CurrentTenant


class DeliveryFailed(Exception):
    """A hand-off did not succeed; `reason` is shown to the coach, `permanent` ends the retries."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


@dataclass(frozen=True)
class Recipient:
    """What channels know of the person they send to."""

    id: uuid.UUID
    display_name: str
    email: str | None
    phone: str | None
    locale: str
    #: The person's push subscriptions: (endpoint, p256dh, auth) each.
    push_subscriptions: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class Outgoing:
    """One message as a channel hands it over."""

    #: The message's id: the channels derive their idempotency keys and Message-ID from it.
    message_id: uuid.UUID
    tenant: CurrentTenant
    recipient: Recipient
    subject: str
    body: str
    #: Where the message leads, e.g. a page in the app (None: nowhere).
    link: str | None = None
    #: Absolute addresses the channel may need: `unsubscribe` (one-click, e-mail), `app` (the app's list).
    links: dict[str, str] = field(default_factory=dict)
    payload: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """The message's idempotency key at providers: its id as 32 hex characters."""
        return self.message_id.hex


@dataclass(frozen=True)
class HandOff:
    """What a provider said when it accepted a message."""

    #: Where it went (an address, a number, how many browsers).
    address: str | None = None
    #: The provider's id of the message, for delivery reports and support questions.
    provider_message_id: str | None = None


class Channel(Protocol):
    """A way to reach a person: in the app, e-mail, SMS, web push."""

    #: The channel's name, one of `aandacht.outreach.models.CHANNELS`.
    name: str

    def reaches(self, recipient: Recipient) -> bool:
        """Whether this channel is set up here and the person has an address on it."""
        ...

    def send(self, outgoing: Outgoing) -> HandOff:
        """Hand the message over; raise `DeliveryFailed` when that did not succeed."""
        ...
