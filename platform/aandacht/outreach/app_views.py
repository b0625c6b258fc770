"""The messages in the participant app: the list, the unread count in the menu, and web push sign-up.

Opening the list marks the messages on it as read. A browser signs up for web push by posting its
Push API subscription as JSON (the app's script does this when the person switches notifications on).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, current_app, g, jsonify, render_template, request
from flask_babel import gettext as _

from aandacht.accounts.permissions import Permission, requires
from aandacht.outreach import preferences, service

blueprint = Blueprint("messages", __name__, url_prefix="/app/messages", template_folder="templates")


@blueprint.app_template_global()
def unread_messages() -> int:
    """How many messages in the app the logged-in resident has not opened (0 for anyone else)."""
    principal = g.get("principal")
    if g.get("tenant") is None or principal is None or principal.kind != "person":
        return 0
    return service.unread_count(principal.id)


@blueprint.get("/")
@requires(Permission.SELF)
def index() -> str:
    """The person's messages in the app, newest first; the unread ones are marked read now."""
    messages = service.app_messages(g.principal.id)
    unread = {message.id for message in messages if message.opened_at is None}
    service.mark_read(g.principal.id, list(unread))
    return render_template("outreach/messages.html", messages=messages, unread=unread)


@blueprint.post("/push-subscription")
@requires(Permission.SELF)
def subscribe_to_push() -> tuple[Response, int]:
    """Record this browser's push subscription (`{"endpoint": …, "keys": {"p256dh": …, "auth": …}}`)."""
    if current_app.extensions["aandacht.settings"].vapid_public_key is None:
        abort(404)
    subscription = _subscription(request.get_json(silent=True))
    if subscription is None:
        return jsonify(message=_("This is not a push subscription of a browser.")), 400
    endpoint, p256dh, auth = subscription
    preferences.subscribe_to_push(g.principal.id, endpoint=endpoint, p256dh=p256dh, auth=auth)
    return jsonify(message=_("You get notifications on this device.")), 201


@blueprint.delete("/push-subscription")
@requires(Permission.SELF)
def unsubscribe_from_push() -> tuple[Response, int]:
    """Forget this browser's push subscription (`{"endpoint": …}`)."""
    found: Any = request.get_json(silent=True)
    endpoint = found.get("endpoint") if isinstance(found, dict) else None
    if not isinstance(endpoint, str):
        return jsonify(message=_("This is not a push subscription of a browser.")), 400
    preferences.forget_push_subscriptions(g.principal.id, [endpoint])
    return jsonify(message=_("You get no more notifications on this device.")), 200


def _subscription(found: Any) -> tuple[str, str, str] | None:
    """(endpoint, p256dh, auth) of a Push API subscription in JSON; None when it is not one."""
    if not isinstance(found, dict) or not isinstance(found.get("keys"), dict):
        return None
    values = (found.get("endpoint"), found["keys"].get("p256dh"), found["keys"].get("auth"))
    if not all(isinstance(value, str) and 0 < len(value) <= 2000 for value in values):
        return None
    endpoint, p256dh, auth = values
    return (endpoint, p256dh, auth) if endpoint.startswith("https://") else None
