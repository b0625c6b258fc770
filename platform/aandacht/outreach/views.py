"""The local outbox, shown in the app: where the embedded default's e-mails and SMS land.

Only outside production: there, nothing is written to the outbox and this page does not exist.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g, render_template

from aandacht.accounts.permissions import public
from aandacht.outreach.outbox import outbox_messages

blueprint = Blueprint("outbox", __name__, template_folder="templates")


@blueprint.get("/outbox/")
@public
def messages() -> str:
    """The messages this tenant sent, newest first, so a demo user can follow a login link."""
    settings = current_app.extensions["aandacht.settings"]
    if settings.environment == "production" or g.tenant is None:
        abort(404)
    sent = outbox_messages(settings.outbox_dir, tenant_slug=g.tenant.slug)[:50]
    return render_template("outreach/outbox.html", messages=sent)
