"""The channels: one adapter each, and the order in which they are tried."""

from __future__ import annotations

from aandacht.outreach.channels.base import Channel
from aandacht.outreach.channels.email import Email
from aandacht.outreach.channels.in_app import InApp
from aandacht.outreach.channels.push import Push
from aandacht.outreach.channels.sms import Sms

#: Every channel by name.
ADAPTERS: dict[str, Channel] = {adapter.name: adapter for adapter in (InApp(), Email(), Sms(), Push())}


def adapter(name: str) -> Channel:
    """The adapter of channel `name`."""
    return ADAPTERS[name]
