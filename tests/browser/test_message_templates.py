"""A coach writes a message template: the preview follows the typing without a reload, then it is saved."""

from __future__ import annotations

from playwright.sync_api import expect

from aandacht.accounts import service as accounts
from aandacht.profiles.service import set_values
from aandacht.tenancy.context import tenant_context
from tests.browser.conftest import tenant_branding

ATTRIBUTES = [
    {
        "key": "tenant.sector",
        "label": {"nl": "Sector", "en": "Sector"},
        "type": "choice",
        "category": "work",
        "options": [
            {"value": "zorg", "label": {"nl": "Zorg", "en": "Care"}},
            {"value": "bouw", "label": {"nl": "Bouw", "en": "Building"}},
        ],
    },
]


def test_a_coach_writes_a_template_and_sees_the_preview(site, page, create_tenant, assert_accessible):
    tenant = create_tenant(
        name="Gemeente Hengelo", branding=tenant_branding("enschede"), attributes=ATTRIBUTES
    )
    email = site.resident(tenant, "Sanne Bakker")
    with site.app.app_context(), tenant_context(tenant):
        person = accounts.person_by_email(email)
        set_values(person.id, {"tenant.sector": "zorg"}, source="system", audience="system")
    coach = site.staff(tenant, "Carla Coach", "coach")
    site.caseload(tenant, coach, [email])
    site.log_in_staff(page, tenant, coach)

    page.locator('nav a[href$="/workspace/templates/"]').click()
    expect(page.get_by_test_id("templates-empty")).to_be_visible()
    page.get_by_test_id("new-template").click()
    page.evaluate("window.stayedOnPage = true")

    page.get_by_label("Naam", exact=True).fill("Banenmarkt")
    page.get_by_test_id("preview-person").select_option(label="Sanne Bakker")
    page.locator("#field-sms_text").fill(
        "Hoi {{ person.first_name }}, er is werk in de {{ profile['tenant.sector'] }}."
    )
    expect(page.get_by_test_id("preview-sms-text")).to_have_text("Hoi Sanne, er is werk in de Zorg.")
    expect(page.get_by_test_id("preview-sms-length")).to_contain_text("1 sms-bericht")

    page.locator("#field-email_subject").fill("Banenmarkt voor {{ person.first_name }}")
    page.locator("#field-email_body").fill("**Welkom** op de banenmarkt.\n\nGroet, {{ coach.name }}")
    expect(page.get_by_test_id("preview-email-subject")).to_have_text("Banenmarkt voor Sanne")
    frame = page.frame_locator('[data-testid="preview-email-html"]')
    expect(frame.locator("strong")).to_have_text("Welkom")
    expect(frame.locator("body")).to_contain_text("Groet, Carla Coach")

    # A mistake shows in the preview with its line while typing; saving is refused beside the field.
    page.locator("#field-in_app_text").fill("Hallo\n{{ voornaam }}")
    expect(page.get_by_test_id("preview-error-in_app_text")).to_contain_text(
        "regel 2: er is geen veld “voornaam”"
    )
    assert page.evaluate("window.stayedOnPage") is True
    assert_accessible(page)
    page.get_by_test_id("save-template").click()
    expect(page.get_by_test_id("error-in_app_text")).to_contain_text("regel 2")
    assert_accessible(page)

    page.locator("#field-in_app_text").fill("Hallo {{ person.first_name }}")
    page.get_by_test_id("save-template").click()
    expect(page.get_by_test_id("templates")).to_contain_text("Banenmarkt")
    assert_accessible(page)
