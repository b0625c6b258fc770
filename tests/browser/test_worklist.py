"""In a real browser: a coach's morning with the worklist, by keyboard and by mouse."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from aandacht.accounts import service
from aandacht.accounts.models import Person
from aandacht.attention import service as attention
from aandacht.db import session, utcnow
from aandacht.tenancy.context import tenant_context
from tests.browser.conftest import save_screenshot

#: Days since each person last used the app.
QUIET_DAYS = {"Anna Actief": 1, "Bram Buiten": 40, "Cor Contact": 16, "Dirk Druk": 20}


def worklist_names(page) -> list[str]:
    return page.get_by_test_id("worklist").locator("tbody th").all_inner_texts()


def test_a_coachs_morning_with_the_worklist(site, page, create_tenant, assert_accessible):
    tenant = create_tenant(name="Gemeente Almelo")
    coach = site.staff(tenant, "Carla Coach", "coach")
    people = [site.resident(tenant, name) for name in QUIET_DAYS]
    site.caseload(tenant, coach, people)
    now = utcnow()
    with site.app.app_context(), tenant_context(tenant):
        for name, days in QUIET_DAYS.items():
            session.execute(
                update(Person)
                .where(Person.display_name == name)
                .values(last_active_at=now - timedelta(days=days), created_at=now - timedelta(days=10))
            )
        session.commit()

    # The start page opens with the worklist: the most urgent first, each with the reason in words.
    site.log_in_staff(page, tenant, coach)
    page.wait_for_url(site.url(tenant, "/workspace/"))
    assert worklist_names(page) == ["Bram Buiten", "Dirk Druk", "Cor Contact"]
    assert "Al 40 dagen niet actief" in page.get_by_test_id("worklist").inner_text()
    assert page.get_by_test_id("worklist-count").inner_text() == "3 mensen hebben aandacht nodig"
    assert_accessible(page)
    save_screenshot(page, "worklist.png", full_page=True)

    # Only the urgent ones, in place (htmx); then everyone again.
    page.get_by_label("Minstens").select_option("3")
    page.wait_for_function("document.querySelectorAll('[data-testid=worklist] tbody tr').length === 1")
    assert worklist_names(page) == ["Bram Buiten"]
    page.get_by_label("Minstens").select_option("")
    page.wait_for_function("document.querySelectorAll('[data-testid=worklist] tbody tr').length === 3")

    # By keyboard: j to Bram, d opens "done for today"; the coach called him.
    page.locator("body").press("j")
    assert page.evaluate("document.activeElement.dataset.person") == "Bram Buiten"
    page.keyboard.press("d")
    bram = page.get_by_test_id("worklist").locator("tr", has_text="Bram Buiten")
    bram.get_by_label("Telefoongesprek").check()
    bram.get_by_label("Notitie (mag leeg blijven)").fill("Gebeld over de sollicitatie")
    bram.get_by_role("button", name="Vastleggen en vandaag verbergen").click()
    page.wait_for_load_state()
    assert "Bram Buiten is klaar voor vandaag" in page.locator(".flash").inner_text()
    assert worklist_names(page) == ["Dirk Druk", "Cor Contact"]
    assert "Bram Buiten: vandaag klaar" in page.get_by_test_id("worklist-marked").inner_text()
    with site.app.app_context(), tenant_context(tenant):
        bram_id = service.person_by_email(people[1]).id
        [moment] = attention.contacts_of(bram_id)
    assert (moment.kind, moment.note) == ("phone", "Gebeld over de sollicitatie")
    assert_accessible(page)

    # A mistake: undo puts him back, and the contact is gone.
    page.get_by_test_id("worklist-marked").get_by_role("button", name="Ongedaan maken").click()
    page.wait_for_load_state()
    assert worklist_names(page)[0] == "Bram Buiten"
    with site.app.app_context(), tenant_context(tenant):
        assert attention.contacts_of(bram_id) == []

    # Dirk is on holiday: snoozed until next week.
    dirk = page.get_by_test_id("worklist").locator("tr", has_text="Dirk Druk")
    dirk.get_by_text("Uitstellen").first.click()
    with site.app.app_context(), tenant_context(tenant):
        next_week = attention.local_today(tenant) + timedelta(days=7)
    dirk.get_by_label("Weer op de lijst op").fill(next_week.isoformat())
    dirk.get_by_label("Waarom (mag leeg blijven)").fill("Op vakantie")
    dirk.get_by_role("button", name="Uitstellen").click()
    page.wait_for_load_state()
    assert worklist_names(page) == ["Bram Buiten", "Cor Contact"]
    assert "Dirk Druk: uitgesteld tot" in page.get_by_test_id("worklist-marked").inner_text()

    # No daily e-mail, thank you.
    page.get_by_role("button", name="Stop de dagelijkse e-mail").click()
    page.wait_for_load_state()
    assert (
        "U krijgt de dagelijkse e-mail met deze lijst niet."
        in page.get_by_test_id("digest-setting").inner_text()
    )
    assert_accessible(page)
