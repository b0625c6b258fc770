"""Messages between a person and their coach: who may read and write, read receipts, quick replies."""

from __future__ import annotations

from sqlalchemy import func, select

from aandacht.conversations import service
from aandacht.conversations.models import ConversationMessage
from aandacht.db import session
from aandacht.privacy.models import AccessLogEntry
from aandacht.tenancy.context import tenant_context
from tests.api.helpers import log_in
from tests.conversations.conftest import EN
from tests.helpers import csrf_token


def coach_writes(client, cast, body: str):
    token = csrf_token(client.get(cast.conversation(), headers=EN))
    return client.post(cast.conversation(), data={"body": body, "csrf_token": token}, headers=EN)


def person_writes(client, cast, **data):
    token = csrf_token(client.get(cast.url("/app/conversation/"), headers=EN))
    return client.post(cast.url("/app/conversation/"), data={**data, "csrf_token": token}, headers=EN)


def messages(app, cast) -> list[ConversationMessage]:
    with app.app_context(), tenant_context(cast.tenant):
        found = service.messages_of(cast.person)
        session.expunge_all()
        return found


def test_coach_and_person_write_and_each_sees_the_others_message(app, cast, as_coach, as_person):
    assert coach_writes(as_coach, cast, "Hoi Anna, hoe gaat het?").status_code == 302
    page = as_person.get(cast.url("/app/conversation/"), headers=EN).text
    assert "Hoi Anna, hoe gaat het?" in page and "Carla Coach" in page
    assert person_writes(as_person, cast, body="Goed, dank je").status_code == 302
    thread = as_coach.get(cast.conversation(), headers=EN).text
    assert thread.index("Hoi Anna") < thread.index("Goed, dank je")
    assert [m.author for m in messages(app, cast)] == ["staff", "person"]


def test_the_coach_sees_when_the_person_read_the_message(app, cast, as_coach, as_person):
    coach_writes(as_coach, cast, "Lees je dit?")
    page = as_coach.get(cast.conversation(), headers=EN).text
    assert "Not read yet" in page.split('data-testid="receipt"')[1]
    assert as_person.get(cast.url("/app/conversation/"), headers=EN).status_code == 200
    [message] = messages(app, cast)
    assert message.read_at is not None
    assert "Read " in as_coach.get(cast.conversation(), headers=EN).text.split('data-testid="receipt"')[1]


def test_the_unread_count_shows_in_the_apps_menu_until_read(cast, as_coach, as_person):
    coach_writes(as_coach, cast, "Nieuw bericht")
    home = as_person.get(cast.url("/app/"), headers=EN).text
    assert 'data-testid="conversation-unread">1' in home
    as_person.get(cast.url("/app/conversation/"), headers=EN)
    assert 'data-testid="conversation-unread"' not in as_person.get(cast.url("/app/"), headers=EN).text


def test_a_quick_reply_is_sent_with_one_tap_in_the_persons_words(app, cast, as_person, as_coach):
    page = as_person.get(cast.url("/app/conversation/"), headers=EN).text
    for key in ("yes", "call_me", "dont_understand"):
        assert f'data-testid="quick-{key}"' in page
    assert person_writes(as_person, cast, quick_reply="call_me").status_code == 302
    [message] = messages(app, cast)
    assert (message.quick_reply, message.body) == ("call_me", "Call me")
    assert (
        "Call me" in as_coach.get(cast.conversation(), headers=EN).text.split('data-testid="quick-reply"')[1]
    )


def test_an_unknown_quick_reply_or_an_empty_message_is_refused(app, cast, as_person):
    assert person_writes(as_person, cast, quick_reply="hack").status_code == 400
    refused = person_writes(as_person, cast, body="   ")
    assert refused.status_code == 400 and "Write a message or add a file." in refused.text
    too_long = person_writes(as_person, cast, body="x" * 2001)
    assert too_long.status_code == 400 and "at most 2000 characters" in too_long.text
    assert messages(app, cast) == []


def test_a_coach_outside_the_caseload_can_neither_read_nor_write(app, cast, as_person):
    person_writes(as_person, cast, body="Alleen voor mijn coach")
    outsider = app.test_client()
    log_in(outsider, cast.tenant, "staff", cast.other_coach)
    page = outsider.get(cast.conversation(), headers=EN)
    assert page.status_code == 404 and "Alleen voor mijn coach" not in page.text
    posted = outsider.post(cast.conversation(), data={"body": "ik ook"}, headers=EN)
    assert posted.status_code in (400, 404)
    assert [m.body for m in messages(app, cast)] == ["Alleen voor mijn coach"]
    [message] = messages(app, cast)
    assert message.read_at is None  # the outsider's try marked nothing read


def test_the_service_refuses_a_writer_outside_the_conversation(app, cast, create_person):
    from aandacht.accounts.principal import Principal

    stranger = create_person(cast.tenant)
    with app.app_context(), tenant_context(cast.tenant):
        for author in (
            Principal(kind="staff", id=cast.other_coach, role="coach", display_name="Otto"),
            Principal(kind="person", id=stranger, role="resident"),
        ):
            try:
                service.write(cast.person, author=author, body="x")
            except service.NotFound:
                continue
            raise AssertionError(f"{author.kind} wrote into another's conversation")


def test_another_tenants_staff_and_person_find_nothing(app, cast, create_tenant, create_staff, create_person):
    other = create_tenant()
    lead = create_staff(other, role="team_lead")
    client = app.test_client()
    log_in(client, other, "staff", lead)
    assert client.get(f"/t/{other.slug}/workspace/people/{cast.person}/conversation").status_code == 404
    stranger = create_person(other)
    log_in(client, other, "person", stranger)
    assert client.get(f"/t/{other.slug}/app/conversation/").status_code == 200
    assert "Anna" not in client.get(f"/t/{other.slug}/app/conversation/").text


def test_a_resident_cannot_open_the_coachs_page(cast, as_person):
    assert as_person.get(cast.conversation()).status_code == 403


def test_every_staff_view_is_in_the_persons_access_log(app, cast, as_coach):
    as_coach.get(cast.conversation(), headers=EN)
    as_coach.get(cast.conversation(), headers=EN)
    with app.app_context(), tenant_context(cast.tenant):
        logged = session.execute(
            select(func.count()).where(
                AccessLogEntry.person_id == cast.person,
                AccessLogEntry.what == "conversation",
                AccessLogEntry.viewer_id == cast.coach,
            )
        ).scalar_one()
    assert logged == 2


def test_a_coachs_message_is_a_contact_moment(app, cast, as_coach):
    from aandacht.attention import service as attention

    coach_writes(as_coach, cast, "Contact")
    with app.app_context(), tenant_context(cast.tenant):
        [moment] = attention.contacts_of(cast.person)
        assert (moment.kind, moment.staff_id) == ("conversation", cast.coach)


def test_the_persons_page_links_the_conversation_only_for_their_coaches(app, cast, as_coach, create_staff):
    page = f"/workspace/people/{cast.person}"
    assert 'data-testid="conversation-link"' in as_coach.get(cast.url(page), headers=EN).text
    lead = app.test_client()
    log_in(lead, cast.tenant, "staff", create_staff(cast.tenant, role="team_lead"))
    seen = lead.get(cast.url(page), headers=EN)
    assert seen.status_code == 200 and 'data-testid="conversation-link"' not in seen.text
    assert lead.get(cast.conversation()).status_code == 404


def test_htmx_refreshes_only_the_thread_and_logs_the_view(app, cast, as_coach, as_person):
    person_writes(as_person, cast, body="Nieuw antwoord")
    htmx = {**EN, "HX-Request": "true", "HX-Target": "thread"}
    refreshed = as_coach.get(cast.conversation(), headers=htmx)
    assert refreshed.status_code == 200 and "<html" not in refreshed.text
    assert "Nieuw antwoord" in refreshed.text
    with app.app_context(), tenant_context(cast.tenant):
        logged = session.execute(
            select(func.count()).where(
                AccessLogEntry.person_id == cast.person, AccessLogEntry.what == "conversation"
            )
        ).scalar_one()
    assert logged == 1
