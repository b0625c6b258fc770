"""The resident's feed in the app: cards on the home page, the item page, actions, saved items, settings."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from aandacht.accounts.models import Person
from aandacht.db import session, utcnow
from aandacht.personalisation.models import InteractionEvent
from aandacht.segments.language import Viewer
from aandacht.segments.service import SegmentFields, save_segment
from aandacht.tenancy.scoping import get_scoped
from tests.api.helpers import log_in
from tests.helpers import csrf_token

ENGLISH = {"Accept-Language": "en"}
HTMX = {**ENGLISH, "HX-Request": "true"}
BOUW = {"attribute": {"key": "tenant.sector", "op": "eq", "value": "bouw"}}


@pytest.fixture
def signed_in(client, content_tenant, resident):
    """Log a new resident with these profile values in: `signed_in(sector="zorg")`; returns the id."""

    def make(**values) -> uuid.UUID:
        person_id = resident(**values)
        log_in(client, content_tenant, "person", person_id)
        return person_id

    return make


@pytest.fixture
def url(content_tenant):
    """The address of a path of the tenant: `url("/app/feed/")`."""
    return lambda path: f"/t/{content_tenant.slug}{path}"


@pytest.fixture
def act(client, url):
    """Press an action's button on a card, as the page's form sends it; returns the response."""

    def press(item_id: uuid.UUID, kind: str, *, headers=ENGLISH, **fields):
        token = csrf_token(client.get(url("/app/settings")))
        data = {"csrf_token": token, "surface": "home", "position": "1", **fields}
        return client.post(url(f"/app/feed/{item_id}/{kind}"), data=data, headers=headers)

    return press


def card_ids(html: str) -> list[str]:
    return re.findall(r'data-testid="feed-card" data-item="([^"]+)"', html)


def interactions(in_tenant, tenant, person_id, kind: str) -> list[InteractionEvent]:
    with in_tenant(tenant):
        query = select(InteractionEvent).where(
            InteractionEvent.person_id == person_id, InteractionEvent.kind == kind
        )
        return list(session.execute(query.order_by(InteractionEvent.occurred_at)).scalars())


def test_home_shows_the_items_for_the_person_with_why(client, content_tenant, signed_in, job, in_tenant, url):
    someone = signed_in(sector="zorg")
    with in_tenant(content_tenant):
        segment = save_segment(SegmentFields(name="Bouw", predicate=BOUW), Viewer.system())
        fits = job("Verzorgende in de wijk", sector="zorg", summary="Help mensen thuis.")
        anyone = job("Open dag", days_old=1)
        not_theirs = job("Alleen voor de bouw", eligibility_segment_id=segment.id)
        draft = job("Concept", status="draft")
    html = client.get(url("/app/"), headers=ENGLISH).text
    shown = card_ids(html)
    assert shown[0] == str(fits)
    assert set(shown) == {str(fits), str(anyone)}
    assert str(not_theirs) not in html and str(draft) not in html
    assert "Help mensen thuis." in html
    assert html.count("Why do I see this?") == 2
    assert "U wilt werken in zorg." in html
    for words in ("Read more", "Save for later", "Not for me", "Share", "Apply", "Saved"):
        assert words in html
    assert 'data-testid="feed-more"' not in html  # all there is fits on the home page
    assert 'data-testid="empty-news"' not in html
    assert f'hx-post="/t/{content_tenant.slug}/app/feed/{fits}/dismiss"' in html
    assert interactions(in_tenant, content_tenant, someone, "impression")


def test_home_without_items_keeps_its_empty_state(client, signed_in, url):
    signed_in()
    html = client.get(url("/app/"), headers=ENGLISH).text
    assert 'data-testid="empty-news"' in html and 'data-testid="feed-card"' not in html


def test_a_dismissed_item_goes_away_for_good(client, content_tenant, signed_in, job, in_tenant, act, url):
    someone = signed_in()
    with in_tenant(content_tenant):
        unwanted, kept = job("Niet voor mij"), job("Wel voor mij")
    answer = act(unwanted, "dismiss")
    assert answer.status_code == 302 and answer.location.endswith("/app/#feed")
    home = client.get(url("/app/"), headers=ENGLISH).text
    assert "Hidden. You will not see this again." in home  # the flash of a page without JavaScript
    assert card_ids(home) == [str(kept)]
    assert str(unwanted) not in client.get(url("/app/feed/"), headers=ENGLISH).text
    assert client.get(url(f"/app/feed/{unwanted}")).status_code == 404
    assert act(unwanted, "save").status_code == 404
    [dismissal] = interactions(in_tenant, content_tenant, someone, "dismiss")
    assert dismissal.context == {"surface": "home", "position": 1}

    # With htmx the card makes room for a short note.
    note = act(kept, "dismiss", headers=HTMX)
    assert note.status_code == 200 and "<html" not in note.text
    assert 'data-testid="feed-hidden"' in note.text and "You will not see this again." in note.text
    assert 'data-testid="empty-news"' in client.get(url("/app/"), headers=ENGLISH).text


def test_a_saved_item_is_on_the_saved_page(client, content_tenant, signed_in, job, in_tenant, act, url):
    signed_in()
    with in_tenant(content_tenant):
        first, second, never = job("Eerste"), job("Tweede"), job("Niet bewaard")
    assert 'data-testid="saved-empty"' in client.get(url("/app/feed/saved"), headers=ENGLISH).text
    answer = act(first, "save", surface="feed", page="1")
    assert answer.status_code == 302 and answer.location.endswith("/app/feed/?page=1")
    card = act(second, "save", headers=HTMX)
    assert card.text.lstrip().startswith('<article class="feed-card"')
    assert 'data-testid="feed-saved"' in card.text and "data-feed-focus" in card.text
    assert "Save for later" not in card.text
    saved = client.get(url("/app/feed/saved"), headers=ENGLISH).text
    assert card_ids(saved) == [str(second), str(first)]  # the latest saved first
    assert str(never) not in saved
    assert 'data-testid="feed-saved"' in saved


def test_opening_an_item_counts_once_and_shows_it_all(client, content_tenant, signed_in, job, in_tenant, url):
    someone = signed_in()
    body = "Kom **langs**.\n\n<script>alert(1)</script>\n\n[Lees meer](javascript:alert(2))"
    until = utcnow() + timedelta(days=30)
    with in_tenant(content_tenant):
        item = job(
            "Werken in de zorg", body=body, details={"hours": 32, "licence_needed": True}, valid_until=until
        )
    page = client.get(url(f"/app/feed/{item}?surface=home&position=2"), headers=ENGLISH)
    html = page.text
    assert page.status_code == 200
    assert "<strong>langs</strong>" in html
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert 'href="javascript:' not in html
    assert re.search(r"Hours</dt>\s*<dd[^>]*>32</dd>", html)
    assert re.search(r"Licence needed</dt>\s*<dd[^>]*>Yes</dd>", html)
    assert f"Until {until.day} " in html
    assert "Why do I see this?" in html and "Not for me" in html and "Read more" not in html
    client.get(url(f"/app/feed/{item}"), headers=ENGLISH)  # a reload within the minute
    [opened] = interactions(in_tenant, content_tenant, someone, "open")
    assert opened.context == {"surface": "home", "position": 2}


def test_following_the_link_is_a_click_and_goes_only_there(
    client, content_tenant, signed_in, job, in_tenant, url
):
    someone = signed_in()
    with in_tenant(content_tenant):
        linked = job("Met link", link_url="https://werk.example.org/vacature/1")
        inside = job("Pad in de app", link_url="/app/settings")
        bare = job("Zonder link")
    html = client.get(url(f"/app/feed/{linked}"), headers=ENGLISH).text
    assert f'href="/t/{content_tenant.slug}/app/feed/{linked}/go?surface=item"' in html
    answer = client.get(url(f"/app/feed/{linked}/go?surface=item"))
    assert answer.status_code == 302 and answer.location == "https://werk.example.org/vacature/1"
    assert client.get(url(f"/app/feed/{linked}/go?next=https://evil.example")).location == answer.location
    assert client.get(url(f"/app/feed/{inside}/go")).status_code == 404
    assert client.get(url(f"/app/feed/{bare}/go")).status_code == 404
    assert 'data-testid="feed-go"' not in client.get(url(f"/app/feed/{bare}"), headers=ENGLISH).text
    clicks = interactions(in_tenant, content_tenant, someone, "click")
    assert [(click.item_id, click.context) for click in clicks] == [
        (str(linked), {"surface": "item"}),
        (str(linked), None),
    ]


def test_apply_is_recorded_and_goes_to_the_link_when_there_is_one(
    client, content_tenant, signed_in, job, in_tenant, act, url
):
    someone = signed_in()
    with in_tenant(content_tenant):
        linked = job("Solliciteer online", link_url="https://werk.example.org/solliciteer")
        here = job("Meld je aan bij je coach")
    assert act(linked, "apply").location == "https://werk.example.org/solliciteer"
    card = act(here, "apply", headers=HTMX).text
    assert "Done: Apply" in card
    assert {event.item_id for event in interactions(in_tenant, content_tenant, someone, "apply")} == {
        str(linked),
        str(here),
    }
    assert act(here, "open").status_code == 404  # opening is the item page's, not a button
    assert act(here, "share", headers=HTMX).status_code == 200
    assert len(interactions(in_tenant, content_tenant, someone, "share")) == 1


def test_switched_off_the_feed_is_newest_first_and_says_so(
    client, content_tenant, signed_in, job, in_tenant, url
):
    someone = signed_in(sector="zorg")
    with in_tenant(content_tenant):
        fitting = job("Past goed", sector="zorg", days_old=5)
        newest = job("Nieuwste", days_old=0)
        middle = job("Middel", days_old=2)
    settings = client.get(url("/app/settings"), headers=ENGLISH).text
    assert "Choose for me" in settings and re.search(r'value="on"[^>]*checked', settings)
    token = csrf_token(client.get(url("/app/settings")))
    refused = client.post(url("/app/feed/personalisation"), data={"csrf_token": token, "personalised": "x"})
    assert refused.status_code == 400
    answer = client.post(
        url("/app/feed/personalisation"), data={"csrf_token": token, "personalised": "off"}, headers=ENGLISH
    )
    assert answer.status_code == 302 and answer.location.endswith("/app/settings")
    settings = client.get(url("/app/settings"), headers=ENGLISH).text
    assert "Your choice is saved." in settings and re.search(r'value="off"[^>]*checked', settings)
    with in_tenant(content_tenant):
        assert get_scoped(Person, someone).personalised is False
    home = client.get(url("/app/"), headers=ENGLISH).text
    assert card_ids(home) == [str(newest), str(middle), str(fitting)]
    assert "You switched off choosing for you, so you see the newest first." in home
    assert "U wilt werken in zorg." not in home


def test_another_tenants_item_is_not_there(
    client, content_tenant, signed_in, create_tenant, in_tenant, job, act, url
):
    signed_in()
    elsewhere = create_tenant()
    with in_tenant(elsewhere):
        theirs = job("Van een andere gemeente", link_url="https://example.org/")
    for path in (f"/app/feed/{theirs}", f"/app/feed/{theirs}/go", "/app/feed/not-an-id"):
        assert client.get(url(path)).status_code == 404
    assert act(theirs, "save").status_code == 404
    with in_tenant(elsewhere):
        assert session.execute(select(InteractionEvent)).first() is None


def test_each_page_records_its_impressions_in_one_insert(
    app, client, content_tenant, signed_in, job, in_tenant, url
):
    someone = signed_in()
    with in_tenant(content_tenant):
        items = [job(f"Tip {number}", days_old=number) for number in range(25)]
    statements: list[str] = []
    engine = app.extensions["aandacht.db"].engine

    def listener(_connection, _cursor, statement, *_rest) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        home = client.get(url("/app/"), headers=ENGLISH).text
        inserts = [text for text in statements if "INSERT INTO interaction_event" in text]
        assert len(inserts) == 1
        statements.clear()
        second = client.get(url("/app/feed/?page=2"), headers=ENGLISH).text
        inserts = [text for text in statements if "INSERT INTO interaction_event" in text]
        assert len(inserts) == 1
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len(card_ids(home)) == 5 and len(card_ids(second)) == 5
    assert 'data-testid="feed-more"' in home
    assert 'data-testid="feed-next"' not in second and "Previous" in second
    first = client.get(url("/app/feed/"), headers=ENGLISH).text
    assert len(card_ids(first)) == 20 and 'data-testid="feed-next"' in first
    assert set(card_ids(first)) | set(card_ids(second)) == {str(item) for item in items}
    seen = interactions(in_tenant, content_tenant, someone, "impression")
    positions = {
        surface: sorted(event.context["position"] for event in seen if event.context["surface"] == surface)
        for surface in ("home", "feed")
    }
    assert len(seen) == 5 + 5 + 20
    assert positions == {"home": [1, 2, 3, 4, 5], "feed": list(range(1, 26))}


def test_the_pages_are_for_residents_only(client, content_tenant, create_staff, url):
    staff = create_staff(content_tenant)
    log_in(client, content_tenant, "staff", staff)
    for path in ("/app/feed/", "/app/feed/saved", f"/app/feed/{uuid.uuid4()}"):
        assert client.get(url(path)).status_code == 403
