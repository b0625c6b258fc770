"""A coach builds a selection: the count follows each choice without a reload, then it is saved."""

from __future__ import annotations

from playwright.sync_api import expect

from aandacht.accounts import service as accounts
from aandacht.profiles.service import set_values
from aandacht.tenancy.context import tenant_context
from tests.browser.conftest import save_screenshot, tenant_branding

ATTRIBUTES = [
    {
        "key": "tenant.sector",
        "label": {"nl": "Sector", "en": "Sector"},
        "type": "choice",
        "category": "work",
        "options": [{"value": value, "label": {"nl": value, "en": value}} for value in ("zorg", "bouw")],
    },
    {"key": "tenant.licence", "label": {"nl": "Rijbewijs", "en": "Driving licence"}, "type": "boolean"},
]


def test_a_coach_builds_and_saves_a_selection(site, page, create_tenant, assert_accessible):
    tenant = create_tenant(
        name="Gemeente Zaanstad", branding=tenant_branding("enschede"), attributes=ATTRIBUTES
    )
    people = {"Anna de Vries": ("zorg", True), "Bram Jansen": ("zorg", False), "Cem Yilmaz": ("bouw", True)}
    emails = [site.resident(tenant, name) for name in people]
    with site.app.app_context(), tenant_context(tenant):
        for email, (sector, licence) in zip(emails, people.values(), strict=True):
            person = accounts.person_by_email(email)
            set_values(
                person.id,
                {"tenant.sector": sector, "tenant.licence": licence},
                source="system",
                audience="system",
            )
    coach = site.staff(tenant, "Carla Coach", "coach")
    site.caseload(tenant, coach, emails)
    site.log_in_staff(page, tenant, coach)

    page.locator('nav a[href$="/workspace/segments/"]').click()
    page.get_by_test_id("new-selection").click()
    count = page.get_by_test_id("selection-count")
    expect(count).to_contain_text("3")
    page.evaluate("window.stayedOnPage = true")

    # Choosing what to select on brings its comparison and values; choosing a value changes the count.
    page.select_option("#g0-c0-what", "attribute:tenant.sector")
    expect(page.locator("#g0-c0-op")).to_be_visible()
    page.select_option("#g0-c0-value", "zorg")
    expect(count).to_contain_text("2")
    expect(page.get_by_test_id("selection-sample")).to_contain_text("Bram Jansen")

    page.get_by_test_id("add-condition-0").click()
    expect(page.get_by_test_id("condition-0-1")).to_be_visible()
    page.select_option("#g0-c1-what", "attribute:tenant.licence")
    expect(page.locator("#g0-c1-value")).to_be_visible()
    page.select_option("#g0-c1-value", "yes")
    expect(count).to_contain_text("1")
    expect(page.get_by_test_id("selection-sample")).not_to_contain_text("Bram Jansen")
    expect(page.locator('fieldset[data-testid^="condition-0-"]')).to_have_count(2)
    assert page.evaluate("window.stayedOnPage") is True
    assert_accessible(page)
    save_screenshot(page, "workspace-selection-builder.png", full_page=True)

    page.locator("#selection-name").fill("Zorg met rijbewijs")
    page.get_by_test_id("save-selection").click()
    expect(page.get_by_test_id("selection-count")).to_contain_text("1")
    page.locator('nav a[href$="/workspace/segments/"]').click()
    expect(page.get_by_test_id("selections")).to_contain_text("Zorg met rijbewijs")
    assert_accessible(page)
