"""The daily digest: each morning an e-mail to each coach with how many people need attention, and why.

`send_digests` runs every 15 minutes for every tenant (`aandacht.schedule.PERIODIC`); from the
tenant's `digest_hour` (7:00 in its time zone unless `[attention]` says otherwise) it sends each coach
who did not switch it off their digest of the day. A `DigestSent` row is committed before the e-mail
goes, so a coach gets one a day however often the job runs; when sending fails the row is removed
again and the next run tries once more. The e-mail goes through the same SMTP settings as login links.
"""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from datetime import date, datetime

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from aandacht.accounts import service as accounts
from aandacht.accounts.models import StaffMember
from aandacht.attention import service
from aandacht.attention.models import DigestSent
from aandacht.attention.service import Worklist
from aandacht.attention.signals import settings_of
from aandacht.db import session, utcnow
from aandacht.outreach.limits import time_zone
from aandacht.outreach.outbox import deliver_email, tenant_request
from aandacht.tenancy.context import CurrentTenant, require_tenant

log = logging.getLogger(__name__)
#: How many people the digest names, and how many reasons it counts.
TOP_PEOPLE, TOP_REASONS = 5, 3


def send_digests(*, now: datetime | None = None) -> dict[str, int]:
    """The periodic job: send today's digest to each coach of the tenant who has none yet.

    Returns how many digests were sent, skipped (nobody needs attention: nothing is sent) and failed.
    """
    tenant, now = require_tenant(), now or utcnow()
    local = now.astimezone(time_zone(tenant))
    outcome = {"sent": 0, "empty": 0, "failed": 0}
    if local.hour < settings_of(tenant).get("digest_hour", 7):
        return outcome
    today = local.date()
    already = set(session.execute(select(DigestSent.staff_id).where(DigestSent.day == today)).scalars())
    for coach in accounts.caseload_holders():
        if coach.id in already or not service.digest_wanted(coach.id):
            continue
        with tenant_request(tenant, coach.locale or tenant.default_locale):
            found = service.worklist(coach.id, now=now)
            subject, text = digest_text(tenant, coach, found, url_for("workspace.caseload", _external=True))
        if not _claim(coach.id, today, len(found.entries)):
            continue  # another run got there first
        if not found.entries:
            outcome["empty"] += 1
            continue
        try:
            deliver_email(to=coach.email, subject=subject, text=text)
        except Exception:  # one coach's mail server trouble must not stop the others' digests
            log.exception(
                "digest for %s failed; the next run tries again", coach.id, extra={"tenant": tenant.slug}
            )
            session.execute(
                delete(DigestSent).where(DigestSent.staff_id == coach.id, DigestSent.day == today)
            )
            session.commit()
            outcome["failed"] += 1
        else:
            outcome["sent"] += 1
    log.info("digests: %s", outcome, extra={"tenant": tenant.slug})
    return outcome


def _claim(staff_id: uuid.UUID, day: date, people: int) -> bool:
    """Write today's digest row; False when it was there already (a parallel run)."""
    session.add(DigestSent(staff_id=staff_id, day=day, people=people))
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return False
    return True


def digest_text(tenant: CurrentTenant, coach: StaffMember, found: Worklist, link: str) -> tuple[str, str]:
    """The digest's subject and plain text, in the current locale."""
    count = len(found.entries)
    subject = ngettext(
        "%(num)d person needs your attention today", "%(num)d people need your attention today", count
    )
    reasons = Counter(signal.key for entry in found.entries for signal in entry.signals)
    labels = {rule.key: rule.label for rule in service.signal_rules(tenant)}
    lines = [
        _("Good morning %(name)s,", name=coach.display_name),
        "",
        subject + ".",
        "",
        _("Most common reasons:"),
        *(f"- {labels.get(key, key)}: {number}" for key, number in reasons.most_common(TOP_REASONS)),
        "",
        _("First on your list:"),
        *(
            f"- {entry.person.display_name}: {entry.signals[0].reason}"
            for entry in found.entries[:TOP_PEOPLE]
        ),
        "",
        _("Open your worklist: %(link)s", link=link),
        "",
        _("You get this e-mail each morning. You can switch it off below your worklist."),
    ]
    return f"{subject} - {tenant.name}", "\n".join(lines)
