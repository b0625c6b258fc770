"""The tenant's limits on sending: quiet hours per channel, and the frequency cap of campaigns.

Both come from the tenant file's `[outreach]` table (docs/tenants.md, docs/outreach.md):

- `quiet_hours = {sms = "21:00-08:00"}`: a message on that channel that would go out inside the
  window gets `not_before` at its end, in the tenant's time zone (`time_zone`, Europe/Amsterdam by
  default), so a change of summer time moves the end with the clock on the wall. The app's own list
  (`in_app`) is never quiet: it does not wake anyone.
- `campaign_cap = {messages = 3, days = 7}`: a person gets at most that many campaign messages in
  that many days; the rest of their campaigns skip them with the reason `capped`. A coach's own
  message to one person and system messages are not campaigns and are never capped.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from aandacht.db import session
from aandacht.outreach.models import Message
from aandacht.tenancy.context import CurrentTenant

#: The time zone of a tenant whose file names none.
DEFAULT_TIME_ZONE = "Europe/Amsterdam"


def time_zone(tenant: CurrentTenant) -> ZoneInfo:
    """The tenant's time zone (quiet hours and the workspace's moments are in it)."""
    return ZoneInfo((tenant.outreach or {}).get("time_zone") or DEFAULT_TIME_ZONE)


def quiet_window(tenant: CurrentTenant, channel: str) -> tuple[time, time] | None:
    """The channel's quiet hours (start, end) on the wall clock; None: never quiet."""
    written = ((tenant.outreach or {}).get("quiet_hours") or {}).get(channel)
    if not written:
        return None
    start, end = (time.fromisoformat(part) for part in written.split("-"))
    return (start, end) if start != end else None


def quiet_until(tenant: CurrentTenant, channel: str, moment: datetime) -> datetime | None:
    """When the channel's quiet hours end, if `moment` (aware) is inside them; None: it may go out."""
    window = quiet_window(tenant, channel)
    if window is None:
        return None
    start, end = window
    zone = time_zone(tenant)
    local = moment.astimezone(zone)
    clock = local.time().replace(tzinfo=None)
    if start < end:  # a window inside one day, e.g. 12:00-13:30
        if not start <= clock < end:
            return None
        day = local.date()
    elif clock >= start:  # a window over midnight, e.g. 21:00-08:00, in its evening part
        day = local.date() + timedelta(days=1)
    elif clock < end:  # … in its morning part
        day = local.date()
    else:
        return None
    return datetime.combine(day, end, tzinfo=zone).astimezone(moment.tzinfo)


def not_before_for(
    tenant: CurrentTenant, channel: str, wanted: datetime | None, now: datetime
) -> datetime | None:
    """A message's `not_before`: the moment wanted (None: now), moved to the end of quiet hours."""
    moment = wanted if wanted is not None and wanted > now else now
    later = quiet_until(tenant, channel, moment)
    return later if later is not None else wanted


def outside_quiet_hours(tenant: CurrentTenant, channels: Iterable[str], moment: datetime) -> datetime:
    """The first moment from `moment` on that is outside the quiet hours of every one of `channels`.

    A broadcast releases everything at one moment, so it waits until no channel it uses is quiet.
    """
    names = list(channels)
    for _round in range(len(names) + 1):  # each round can only move later; windows are under a day
        later = [found for name in names if (found := quiet_until(tenant, name, moment)) is not None]
        if not later:
            return moment
        moment = max(later)
    return moment


def campaign_cap(tenant: CurrentTenant) -> tuple[int, int] | None:
    """(messages, days) of the tenant's frequency cap of campaigns; None: no cap."""
    cap = (tenant.outreach or {}).get("campaign_cap")
    if not cap:
        return None
    return int(cap["messages"]), int(cap["days"])


def capped_people(
    tenant: CurrentTenant, person_ids: Sequence[uuid.UUID], now: datetime
) -> dict[uuid.UUID, int]:
    """Those of `person_ids` who reached the cap, with the campaign messages they got (one query).

    Counted: campaign messages decided in the cap's window, not their fallbacks (one message to the
    person, on another channel) and not those that failed (they did not reach the person).
    """
    cap = campaign_cap(tenant)
    if cap is None or not person_ids:
        return {}
    most, days = cap
    query = (
        select(Message.person_id, func.count())
        .where(
            Message.person_id.in_(list(person_ids)),
            Message.campaign_id.is_not(None),
            Message.replaces_id.is_(None),
            Message.status != "failed",
            Message.created_at >= now - timedelta(days=days),
        )
        .group_by(Message.person_id)
    )
    return {person_id: got for person_id, got in session.execute(query).all() if got >= most}
