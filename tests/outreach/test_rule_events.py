"""Rules on events: a person joined, a profile answer, a content item published, a domain's own event.

The messages are written in the transaction of the event (rolled back with it), go only to the
people of the rule's audience that its maker may see, and respect the cooldown; an event for many
people becomes a job that carries the event's id, handed over again when it did not come.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from aandacht.accounts import service as accounts
from aandacht.accounts.principal import Principal
from aandacht.accounts.signals import person_joined
from aandacht.db import session, utcnow
from aandacht.outreach import events, rules
from aandacht.outreach.campaigns import CampaignInvalid
from aandacht.outreach.event_kinds import EventKind
from aandacht.outreach.models import Message, OutreachEvent
from aandacht.outreach.rules import RuleFields
from aandacht.outreach.signals import event_happened
from aandacht.personalisation.catalogue import ItemFields, save_item
from aandacht.personalisation.library import LibraryFields, adopt, save_library_item
from aandacht.profiles.service import set_values
from aandacht.segments.language import Viewer
from aandacht.segments.service import SegmentFields, save_segment
from aandacht.tenancy.context import tenant_context
from tests.outreach.test_rules import rule_messages

EVERYONE = {"and": []}
TEXTS = {"in_app": {"subject": "Welkom", "body": "Fijn dat u er bent."}}
APP_USERS = {"attribute": {"key": "core.preferred_channel", "op": "eq", "value": "app"}}


@pytest.fixture
def lead(outreach_app, create_tenant, create_staff):
    """A tenant and its team lead (who sees everyone), as a principal."""
    tenant = create_tenant()
    staff_id = create_staff(tenant, role="team_lead")
    return tenant, Principal(kind="staff", id=staff_id, tenant_id=tenant.id, role="team_lead")


def save(app, tenant, principal, **values):
    """Save a rule on an event and return its id."""
    values.setdefault("name", "Regel")
    values.setdefault("condition", EVERYONE)
    values.setdefault("texts", TEXTS)
    with app.app_context(), tenant_context(tenant):
        return rules.save_rule(RuleFields(**values), acting_user=principal).id


def test_a_person_who_joins_gets_the_welcome_in_the_same_transaction(outreach_app, lead, create_person):
    tenant, principal = lead
    rule_id = save(outreach_app, tenant, principal, event="person.joined")
    joined = create_person(tenant)
    [message] = rule_messages(outreach_app, tenant, rule_id)
    assert (message.person_id, message.channel, message.status, message.body) == (
        joined,
        "in_app",
        "sent",
        "Fijn dat u er bent.",
    )
    with outreach_app.app_context(), tenant_context(tenant):  # a joining that is rolled back sends nothing
        person = accounts.stage_person(display_name="Teruggedraaid")
        session.flush()
        person_joined.send(person_ids=[person.id])
        written = select(Message).where(Message.person_id == person.id)
        assert len(session.execute(written).scalars().all()) == 1  # in the joining's transaction
        session.rollback()
    assert len(rule_messages(outreach_app, tenant, rule_id)) == 1


def test_an_answer_fires_the_rule_on_that_attribute_and_value_once_per_cooldown(
    outreach_app, lead, create_person
):
    tenant, principal = lead
    person, other = create_person(tenant), create_person(tenant)
    rule_id = save(
        outreach_app,
        tenant,
        principal,
        event="profile.answered",
        event_params={"attribute": "core.preferred_channel", "value": "sms"},
        cooldown_days=30,
    )

    def answer(person_id, value):
        with outreach_app.app_context(), tenant_context(tenant):
            set_values(person_id, {"core.preferred_channel": value}, source="person", audience="person")

    answer(other, "email")  # another value: no message
    assert rule_messages(outreach_app, tenant, rule_id) == []
    answer(person, "sms")
    answer(person, "email")
    answer(person, "sms")  # again within the cooldown: no second message
    [message] = rule_messages(outreach_app, tenant, rule_id)
    assert message.person_id == person
    assert message.channel == "in_app"  # the rule's only text; sms has no text in the rule


def test_a_rule_fires_only_for_the_people_its_maker_sees_and_its_audience(
    outreach_app, create_tenant, create_person, create_staff, prefer
):
    tenant = create_tenant()
    mine, not_mine = create_person(tenant), create_person(tenant)
    coach = create_staff(tenant, caseload=[mine])
    principal = Principal(kind="staff", id=coach, tenant_id=tenant.id, role="coach")
    rule_id = save(
        outreach_app,
        tenant,
        principal,
        condition=APP_USERS,
        event="profile.answered",
        event_params={"attribute": "core.preferred_channel"},
    )
    prefer(tenant, not_mine, "app")  # not in the coach's caseload
    prefer(tenant, mine, "email")  # not in the rule's audience
    assert rule_messages(outreach_app, tenant, rule_id) == []
    prefer(tenant, mine, "app")
    assert [m.person_id for m in rule_messages(outreach_app, tenant, rule_id)] == [mine]


def test_a_published_item_reaches_the_people_who_may_see_it_through_a_job(
    outreach_app, lead, create_person, prefer
):
    tenant, principal = lead
    people = [create_person(tenant) for _ in range(3)]
    for person in people[:2]:
        prefer(tenant, person, "app")
    with outreach_app.app_context(), tenant_context(tenant):
        segment = save_segment(SegmentFields(name="App", predicate=APP_USERS), Viewer.system())
        segment_id = segment.id
    rule_id = save(
        outreach_app, tenant, principal, event="content.published", event_params={"type": "core.news"}
    )
    with outreach_app.app_context(), tenant_context(tenant):
        item = save_item(
            ItemFields(
                type="core.news",
                title="Banenmarkt",
                link_url="https://example.org/banenmarkt",
                eligibility_segment_id=segment_id,
            )
        )
        save_item(ItemFields(title="Nog eens"), item=item)  # a change of a published item: no new event
        [event] = session.execute(select(OutreachEvent)).scalars().all()
        assert event.handled_at is not None  # the job ran (inline: no Redis) after the commit
    found = rule_messages(outreach_app, tenant, rule_id)
    assert sorted(m.person_id for m in found) == sorted(people[:2])
    assert {m.payload["link"] for m in found} == {"https://example.org/banenmarkt"}


def test_an_event_for_many_people_is_a_job_carrying_ids_and_handed_over_again(
    outreach_app, lead, create_person, monkeypatch
):
    tenant, principal = lead
    rule_id = save(outreach_app, tenant, principal, event="person.joined")
    people = [create_person(tenant) for _ in range(3)]
    session_messages = rule_messages(outreach_app, tenant, rule_id)
    assert len(session_messages) == 3
    handed: list[tuple] = []
    monkeypatch.setattr(events.jobs, "enqueue", lambda *args, **kwargs: handed.append(args))
    many = people + [uuid.uuid4() for _ in range(events.IN_TRANSACTION)]  # unknown ids are passed over
    with outreach_app.app_context(), tenant_context(tenant):
        events.happened("person.joined", many, {})
        session.commit()
        [event] = session.execute(select(OutreachEvent)).scalars().all()
        assert handed == [(events.HANDLE, str(event.id))]
        assert events.hand_over_again() == 0  # its job was just handed over
        assert events.hand_over_again(now=utcnow() + timedelta(minutes=6)) == 1  # it did not come
        event_id = str(event.id)
        monkeypatch.undo()
        assert events.handle(event_id) == {"Regel": 0}  # all three are in the cooldown
        assert events.handle(event_id) == {}  # handled once
        assert events.hand_over_again(now=utcnow() + timedelta(minutes=6)) == 0


def test_a_domain_event_fires_the_rules_waiting_for_it(
    outreach_app, create_tenant, create_staff, create_person
):
    tenant = create_tenant(domains=["werk"])
    lead_id = create_staff(tenant, role="team_lead")
    principal = Principal(kind="staff", id=lead_id, tenant_id=tenant.id, role="team_lead")
    person = create_person(tenant)
    domain = outreach_app.extensions["aandacht.domains"].domains["werk"]
    kind = EventKind("werk.invited", "Uitgenodigd", parameters=("place",))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(domain, "outreach_events", lambda: [kind])
        rule_id = save(
            outreach_app, tenant, principal, event="werk.invited", event_params={"place": "Hengelo"}
        )
        with outreach_app.app_context(), tenant_context(tenant):
            event_happened.send(kind="werk.invited", person_ids=[person], details={"place": "Enschede"})
            event_happened.send(kind="werk.invited", person_ids=[person], details={"place": "Hengelo"})
            session.commit()
    assert [m.person_id for m in rule_messages(outreach_app, tenant, rule_id)] == [person]


def test_an_event_rule_is_checked_when_saved(outreach_app, lead):
    tenant, principal = lead
    with outreach_app.app_context(), tenant_context(tenant):
        for event, params in (
            ("nothing.happened", {}),
            ("profile.answered", {}),
            ("profile.answered", {"attribute": "no.such"}),
            ("content.published", {"type": "no.such"}),
            ("person.joined", {"colour": "red"}),
        ):
            with pytest.raises(CampaignInvalid) as refused:
                rules.save_rule(
                    RuleFields(
                        name="Fout", condition=EVERYONE, texts=TEXTS, event=event, event_params=params
                    ),
                    acting_user=principal,
                )
            assert set(refused.value.errors) <= {"event", "event_params"}, refused.value.errors


def test_the_periodic_check_leaves_event_rules_alone(outreach_app, lead, create_person):
    tenant, principal = lead
    create_person(tenant)
    save(outreach_app, tenant, principal, event="person.joined", cooldown_days=1)
    with outreach_app.app_context(), tenant_context(tenant):
        assert rules.check_rules(now=utcnow() + timedelta(days=3)) == {}


def test_handled_events_are_removed_after_a_week(outreach_app, lead):
    tenant, principal = lead
    save(outreach_app, tenant, principal, event="person.joined")
    with outreach_app.app_context(), tenant_context(tenant):
        events.happened("person.joined", [uuid.uuid4() for _ in range(events.IN_TRANSACTION + 1)], {})
        session.commit()  # handled at once: jobs run inline here
        assert events.hand_over_again(now=utcnow() + timedelta(days=6)) == 0
        assert len(session.execute(select(OutreachEvent)).scalars().all()) == 1
        events.hand_over_again(now=utcnow() + timedelta(days=8))
        assert session.execute(select(OutreachEvent)).scalars().all() == []


def test_an_item_taken_from_the_library_is_new_content_too(outreach_app, lead, create_person):
    tenant, principal = lead
    person = create_person(tenant)
    rule_id = save(outreach_app, tenant, principal, event="content.published")
    with outreach_app.app_context(), tenant_context(tenant):
        source = save_library_item(
            LibraryFields(
                key=f"tip-{uuid.uuid4().hex[:6]}", type="core.news", title="Een goed cv", body="Kort."
            )
        )
        adopt(source)
        adopt(source)  # adopting twice keeps one item, and one message
    assert [m.person_id for m in rule_messages(outreach_app, tenant, rule_id)] == [person]
