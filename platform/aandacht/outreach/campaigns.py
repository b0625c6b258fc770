"""Campaigns: one message to many people, now or at a moment, and what became of it.

A campaign is written as a draft, then released (`release`): at its moment the periodic job
`release_due` (every minute, per tenant) hands its preparation to a job that carries only its id
(`prepare`). Preparing is a bulk operation, built for 100,000 recipients:

1. the audience is resolved with one segments query, as the staff member who made it sees people (a
   coach only their caseload), and frozen: the message rows are the record of who got it;
2. per batch of `BATCH` people, what decides their channel (addresses, push subscriptions, opt-outs,
   preferences) and the frequency cap are read in a few queries, the decision is made by the same code
   as `service.send_to_person` (`service.choose`, `service.message_row`), and the messages are written
   with one multi-row INSERT;
3. after each batch's commit its due messages are handed to the queue (ids only).

Preparing is idempotent: each message has the key `campaign:<campaign>:<person>`, a person already
prepared is passed over, so a preparation that died half-way is simply run again.

A broadcast (`broadcast=True`) is prepared in full first, every message held back with one shared
`not_before` (its release moment, moved out of the quiet hours of every channel it uses); only then
are all of them handed to the queue at once, so nobody hears of a vacancy minutes before another.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, insert, select, update

from aandacht import jobs
from aandacht.accounts.models import StaffMember
from aandacht.accounts.permissions import Permission
from aandacht.accounts.principal import Principal
from aandacht.db import session, utcnow
from aandacht.outreach import limits, service
from aandacht.outreach.message_templates import TemplateFields, TemplateInvalid, template_by_id
from aandacht.outreach.models import CHANNELS, Campaign, CampaignSkip, Message, MessageTemplate
from aandacht.segments import service as segments
from aandacht.segments.language import SelectionInvalid, Viewer
from aandacht.segments.signals import segment_users
from aandacht.tenancy.context import require_tenant
from aandacht.tenancy.scoping import get_scoped

#: People per batch: one INSERT of their messages, one commit.
BATCH = 1000
#: The preparation job (a name, so the periodic job need not import it).
PREPARE = "aandacht.outreach.campaigns:prepare"
#: A preparation whose job has not finished after this long is handed to the queue again.
PREPARE_AGAIN_AFTER = timedelta(minutes=10)
#: The statuses in which a campaign may still be changed or cancelled.
OPEN = ("draft", "scheduled")
#: Selects every person (the viewer's own limits still apply).
EVERYONE: dict[str, Any] = {"and": []}


class CampaignInvalid(ValueError):
    """A campaign cannot be saved or released; `errors` maps a field to the reason."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{key}: {message}" for key, message in errors.items()))
        self.errors = errors


@dataclass
class CampaignFields:
    """What a staff member fills in for a campaign."""

    name: str
    audience_kind: str
    person_id: uuid.UUID | None = None
    segment_id: uuid.UUID | None = None
    template_id: uuid.UUID | None = None
    #: Without a template: per channel {"subject": …, "body": …}.
    texts: dict[str, dict[str, str]] = field(default_factory=dict)
    channels: list[str] | None = None
    link: str | None = None
    scheduled_at: datetime | None = None
    broadcast: bool = False

    @classmethod
    def of(cls, campaign: Campaign) -> CampaignFields:
        """The fields of a saved campaign."""
        return cls(
            name=campaign.name,
            audience_kind=campaign.audience_kind,
            person_id=campaign.person_id,
            segment_id=campaign.segment_id,
            template_id=campaign.template_id,
            texts=dict(campaign.texts or {}),
            channels=list(campaign.channels) if campaign.channels is not None else None,
            link=campaign.link,
            scheduled_at=campaign.scheduled_at,
            broadcast=campaign.broadcast,
        )


# --- Reading --------------------------------------------------------------------------------------------


def campaigns(*, limit: int = 200) -> list[Campaign]:
    """The tenant's campaigns, newest first."""
    return list(session.execute(select(Campaign).order_by(Campaign.created_at.desc()).limit(limit)).scalars())


def campaign_by_id(campaign_id: uuid.UUID) -> Campaign | None:
    """One campaign of the tenant in context."""
    return get_scoped(Campaign, campaign_id)


def may_see_everyone(principal: Principal) -> bool:
    """Whether the staff member may send to everyone (team leads, tenant administrators)."""
    return principal.can(Permission.PEOPLE_VIEW_ALL)


def may_manage(campaign: Campaign, principal: Principal) -> bool:
    """Whether the staff member may change, release or cancel it: its maker, or one who sees everyone."""
    return campaign.created_by == principal.id or may_see_everyone(principal)


# --- Writing --------------------------------------------------------------------------------------------


def save_campaign(
    values: CampaignFields, *, acting_user: Principal, campaign: Campaign | None = None
) -> Campaign:
    """Save a new draft (or change a draft or scheduled `campaign`) after checking everything, and commit.

    Raises CampaignInvalid with every problem; nothing is written then.
    """
    if campaign is not None and campaign.status not in OPEN:
        raise CampaignInvalid({"status": _("This campaign was already sent; it cannot be changed.")})
    check(values, acting_user=acting_user)
    now = utcnow()
    if campaign is None:
        campaign = Campaign(id=uuid.uuid4(), status="draft", created_by=acting_user.id, created_at=now)
        session.add(campaign)
    texts = {name: dict(text) for name, text in values.texts.items() if (text.get("body") or "").strip()}
    campaign.name = values.name.strip()
    campaign.audience_kind = values.audience_kind
    campaign.person_id = values.person_id if values.audience_kind == "person" else None
    campaign.segment_id = values.segment_id if values.audience_kind == "segment" else None
    campaign.template_id = values.template_id
    campaign.texts = None if values.template_id else texts
    campaign.channels = values.channels
    campaign.link = (values.link or "").strip() or None
    campaign.scheduled_at = values.scheduled_at
    campaign.broadcast = values.broadcast
    campaign.changed_at = now
    session.commit()
    return campaign


def check(values: CampaignFields, *, acting_user: Principal) -> None:
    """Raise CampaignInvalid with every problem of `values` as `acting_user` would send it."""
    errors = _problems(values, acting_user)
    if errors:
        raise CampaignInvalid(errors)


def _problems(values: CampaignFields, acting_user: Principal) -> dict[str, str]:
    errors: dict[str, str] = {}
    name = values.name.strip()
    if not name or len(name) > 120:
        errors["name"] = _("Give a name of 1 to 120 characters.")
    viewer = segments.viewer_of(acting_user)
    if values.audience_kind == "person":
        if values.person_id is None or not segments.includes(EVERYONE, viewer, values.person_id):
            errors["person_id"] = _("Choose a person you work with.")
    elif values.audience_kind == "segment":
        if values.segment_id is None or segments.segment_by_id(values.segment_id) is None:
            errors["segment_id"] = _("Choose a saved selection.")
    elif values.audience_kind == "everyone":
        if not may_see_everyone(acting_user):
            errors["audience_kind"] = _("Only team leads may send to everyone.")
    else:
        errors["audience_kind"] = _("Choose one person, a selection or everyone.")
    errors.update(content_problems(values.template_id, values.texts, values.channels))
    if values.link and len(values.link) > 500:
        errors["link"] = _("The link is too long: at most 500 characters.")
    if values.scheduled_at is not None and values.scheduled_at.tzinfo is None:
        errors["scheduled_at"] = _("Give the moment with its time zone.")
    return errors


def content_problems(
    template_id: uuid.UUID | None, texts: dict[str, dict[str, str]], channels: list[str] | None
) -> dict[str, str]:
    """What is wrong with a message's content and channels (of a campaign or a rule), per field."""
    errors: dict[str, str] = {}
    if channels is not None and (not channels or any(name not in CHANNELS for name in channels)):
        errors["channels"] = _("Choose channels from: %(names)s.", names=", ".join(CHANNELS))
    if template_id is not None:
        if template_by_id(template_id) is None:
            errors["template_id"] = _("This template does not exist.")
        return errors
    unknown = [name for name in texts if name not in CHANNELS]
    if unknown:
        errors["texts"] = _("Unknown channels: %(names)s.", names=", ".join(unknown))
    elif not any((text.get("body") or "").strip() for text in texts.values()):
        errors["texts"] = _("Write a text for at least one channel, or choose a template.")
    elif any(len(text.get("subject") or "") > 200 for text in texts.values()):
        errors["texts"] = _("A subject has at most 200 characters.")
    return errors


def release(campaign: Campaign, *, acting_user: Principal) -> Campaign:
    """Send the campaign at its moment (or now, when it has none or it has passed), and commit.

    Checks it again as its maker sees people now; a campaign due now is prepared at once (a job).
    """
    if campaign.status not in OPEN:
        raise CampaignInvalid({"status": _("This campaign was already sent.")})
    check(CampaignFields.of(campaign), acting_user=acting_user)
    campaign.status, campaign.changed_at = "scheduled", utcnow()
    session.commit()
    release_due()
    return campaign


def cancel(campaign: Campaign) -> Campaign:
    """Stop a campaign that was not released yet, and commit."""
    if campaign.status not in OPEN:
        raise CampaignInvalid({"status": _("This campaign is already being sent; it cannot be stopped.")})
    campaign.status, campaign.changed_at = "cancelled", utcnow()
    session.commit()
    return campaign


# --- Releasing: the periodic job and the preparation job -----------------------------------------------


def release_due(*, now: datetime | None = None) -> None:
    """The periodic job (every minute, per tenant): start, release and finish campaigns whose time came.

    - a scheduled campaign whose moment came becomes `preparing`, and its preparation is a job;
    - a preparation that did not finish in `PREPARE_AGAIN_AFTER` is handed to the queue again;
    - a prepared broadcast whose release moment came is released;
    - a released campaign none of whose messages waits any more is done.
    """
    now = now or utcnow()
    due = session.execute(
        select(Campaign.id).where(
            Campaign.status == "scheduled",
            (Campaign.scheduled_at.is_(None)) | (Campaign.scheduled_at <= now),
        )
    ).scalars()
    starting = []
    for campaign_id in list(due):
        claimed = session.execute(
            update(Campaign)
            .where(Campaign.id == campaign_id, Campaign.status == "scheduled")
            .values(status="preparing", changed_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed:
            starting.append(campaign_id)
    stalled = session.execute(
        select(Campaign.id).where(
            Campaign.status == "preparing",
            Campaign.prepared_at.is_(None),
            Campaign.changed_at < now - PREPARE_AGAIN_AFTER,
        )
    ).scalars()
    for campaign_id in list(stalled):
        session.execute(
            update(Campaign)
            .where(Campaign.id == campaign_id)
            .values(changed_at=now)
            .execution_options(synchronize_session=False)
        )
        starting.append(campaign_id)
    waiting = session.execute(
        select(Campaign.id).where(
            Campaign.status == "preparing", Campaign.prepared_at.is_not(None), Campaign.release_at <= now
        )
    ).scalars()
    releasing = list(waiting)
    _finish_released(now)
    session.commit()
    for campaign_id in starting:
        jobs.enqueue(PREPARE, str(campaign_id), queue="bulk")
    for campaign_id in releasing:
        _release_broadcast(campaign_id, now)


def prepare(campaign_id: str) -> str:
    """The preparation job: write the campaign's messages in batches; returns what it did.

    Safe to run twice, also at the same time as the periodic job: every person gets one message.
    """
    campaign = get_scoped(Campaign, uuid.UUID(campaign_id))
    if campaign is None or campaign.status != "preparing":
        return "skipped"
    if campaign.prepared_at is not None:
        return "prepared"
    now = utcnow()
    try:
        plan = _plan(campaign, now)
        audience = _audience(campaign)
    except (CampaignInvalid, SelectionInvalid) as problem:
        session.rollback()
        _stop(uuid.UUID(campaign_id), str(problem))
        return "failed"
    campaign.audience_size = len(audience)
    campaign.release_at = plan.release_at
    resuming = _begun(campaign.id)
    session.commit()
    try:
        for start in range(0, len(audience), BATCH):
            due = _write_batch(campaign.id, plan, audience[start : start + BATCH], now, resuming=resuming)
            session.commit()
            service.hand_over_many(due, bulk=True)
    except CampaignInvalid as problem:
        session.rollback()
        _stop(uuid.UUID(campaign_id), str(problem))
        return "failed"
    campaign = session.execute(select(Campaign).where(Campaign.id == uuid.UUID(campaign_id))).scalar_one()
    campaign.prepared_at = utcnow()
    if not campaign.broadcast:
        campaign.status, campaign.released_at = "released", campaign.prepared_at
    session.commit()
    if campaign.broadcast and campaign.release_at is not None and campaign.release_at <= utcnow():
        _release_broadcast(campaign.id, utcnow())
    return "prepared"


@dataclass(frozen=True)
class Plan:
    """What preparing needs of a campaign, read once: the content, the channels, the moment."""

    #: The campaign of the messages; None for a rule's.
    campaign_id: uuid.UUID | None
    #: The idempotency key of a person's message, with `{person}` for the person's id.
    key: str
    sender_id: uuid.UUID | None
    #: What the staff member sees of a message nothing reaches (its subject).
    name: str
    channels: list[str] | None
    served: list[str]
    texts: dict[str, dict[str, str]]
    template: MessageTemplate | None
    sender: Principal | None
    link: str | None
    broadcast: bool
    #: A broadcast's one release moment (messages wait for it); else the wanted moment (None: now).
    release_at: datetime | None
    #: Whether the tenant's frequency cap applies (campaigns: yes; a rule has its own cooldown).
    capped: bool = True


def content_of(
    template_id: uuid.UUID | None, texts: dict[str, Any] | None
) -> tuple[MessageTemplate | None, list[str]]:
    """The template (if any) and the channels the content has a text for; raises CampaignInvalid."""
    if template_id is None:
        return None, [name for name, text in (texts or {}).items() if (text.get("body") or "").strip()]
    template = template_by_id(template_id)
    if template is None:
        raise CampaignInvalid({"template_id": _("The template was removed.")})
    return template, TemplateFields.of(template).channels()


def _plan(campaign: Campaign, now: datetime) -> Plan:
    sender = _maker(campaign)
    template, served = content_of(campaign.template_id, campaign.texts)
    wanted = campaign.scheduled_at if campaign.scheduled_at and campaign.scheduled_at > now else now
    release_at = wanted
    if campaign.broadcast:
        used = [name for name in (campaign.channels or CHANNELS) if name in served]
        release_at = limits.outside_quiet_hours(require_tenant(), used, wanted)
    return Plan(
        campaign_id=campaign.id,
        key=f"campaign:{campaign.id}:{{person}}",
        sender_id=campaign.created_by,
        name=campaign.name,
        channels=campaign.channels,
        served=served,
        texts=dict(campaign.texts or {}),
        template=template,
        sender=sender,
        link=campaign.link,
        broadcast=campaign.broadcast,
        release_at=release_at,
    )


def _maker(campaign: Campaign) -> Principal | None:
    """The staff member who made the campaign, as the principal its audience and texts are seen as."""
    return maker_of(campaign.created_by)


def maker_of(staff_id: uuid.UUID | None) -> Principal | None:
    """A staff member as the principal a campaign or rule is seen as; None when gone or inactive."""
    staff = get_scoped(StaffMember, staff_id) if staff_id else None
    if staff is None or not staff.active:
        return None
    return Principal(kind="staff", id=staff.id, tenant_id=require_tenant().id, role=staff.role)


def viewer_for(campaign: Any) -> Viewer:
    """Whom the audience is selected as: its maker (a coach: their caseload); the system when none."""
    maker = maker_of(campaign.created_by)
    if maker is None:
        if campaign.created_by is not None:  # the maker left: nobody's caseload, nobody's message
            raise CampaignInvalid({"created_by": _("The staff member who made it no longer works here.")})
        return Viewer.system()
    return segments.viewer_of(maker)


def audience_document(campaign: Campaign | CampaignFields) -> dict[str, Any]:
    """The selection document of the audience."""
    if campaign.audience_kind == "segment":
        return {"segment": {"id": str(campaign.segment_id)}}
    return EVERYONE


def _audience(campaign: Campaign) -> list[uuid.UUID]:
    """Who the campaign goes to, resolved now with one query as its maker sees people."""
    viewer = viewer_for(campaign)
    if campaign.audience_kind == "person":
        found = campaign.person_id is not None and segments.includes(EVERYONE, viewer, campaign.person_id)
        return [campaign.person_id] if found and campaign.person_id else []
    if campaign.audience_kind == "everyone" and not viewer.sees_everyone:
        raise CampaignInvalid({"audience_kind": _("Only team leads may send to everyone.")})
    return sorted(segments.person_ids(audience_document(campaign), viewer))


@dataclass(frozen=True)
class Outcome:
    """What deciding gave for one person of a batch: a message's columns, or a skip and why."""

    person_id: uuid.UUID
    row: dict[str, Any] | None = None
    skip: str | None = None
    detail: str = ""


def choices(
    person_ids: Sequence[uuid.UUID],
    channels: Sequence[str] | None,
    served: Sequence[str],
    now: datetime,
    *,
    apply_cap: bool = True,
) -> Iterator[tuple[uuid.UUID, service.Choice | None, str, str]]:
    """For each active person of a batch: (id, choice, skip reason, detail); reads all in a few queries.

    The skip reason is `capped` (the choice is None) or `unreachable` (no channel of the choice
    reaches them); empty when a message goes out.
    """
    reaches = service.reach_of_many(person_ids)
    capped = limits.capped_people(require_tenant(), person_ids, now) if apply_cap else {}
    for person_id in person_ids:
        reach = reaches.get(person_id)
        if reach is None:  # became inactive or was removed since the audience was resolved
            continue
        if person_id in capped:
            detail = _("Already %(number)d campaign messages lately.", number=capped[person_id])
            yield person_id, None, "capped", detail
            continue
        choice = service.choose(reach, channels, served)
        if not choice.usable:
            yield person_id, choice, "unreachable", service.unreachable_reason(choice.reasons)
            continue
        yield person_id, choice, "", ""


def decide_batch(plan: Plan, person_ids: Sequence[uuid.UUID], now: datetime) -> list[Outcome]:
    """Decide the message of each person of a batch (the messages' columns, or skips with the reason).

    A campaign skips a person nothing reaches (counted in its results); a rule, which has no results
    of its own, writes them a failed message with the reason, as a coach's own message does.
    """
    payload: dict[str, Any] = {"link": plan.link} if plan.link else {}
    if plan.template is not None:
        payload["template_id"] = str(plan.template.id)
    outcomes: list[Outcome] = []
    for person_id, choice, skip, detail in choices(
        person_ids, plan.channels, plan.served, now, apply_cap=plan.capped
    ):
        if choice is None or (skip and plan.campaign_id is not None):
            outcomes.append(Outcome(person_id, skip=skip, detail=detail))
            continue
        texts = _texts_for(plan, person_id, choice.usable)
        subject, body = service.first_text(texts, choice.usable, plan.name)
        row = service.message_row(
            person_id,
            choice,
            subject=subject,
            body=body,
            payload={**payload, "texts": texts},
            now=now,
            not_before=plan.release_at if plan.release_at and plan.release_at > now else None,
            idempotency_key=plan.key.format(person=person_id),
            campaign_id=plan.campaign_id,
            sender_id=plan.sender_id,
        )
        if (
            plan.broadcast and row["status"] == "queued"
        ):  # held back until the whole campaign is prepared: released together
            row.update(not_before=plan.release_at, next_attempt_at=None, handed_over_at=None)
        outcomes.append(Outcome(person_id, row=row))
    return outcomes


def _texts_for(plan: Plan, person_id: uuid.UUID, usable: Sequence[str]) -> dict[str, dict[str, str]]:
    if plan.template is None:
        return {name: {"subject": "", **plan.texts[name]} for name in usable}
    if plan.sender is None:
        raise CampaignInvalid({"created_by": _("A template is rendered as a staff member.")})
    return service.template_texts(plan.template, person_id, usable, acting_user=plan.sender)


def _begun(campaign_id: uuid.UUID) -> bool:
    """Whether an earlier run of the preparation wrote anything (then each batch looks first)."""
    wrote = select(Message.id).where(Message.campaign_id == campaign_id).limit(1)
    skipped = select(CampaignSkip.person_id).where(CampaignSkip.campaign_id == campaign_id).limit(1)
    return session.execute(wrote).first() is not None or session.execute(skipped).first() is not None


def _prepared(campaign_id: uuid.UUID, person_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    """Those of `person_ids` who already have a message or a skip of the campaign."""
    wanted = list(person_ids)
    done = set(
        session.execute(
            select(Message.person_id).where(Message.campaign_id == campaign_id, Message.person_id.in_(wanted))
        ).scalars()
    )
    done.update(
        session.execute(
            select(CampaignSkip.person_id).where(
                CampaignSkip.campaign_id == campaign_id, CampaignSkip.person_id.in_(wanted)
            )
        ).scalars()
    )
    return done


def _write_batch(
    campaign_id: uuid.UUID, plan: Plan, person_ids: Sequence[uuid.UUID], now: datetime, *, resuming: bool
) -> list[uuid.UUID]:
    """Write the messages and skips of one batch (not committed); returns the ids due now.

    When `resuming` an earlier run, people already prepared (a message or a skip of this campaign) are
    passed over: run twice, a batch writes each message once. A first run, which the campaign's status
    makes the only one, need not look.
    """
    done: set[uuid.UUID] = set()
    if resuming:
        done = _prepared(campaign_id, person_ids)
    todo = [person_id for person_id in person_ids if person_id not in done]
    rows, skips = [], []
    for outcome in _decided(plan, todo, now):
        if outcome.row is not None:
            rows.append(outcome.row)
        else:
            skips.append(
                {
                    "campaign_id": campaign_id,
                    "person_id": outcome.person_id,
                    "reason": outcome.skip,
                    "detail": outcome.detail[:500],
                    "skipped_at": now,
                }
            )
    if rows:
        session.execute(insert(Message), rows)
    if skips:
        session.execute(insert(CampaignSkip), skips)
    return [row["id"] for row in rows if row["handed_over_at"] is not None]


def _decided(plan: Plan, person_ids: Sequence[uuid.UUID], now: datetime) -> list[Outcome]:
    try:
        return decide_batch(plan, person_ids, now)
    except TemplateInvalid as invalid:
        raise CampaignInvalid({"template_id": str(invalid)}) from None


def _stop(campaign_id: uuid.UUID, problem: str) -> None:
    """Cancel a campaign whose preparation cannot go on (e.g. its template fails for a person).

    Messages already handed to delivery go out; a broadcast's held-back messages fail with the reason.
    """
    now = utcnow()
    session.execute(
        update(Campaign)
        .where(Campaign.id == campaign_id)
        .values(status="cancelled", problem=problem[:500], changed_at=now)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(Message)
        .where(
            Message.campaign_id == campaign_id, Message.status == "queued", Message.next_attempt_at.is_(None)
        )
        .values(status="failed", failed_at=now, last_error=problem[:500])
        .execution_options(synchronize_session=False)
    )
    session.commit()


def _release_broadcast(campaign_id: uuid.UUID, now: datetime) -> None:
    """Make every held message of a prepared broadcast due at its one moment, and hand them all over."""
    campaign = session.execute(select(Campaign).where(Campaign.id == campaign_id)).scalar_one_or_none()
    if campaign is None or campaign.status != "preparing" or campaign.prepared_at is None:
        return
    held = (
        Message.campaign_id == campaign_id,
        Message.status == "queued",
        Message.next_attempt_at.is_(None),
    )
    ids = list(
        session.execute(
            update(Message)
            .where(*held)
            .values(next_attempt_at=campaign.release_at, handed_over_at=now)
            .returning(Message.id)
            .execution_options(synchronize_session=False)
        ).scalars()
    )
    campaign.status, campaign.released_at = "released", now
    session.commit()
    service.hand_over_many(ids, bulk=True)


def _finish_released(now: datetime) -> None:
    """Mark released campaigns done when none of their messages waits or is being sent."""
    waiting = (
        select(Message.id)
        .where(Message.campaign_id == Campaign.id, Message.status.in_(("queued", "sending")))
        .exists()
    )
    session.execute(
        update(Campaign)
        .where(Campaign.status == "released", ~waiting)
        .values(status="done", finished_at=now)
        .execution_options(synchronize_session=False)
    )


# --- Results --------------------------------------------------------------------------------------------


@dataclass
class Results:
    """What became of a campaign's messages, counted per status, and of the people it skipped."""

    audience: int = 0
    #: queued (waiting, also held back or after a failed attempt), sending, sent, delivered, failed.
    statuses: dict[str, int] = field(default_factory=dict)
    #: Messages per channel.
    channels: dict[str, int] = field(default_factory=dict)
    opened: int = 0
    clicked: int = 0
    #: People without a message, per reason (capped, unreachable).
    skipped: dict[str, int] = field(default_factory=dict)
    #: The reasons of failed messages, most frequent first, with how many.
    failures: list[tuple[str, int]] = field(default_factory=list)

    def count(self, status: str) -> int:
        """Messages with this status."""
        return self.statuses.get(status, 0)


def results(campaign: Campaign) -> Results:
    """The results of a campaign, in four grouped queries."""
    found = Results(audience=campaign.audience_size or 0)
    mine = Message.campaign_id == campaign.id
    for status, channel, number, opened, clicked in session.execute(
        select(
            Message.status,
            Message.channel,
            func.count(),
            func.count(Message.opened_at),
            func.count(Message.clicked_at),
        )
        .where(mine)
        .group_by(Message.status, Message.channel)
    ).all():
        found.statuses[status] = found.statuses.get(status, 0) + number
        found.channels[channel] = found.channels.get(channel, 0) + number
        found.opened += opened
        found.clicked += clicked
    found.skipped = dict(
        session.execute(
            select(CampaignSkip.reason, func.count())
            .where(CampaignSkip.campaign_id == campaign.id)
            .group_by(CampaignSkip.reason)
        ).all()
    )
    failures = session.execute(
        select(Message.last_error, func.count())
        .where(mine, Message.status == "failed")
        .group_by(Message.last_error)
        .order_by(func.count().desc())
        .limit(10)
    ).all()
    found.failures = [(reason or "", number) for reason, number in failures]
    return found


@dataclass
class Estimate:
    """What releasing would do now: people, and per channel how many it would reach."""

    audience: int = 0
    channels: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)


def estimate(values: CampaignFields, *, acting_user: Principal) -> Estimate:
    """The confirm step: who would get it on which channel, and who not (nothing is written).

    Decided exactly as preparing does; the texts are not rendered.
    """
    viewer = segments.viewer_of(acting_user)
    if values.audience_kind == "person":
        ids = [values.person_id] if values.person_id else []
    else:
        ids = segments.person_ids(audience_document(values), viewer)
    _template, served = content_of(values.template_id, values.texts)
    now = utcnow()
    found = Estimate(audience=len(ids))
    for start in range(0, len(ids), BATCH):
        for _person_id, choice, skip, _detail in choices(
            ids[start : start + BATCH], values.channels, served, now
        ):
            if choice is None or skip:
                found.skipped[skip] += 1
            else:
                found.channels[choice.usable[0]] += 1
    return found


@segment_users.connect
def _campaigns_using(_sender: Any, *, segment: Any, **_kwargs: Any) -> list[str]:
    """Campaigns not yet prepared keep their saved segment from being removed."""
    query = select(Campaign.name).where(Campaign.segment_id == segment.id)
    return [_("campaign %(name)s", name=name) for name in session.execute(query).scalars()]
