"""The question cards on the resident's home page: answer, not now, prefer not, a bad answer, htmx."""

import re

import pytest

from aandacht.profiles import questions
from aandacht.profiles.definitions import PREFER_NOT_TO_SAY
from aandacht.profiles.service import completeness, profile_values
from aandacht.tenancy.context import tenant_context
from tests.api.helpers import log_in
from tests.helpers import csrf_token
from tests.profiles.test_questions import QuestionDomain

HTMX = {"HX-Request": "true"}


@pytest.fixture
def resident(app, client, create_tenant, create_person, monkeypatch):
    """A logged-in resident of a tenant that enables the test domain: (tenant, person id)."""
    monkeypatch.setitem(app.extensions["aandacht.domains"].domains, "qtest", QuestionDomain())
    tenant = create_tenant(domains=["qtest"])
    person = create_person(tenant)
    log_in(client, tenant, "person", person)
    return tenant, person


def values(app, tenant, person):
    with app.app_context(), tenant_context(tenant):
        return profile_values(person)


def total(app, tenant, person) -> int:
    with app.test_request_context(), tenant_context(tenant):
        return completeness(person)[1]


def card_keys(html: str) -> list[str]:
    return re.findall(r'data-question="([^"]+)"', html)


def test_the_home_page_shows_one_card_and_the_profiles_completeness(app, client, resident):
    tenant, person = resident
    page = client.get(f"/t/{tenant.slug}/app/", headers={"Accept-Language": "en"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert card_keys(html) == ["qtest.transport"]
    assert f"Your profile: 0 of {total(app, tenant, person)} answered" in html
    assert 'data-testid="empty-news"' in html  # the home page keeps what it had
    for words in ("Not now", "Prefer not to say", 'name="value" value="bike"', "htmx.min.js"):
        assert words in html


def test_an_answer_is_stored_and_the_next_card_follows(app, client, resident):
    tenant, person = resident
    home = f"/t/{tenant.slug}/app/"
    token = csrf_token(client.get(home))
    answered = client.post(
        f"/t/{tenant.slug}/app/questions/qtest.transport", data={"csrf_token": token, "value": "car"}
    )
    assert answered.status_code == 302 and answered.location.endswith("/app/")
    assert values(app, tenant, person) == {"qtest.transport": "car"}
    assert card_keys(client.get(home).get_data(as_text=True)) == ["qtest.licence"]


def test_htmx_gets_the_section_with_the_next_card(app, client, resident):
    tenant, person = resident
    token = csrf_token(client.get(f"/t/{tenant.slug}/app/"))
    response = client.post(
        f"/t/{tenant.slug}/app/questions/qtest.transport",
        data={"csrf_token": token, "value": "bike"},
        headers={**HTMX, "Accept-Language": "en"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<section class="section question-cards" id="profile-questions"')
    assert "<html" not in html
    assert card_keys(html) == ["qtest.licence"]
    assert f"Your profile: 1 of {total(app, tenant, person)} answered" in html
    assert "HX-Request" in response.headers["Vary"]


def test_not_now_and_prefer_not_to_say(app, client, resident):
    tenant, person = resident
    token = csrf_token(client.get(f"/t/{tenant.slug}/app/"))
    url = f"/t/{tenant.slug}/app/questions/"
    client.post(url + "qtest.transport", data={"csrf_token": token, "action": "not_now"}, headers=HTMX)
    section = client.post(
        url + "qtest.licence", data={"csrf_token": token, "action": "prefer_not"}, headers=HTMX
    )
    assert values(app, tenant, person) == {"qtest.licence": PREFER_NOT_TO_SAY}
    assert card_keys(section.get_data(as_text=True)) == ["qtest.energy"]
    with app.test_request_context(), tenant_context(tenant):
        outcomes = [(ask.attribute_key, ask.outcome) for ask in questions.ask_history(person)]
    assert ("qtest.transport", "not_now") in outcomes and ("qtest.licence", "prefer_not") in outcomes


@pytest.mark.parametrize("htmx", [False, True])
def test_a_bad_answer_shows_a_translated_error_and_stores_nothing(app, client, resident, htmx):
    tenant, person = resident
    token = csrf_token(client.get(f"/t/{tenant.slug}/app/"))
    response = client.post(
        f"/t/{tenant.slug}/app/questions/qtest.hours",
        data={"csrf_token": token, "value": "heel veel"},
        headers={"Accept-Language": "nl", **(HTMX if htmx else {})},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert card_keys(html)[0] == "qtest.hours"
    assert 'data-testid="question-error"' in html and 'value="heel veel"' in html
    assert ("<html" in html) is not htmx
    assert values(app, tenant, person) == {}


def test_a_question_that_does_not_exist_is_refused(app, client, resident):
    tenant, person = resident
    token = csrf_token(client.get(f"/t/{tenant.slug}/app/"))
    response = client.post(
        f"/t/{tenant.slug}/app/questions/qtest.coach_note", data={"csrf_token": token, "value": "x"}
    )
    assert response.status_code == 422
    assert values(app, tenant, person) == {}


def test_multiple_choice_scale_and_boolean_cards(app, client, resident):
    tenant, person = resident
    with app.test_request_context(), tenant_context(tenant):
        for key in ("qtest.transport",):
            questions.not_now(person, key)
    url = f"/t/{tenant.slug}/app/questions/"
    token = csrf_token(client.get(f"/t/{tenant.slug}/app/"))
    html = client.get(url).get_data(as_text=True)
    assert 'value="yes"' in html and 'value="no"' in html
    client.post(url + "qtest.licence", data={"csrf_token": token, "value": "yes"})
    html = client.get(url).get_data(as_text=True)
    assert all(f'name="value" value="{n}"' in html for n in range(1, 6))
    client.post(url + "qtest.energy", data={"csrf_token": token, "value": "4"})
    # The day's three are used (not now, yes, 4): the hobbies card comes tomorrow; answer it directly.
    client.post(url + "qtest.hobbies", data={"csrf_token": token, "value": ["sport", "music"]})
    assert values(app, tenant, person) == {
        "qtest.licence": True,
        "qtest.energy": 4,
        "qtest.hobbies": ["music", "sport"],
    }
    assert 'data-testid="no-questions"' in client.get(url).get_data(as_text=True)


def test_a_coach_gets_no_cards(app, client, create_tenant, create_staff):
    tenant = create_tenant()
    coach = create_staff(tenant)
    log_in(client, tenant, "staff", coach)
    assert client.get(f"/t/{tenant.slug}/app/questions/").status_code == 403
