"""Opens and clicks of campaign e-mails, for the campaign's results; only where the tenant allows it.

With `tracking = true` in the tenant file's `[outreach]` table, a campaign's e-mail carries a 1x1
image (`/m/<token>/open.gif`) and its link goes through `/m/<token>/go`, which records the click
and redirects to the message's own link (never to an address from the request: no open redirect).
The token is signed and holds only the tenant and the message id: no name, address or other
personal data is in a URL, and a token cannot be made for another message. Without the switch (the
default) e-mails carry neither, and nothing is recorded. A coach's own messages are never tracked.
"""

from __future__ import annotations

import base64
import uuid

from flask import Blueprint, Response, abort, current_app, redirect, url_for
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import Row, update

from aandacht.accounts.permissions import public
from aandacht.db import session, utcnow
from aandacht.outreach.models import Message
from aandacht.tenancy.context import CurrentTenant, require_tenant
from aandacht.tenancy.scoping import get_scoped

blueprint = Blueprint("tracking", __name__)
#: A transparent 1x1 GIF.
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


def tracks(tenant: CurrentTenant, message: Message | Row) -> bool:
    """Whether this message's opens and clicks are counted: a campaign's e-mail, where the tenant allows."""
    return bool((tenant.outreach or {}).get("tracking")) and message.campaign_id is not None


def tracking_links(message: Message | Row) -> dict[str, str]:
    """The image and the link of a tracked message (inside a request on the tenant's address)."""
    token = _signer().dumps({"t": require_tenant().id, "m": message.id.hex})
    links = {"open": url_for("tracking.opened", token=token, _external=True)}
    if (message.payload or {}).get("link"):
        links["click"] = url_for("tracking.clicked", token=token, _external=True)
    return links


@blueprint.get("/m/<token>/open.gif")
@public
def opened(token: str) -> Response:
    """Record the first open of the message, and answer with an invisible image."""
    _record(_message_id(token), Message.opened_at)
    return Response(PIXEL, mimetype="image/gif", headers={"Cache-Control": "no-store"})


@blueprint.get("/m/<token>/go")
@public
def clicked(token: str) -> Response:
    """Record the first click (and the open it implies), then go to the message's own link."""
    message_id = _message_id(token)
    message = get_scoped(Message, message_id)
    link = (message.payload or {}).get("link") if message else None
    if not link:
        abort(404)
    _record(message_id, Message.clicked_at)
    _record(message_id, Message.opened_at)
    return redirect(link)


def _record(message_id: uuid.UUID, column) -> None:
    session.execute(
        update(Message)
        .where(Message.id == message_id, column.is_(None))
        .values({column.key: utcnow()})
        .execution_options(synchronize_session=False)
    )
    session.commit()


def _message_id(token: str) -> uuid.UUID:
    """The message of a token of the current tenant whose tenant still tracks; else 404."""
    tenant = require_tenant()
    try:
        found = _signer().loads(token)
        if not isinstance(found, dict) or found.get("t") != tenant.id:
            abort(404)
        message_id = uuid.UUID(str(found.get("m")))
    except (BadSignature, ValueError):
        abort(404)
    if not (tenant.outreach or {}).get("tracking"):
        abort(404)  # switched off since: record nothing
    return message_id


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="aandacht.outreach.tracking")
