"""Web push with VAPID (pywebpush): a notification on every browser the person subscribed.

The payload is encrypted for each browser (RFC 8291, aes128gcm) and carries the title, the text, the
address to open, the message's id as `tag`, and the address at which the service worker confirms
that it showed the notification (`receipt`, which makes the message delivered). The request's
`Topic` header is the message's id too (RFC 8030): a push service replaces a waiting message with
the same topic, and the app's service worker shows a notification with the same tag in place of the
earlier one, so a message handed over twice is seen once. A browser whose subscription is gone
(404 or 410) is forgotten.
"""

from __future__ import annotations

import json
from functools import lru_cache

import requests
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from aandacht.config import Settings
from aandacht.outreach.channels.base import DeliveryFailed, HandOff, Outgoing, Recipient
from aandacht.outreach.preferences import forget_push_subscriptions
from aandacht.outreach.reports import push_receipt_url

#: How long a push service keeps a message for a browser that is offline (seconds).
TIME_TO_LIVE = 24 * 60 * 60
#: The longest text in a payload (a push service takes about 4 kB).
LONGEST_TEXT = 1000


class Push:
    """Web push to the person's subscribed browsers (needs the VAPID settings)."""

    name = "push"

    def reaches(self, recipient: Recipient) -> bool:
        """Whether web push is set up and the person subscribed at least one browser."""
        settings: Settings = current_app.extensions["aandacht.settings"]
        return settings.vapid_private_key is not None and bool(recipient.push_subscriptions)

    def send(self, outgoing: Outgoing) -> HandOff:
        """Push to each browser; it succeeds when one accepted, and forgets the gone ones."""
        settings: Settings = current_app.extensions["aandacht.settings"]
        data = json.dumps(
            {
                "title": outgoing.subject or outgoing.tenant.name,
                "body": outgoing.body[:LONGEST_TEXT],
                "url": outgoing.link or outgoing.links.get("app"),
                "tag": outgoing.key,
                "receipt": push_receipt_url(outgoing.message_id),
            }
        )
        accepted, gone, problems = 0, [], []
        for endpoint, p256dh, auth in outgoing.recipient.push_subscriptions:
            try:
                webpush(
                    {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}},
                    data,
                    vapid_private_key=_vapid(settings.vapid_private_key or ""),
                    vapid_claims={"sub": settings.vapid_subject or ""},
                    ttl=TIME_TO_LIVE,
                    headers={"Topic": outgoing.key, "Urgency": "normal"},
                    timeout=settings.send_timeout,
                )
            except WebPushException as error:
                status = error.response.status_code if error.response is not None else None
                if status in (404, 410):
                    gone.append(endpoint)
                else:
                    problems.append((status, _("The push service answered %(status)s.", status=status)))
            except requests.RequestException as error:
                problems.append((None, _("The push service could not be reached: %(error)s", error=error)))
            else:
                accepted += 1
        if gone:
            forget_push_subscriptions(outgoing.recipient.id, gone)
        if accepted:
            return HandOff(address=ngettext("%(num)d browser", "%(num)d browsers", accepted))
        if problems:
            final = all(
                status is not None and 400 <= status < 500 and status != 429 for status, _r in problems
            )
            raise DeliveryFailed(problems[0][1], permanent=final)
        raise DeliveryFailed(_("No browser of this person takes push messages any more."), permanent=True)


@lru_cache(maxsize=4)
def _vapid(private_key: str) -> Vapid:
    """The VAPID key of `VAPID_PRIVATE_KEY`: PEM text, or the base64url raw or DER key."""
    if private_key.lstrip().startswith("-----BEGIN"):
        return Vapid.from_pem(private_key.encode())
    return Vapid.from_string(private_key)
