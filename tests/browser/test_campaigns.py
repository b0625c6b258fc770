"""A coach sends a campaign to a selection of the caseload: form, check, send, results; accessible."""

from __future__ import annotations

from playwright.sync_api import expect

from aandacht.segments.language import Viewer
from aandacht.segments.service import SegmentFields, save_segment
from aandacht.tenancy.context import tenant_context
from tests.browser.conftest import tenant_branding


def test_a_coach_checks_and_sends_a_campaign_to_a_selection(site, page, create_tenant, assert_accessible):
    tenant = create_tenant(name="Gemeente Almelo", branding=tenant_branding("enschede"))
    mine = [site.resident(tenant, name) for name in ("Sanne Bakker", "Youssef Amrani")]
    site.resident(tenant, "Olga Anders")  # not in the caseload: never reached
    coach = site.staff(tenant, "Carla Coach", "coach")
    site.caseload(tenant, coach, mine)
    with site.app.app_context(), tenant_context(tenant):
        save_segment(SegmentFields(name="Iedereen", predicate={"and": []}), Viewer.system())
    site.log_in_staff(page, tenant, coach)

    page.locator('nav a[href$="/workspace/campaigns/"]').click()
    expect(page.get_by_test_id("campaigns-empty")).to_be_visible()
    assert_accessible(page)
    page.get_by_test_id("new-campaign").click()
    page.get_by_label("Naam", exact=True).fill("Banenmarkt")
    page.get_by_label("Een selectie").check()
    page.get_by_test_id("segment").select_option(label="Iedereen (2 mensen)")
    page.locator("#field-email-subject").fill("Banenmarkt dinsdag")
    page.locator("#field-email-body").fill("Kom dinsdag naar de banenmarkt in het stadhuis.")
    page.get_by_test_id("broadcast").check()
    assert_accessible(page)
    page.get_by_test_id("check-campaign").click()

    expect(page.get_by_test_id("estimate-audience")).to_contain_text("2 mensen")
    assert_accessible(page)
    page.get_by_test_id("send-campaign").click()

    expect(page.get_by_test_id("result-audience")).to_have_text("2")
    expect(page.get_by_test_id("result-sent")).to_have_text("2")
    assert_accessible(page)
