"""One-click unsubscribe (RFC 8058): the link in every e-mail's List-Unsubscribe header.

A mail program posts `List-Unsubscribe=One-Click` to the link without a visit and without cookies, so
the POST needs no CSRF token: the signed token in the address is the proof. A person who follows the
link in a browser gets a page with one button first (a GET never changes anything, because link
checkers and virus scanners open links).
"""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, g, render_template

from aandacht.accounts.csrf import csrf
from aandacht.accounts.permissions import public
from aandacht.outreach import preferences, service

blueprint = Blueprint("unsubscribe", __name__, template_folder="templates")


@blueprint.get("/unsubscribe/<token>")
@public
def confirm(token: str) -> str:
    """A page with one button: no more messages over this channel."""
    _target(token)
    return render_template("outreach/unsubscribe.html", token=token, done=False)


@blueprint.post("/unsubscribe/<token>")
@public
@csrf.exempt
def unsubscribe(token: str) -> str:
    """Switch the channel off for the person of the link (one click from a mail program, or the button)."""
    person_id, channel = _target(token)
    preferences.set_opt_out(person_id, channel, True, source="unsubscribe")
    return render_template("outreach/unsubscribe.html", token=token, done=True)


def _target(token: str) -> tuple[uuid.UUID, str]:
    """The person and channel of the link; 404 when the link is not one of this tenant's."""
    if g.get("tenant") is None:
        abort(404)
    target = preferences.unsubscribe_target(token)
    if target is None:
        abort(404)
    try:
        service.recipient(target[0])
    except service.UnknownPerson:
        abort(404)
    return target
