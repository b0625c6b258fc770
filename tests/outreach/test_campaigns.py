"""Campaigns: audience, bulk preparation, idempotency, broadcast, quiet hours, caps and results."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from marshmallow import ValidationError
from sqlalchemy import event, func, select, update

from aandacht.accounts.principal import Principal
from aandacht.db import session, utcnow
from aandacht.outreach import campaigns, limits
from aandacht.outreach import message_templates as templates
from aandacht.outreach.campaigns import CampaignFields, CampaignInvalid
from aandacht.outreach.message_templates import TemplateFields
from aandacht.outreach.models import Campaign, Message
from aandacht.segments.language import Viewer
from aandacht.segments.service import SegmentFields, save_segment
from aandacht.tenancy.context import CurrentTenant, tenant_context
from aandacht.tenancy.files import OutreachSchema

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TEXT = {"email": {"subject": "Nieuwe vacature", "body": "Er is een baan bij de bibliotheek."}}


def staff(tenant: CurrentTenant, staff_id: uuid.UUID, role: str = "coach") -> Principal:
    """The principal of a staff member."""
    return Principal(kind="staff", id=staff_id, tenant_id=tenant.id, role=role)


@pytest.fixture
def setting(outreach_app, create_tenant, create_person, create_staff):
    """A tenant with 5 people (e-mail), a coach with 3 of them, a team lead, and a saved segment of all."""

    def make(**tenant_values):
        tenant = create_tenant(**tenant_values)
        people = [create_person(tenant, email=f"p{index}@example.nl") for index in range(5)]
        coach = create_staff(tenant, caseload=people[:3])
        lead = create_staff(tenant, role="team_lead")
        with outreach_app.app_context(), tenant_context(tenant):
            segment = save_segment(SegmentFields(name="Iedereen", predicate={"and": []}), Viewer.system())
            segment_id = segment.id
        return tenant, people, coach, lead, segment_id

    return make


def make_campaign(app, tenant, principal, *, release: bool = True, **values) -> uuid.UUID:
    """Save (and release) a campaign as `principal`; its id."""
    values.setdefault("name", "Vacature bibliotheek")
    values.setdefault("audience_kind", "everyone")
    values.setdefault("texts", TEXT)
    with app.app_context(), tenant_context(tenant):
        campaign = campaigns.save_campaign(CampaignFields(**values), acting_user=principal)
        if release:
            campaigns.release(campaign, acting_user=principal)
        return campaign.id


def campaign_messages(app, tenant, campaign_id) -> list[Message]:
    """The campaign's messages."""
    with app.app_context(), tenant_context(tenant):
        query = select(Message).where(Message.campaign_id == campaign_id).order_by(Message.created_at)
        return list(session.execute(query).scalars())


def results_of(app, tenant, campaign_id) -> campaigns.Results:
    """The campaign's results."""
    with app.app_context(), tenant_context(tenant):
        return campaigns.results(campaigns.campaign_by_id(campaign_id))


def test_a_coach_sends_to_a_segment_and_reaches_only_their_caseload(outreach_app, setting, mailbox):
    tenant, people, coach, _lead, segment_id = setting()
    campaign_id = make_campaign(
        outreach_app, tenant, staff(tenant, coach), audience_kind="segment", segment_id=segment_id
    )
    sent = campaign_messages(outreach_app, tenant, campaign_id)
    assert sorted(m.person_id for m in sent) == sorted(people[:3])
    assert {(m.channel, m.status) for m in sent} == {("email", "sent")}
    assert len(mailbox.accepted) == 3
    found = results_of(outreach_app, tenant, campaign_id)
    assert (found.audience, found.count("sent"), found.channels) == (3, 3, {"email": 3})


def test_a_coach_cannot_target_outside_the_caseload_nor_everyone(outreach_app, setting):
    tenant, people, coach, _lead, _segment_id = setting()
    with pytest.raises(CampaignInvalid) as refused:
        make_campaign(outreach_app, tenant, staff(tenant, coach), audience_kind="person", person_id=people[4])
    assert "person_id" in refused.value.errors
    with pytest.raises(CampaignInvalid) as refused:
        make_campaign(outreach_app, tenant, staff(tenant, coach), audience_kind="everyone")
    assert "audience_kind" in refused.value.errors


def test_a_team_lead_sends_to_everyone_and_one_person(outreach_app, setting, mailbox):
    tenant, people, _coach, lead, _segment_id = setting()
    everyone = make_campaign(outreach_app, tenant, staff(tenant, lead, "team_lead"))
    one = make_campaign(
        outreach_app, tenant, staff(tenant, lead, "team_lead"), audience_kind="person", person_id=people[4]
    )
    assert len(campaign_messages(outreach_app, tenant, everyone)) == 5
    assert [m.person_id for m in campaign_messages(outreach_app, tenant, one)] == [people[4]]


def test_preparing_twice_writes_each_message_once(outreach_app, setting, mailbox):
    tenant, _people, _coach, lead, _segment_id = setting()
    campaign_id = make_campaign(outreach_app, tenant, staff(tenant, lead, "team_lead"))
    with outreach_app.app_context(), tenant_context(tenant):
        session.execute(
            update(Campaign)
            .where(Campaign.id == campaign_id)
            .values(status="preparing", prepared_at=None)
            .execution_options(synchronize_session=False)
        )
        session.commit()
        assert campaigns.prepare(str(campaign_id)) == "prepared"
        assert campaigns.prepare(str(campaign_id)) == "skipped"  # released: nothing to do
    sent = campaign_messages(outreach_app, tenant, campaign_id)
    assert len(sent) == 5 and len({m.person_id for m in sent}) == 5
    assert {m.idempotency_key for m in sent} == {f"campaign:{campaign_id}:{m.person_id}" for m in sent}
    assert len(mailbox.accepted) == 5


def test_preparation_is_a_bulk_operation(outreach_app, setting, create_person, mailbox):
    """The statements do not grow with the number of people (a few per batch, not per person)."""
    tenant, _people, _coach, lead, _segment_id = setting()
    for index in range(40):
        create_person(tenant, email=f"extra{index}@example.nl")
    statements: list[str] = []
    with outreach_app.app_context(), tenant_context(tenant):
        campaign = campaigns.save_campaign(
            CampaignFields(name="Groot", audience_kind="everyone", texts=TEXT, broadcast=True),
            acting_user=staff(tenant, lead, "team_lead"),
        )
        campaign.status = "preparing"
        campaign.scheduled_at = utcnow() + timedelta(hours=1)  # held back: no deliveries counted
        session.commit()
        engine = session.get_bind()

        def count(_conn, _cursor, statement, *_args):
            statements.append(statement)

        event.listen(engine, "before_cursor_execute", count)
        try:
            campaigns.prepare(str(campaign.id))
        finally:
            event.remove(engine, "before_cursor_execute", count)
        assert session.execute(select(func.count()).where(Message.campaign_id == campaign.id)).scalar() == 45
    inserts = [s for s in statements if s.lstrip().upper().startswith("INSERT INTO MESSAGE")]
    assert len(inserts) <= 2
    assert len(statements) < 40


def test_a_broadcast_is_prepared_first_and_released_at_one_moment(outreach_app, setting, mailbox, sweep):
    tenant, _people, _coach, lead, _segment_id = setting()
    moment = (utcnow() + timedelta(hours=2)).replace(microsecond=0)
    campaign_id = make_campaign(
        outreach_app, tenant, staff(tenant, lead, "team_lead"), broadcast=True, scheduled_at=moment
    )
    assert campaign_messages(outreach_app, tenant, campaign_id) == []
    with outreach_app.app_context(), tenant_context(tenant):
        campaigns.release_due(now=moment)  # its moment: prepared (the job runs inline), all held back
        held = campaign_messages(outreach_app, tenant, campaign_id)
        assert len(held) == 5
        assert {(m.status, m.next_attempt_at, m.not_before) for m in held} == {("queued", None, moment)}
        assert sweep(tenant) == (0, 0)  # the sweeper does not touch held messages
        campaigns.release_due(now=moment)  # released: every message due at the one moment
    released = campaign_messages(outreach_app, tenant, campaign_id)
    assert {(m.status, m.next_attempt_at) for m in released} == {("queued", moment)}
    assert len({m.handed_over_at for m in released}) == 1
    with outreach_app.app_context(), tenant_context(tenant):
        assert campaigns.campaign_by_id(campaign_id).status == "released"
    assert mailbox.accepted == []


def test_a_broadcast_due_now_goes_out_to_everyone(outreach_app, setting, mailbox):
    tenant, _people, _coach, lead, _segment_id = setting()
    campaign_id = make_campaign(outreach_app, tenant, staff(tenant, lead, "team_lead"), broadcast=True)
    sent = campaign_messages(outreach_app, tenant, campaign_id)
    assert {m.status for m in sent} == {"sent"} and len(sent) == 5
    assert len({m.not_before for m in sent}) == 1
    with outreach_app.app_context(), tenant_context(tenant):
        campaigns.release_due()
        assert campaigns.campaign_by_id(campaign_id).status == "done"


QUIET = {"time_zone": "Europe/Amsterdam", "quiet_hours": {"sms": "21:00-08:00"}}


@pytest.mark.parametrize(
    ("local", "end"),
    [
        (
            datetime(2026, 3, 28, 22, 30),
            datetime(2026, 3, 29, 6, 0, tzinfo=UTC),
        ),  # to summer time: 08:00 CEST
        (
            datetime(2026, 10, 24, 23, 0),
            datetime(2026, 10, 25, 7, 0, tzinfo=UTC),
        ),  # to winter time: 08:00 CET
        (datetime(2026, 6, 1, 3, 0), datetime(2026, 6, 1, 6, 0, tzinfo=UTC)),  # the morning part
        (datetime(2026, 6, 1, 12, 0), None),  # daytime: not quiet
    ],
)
def test_quiet_hours_end_on_the_wall_clock_of_the_tenant(local, end):
    tenant = CurrentTenant(id=1, slug="t", name="T", kind="municipality", outreach=QUIET)
    moment = local.replace(tzinfo=AMSTERDAM).astimezone(UTC)
    assert limits.quiet_until(tenant, "sms", moment) == end
    assert limits.quiet_until(tenant, "in_app", moment) is None
    assert limits.quiet_until(tenant, "email", moment) is None


def test_quiet_hours_move_sms_to_the_morning(
    outreach_app, create_tenant, create_person, create_staff, prefer
):
    tenant = create_tenant(outreach=QUIET)
    person = create_person(tenant, phone="+31611111111")
    other = create_person(tenant, email="mail@example.nl")
    lead = create_staff(tenant, role="team_lead")
    tomorrow = (utcnow() + timedelta(days=1)).astimezone(AMSTERDAM).date()
    night = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 23, 0, tzinfo=AMSTERDAM).astimezone(UTC)
    texts = {**TEXT, "sms": {"body": "Er is een baan."}}
    campaign_id = make_campaign(
        outreach_app, tenant, staff(tenant, lead, "team_lead"), texts=texts, scheduled_at=night
    )
    with outreach_app.app_context(), tenant_context(tenant):
        campaigns.release_due(now=night)
    by_person = {m.person_id: m for m in campaign_messages(outreach_app, tenant, campaign_id)}
    morning = datetime.combine(tomorrow + timedelta(days=1), datetime.min.time().replace(hour=8), AMSTERDAM)
    assert by_person[person].channel == "sms"
    assert by_person[person].not_before == morning.astimezone(UTC)
    assert by_person[person].next_attempt_at == morning.astimezone(UTC)
    assert by_person[other].not_before == night  # e-mail is not quiet


def test_a_capped_person_is_skipped_with_the_reason(outreach_app, setting, mailbox):
    tenant, people, _coach, lead, _segment_id = setting(outreach={"campaign_cap": {"messages": 1, "days": 7}})
    lead_principal = staff(tenant, lead, "team_lead")
    make_campaign(outreach_app, tenant, lead_principal, audience_kind="person", person_id=people[0])
    second = make_campaign(outreach_app, tenant, lead_principal)
    sent = campaign_messages(outreach_app, tenant, second)
    assert people[0] not in {m.person_id for m in sent} and len(sent) == 4
    found = results_of(outreach_app, tenant, second)
    assert found.skipped == {"capped": 1}


def test_results_count_statuses_skips_opens_and_failures(
    outreach_app, setting, create_person, mailbox, messages_of
):
    tenant, _people, _coach, lead, _segment_id = setting()
    nobody = create_person(tenant)  # no e-mail address: the campaign only has an e-mail text
    mailbox.answers.append("550 No such user here")
    campaign_id = make_campaign(outreach_app, tenant, staff(tenant, lead, "team_lead"))
    with outreach_app.app_context(), tenant_context(tenant):
        session.execute(
            update(Message)
            .where(Message.campaign_id == campaign_id, Message.status == "sent")
            .values(opened_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        session.commit()
    found = results_of(outreach_app, tenant, campaign_id)
    assert found.audience == 6
    assert found.skipped == {"unreachable": 1}
    assert (found.count("sent"), found.count("failed"), found.opened) == (4, 1, 4)
    assert "550" in found.failures[0][0]
    assert nobody not in {m.person_id for m in campaign_messages(outreach_app, tenant, campaign_id)}


def test_a_campaign_can_be_cancelled_before_its_moment(outreach_app, setting):
    tenant, _people, _coach, lead, _segment_id = setting()
    later = utcnow() + timedelta(days=1)
    campaign_id = make_campaign(outreach_app, tenant, staff(tenant, lead, "team_lead"), scheduled_at=later)
    with outreach_app.app_context(), tenant_context(tenant):
        campaign = campaigns.campaign_by_id(campaign_id)
        assert campaign.status == "scheduled"
        campaigns.cancel(campaign)
        campaigns.release_due(now=later + timedelta(minutes=1))
        assert campaigns.campaign_by_id(campaign_id).status == "cancelled"
    assert campaign_messages(outreach_app, tenant, campaign_id) == []


def test_the_estimate_counts_channels_and_unreachable_people(outreach_app, setting, create_person):
    tenant, _people, _coach, lead, _segment_id = setting()
    create_person(tenant)
    with outreach_app.app_context(), tenant_context(tenant):
        found = campaigns.estimate(
            CampaignFields(name="x", audience_kind="everyone", texts=TEXT),
            acting_user=staff(tenant, lead, "team_lead"),
        )
    assert (found.audience, dict(found.channels), dict(found.skipped)) == (
        6,
        {"email": 5},
        {"unreachable": 1},
    )


def test_the_tenant_file_checks_the_outreach_table():
    loaded = OutreachSchema().load(
        {"quiet_hours": {"sms": "21:00-08:00"}, "campaign_cap": {"messages": 3, "days": 7}, "tracking": True}
    )
    assert loaded["time_zone"] == "Europe/Amsterdam" and loaded["campaign_cap"] == {"messages": 3, "days": 7}
    with pytest.raises(ValidationError) as refused:
        OutreachSchema().load(
            {
                "time_zone": "Mars/Olympus",
                "quiet_hours": {"sms": "9pm-8am", "fax": "21:00-08:00"},
                "campaign_cap": {"messages": 0, "days": 7},
            }
        )
    assert set(refused.value.messages) == {"time_zone", "quiet_hours", "campaign_cap"}


def test_a_campaign_whose_template_was_deleted_stops_with_the_reason(outreach_app, setting):
    tenant, _people, _coach, lead, _segment_id = setting()
    principal = staff(tenant, lead, "team_lead")
    later = utcnow() + timedelta(hours=1)
    with outreach_app.app_context(), tenant_context(tenant):
        template = templates.save_template(
            TemplateFields(name="Nieuws", language="nl", in_app_text="Er is nieuws."), acting_user=principal
        )
        campaign = campaigns.save_campaign(
            CampaignFields(
                name="Nieuws", audience_kind="everyone", template_id=template.id, scheduled_at=later
            ),
            acting_user=principal,
        )
        campaigns.release(campaign, acting_user=principal)
        templates.delete_template(template)
        campaigns.release_due(now=later)
        session.expire_all()  # the preparation ran as a job, in a session of its own
        stopped = campaigns.campaign_by_id(campaign.id)
        assert stopped.status == "cancelled"
        assert stopped.problem == "template_id: Het sjabloon is verwijderd."  # in the tenant's language
