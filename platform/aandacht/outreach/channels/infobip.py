"""The SMS adapter for Infobip's HTTP API (Send SMS message, `POST {base URL}/sms/3/messages`).

The request, as Infobip documents it: header `Authorization: App <API key>`, and a JSON body
`{"messages": [{"sender": …, "destinations": [{"to": "31612345678", "messageId": …}],
"content": {"text": …}}]}`. `messageId` is our own id of the message, the same for every attempt:
with idempotency enabled on the Infobip account, Infobip rejects a repeat of an accepted `messageId`
within its grace period, so a retry after a time-out never texts the person twice. The answer lists
each message with a `status` whose `groupName` is PENDING or DELIVERED when accepted, REJECTED when
not; errors come as HTTP 4xx/5xx with `errorCode`/`description` (or, in older answers, `requestError`).
With `report_url`, the message asks for its delivery report there (`webhooks.delivery.url`), which
`aandacht.outreach.reports` records.
"""

from __future__ import annotations

from typing import Any

import requests
from flask_babel import gettext as _

from aandacht.outreach.channels.base import DeliveryFailed, HandOff

#: Status groups in an answer that mean the message will not be sent.
REFUSED_GROUPS = ("REJECTED", "UNDELIVERABLE", "EXPIRED")


class InfobipGateway:
    """Sends through Infobip's Send SMS message API (v3)."""

    def __init__(self, *, base_url: str, api_key: str, timeout: float) -> None:
        self.url = f"{base_url.rstrip('/')}/sms/3/messages"
        self.api_key = api_key
        self.timeout = timeout

    def send(self, *, to: str, text: str, sender: str, key: str, report_url: str | None = None) -> HandOff:
        """POST one message; 4xx answers (except 429) and refused statuses are final, the rest retried."""
        destination = to.strip().removeprefix("+").replace(" ", "")
        message: dict[str, Any] = {
            "sender": sender,
            "destinations": [{"to": destination, "messageId": key}],
            "content": {"text": text},
        }
        if report_url:
            message["webhooks"] = {"delivery": {"url": report_url}, "contentType": "application/json"}
        body = {"messages": [message]}
        try:
            response = requests.post(
                self.url,
                json=body,
                headers={"Authorization": f"App {self.api_key}", "Accept": "application/json"},
                timeout=self.timeout,
            )
        except requests.Timeout:
            raise DeliveryFailed(_("The SMS gateway did not answer in time.")) from None
        except requests.RequestException as error:
            raise DeliveryFailed(_("The SMS gateway could not be reached: %(error)s", error=error)) from None
        if response.status_code >= 400:
            raise DeliveryFailed(
                _(
                    "The SMS gateway answered %(status)s: %(reason)s",
                    status=response.status_code,
                    reason=_reason(response),
                ),
                permanent=response.status_code < 500 and response.status_code not in (408, 429),
            )
        sent = _first_message(response)
        status = sent.get("status") or {}
        if status.get("groupName") in REFUSED_GROUPS:
            raise DeliveryFailed(
                _(
                    "The SMS gateway refused the message: %(reason)s",
                    reason=status.get("description") or status.get("name"),
                ),
                permanent=True,
            )
        return HandOff(address=to, provider_message_id=str(sent.get("messageId") or key))


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        found = response.json()
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _first_message(response: requests.Response) -> dict[str, Any]:
    messages = _json(response).get("messages") or [{}]
    return messages[0] if isinstance(messages[0], dict) else {}


def _reason(response: requests.Response) -> str:
    found = _json(response)
    legacy = (found.get("requestError") or {}).get("serviceException") or {}
    violations = "; ".join(
        f"{item.get('property')}: {item.get('violation')}" for item in found.get("violations") or ()
    )
    parts = [found.get("description") or legacy.get("text"), violations]
    return " - ".join(part for part in parts if part) or response.reason or str(response.status_code)
