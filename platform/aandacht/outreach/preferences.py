"""What a person chose about being reached: channels switched off, browsers subscribed to web push.

Unsubscribe links (one click in a mail program, RFC 8058) carry a signed token of person, tenant and
channel, so they work without logging in and cannot be made for someone else.

The preferred channel itself is a profile attribute of the core (`core.preferred_channel`), asked in
the questionnaire "How we reach you"; this module keeps what is not a profile answer.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, select

from aandacht.db import session, utcnow
from aandacht.outreach.models import OPT_OUT_CHANNELS, OPT_OUT_SOURCES, ChannelOptOut, PushSubscription
from aandacht.tenancy.context import require_tenant


def opted_out_channels(person_id: uuid.UUID) -> set[str]:
    """The channels the person switched off."""
    return set(
        session.execute(select(ChannelOptOut.channel).where(ChannelOptOut.person_id == person_id)).scalars()
    )


def set_opt_out(person_id: uuid.UUID, channel: str, opted_out: bool, *, source: str) -> bool:
    """Switch a channel off (or on again) for a person and commit; returns whether anything changed."""
    if channel not in OPT_OUT_CHANNELS:
        raise ValueError(f"channel {channel!r} cannot be switched off")
    if source not in OPT_OUT_SOURCES:
        raise ValueError(f"unknown source {source!r}")
    current = channel in opted_out_channels(person_id)
    if current == opted_out:
        return False
    if opted_out:
        session.add(ChannelOptOut(person_id=person_id, channel=channel, source=source, opted_out_at=utcnow()))
    else:
        session.execute(
            delete(ChannelOptOut).where(
                ChannelOptOut.person_id == person_id, ChannelOptOut.channel == channel
            )
        )
    session.commit()
    return True


def push_subscriptions_of(person_id: uuid.UUID) -> list[PushSubscription]:
    """The browsers of a person that take web push messages, oldest first."""
    query = (
        select(PushSubscription)
        .where(PushSubscription.person_id == person_id)
        .order_by(PushSubscription.created_at)
    )
    return list(session.execute(query).scalars())


def subscribe_to_push(person_id: uuid.UUID, *, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    """Record (or renew) a browser's push subscription for the person, and commit."""
    found = session.execute(
        select(PushSubscription).where(PushSubscription.endpoint_hash == _hash(endpoint))
    ).scalar_one_or_none()
    if found is None:
        found = PushSubscription(endpoint=endpoint, endpoint_hash=_hash(endpoint))
        session.add(found)
    found.person_id, found.p256dh, found.auth = person_id, p256dh, auth
    session.commit()
    return found


def forget_push_subscriptions(person_id: uuid.UUID, endpoints: Iterable[str]) -> None:
    """Remove browsers that no longer take push messages (or that the person unsubscribed), and commit."""
    hashes = [_hash(endpoint) for endpoint in endpoints]
    session.execute(
        delete(PushSubscription).where(
            PushSubscription.person_id == person_id, PushSubscription.endpoint_hash.in_(hashes)
        )
    )
    session.commit()


def _hash(endpoint: str) -> str:
    return hashlib.sha256(endpoint.encode()).hexdigest()


def unsubscribe_token(person_id: uuid.UUID, channel: str) -> str:
    """The secret of a person's unsubscribe link for `channel` (signed; it does not expire)."""
    return _unsubscribe_signer().dumps({"t": require_tenant().id, "p": person_id.hex, "c": channel})


def unsubscribe_target(token: str) -> tuple[uuid.UUID, str] | None:
    """(person id, channel) of an unsubscribe link of the current tenant; None when it is not one."""
    try:
        found = _unsubscribe_signer().loads(token)
    except BadSignature:
        return None
    if not isinstance(found, dict) or found.get("t") != require_tenant().id:
        return None
    if found.get("c") not in OPT_OUT_CHANNELS:
        return None
    try:
        return uuid.UUID(str(found.get("p"))), found["c"]
    except ValueError:
        return None


def _unsubscribe_signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="aandacht.outreach.unsubscribe")
