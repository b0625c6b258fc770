"""In a real browser: the person's page with a note, the report with its charts, the resident's access log."""

from __future__ import annotations

from tests.browser.conftest import save_screenshot


def test_the_report_and_the_access_log_are_accessible(site, page, browser, create_tenant, assert_accessible):
    tenant = create_tenant(name="Gemeente Hengelo")
    resident = site.resident(tenant, "Anna de Vries")
    coach = site.staff(tenant, "Carla Coach", "coach")
    site.caseload(tenant, coach, [resident])

    coach_context = browser.new_context(locale="nl-NL")
    coach_page = coach_context.new_page()
    site.log_in_staff(coach_page, tenant, coach)
    coach_page.wait_for_url(site.url(tenant, "/workspace/"))
    coach_page.get_by_role("link", name="Anna de Vries").click()
    coach_page.get_by_label("Nieuwe notitie").fill("Wil graag in de zorg werken. Volgende week bellen.")
    coach_page.get_by_role("button", name="Notitie toevoegen").click()
    coach_page.wait_for_url("**#notes")
    assert "Wil graag in de zorg werken." in coach_page.get_by_test_id("timeline-entries").inner_text()
    assert_accessible(coach_page)
    save_screenshot(coach_page, "workspace-person.png", full_page=True)
    coach_page.get_by_role("link", name="Rapport").click()
    coach_page.wait_for_url(site.url(tenant, "/workspace/report"))
    assert coach_page.get_by_test_id("chart-attention").locator("svg").count() == 1
    assert "Anna de Vries" in coach_page.get_by_test_id("table-people").inner_text()
    assert_accessible(coach_page)
    save_screenshot(coach_page, "workspace-report.png", full_page=True)

    site.log_in_resident(page, tenant, resident)
    page.goto(site.url(tenant, "/app/profile"))
    page.get_by_test_id("access-log-link").click()
    page.wait_for_url(site.url(tenant, "/app/privacy"))
    entry = page.get_by_test_id("access-entry").first.inner_text()
    assert "Carla Coach, coach" in entry
    assert "Wil graag" not in page.content()
    assert_accessible(page)
    save_screenshot(page, "participant-access-log.png")
