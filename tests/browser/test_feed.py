"""A resident goes through the feed on the home page: why, save, "not for me", share, and one item in full."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from aandacht.accounts import service as accounts
from aandacht.db import session, utcnow
from aandacht.personalisation import registry
from aandacht.personalisation.catalogue import ItemFields, save_item
from aandacht.personalisation.models import InteractionEvent
from aandacht.profiles.service import set_values
from aandacht.tenancy.context import tenant_context
from tests.browser.conftest import save_screenshot, tenant_branding
from tests.personalisation.conftest import JOB
from tests.segments.conftest import SELECTION_ATTRIBUTES


def test_a_resident_reads_saves_and_hides_items(
    site, page, context, create_tenant, monkeypatch, assert_accessible
):
    monkeypatch.setattr(registry, "CORE_CONTENT_TYPES", (*registry.CORE_CONTENT_TYPES, JOB))
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    tenant = create_tenant(
        name="Gemeente Enschede", branding=tenant_branding("enschede"), attributes=SELECTION_ATTRIBUTES
    )
    email = site.resident(tenant, "Anna de Vries")
    with site.app.app_context(), tenant_context(tenant):
        person = accounts.person_by_email(email)
        set_values(person.id, {"tenant.sector": "zorg"}, source="system", audience="system")
        fitting = save_item(
            ItemFields(
                type=JOB.key,
                title="Verzorgende in de wijk",
                summary="Help ouderen thuis, 24 uur per week.",
                body="Je helpt mensen **thuis**. Een rijbewijs is handig.",
                tags=["sector:zorg"],
                details={"hours": 24, "licence_needed": False},
                image_url=f"/t/{tenant.slug}/app/icon-192.png",
                valid_until=utcnow() + timedelta(days=20),
            )
        ).id
        unwanted = save_item(ItemFields(type=JOB.key, title="Timmerman gezocht", tags=["sector:bouw"])).id
        save_item(
            ItemFields(type="core.news", title="Het wijkcentrum is open", summary="Kom langs voor koffie.")
        )
        person_id = person.id

    site.log_in_resident(page, tenant, email)
    cards = page.get_by_test_id("feed-card")
    expect(cards).to_have_count(3)
    first = page.locator(f'[data-item="{fitting}"]')
    expect(first).to_contain_text("Verzorgende in de wijk")

    # Saving changes the card in place, without loading the page again.
    page.evaluate("window.stayedOnPage = true")
    first.locator('form[action$="/save"] button').click()
    expect(first.get_by_test_id("feed-saved")).to_be_visible()
    expect(first.get_by_test_id("feed-saved")).to_be_focused()

    # "Why do I see this?" opens the ranker's reasons.
    first.get_by_test_id("feed-why").locator("summary").click()
    expect(first.get_by_test_id("feed-why")).to_contain_text("U wilt werken in zorg.")
    assert_accessible(page)

    # Sharing: the phone's share sheet, or here (no share sheet) the link copied.
    share = first.locator("form[data-share]")
    expect(share).to_be_visible()
    share.locator("button").click()
    expect(share.locator("[data-share-status]")).not_to_be_empty()
    save_screenshot(page, "participant-feed.png", full_page=True)

    # "Not for me": the card makes room for a short note.
    page.locator(f'[data-item="{unwanted}"] form[action$="/dismiss"] button').click()
    expect(page.get_by_test_id("feed-hidden")).to_be_focused()
    expect(page.locator(f'[data-item="{unwanted}"]')).to_have_count(0)
    assert page.evaluate("window.stayedOnPage") is True
    assert_accessible(page)

    # The item in full, from "Read more".
    page.locator(f'[data-item="{fitting}"] a[href*="/app/feed/{fitting}"]').click()
    expect(page.get_by_test_id("feed-item")).to_be_visible()
    expect(page.locator("h1")).to_have_text("Verzorgende in de wijk")
    expect(page.get_by_test_id("feed-body").locator("strong")).to_have_text("thuis")
    expect(page.get_by_test_id("feed-details")).to_contain_text("24")
    assert_accessible(page)

    page.goto(site.url(tenant, "/app/feed/saved"))
    expect(page.get_by_test_id("feed-card")).to_have_count(1)
    assert_accessible(page)
    page.goto(site.url(tenant, "/app/"))
    expect(page.locator(f'[data-item="{unwanted}"]')).to_have_count(0)

    with site.app.app_context(), tenant_context(tenant):
        done = session.execute(
            select(InteractionEvent.kind, InteractionEvent.item_id).where(
                InteractionEvent.person_id == person_id, InteractionEvent.kind != "impression"
            )
        ).all()
    assert sorted(done) == sorted(
        [("save", str(fitting)), ("share", str(fitting)), ("dismiss", str(unwanted)), ("open", str(fitting))]
    )
