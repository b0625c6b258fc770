"""Delivery reports: what makes a message `delivered` (or, for SMS, `failed` after it was sent).

- SMS: Infobip POSTs its delivery reports to the address given with each message
  (`/outreach/reports/infobip/<secret>`, `webhooks.delivery.url` of the Send SMS request). The secret
  in the address is the tenant's own (derived from the installation's secret key), so a report is
  taken only from whoever was given that address; a report of an id we do not know is ignored.
  DELIVERED makes the message delivered; UNDELIVERABLE, REJECTED and EXPIRED make it failed with
  the reason, and the next channel of its fallback gets a message of its own. Reports are idempotent:
  a report of a message that is no longer `sent` changes nothing, so a repeated report counts once.
- Web push: the payload carries a receipt address (`/m/<token>/received`) that the app's service
  worker POSTs to once it has shown the notification; the signed token names the tenant and the
  message, nothing else.
- In the app: a message is delivered when the person's list of messages has shown it.
- E-mail: the mail server's acceptance is all that is known; the message stays `sent`
  (docs/outreach.md#delivery-reports).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import uuid
from collections.abc import Sequence
from contextlib import suppress
from typing import Any

from flask import Blueprint, Response, abort, current_app, g, jsonify, request, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update

from aandacht.accounts.csrf import csrf
from aandacht.accounts.permissions import public
from aandacht.db import session, utcnow
from aandacht.outreach import service
from aandacht.outreach.models import Message
from aandacht.tenancy.context import CurrentTenant, require_tenant

blueprint = Blueprint("delivery_reports", __name__)
log = logging.getLogger(__name__)
#: Infobip's status groups that mean the message will not arrive.
UNDELIVERED_GROUPS = ("UNDELIVERABLE", "REJECTED", "EXPIRED")


def infobip_secret(tenant: CurrentTenant) -> str:
    """The tenant's secret in the address of its SMS delivery reports."""
    key = current_app.config["SECRET_KEY"]
    key = key.encode() if isinstance(key, str) else key
    return hmac.new(key, f"infobip-reports:{tenant.id}".encode(), hashlib.sha256).hexdigest()[:40]


def infobip_report_url() -> str:
    """The absolute address Infobip sends the current tenant's delivery reports to (in a request)."""
    return url_for("delivery_reports.infobip", secret=infobip_secret(require_tenant()), _external=True)


@blueprint.post("/outreach/reports/infobip/<secret>")
@public
@csrf.exempt
def infobip(secret: str) -> tuple[Response, int]:
    """Take a batch of Infobip's SMS delivery reports (`{"results": [...]}`)."""
    if g.get("tenant") is None or not hmac.compare_digest(secret, infobip_secret(g.tenant)):
        abort(404)
    found: Any = request.get_json(silent=True)
    results = found.get("results") if isinstance(found, dict) else None
    if not isinstance(results, list):
        return jsonify(message=_("This is not a delivery report.")), 400
    counted = record_sms_reports([result for result in results if isinstance(result, dict)])
    return jsonify(counted), 200


def record_sms_reports(results: Sequence[dict[str, Any]]) -> dict[str, int]:
    """Record Infobip's reports and commit; how many made messages delivered, failed, or were ignored."""
    counted = {"delivered": 0, "failed": 0, "ignored": 0}
    for result in results:
        status = result.get("status") if isinstance(result.get("status"), dict) else {}
        group = status.get("groupName")
        message = _sent_sms(str(result.get("messageId") or ""))
        if message is None or (group != "DELIVERED" and group not in UNDELIVERED_GROUPS):
            counted["ignored"] += 1
            continue
        if group == "DELIVERED":
            message.status, message.delivered_at = "delivered", utcnow()
            counted["delivered"] += 1
        else:
            message.status, message.failed_at = "failed", utcnow()
            message.last_error = _sms_reason(status, result.get("error"))[:500]
            with suppress(service.UnknownPerson):  # no longer there: nobody to fall back to
                service.fall_back(message)
            counted["failed"] += 1
        session.commit()  # each report on its own: a lock is held one message long
    session.commit()
    return counted


def _sent_sms(provider_id: str) -> Message | None:
    """The tenant's text message that the gateway accepted under this id and has not reported on yet."""
    if not provider_id:
        return None
    return session.execute(
        select(Message)
        .where(
            Message.channel == "sms",
            Message.provider_message_id == provider_id[:200],
            Message.status == "sent",
        )
        .with_for_update()
    ).scalar_one_or_none()


def _sms_reason(status: dict[str, Any], error: Any) -> str:
    parts = [status.get("description") or status.get("name") or status.get("groupName")]
    if isinstance(error, dict) and error.get("groupName") not in (None, "OK"):
        parts.append(error.get("description") or error.get("name"))
    reason = " - ".join(str(part) for part in parts if part)
    return _("The SMS did not arrive: %(reason)s", reason=reason)


def push_receipt_url(message_id: uuid.UUID) -> str:
    """The address the app's service worker confirms a shown notification at (in a request)."""
    token = _signer().dumps({"t": require_tenant().id, "m": message_id.hex})
    return url_for("delivery_reports.push_received", token=token, _external=True)


@blueprint.post("/m/<token>/received")
@public
@csrf.exempt
def push_received(token: str) -> tuple[str, int]:
    """The service worker showed the push message of the token: it is delivered."""
    if g.get("tenant") is None:
        abort(404)
    try:
        found = _signer().loads(token)
        if not isinstance(found, dict) or found.get("t") != g.tenant.id:
            abort(404)
        message_id = uuid.UUID(str(found.get("m")))
    except (BadSignature, ValueError):
        abort(404)
    _delivered([message_id], "push", person_id=None)
    session.commit()
    return "", 204


def shown_in_app(person_id: uuid.UUID, message_ids: Sequence[uuid.UUID]) -> None:
    """The app showed the person these messages: those still `sent` are delivered (not committed)."""
    _delivered(list(message_ids), "in_app", person_id=person_id)


def _delivered(message_ids: list[uuid.UUID], channel: str, *, person_id: uuid.UUID | None) -> None:
    if not message_ids:
        return
    query = update(Message).where(
        Message.id.in_(message_ids), Message.channel == channel, Message.status == "sent"
    )
    if person_id is not None:
        query = query.where(Message.person_id == person_id)
    session.execute(
        query.values(status="delivered", delivered_at=utcnow()).execution_options(synchronize_session=False)
    )


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="aandacht.outreach.receipt")
