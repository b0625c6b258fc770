"""Content in the workspace and the platform's library pages, as coaches and administrators use them."""

from __future__ import annotations

import re
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from aandacht.accounts.service import create_platform_admin
from aandacht.db import session, utcnow
from aandacht.personalisation import registry
from aandacht.personalisation.catalogue import ItemFields, item_by_id, save_item
from aandacht.personalisation.library import LibraryFields, library_item, save_library_item
from aandacht.personalisation.models import ContentItem, InteractionEvent, LibraryItem
from aandacht.personalisation.types import ContentField, ContentType
from aandacht.segments.language import Viewer
from aandacht.segments.service import SegmentFields, save_segment
from aandacht.tenancy.scoping import get_scoped
from tests.api.helpers import bearer, issue_token, log_in
from tests.helpers import csrf_token

EN = {"Accept-Language": "en"}

#: A vacancy-like type with a detail of every kind the form draws.
VACANCY = ContentType(
    key="core.test_vacancy",
    label=_l("Vacancy"),
    plural=_l("Vacancies"),
    icon="briefcase",
    action=_l("Apply"),
    fields=(
        ContentField("hours", _l("Hours a week"), "number", required=True),
        ContentField("contract", _l("Contract"), "choice", options=("permanent", "temporary")),
        ContentField("licence", _l("Driving licence needed"), "boolean"),
        ContentField("starts", _l("Starts on"), "date"),
        ContentField("employer", _l("Employer"), "text"),
        ContentField("about", _l("About the employer"), "long_text"),
        ContentField("website", _l("Employer's website"), "url"),
    ),
)


@pytest.fixture
def world(create_tenant, create_staff, create_person, in_tenant, monkeypatch):
    """A tenant with the vacancy type, two coaches, a resident and a saved selection."""
    monkeypatch.setattr(registry, "CORE_CONTENT_TYPES", (*registry.CORE_CONTENT_TYPES, VACANCY))
    tenant = create_tenant()
    coach = create_staff(tenant, role="coach", display_name="Coach Carla")
    colleague = create_staff(tenant, role="coach", display_name="Coach Daan")
    resident = create_person(tenant, display_name="Ada")
    with in_tenant(tenant):
        viewer = Viewer(audience="team_lead", sees_everyone=True)
        clickers = save_segment(
            SegmentFields("Clickers", {"interactions": {"kind": "click", "min": 1}}), viewer
        )
    return type(
        "World",
        (),
        {
            "tenant": tenant,
            "coach": coach,
            "colleague": colleague,
            "resident": resident,
            "segment": clickers.id,
        },
    )


def url(tenant, path: str = "") -> str:
    return f"/t/{tenant.slug}/workspace/content/{path}"


def post(client, tenant, path: str, data: dict | None = None):
    """Post as the page's own form does (its CSRF token from the content list)."""
    token = csrf_token(client.get(url(tenant, "library"), headers=EN))
    return client.post(url(tenant, path), data={**(data or {}), "csrf_token": token}, headers=EN)


def page(client, tenant, path: str = "") -> str:
    answer = client.get(url(tenant, path), headers=EN)
    assert answer.status_code == 200, answer.status_code
    return answer.get_data(as_text=True)


def text_of(html: str) -> str:
    """The words of a page, without its markup."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


VACANCY_FORM = {
    "title": "Kok in de zorgkeuken",
    "summary": "Koken voor bewoners van een verpleeghuis.",
    "body": "Je kookt **elke dag** voor 40 bewoners.\n\n- Vaste uren\n- Goede begeleiding",
    "image_url": "https://cdn.example.org/kok.jpg",
    "link_url": "https://werk.example.org/kok",
    "tags": "sector:zorg, koken",
    "details.hours": "36",
    "details.contract": "permanent",
    "details.licence": "true",
    "details.starts": "2026-05-01",
    "details.employer": "Zorggroep Oost",
    "details.about": "",
    "details.website": "",
    "language": "nl",
    "valid_from": "2026-04-01",
    "valid_until": "2026-04-30",
    "priority": "high",
    "pinned": "1",
    "status": "published",
    "action": "save",
}


def own_item(world, in_tenant, title: str, *, owner=None, **values) -> uuid.UUID:
    """An item of the tenant saved directly (news, published unless told otherwise)."""
    values.setdefault("status", "published")
    with in_tenant(world.tenant):
        item = save_item(ItemFields(type="core.news", title=title, **values), owner_id=owner or world.coach)
        return item.id


def library_news(title: str, body: str = "De tekst van de bibliotheek.", **values) -> LibraryItem:
    """A news item of the library (made by a platform administrator); call inside an app context."""
    key = f"test-{uuid.uuid4().hex[:12]}"
    return save_library_item(LibraryFields(key=key, type="core.news", title=title, body=body, **values))


# --- Writing an item --------------------------------------------------------------------------------------


def test_a_coach_writes_a_vacancy_with_details_and_a_selection_and_finds_it_in_the_list(
    client, world, in_tenant
):
    log_in(client, world.tenant, "staff", world.coach)
    types = page(client, world.tenant, "new")
    assert "Vacancy" in types and "News" in types
    form = page(client, world.tenant, "new/core.test_vacancy")
    for name in ("details.hours", "details.contract", "details.licence", "details.starts", "details.about"):
        assert f'name="{name}"' in form
    assert "Clickers" in form and "Markdown" in form

    answer = post(
        client,
        world.tenant,
        "new/core.test_vacancy",
        {**VACANCY_FORM, "eligibility_segment_id": world.segment},
    )
    assert answer.status_code == 302
    item_id = answer.headers["Location"].rstrip("/").rsplit("/", 1)[-1]

    shown = page(client, world.tenant, item_id)
    assert "<strong>elke dag</strong>" in shown and "<li>Vaste uren</li>" in shown
    words = text_of(shown)
    assert (
        "Hours a week 36" in words and "Contract permanent" in words and "Driving licence needed yes" in words
    )
    assert "Clickers" in words and "Apply" in words and "Coach Carla" in words

    listing = page(client, world.tenant)
    row = re.search(rf'data-testid="item-{item_id}".*?</tr>', listing, re.S).group(0)
    words = text_of(row)
    assert "Kok in de zorgkeuken" in words and "Vacancy" in words and "Published" in words
    assert "Pinned" in words and "Priority: high" in words
    assert "4/1/26 to 4/30/26" in words
    assert "shown to 0 people, opened by 0" in words

    with in_tenant(world.tenant):
        item = item_by_id(item_id)
        assert item.details == {
            "hours": 36,
            "contract": "permanent",
            "licence": True,
            "starts": "2026-05-01",
            "employer": "Zorggroep Oost",
        }
        assert item.eligibility_segment_id == world.segment and item.owner_id == world.coach
        assert item.tags == ("koken", "sector:zorg") and item.pinned and item.priority == "high"
        # The first and last day are days in the Netherlands: shown from 1 April 00:00 to 30 April 24:00.
        assert item.valid_from == datetime(2026, 3, 31, 22, 0, tzinfo=UTC)
        assert item.valid_until == datetime(2026, 4, 30, 22, 0, tzinfo=UTC)


def test_bad_input_keeps_what_was_typed_and_says_why_beside_each_field(client, world, in_tenant):
    log_in(client, world.tenant, "staff", world.coach)
    typed = {
        **VACANCY_FORM,
        "title": "",
        "body": "Mijn **lange** tekst die niet verloren mag gaan.",
        "image_url": "ftp://example.org/foto.jpg",
        "tags": "Niet goed!",
        "details.hours": "veel",
        "valid_from": "2026-05-01",
        "valid_until": "2026-04-01",
    }
    answer = post(client, world.tenant, "new/core.test_vacancy", typed)
    assert answer.status_code == 400
    html = answer.get_data(as_text=True)
    for key in ("title", "image_url", "tags", "details.hours", "valid_until"):
        assert f'data-testid="error-{key}"' in html, key
    assert "Fill in a number." in html and "Give a title." in html
    assert "Mijn **lange** tekst die niet verloren mag gaan.</textarea>" in html
    assert 'value="veel"' in html and 'value="ftp://example.org/foto.jpg"' in html
    assert 'value="2026-05-01"' in html and 'value="2026-04-01"' in html
    assert re.search(r'<option value="permanent" selected>', html)
    with in_tenant(world.tenant):
        assert session.query(ContentItem).count() == 0


def test_preview_shows_the_text_as_residents_see_it_and_saves_nothing(client, world, in_tenant):
    log_in(client, world.tenant, "staff", world.coach)
    body = "Kom **langs**! <script>alert('x')</script> [klik](javascript:alert(1))"
    answer = post(
        client, world.tenant, "new/core.news", {"title": "Open dag", "body": body, "action": "preview"}
    )
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    preview = re.search(r'data-testid="preview".*?</section>', html, re.S).group(0)
    assert "<strong>langs</strong>" in preview
    assert "<script>" not in preview and 'href="javascript' not in preview
    with in_tenant(world.tenant):
        assert session.query(ContentItem).count() == 0


def test_a_coach_changes_an_item_and_the_form_shows_its_values(client, world, in_tenant):
    item_id = own_item(world, in_tenant, "Inloopspreekuur", body="Elke **dinsdag**.", pinned=True)
    log_in(client, world.tenant, "staff", world.colleague)  # content is the organisation's, not one coach's
    form = page(client, world.tenant, f"{item_id}/edit")
    assert 'value="Inloopspreekuur"' in form and "Elke **dinsdag**.</textarea>" in form
    assert 'name="pinned" value="1" checked' in form
    changed = {"title": "Inloopspreekuur (nieuw)", "body": "Elke woensdag.", "language": "nl"}
    answer = post(
        client, world.tenant, f"{item_id}/edit", {**changed, "status": "published", "priority": "low"}
    )
    assert answer.status_code == 302
    with in_tenant(world.tenant):
        item = item_by_id(item_id)
        assert (item.title, item.body, item.priority, item.pinned) == (
            "Inloopspreekuur (nieuw)",
            "Elke woensdag.",
            "low",
            False,
        )
        assert item.owner_id == world.coach


def test_the_list_filters_by_type_status_owner_and_title_and_pages(client, world, in_tenant, monkeypatch):
    own_item(world, in_tenant, "Nieuws van de week")
    own_item(world, in_tenant, "Concept 50% korting", status="draft")
    own_item(world, in_tenant, "Van een collega", owner=world.colleague)
    with in_tenant(world.tenant):
        save_item(
            ItemFields(type=VACANCY.key, title="Monteur", details={"hours": 24}, status="published"),
            owner_id=world.coach,
        )
    log_in(client, world.tenant, "staff", world.coach)

    def titles(query: str) -> set[str]:
        html = page(client, world.tenant, f"?{query}")
        return set(
            re.findall(r'<a class="utrecht-link" href="[^"]+/content/[0-9a-f-]{36}">([^<]+)</a>', html)
        )

    assert titles("") == {"Nieuws van de week", "Concept 50% korting", "Van een collega", "Monteur"}
    assert titles("type=core.test_vacancy") == {"Monteur"}
    assert titles("status=draft") == {"Concept 50% korting"}
    assert titles("mine=1") == {"Nieuws van de week", "Concept 50% korting", "Monteur"}
    assert titles("q=50%25") == {"Concept 50% korting"}
    assert titles("q=niets") == set()

    monkeypatch.setattr("aandacht.personalisation.views.PAGE_SIZE", 2)
    first = page(client, world.tenant, "?mine=1")
    assert "Page 1 of 2" in first and "page=2" in first and "mine=1" in first
    assert len(titles("mine=1&page=2")) == 1


def test_the_workspace_menu_leads_to_content(client, world):
    log_in(client, world.tenant, "staff", world.coach)
    html = client.get(f"/t/{world.tenant.slug}/workspace/", headers=EN).get_data(as_text=True)
    assert f'href="/t/{world.tenant.slug}/workspace/content/"' in html and "Content" in html


# --- Who may --------------------------------------------------------------------------------------------


def test_a_coach_of_another_tenant_finds_nothing(client, world, in_tenant, create_tenant, create_staff):
    item_id = own_item(world, in_tenant, "Alleen voor ons", status="draft")
    other = create_tenant()
    outsider = create_staff(other, role="team_lead")
    log_in(client, other, "staff", outsider)
    for path in (f"{item_id}", f"{item_id}/edit", f"{item_id}/retire", f"{item_id}/delete"):
        assert client.get(url(other, path), headers=EN).status_code == 404, path
    for path in (f"{item_id}/edit", f"{item_id}/retire", f"{item_id}/publish", f"{item_id}/delete"):
        assert post(client, other, path, {"title": "Overgenomen"}).status_code == 404, path
    assert "Alleen voor ons" not in page(client, other)
    with in_tenant(world.tenant):
        assert item_by_id(item_id).title == "Alleen voor ons"


def test_residents_visitors_and_tokens_are_refused(client, app, world, in_tenant):
    item_id = own_item(world, in_tenant, "Nieuws")
    assert client.get(url(world.tenant), headers=EN).status_code == 302  # to the login page
    log_in(client, world.tenant, "person", world.resident)
    for path in ("", "new", f"{item_id}", f"{item_id}/edit", "library", "unopened"):
        assert client.get(url(world.tenant, path), headers=EN).status_code == 403, path
    token = issue_token(app, world.tenant, world.coach, ["content:read", "content:write"])
    answer = client.get(url(world.tenant, f"{item_id}/edit"), headers={**EN, **bearer(token)})
    assert answer.status_code == 403  # the pages are for a login session; integrations use the API


# --- Retiring, publishing again and deleting --------------------------------------------------------------


def test_a_coach_retires_an_item_after_confirming_and_publishes_it_again(client, world, in_tenant):
    item_id = own_item(world, in_tenant, "Banenmarkt")
    log_in(client, world.tenant, "staff", world.coach)
    assert "Yes, retire it" in page(client, world.tenant, f"{item_id}/retire")
    with in_tenant(world.tenant):
        assert item_by_id(item_id).status == "published"  # asking changed nothing
    assert post(client, world.tenant, f"{item_id}/retire").status_code == 302
    shown = page(client, world.tenant, f"{item_id}")
    assert "Retired" in shown and "Publish again" in shown
    assert post(client, world.tenant, f"{item_id}/publish").status_code == 302
    with in_tenant(world.tenant):
        item = item_by_id(item_id)
        assert (item.status, item.retired_reason) == ("published", None)


def test_an_item_past_its_last_day_is_published_again_only_after_a_new_date(client, world, in_tenant):
    item_id = own_item(world, in_tenant, "Zomerschool", valid_until=utcnow() - timedelta(days=2))
    with in_tenant(world.tenant):
        row = get_scoped(ContentItem, item_id)
        row.status, row.retired_reason = "retired", "expired"
        session.commit()
    log_in(client, world.tenant, "staff", world.coach)
    assert "its end date passed" in page(client, world.tenant, f"{item_id}")
    answer = post(client, world.tenant, f"{item_id}/publish")
    assert "Change the dates first" in client.get(answer.headers["Location"], headers=EN).get_data(
        as_text=True
    )
    with in_tenant(world.tenant):
        assert item_by_id(item_id).status == "retired"


def test_only_a_draft_that_nobody_saw_can_be_deleted(client, world, in_tenant):
    draft = own_item(world, in_tenant, "Eerste versie", status="draft")
    seen_draft = own_item(world, in_tenant, "Teruggezet naar concept", status="draft")
    published = own_item(world, in_tenant, "Gepubliceerd")
    with in_tenant(world.tenant):
        session.add(
            InteractionEvent(
                person_id=world.resident, kind="impression", item_type="core.news", item_id=str(seen_draft)
            )
        )
        session.commit()
    log_in(client, world.tenant, "staff", world.coach)
    assert "Yes, delete it" in page(client, world.tenant, f"{draft}/delete")
    assert post(client, world.tenant, f"{draft}/delete").status_code == 302
    for kept in (seen_draft, published):
        assert 'data-testid="delete-item"' not in page(client, world.tenant, f"{kept}")
        answer = post(client, world.tenant, f"{kept}/delete")
        assert answer.status_code == 302
        assert "Only a draft that nobody saw" in client.get(answer.headers["Location"], headers=EN).get_data(
            as_text=True
        )
    with in_tenant(world.tenant):
        assert item_by_id(draft) is None
        assert item_by_id(seen_draft) is not None and item_by_id(published) is not None


# --- The library, as a tenant uses it ---------------------------------------------------------------------


def test_an_adopted_item_keeps_its_own_title_and_follows_the_librarys_text(client, app, world, in_tenant):
    with app.app_context():
        source = library_news("Tips voor je cv", body="Houd je cv **kort**.", summary="Zo valt je cv op.")
        source_id = source.id
    log_in(client, world.tenant, "staff", world.coach)
    offered = page(client, world.tenant, "library")
    assert "Tips voor je cv" in offered and f'data-testid="adopt-{source_id}"' in offered

    answer = post(client, world.tenant, f"library/{source_id}/adopt")
    assert answer.status_code == 302
    item_id = answer.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    assert f'data-testid="adopted-{source_id}"' in page(client, world.tenant, "library")
    listing = page(client, world.tenant)
    assert "Tips voor je cv" in listing and 'data-testid="library-badge"' in listing

    form = page(client, world.tenant, f"{item_id}/edit")
    assert 'placeholder="Tips voor je cv"' in form and 'data-testid="library-values"' in form
    assert 'name="image_url"' not in form and 'name="tags"' not in form  # the library's own, read-only
    own_title = {"title": "Jouw cv in één keer goed", "summary": "", "body": "", "status": "published"}
    assert (
        post(client, world.tenant, f"{item_id}/edit", {**own_title, "priority": "normal"}).status_code == 302
    )

    with app.app_context():
        source = library_item(source_id)
        save_library_item(
            LibraryFields(
                key=source.key,
                type=source.type,
                title=source.title,
                body="Nieuw: zet je **talenten** bovenaan.",
            ),
            item=source,
        )
    shown = page(client, world.tenant, item_id)
    assert "Jouw cv in één keer goed" in shown and "<strong>talenten</strong>" in shown
    assert "Your own: title" in text_of(shown)

    assert 'data-testid="use-library-title"' in page(client, world.tenant, f"{item_id}/edit")
    assert post(client, world.tenant, f"{item_id}/use-library", {"field": "title"}).status_code == 302
    with in_tenant(world.tenant):
        item = item_by_id(item_id)
        assert item.title == "Tips voor je cv" and item.overridden == frozenset()


def test_the_library_fields_of_an_adopted_item_cannot_be_changed(client, app, world, in_tenant):
    with app.app_context():
        source_id = library_news("Energie besparen", valid_until=utcnow() + timedelta(days=60)).id
    log_in(client, world.tenant, "staff", world.coach)
    item_id = post(client, world.tenant, f"library/{source_id}/adopt").headers["Location"].rsplit("/", 1)[-1]
    sneaky = {
        "title": "Energie",
        "link_url": "https://phish.example",
        "tags": "gratis",
        "status": "published",
    }
    answer = post(
        client,
        world.tenant,
        f"{item_id}/edit",
        {**sneaky, "valid_from": "2026-06-01", "valid_until": "2026-05-01"},
    )
    assert answer.status_code == 400
    assert 'data-testid="error-valid_until"' in answer.get_data(as_text=True)
    assert post(client, world.tenant, f"{item_id}/edit", sneaky).status_code == 302
    with in_tenant(world.tenant):
        item = item_by_id(item_id)
        assert item.link_url is None and item.tags == () and item.title == "Energie"


def test_withdrawing_a_library_item_retires_it_for_every_tenant(client, app, world, in_tenant):
    with app.app_context():
        source_id = library_news("Gratis fietsles").id
        create_platform_admin(
            display_name="Beheer", email=f"{uuid.uuid4().hex[:6]}@ops.example", password="x" * 12
        )
    log_in(client, world.tenant, "staff", world.coach)
    item_id = post(client, world.tenant, f"library/{source_id}/adopt").headers["Location"].rsplit("/", 1)[-1]
    with app.app_context():
        source = library_item(source_id)
        save_library_item(
            LibraryFields(key=source.key, type=source.type, title=source.title, status="withdrawn"),
            item=source,
        )
    shown = page(client, world.tenant, item_id)
    assert "Retired" in text_of(shown) and "taken down" in shown
    assert 'data-testid="publish-item"' not in shown
    assert "Gratis fietsles" not in page(client, world.tenant, "library")
    with in_tenant(world.tenant):
        assert item_by_id(item_id).status == "retired"


# --- Not opened in 30 days --------------------------------------------------------------------------------


def test_a_coach_sees_which_of_their_items_nobody_opened_in_30_days(client, world, in_tenant):
    quiet = own_item(world, in_tenant, "Niemand keek")
    opened = own_item(world, in_tenant, "Vorige week geopend")
    long_ago = own_item(world, in_tenant, "Lang geleden geopend")
    own_item(world, in_tenant, "Van een collega", owner=world.colleague)
    own_item(world, in_tenant, "Nog een concept", status="draft")
    with in_tenant(world.tenant):
        session.execute(update(ContentItem).values(published_at=utcnow() - timedelta(days=45)))
        session.commit()
    own_item(world, in_tenant, "Net geplaatst")  # not online for 30 days yet
    with in_tenant(world.tenant):
        for item_id, days in ((opened, 5), (long_ago, 40)):
            session.add(
                InteractionEvent(
                    person_id=world.resident,
                    kind="open",
                    item_type="core.news",
                    item_id=str(item_id),
                    occurred_at=utcnow() - timedelta(days=days),
                )
            )
        session.commit()
    log_in(client, world.tenant, "staff", world.coach)
    html = page(client, world.tenant, "unopened")
    assert f'data-testid="unopened-{quiet}"' in html and f'data-testid="unopened-{long_ago}"' in html
    assert (
        "Vorige week geopend" not in html and "Van een collega" not in html and "Nog een concept" not in html
    )
    assert "Net geplaatst" not in html
    assert "2 of my items not opened in 30 days" in page(client, world.tenant)


# --- The library, as the platform administrator keeps it ------------------------------------------------


def platform_login(client, admin_id) -> None:
    with client.session_transaction() as data:
        data["auth"] = {
            "kind": "platform",
            "id": str(admin_id),
            "tenant": None,
            "epoch": 0,
            "seen": int(time.time()),
        }


@pytest.fixture
def operator(app):
    with app.app_context():
        admin = create_platform_admin(
            display_name="Operator",
            email=f"{uuid.uuid4().hex[:8]}@ops.example",
            password="operator wachtwoord",
        )
        return admin.id


def platform_post(client, path: str, data: dict):
    token = csrf_token(client.get("/platform/library/new/core.news", headers=EN))
    return client.post(f"/platform/library/{path}", data={**data, "csrf_token": token}, headers=EN)


def test_the_platform_administrator_writes_changes_withdraws_and_offers_again(client, app, operator, world):
    platform_login(client, operator)
    assert 'href="/platform/library/"' in client.get("/platform/", headers=EN).get_data(as_text=True)
    key = f"tip-{uuid.uuid4().hex[:8]}"
    item = {"key": key, "title": "Sollicitatiegesprek oefenen", "body": "Oefen **hardop**.", "language": "nl"}
    refused = platform_post(
        client, "new/core.news", {**item, "key": "Geen Goede Sleutel", "status": "published"}
    )
    assert refused.status_code == 400
    assert 'data-testid="error-key"' in refused.get_data(as_text=True)
    assert "Oefen **hardop**.</textarea>" in refused.get_data(as_text=True)

    assert platform_post(client, "new/core.news", {**item, "status": "published"}).status_code == 302
    with app.app_context():
        saved = session.query(LibraryItem).filter_by(key=key).one()
        saved_id = saved.id
    listing = client.get("/platform/library/", headers=EN).get_data(as_text=True)
    assert "Sollicitatiegesprek oefenen" in listing and f'data-testid="withdraw-{saved_id}"' in listing

    edit = client.get(f"/platform/library/{saved_id}/edit", headers=EN).get_data(as_text=True)
    assert f'value="{key}"' in edit
    changed = {**item, "title": "Een gesprek oefenen", "status": "published"}
    assert platform_post(client, f"{saved_id}/edit", changed).status_code == 302

    assert "Yes, withdraw it" in client.get(f"/platform/library/{saved_id}/withdraw", headers=EN).get_data(
        as_text=True
    )
    assert platform_post(client, f"{saved_id}/withdraw", {}).status_code == 302
    with app.app_context():
        assert (library_item(saved_id).title, library_item(saved_id).status) == (
            "Een gesprek oefenen",
            "withdrawn",
        )
    assert platform_post(client, f"{saved_id}/republish", {}).status_code == 302
    with app.app_context():
        assert library_item(saved_id).status == "published"


def test_only_the_platform_administrator_keeps_the_library(client, world):
    assert client.get("/platform/library/", headers=EN).status_code == 302  # to the login page
    log_in(client, world.tenant, "staff", world.coach)
    assert client.get(f"/t/{world.tenant.slug}/platform/library/", headers=EN).status_code in (403, 404)
