"""A resident answers a question card on the home page of the app; the answer is stored with its history."""

from __future__ import annotations

from aandacht.accounts import service as accounts
from aandacht.profiles.service import history, profile_values
from aandacht.tenancy.context import tenant_context
from tests.browser.conftest import save_screenshot, tenant_branding


def stored(site, tenant, email):
    with site.app.app_context(), tenant_context(tenant):
        person = accounts.person_by_email(email)
        return profile_values(person.id), history(person.id)


def test_a_resident_answers_a_card_on_the_home_page(site, page, create_tenant, assert_accessible):
    tenant = create_tenant(name="Gemeente Enschede", branding=tenant_branding("enschede"))
    email = site.resident(tenant, "Anna de Vries")
    site.log_in_resident(page, tenant, email)

    section = page.get_by_test_id("profile-questions")
    assert section.is_visible()
    card = section.locator('[data-question="core.preferred_channel"]')
    assert card.is_visible()
    assert "0" in page.get_by_test_id("profile-completeness").inner_text()
    assert page.get_by_test_id("empty-news").is_visible()  # the rest of home is still there
    assert_accessible(page)
    save_screenshot(page, "participant-question-card.png", full_page=True)

    # A tap on an answer: htmx puts the next card in its place, without loading the page again.
    page.evaluate("window.stayedOnPage = true")
    card.locator('button[value="sms"]').click()
    page.locator('[data-question="core.languages"]').wait_for()
    assert page.evaluate("window.stayedOnPage") is True
    assert page.get_by_test_id("question-thanks").is_visible()
    assert "1" in page.get_by_test_id("profile-completeness").inner_text()

    values, changes = stored(site, tenant, email)
    assert values == {"core.preferred_channel": "sms"}
    assert [(change.attribute_key, change.new_value, change.source) for change in changes] == [
        ("core.preferred_channel", "sms", "person")
    ]

    # Several languages: tick them, then save; then nothing more for now.
    languages = page.locator('[data-question="core.languages"]')
    languages.locator('input[value="nl"]').check()
    languages.locator('input[value="ar"]').check()
    languages.locator('button[name="action"][value="answer"]').click()
    page.get_by_test_id("no-questions").wait_for()
    assert stored(site, tenant, email)[0]["core.languages"] == ["nl", "ar"]
    assert_accessible(page)
