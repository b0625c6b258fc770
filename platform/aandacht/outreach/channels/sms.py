"""Text messages through an SMS gateway behind an adapter: Infobip over HTTP, or the local outbox.

`SMS_GATEWAY_URL` set: the Infobip adapter (`aandacht.outreach.channels.infobip`); not set: the
outbox adapter of the embedded default, which writes each text message to the outbox folder. A
tenant's file may name its own sender (`channels.sms.sender`) and API key (`channels.sms.api_key_env`).
"""

from __future__ import annotations

import os
from typing import Protocol

from flask import current_app

from aandacht.config import Settings
from aandacht.outreach.channels.base import HandOff, Outgoing, Recipient
from aandacht.outreach.channels.infobip import InfobipGateway
from aandacht.outreach.outbox import write_to_outbox
from aandacht.outreach.reports import infobip_report_url


class SmsGateway(Protocol):
    """A provider that takes one text message to one number."""

    def send(self, *, to: str, text: str, sender: str, key: str, report_url: str | None = None) -> HandOff:
        """Hand the text over; `key` is the message's idempotency key at the provider.

        `report_url`: where the provider sends its delivery report of the message.
        """
        ...


class OutboxGateway:
    """The embedded default: the text message is written to the outbox folder."""

    def send(self, *, to: str, text: str, sender: str, key: str, report_url: str | None = None) -> HandOff:
        """Write the text message to the outbox folder (which reports nothing)."""
        write_to_outbox("sms", {"to": to, "text": text, "sender": sender, "key": key})
        return HandOff(address=to, provider_message_id=key)


class Sms:
    """A text message to the person's mobile number."""

    name = "sms"

    def reaches(self, recipient: Recipient) -> bool:
        """Whether the person has a mobile number."""
        return bool(recipient.phone)

    def send(self, outgoing: Outgoing) -> HandOff:
        """Hand the text (and the link, if any) to the gateway of this installation and tenant."""
        settings: Settings = current_app.extensions["aandacht.settings"]
        declared = outgoing.tenant.channels.get("sms", {})
        text = f"{outgoing.body}\n{outgoing.link}" if outgoing.link else outgoing.body
        return gateway(settings, declared).send(
            to=outgoing.recipient.phone or "",
            text=text,
            sender=declared.get("sender") or settings.sms_sender,
            key=outgoing.key,
            report_url=infobip_report_url() if settings.sms_gateway_url else None,
        )


def gateway(settings: Settings, declared: dict[str, str]) -> SmsGateway:
    """The gateway of this installation: Infobip with `SMS_GATEWAY_URL`, else the outbox."""
    if settings.sms_gateway_url is None:
        return OutboxGateway()
    own_key = os.environ.get(declared["api_key_env"]) if declared.get("api_key_env") else None
    return InfobipGateway(
        base_url=settings.sms_gateway_url,
        api_key=own_key or settings.sms_api_key or "",
        timeout=settings.send_timeout,
    )
