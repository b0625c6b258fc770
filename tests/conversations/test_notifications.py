"""A coach's message reaches the person over the channel they prefer, never one they switched off."""

from __future__ import annotations

from aandacht.db import session
from aandacht.outreach import preferences
from aandacht.outreach import service as outreach
from aandacht.tenancy.context import tenant_context
from tests.conversations.conftest import EN
from tests.conversations.test_messages import coach_writes, messages
from tests.helpers import latest_message


def notices(app, cast):
    with app.app_context(), tenant_context(cast.tenant):
        found = outreach.messages_of(cast.person)
        session.expunge_all()
        return found


def test_the_notice_goes_by_e_mail_without_the_text_and_links_to_the_conversation(app, cast, as_coach):
    coach_writes(as_coach, cast, "Geheim: je uitkering")
    [notice] = notices(app, cast)
    assert (notice.channel, notice.sender_id) == ("email", cast.coach)
    assert notice.subject == "New message from Carla Coach"
    assert "Geheim" not in notice.body and notice.payload["link"].endswith("/app/conversation/")
    mail = latest_message(app, cast.tenant)
    assert mail["to"] == "anna@example.nl" and mail["subject"] == "New message from Carla Coach"
    [message] = messages(app, cast)
    assert message.notification_id == notice.id


def test_the_persons_preference_chooses_the_channel(app, cast, as_coach, prefer):
    with app.app_context(), tenant_context(cast.tenant):
        from aandacht.accounts.models import Person
        from aandacht.tenancy.scoping import get_scoped

        get_scoped(Person, cast.person).phone = "+31612345678"
        session.commit()
    prefer(cast.tenant, cast.person, "sms")
    coach_writes(as_coach, cast, "Per sms graag")
    assert [notice.channel for notice in notices(app, cast)] == ["sms"]


def test_a_switched_off_channel_is_skipped_for_the_app(app, cast, as_coach, as_person):
    with app.app_context(), tenant_context(cast.tenant):
        preferences.set_opt_out(cast.person, "email", True, source="person")
        session.commit()
    coach_writes(as_coach, cast, "Zie je dit?")
    [notice] = notices(app, cast)
    assert notice.channel == "in_app"
    home = as_person.get(cast.url("/app/"), headers=EN).text
    assert 'data-testid="unread-count">1' in home
    as_person.get(cast.url("/app/conversation/"), headers=EN)
    # Reading the conversation also reads its notice: no unread message is left in the app's list.
    assert 'data-testid="unread-count"' not in as_person.get(cast.url("/app/"), headers=EN).text


def test_the_persons_own_message_notifies_nobody(app, cast, as_person):
    from tests.conversations.test_messages import person_writes

    person_writes(as_person, cast, body="Hallo coach")
    assert notices(app, cast) == []
