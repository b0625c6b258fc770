"""For people who read little: short facts on cards, numbers answered with a tap; werk on the timeline."""

import re
from datetime import date, timedelta

import pytest
from flask import render_template

from aandacht.db import utcnow
from aandacht.profiles import questions
from aandacht.profiles.definitions import ProfileAttribute
from aandacht.profiles.service import profile_values, set_values
from aandacht.tenancy.context import tenant_context
from aandacht_werk import facts, service
from tests.api.helpers import log_in
from tests.domains.test_werk_search import ENGLISH
from tests.helpers import csrf_token


def facts_of(html: str, item_id) -> list[str]:
    """The short facts on the card of `item_id`, as words."""
    card = html.split(f'data-item="{item_id}"')[1].split("</article>")[0]
    facts = card.split('data-testid="card-facts">')[1].split("</ul>")[0]
    return [" ".join(re.sub(r"<[^>]+>", " ", fact).split()) for fact in facts.split("</li>")[:-1]]


def test_a_vacancy_card_shows_hours_distance_from_home_and_the_licence(
    app, client, werk_tenant, create_person, vacancy
):
    person = create_person(werk_tenant)
    with app.test_request_context(), tenant_context(werk_tenant):
        set_values(person, {"werk.home_postcode": "7511 AB"}, source="person", audience="person")
    near = vacancy("Orderpicker", place="Hengelo", hours=32, driving_licence="b")
    unknown_town = vacancy("Bezorger", place="Nergenshuizen", hours=1, own_transport=True)
    log_in(client, werk_tenant, "person", person)

    html = client.get(f"/t/{werk_tenant.slug}/app/feed/", headers=ENGLISH).get_data(as_text=True)

    hours, distance, licence = facts_of(html, near)
    assert hours == "32 hours" and licence == "Driving licence needed"
    assert re.fullmatch(r"\d+ km", distance) and 5 <= int(distance.split()[0]) <= 15  # Enschede-Hengelo
    assert facts_of(html, unknown_town) == ["1 hour", "Nergenshuizen", "Own transport needed"]
    page = client.get(f"/t/{werk_tenant.slug}/app/feed/{near}", headers=ENGLISH).get_data(as_text=True)
    assert 'data-testid="card-facts"' in page


def test_without_a_home_postcode_the_card_names_the_town(app, client, werk_tenant, create_person, vacancy):
    person = create_person(werk_tenant)
    item = vacancy("Orderpicker", place="Hengelo", hours=24)
    log_in(client, werk_tenant, "person", person)
    html = client.get(f"/t/{werk_tenant.slug}/app/feed/", headers={"Accept-Language": "nl"}).get_data(
        as_text=True
    )
    assert facts_of(html, item) == ["24 uur", "Hengelo"]


def test_hours_a_week_are_answered_with_one_tap(app, client, werk_tenant, create_person):
    person = create_person(werk_tenant)
    log_in(client, werk_tenant, "person", person)
    app_url = f"/t/{werk_tenant.slug}/app/"
    with app.test_request_context(app_url, headers=ENGLISH), tenant_context(werk_tenant):
        card = render_template(
            "profiles/cards/_card.html",
            question=questions.question("werk.hours_per_week"),
            state={"errors": {}, "values": {}},
        )
    buttons = re.findall(r'name="value" value="(\d+)">([^<]+)</button>', card)
    assert buttons == [(n, f"{n} hours") for n in ("16", "24", "32", "40")]
    assert "Another number" in card

    url = f"/t/{werk_tenant.slug}/app/questions/werk.hours_per_week"
    token = csrf_token(client.get(f"/t/{werk_tenant.slug}/app/questions/", headers=ENGLISH))
    # The tapped answer counts, whatever the empty field for another number sends beside it.
    client.post(url, data={"value": ["", "24"], "csrf_token": token})
    with app.app_context(), tenant_context(werk_tenant):
        assert profile_values(person)["werk.hours_per_week"] == 24
    client.post(url, data={"value": ["28"], "action": "answer", "csrf_token": token})
    with app.app_context(), tenant_context(werk_tenant):
        assert profile_values(person)["werk.hours_per_week"] == 28


def test_quick_answers_must_be_numbers_within_bounds():
    with pytest.raises(ValueError, match="quick answers"):
        ProfileAttribute("x.hours", "Hours", "number", maximum=40, quick_answers=(16, 48))
    with pytest.raises(ValueError, match="quick answers"):
        ProfileAttribute("x.name", "Name", "text", quick_answers=(1,))


def test_the_coach_sees_werk_activities_and_the_agreement_on_the_timeline(
    app, client, werk_tenant, create_person, create_staff, vacancy
):
    person = create_person(werk_tenant)
    coach = create_staff(werk_tenant, caseload=[person], display_name="Carla Coach")
    item = vacancy("Orderpicker")
    with app.test_request_context(), tenant_context(werk_tenant):
        service.set_agreement(person, per_month=4, starts_on=date.today().replace(day=1), set_by=coach)
        service.log_activity(person, "application", item_id=item)
        service.log_activity(person, "network", logged_by="coach")
    log_in(client, werk_tenant, "staff", coach)
    html = client.get(f"/t/{werk_tenant.slug}/workspace/people/{person}", headers=ENGLISH).get_data(
        as_text=True
    )
    entries = re.findall(r'data-testid="entry-(werk\.[a-z]+)">(.*?)</li>', html, re.S)
    words = [(source, " ".join(re.sub(r"<[^>]+>", " ", text).split())) for source, text in entries]
    assert [source for source, _text in words] == ["werk.activities", "werk.activities", "werk.agreements"]
    assert "Network contact" in words[0][1] and "(the coach)" in words[0][1]
    assert "Application: Orderpicker, Bol (the job seeker)" in words[1][1]
    assert "Waiting for an answer" in words[1][1]
    assert "Agreement: 4 a month (Application) (Carla Coach)" in words[2][1]


def test_a_tenant_without_werk_gets_no_werk_timeline(app, client, create_tenant, create_person, create_staff):
    tenant = create_tenant()
    person = create_person(tenant)
    coach = create_staff(tenant, caseload=[person])
    log_in(client, tenant, "staff", coach)
    html = client.get(f"/t/{tenant.slug}/workspace/people/{person}", headers=ENGLISH).get_data(as_text=True)
    assert "entry-werk." not in html


def test_tips_workshops_and_work_abroad_have_short_facts_too(app):
    day = date(2026, 12, 15)
    with app.test_request_context(headers=ENGLISH):
        tip = facts.tip_facts({"format": "video", "minutes": 5}, {})
        online = facts.event_facts({"date": day.isoformat(), "online": True, "place": "Enschede"}, {})
        nearby = facts.event_facts({"date": "not a day", "place": "Hengelo"}, {"werk.home_postcode": "7511"})
        abroad = facts.abroad_facts({"country": "de", "housing": True}, {})
        words = [[(fact.icon, fact.text) for fact in found] for found in (tip, online, nearby, abroad)]
    assert words == [
        [("video", "Video"), ("clock", "5 min")],
        [("calendar", "Tuesday 15 December"), ("world", "Online")],
        [("map-pin", words[2][0][1])],
        [("plane", "Germany"), ("home-check", "Housing arranged")],
    ]
    assert re.fullmatch(r"\d+ km", words[2][0][1])


def test_an_activity_done_yesterday_is_put_on_its_day_with_one_tap(app, client, werk_tenant, create_person):
    person = create_person(werk_tenant)
    other = create_person(werk_tenant)
    with app.test_request_context(), tenant_context(werk_tenant):
        activity = service.log_activity(person, "letter").id
        not_hers = service.log_activity(other, "letter").id
    log_in(client, werk_tenant, "person", person)
    base = f"/t/{werk_tenant.slug}/app/search"
    page = client.get(f"{base}/", headers=ENGLISH).get_data(as_text=True)
    assert "Was it another day?" in page and "The day before yesterday" in page
    token = csrf_token(client.get(f"{base}/", headers=ENGLISH))
    done = client.post(f"{base}/{activity}/day", data={"days_ago": "1", "csrf_token": token}, headers=ENGLISH)
    assert done.status_code == 302
    refused = [
        client.post(f"{base}/{activity}/day", data={"days_ago": "400", "csrf_token": token}).status_code,
        client.post(f"{base}/{not_hers}/day", data={"days_ago": "1", "csrf_token": token}).status_code,
    ]
    assert refused == [400, 404]
    with app.test_request_context(), tenant_context(werk_tenant):
        [moved] = service.activities_of(person)
        [untouched] = service.activities_of(other)
    today = utcnow().date()
    assert (moved.done_on, untouched.done_on) == (today - timedelta(days=1), today)
    with app.test_request_context(), tenant_context(werk_tenant), pytest.raises(service.SearchInvalid):
        service.move_activity(person, activity, today + timedelta(days=1))
