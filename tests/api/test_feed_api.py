"""A resident's feed through the API: only what they may see, why, what they did, and switching it off."""

import uuid
from datetime import timedelta

import pytest

from aandacht.db import session, utcnow
from aandacht.personalisation import registry
from aandacht.personalisation.catalogue import ItemFields, save_item
from aandacht.personalisation.models import InteractionEvent
from aandacht.profiles.service import set_values
from aandacht.segments.language import Viewer
from aandacht.segments.service import SegmentFields, save_segment
from tests.api.helpers import add_person, add_staff, assert_error, bearer, csrf_token, issue_token, log_in
from tests.api.test_content_api import VACANCY
from tests.segments.conftest import SELECTION_ATTRIBUTES

ZORG = {"attribute": {"key": "tenant.sector", "op": "eq", "value": "zorg"}}


@pytest.fixture
def tenant(create_tenant, monkeypatch):
    """A tenant whose content types include the test vacancy."""
    monkeypatch.setattr(registry, "CORE_CONTENT_TYPES", (*registry.CORE_CONTENT_TYPES, VACANCY))
    return create_tenant(attributes=SELECTION_ATTRIBUTES)


@pytest.fixture
def post(tenant, in_tenant):
    """Publish an item: `post("Title", sector="zorg", days_old=1, **fields)`; returns its id."""

    def make(title, *, sector=None, days_old=0, **values):
        values.setdefault("type", VACANCY.key)
        if values["type"] == VACANCY.key:
            values.setdefault("details", {"hours": 32})
        with in_tenant(tenant):
            item = save_item(ItemFields(title=title, tags=[f"sector:{sector}"] if sector else [], **values))
            item.published_at = utcnow() - timedelta(days=days_old)
            session.commit()
            return item.id

    return make


@pytest.fixture
def resident(app, client, tenant, in_tenant):
    """A resident in zorg, logged in; returns (person id, headers with the CSRF token for writes)."""
    person = add_person(app, tenant)
    with in_tenant(tenant):
        set_values(person, {"tenant.sector": "zorg"}, source="system", audience="system")
    log_in(client, tenant, "person", person)
    return person, {"X-CSRFToken": csrf_token(client, tenant), "Accept-Language": "en"}


def url(tenant, tail=""):
    return f"/t/{tenant.slug}/api/v1/me{tail}"


def feed_titles(client, tenant, query="?page_size=100"):
    page = client.get(url(tenant, f"/feed{query}"), headers={"Accept-Language": "en"}).get_json()
    return [item["title"] for item in page["items"]]


def test_the_feed_shows_what_an_app_needs_and_records_impressions(client, tenant, resident, post, in_tenant):
    person, headers = resident
    chosen = post(
        "Verzorgende",
        sector="zorg",
        summary="In het verpleeghuis.",
        body="**Goed** werk <script>alert(1)</script> [meer](javascript:alert(1))",
        details={"hours": 36.5, "contract": "vast", "closes": "2099-03-31"},
        link_url="https://example.org/vacature",
    )
    cook = post("Kok", sector="horeca")
    answer = client.get(url(tenant, "/feed?page_size=1"), headers=headers)
    assert answer.status_code == 200, answer.get_json()
    page = answer.get_json()
    assert (page["page"], page["page_size"], page["more"], page["personalised"]) == (1, 1, True, True)
    [item] = page["items"]
    assert (item["id"], item["type"], item["type_label"], item["icon"], item["action"]) == (
        str(chosen),
        VACANCY.key,
        "Vacancy",
        "briefcase",
        "Apply",
    )
    assert item["reasons"][0] == "U wilt werken in zorg."
    assert item["body"].startswith("**Goed**")
    assert "<strong>Goed</strong>" in item["body_html"] and "<script>" not in item["body_html"]
    assert 'href="javascript' not in item["body_html"]
    assert item["details"] == [
        {"key": "hours", "label": "Hours a week", "value": 36.5, "text": "36.5"},
        {"key": "contract", "label": "Contract", "value": "vast", "text": "Permanent"},
        {"key": "closes", "label": "Closes on", "value": "2099-03-31", "text": "March 31, 2099"},
    ]
    assert (item["done"], item["pinned"], item["link_url"]) == ([], False, "https://example.org/vacature")
    second = client.get(url(tenant, "/feed?page_size=1&page=2"), headers=headers).get_json()
    assert [entry["title"] for entry in second["items"]] == ["Kok"] and second["more"] is False
    with in_tenant(tenant):
        seen = session.query(InteractionEvent).order_by(InteractionEvent.occurred_at).all()
        assert [(event.person_id, event.kind, event.item_id, event.context) for event in seen] == [
            (person, "impression", str(chosen), {"surface": "api", "position": 1}),
            (person, "impression", str(cook), {"surface": "api", "position": 2}),
        ]


def test_an_item_outside_the_persons_segment_never_shows(app, client, tenant, resident, post, in_tenant):
    _person, headers = resident
    with in_tenant(tenant):
        segment = save_segment(
            SegmentFields(name="Bouw", predicate={"attribute": {**ZORG["attribute"], "value": "bouw"}}),
            Viewer.system(),
        ).id
    hidden = post("Alleen bouw", eligibility_segment_id=segment, pinned=True)
    for number in range(25):
        post(f"Zorg {number}", sector="zorg")
    expired = post("Verlopen", valid_until=utcnow() - timedelta(hours=1))
    draft = post("Concept", status="draft")
    shown = [title for page in (1, 2) for title in feed_titles(client, tenant, f"?page_size=20&page={page}")]
    assert len(set(shown)) == 25 and not {"Alleen bouw", "Verlopen", "Concept"} & set(shown)
    for item_id in (hidden, expired, draft, uuid.uuid4()):
        assert_error(client.get(url(tenant, f"/feed/{item_id}"), headers=headers), 404, "not_found")
    builder = add_person(app, tenant)
    with in_tenant(tenant):
        set_values(builder, {"tenant.sector": "bouw"}, source="system", audience="system")
    log_in(client, tenant, "person", builder)
    assert feed_titles(client, tenant, "?page_size=1") == ["Alleen bouw"]
    assert client.get(url(tenant, f"/feed/{hidden}"), headers=headers).get_json()["reasons"][0] == (
        "A coach put this at the top."
    )


def test_another_tenants_item_is_not_found_and_cannot_be_recorded(
    client, tenant, other_tenant, resident, post, in_tenant
):
    _person, headers = resident
    with in_tenant(other_tenant):
        theirs = save_item(ItemFields(type="core.news", title="Nieuws daar")).id
    assert_error(client.get(url(tenant, f"/feed/{theirs}"), headers=headers), 404, "not_found")
    refused = client.post(
        url(tenant, "/interactions"),
        json={"events": [{"kind": "open", "item_id": str(theirs)}]},
        headers=headers,
    )
    assert assert_error(refused, 422, "validation_failed")["errors"] == {
        "events.0.item_id": ["There is no such item."]
    }


def test_a_dismissed_item_leaves_the_feed(client, tenant, resident, post):
    _person, headers = resident
    unwanted = post("Niet voor mij", sector="zorg")
    post("Wel", sector="zorg")
    recorded = client.post(
        url(tenant, "/interactions"),
        json={"events": [{"kind": "dismiss", "item_id": str(unwanted), "context": {"surface": "home"}}]},
        headers=headers,
    )
    assert recorded.status_code == 202 and recorded.get_json() == {"recorded": 1}
    assert feed_titles(client, tenant) == ["Wel"]
    assert_error(client.get(url(tenant, f"/feed/{unwanted}"), headers=headers), 404, "not_found")


def test_events_for_items_the_person_may_not_see_refuse_the_batch(client, tenant, resident, post, in_tenant):
    _person, headers = resident
    with in_tenant(tenant):
        segment = save_segment(
            SegmentFields(name="Bouw", predicate={"attribute": {**ZORG["attribute"], "value": "bouw"}}),
            Viewer.system(),
        ).id
    hidden = post("Alleen bouw", eligibility_segment_id=segment)
    visible = post("Voor iedereen")
    later = (utcnow() + timedelta(days=1)).isoformat()
    batch = [
        {"kind": "open", "item_id": str(visible)},
        {"kind": "apply", "item_id": str(hidden)},
        {"kind": "save", "item_id": str(visible), "occurred_at": later},
    ]
    body = assert_error(
        client.post(url(tenant, "/interactions"), json={"events": batch}, headers=headers),
        422,
        "validation_failed",
    )
    assert body["errors"] == {"events.1.item_id": ["There is no such item."]}
    body = assert_error(
        client.post(url(tenant, "/interactions"), json={"events": [batch[0], batch[2]]}, headers=headers),
        422,
        "validation_failed",
    )
    assert set(body["errors"]) == {"events.1.occurred_at"}
    malformed = [
        {"kind": "like", "item_id": str(visible)},
        {"kind": "open", "item_id": "niet-een-id"},
        {"kind": "open", "item_id": str(visible), "context": {"page": "x" * 500}},
    ]
    body = assert_error(
        client.post(url(tenant, "/interactions"), json={"events": malformed}, headers=headers),
        422,
        "validation_failed",
    )
    assert set(body["errors"]) == {"events.0.kind", "events.1.item_id", "events.2.context"}
    too_many = [batch[0]] * 201
    body = assert_error(
        client.post(url(tenant, "/interactions"), json={"events": too_many}, headers=headers),
        422,
        "validation_failed",
    )
    assert set(body["errors"]) == {"events"}
    with in_tenant(tenant):
        assert session.query(InteractionEvent).count() == 0
    client.post(
        url(tenant, "/interactions"),
        json={"events": [{"kind": "save", "item_id": str(visible)}]},
        headers=headers,
    )
    assert client.get(url(tenant, f"/feed/{visible}"), headers=headers).get_json()["done"] == ["save"]


def test_personalisation_off_gives_the_newest_first_and_says_so(client, tenant, resident, post):
    _person, headers = resident
    post("Oud, maar past", sector="zorg", days_old=10)
    post("Nieuwst", sector="bouw")
    post("Middel", sector="bouw", days_old=5)
    assert feed_titles(client, tenant)[0] == "Oud, maar past"
    assert client.get(url(tenant, "/personalisation")).get_json() == {"personalised": True}
    assert_error(
        client.put(url(tenant, "/personalisation"), json={"personalised": False}), 403, "csrf_failed"
    )
    switched = client.put(url(tenant, "/personalisation"), json={"personalised": False}, headers=headers)
    assert switched.get_json() == {"personalised": False}
    page = client.get(url(tenant, "/feed"), headers=headers).get_json()
    assert [item["title"] for item in page["items"]] == ["Nieuwst", "Middel", "Oud, maar past"]
    assert page["personalised"] is False
    assert page["items"][0]["reasons"] == ["You switched off choosing for you, so you see the newest first."]
    client.put(url(tenant, "/personalisation"), json={"personalised": True}, headers=headers)
    assert feed_titles(client, tenant)[0] == "Oud, maar past"


def test_only_residents_have_a_feed(app, client, tenant):
    coach = add_staff(app, tenant)
    token = bearer(issue_token(app, tenant, coach, ["content:read", "content:write", "people:read"]))
    assert_error(client.get(url(tenant, "/feed"), headers=token), 403, "forbidden")
    assert_error(client.get(url(tenant, "/feed")), 401, "authentication_required")
    log_in(client, tenant, "staff", coach)
    assert_error(client.get(url(tenant, "/personalisation")), 403, "forbidden")
