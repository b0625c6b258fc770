"""The messages in the participant app: the list, the unread count in the menu, and web push sign-up.

Opening the list marks the messages on it as read, and as delivered (`aandacht.outreach.reports`).
A browser signs up for web push by posting its Push API subscription as JSON (the app's script does
this when the person switches notifications on).
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from aandacht.accounts.permissions import Permission, requires
from aandacht.outreach import preferences, reports, service
from aandacht.outreach.models import OPT_OUT_CHANNELS

blueprint = Blueprint("messages", __name__, url_prefix="/app/messages", template_folder="templates")

#: The channels a person can switch off on the settings page, with their icon and words.
SWITCHES = {
    "email": ("mail", _l("By e-mail")),
    "sms": ("message", _l("By text message")),
    "push": ("bell-ringing", _l("As a notification on your phone or computer")),
}


@blueprint.app_template_global()
def unread_messages() -> int:
    """How many messages in the app the logged-in resident has not opened (0 for anyone else)."""
    principal = g.get("principal")
    if g.get("tenant") is None or principal is None or principal.kind != "person":
        return 0
    return service.unread_count(principal.id)


@blueprint.app_template_global()
def reach_switches() -> list[tuple[str, str, str, bool]]:
    """The settings page's switches: (channel, icon, words, on) for each channel a person can switch off."""
    switched_off = preferences.opted_out_channels(g.principal.id)
    return [(name, icon, str(words), name not in switched_off) for name, (icon, words) in SWITCHES.items()]


@blueprint.app_template_global()
def push_public_key() -> str | None:
    """The VAPID public key that browsers subscribe with (None: web push is not set up)."""
    return current_app.extensions["aandacht.settings"].vapid_public_key


@blueprint.get("/")
@requires(Permission.SELF)
def index() -> str:
    """The person's messages in the app, newest first; the unread ones are marked read now."""
    messages = service.app_messages(g.principal.id)
    unread = {message.id for message in messages if message.opened_at is None}
    reports.shown_in_app(g.principal.id, [message.id for message in messages])
    service.mark_read(g.principal.id, list(unread))
    return render_template("outreach/messages.html", messages=messages, unread=unread)


@blueprint.post("/channels")
@requires(Permission.SELF)
def choose_channels() -> Response:
    """Switch channels on and off: the form sends the channels the person keeps on."""
    kept = set(request.form.getlist("channel"))
    for name in OPT_OUT_CHANNELS:
        preferences.set_opt_out(g.principal.id, name, name not in kept, source="person")
    flash(_("Saved. We only reach you in the ways you chose."), "info")
    return redirect(url_for("participant.settings", _anchor="reach-heading"))


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
