"""In a real browser: a value the resident gave appears on the coach's person page, with its history."""

from __future__ import annotations

from aandacht.accounts import service
from aandacht.profiles.service import profile_values
from aandacht.tenancy.context import tenant_context


def test_a_resident_answers_a_card_and_the_coach_sees_it_with_its_history(
    site, page, browser, create_tenant, assert_accessible
):
    tenant = create_tenant(name="Gemeente Hengelo")
    resident = site.resident(tenant, "Anna de Vries")
    coach = site.staff(tenant, "Carla Coach", "coach")
    site.caseload(tenant, coach, [resident])

    # The resident answers the first card with one tap, and later corrects it in their profile.
    site.log_in_resident(page, tenant, resident)
    page.get_by_test_id("profile-questions").locator('[data-question="core.preferred_channel"]').locator(
        'button[value="sms"]'
    ).click()
    page.locator('[data-question="core.languages"]').wait_for()
    page.goto(site.url(tenant, "/app/profile/contact"))
    page.get_by_test_id("field-core.preferred_channel").locator("input[value=app]").check()
    page.get_by_test_id("profile-form").locator("button[type=submit]").click()
    page.wait_for_url(site.url(tenant, "/app/profile") + "#category-contact")

    # The coach, on another computer, finds the answer and how it came about.
    coach_context = browser.new_context(locale="nl-NL")
    coach_page = coach_context.new_page()
    site.log_in_staff(coach_page, tenant, coach)
    coach_page.wait_for_url(site.url(tenant, "/workspace/"))
    coach_page.get_by_role("link", name="Anna de Vries").click()
    with site.app.app_context(), tenant_context(tenant):
        person = service.person_by_email(resident)
    # The name opens the person's page; its timeline has the answer, its menu the whole profile.
    coach_page.wait_for_url(site.url(tenant, f"/workspace/people/{person.id}"))
    assert_accessible(coach_page)
    assert "In de app" in coach_page.get_by_test_id("timeline-entries").inner_text()
    coach_page.locator(f'a[href$="/workspace/people/{person.id}/profile"]').first.click()
    coach_page.wait_for_url(site.url(tenant, f"/workspace/people/{person.id}/profile"))
    assert_accessible(coach_page)
    value = coach_page.get_by_test_id("value-core.preferred_channel")
    assert value.get_by_test_id("text-core.preferred_channel").inner_text().strip() == "In de app"
    history = coach_page.get_by_test_id("history-core.preferred_channel")
    history.locator("summary").click()
    lines = history.locator("li").all_inner_texts()
    assert len(lines) == 2, lines
    assert "Anna de Vries" in lines[0] and "In de app" in lines[0] and "Per sms" in lines[0]
    assert "Anna de Vries" in lines[1] and "Per sms" in lines[1]
    coach_context.close()
    with site.app.app_context(), tenant_context(tenant):
        assert profile_values(person.id)["core.preferred_channel"] == "app"


def test_the_resident_corrects_an_answer_on_an_accessible_page(site, page, create_tenant, assert_accessible):
    tenant = create_tenant(name="Gemeente Almelo")
    resident = site.resident(tenant, "Bert Jansen")
    site.log_in_resident(page, tenant, resident)
    page.goto(site.url(tenant, "/app/profile"))
    assert page.get_by_test_id("completeness").is_visible()
    assert_accessible(page)
    page.goto(site.url(tenant, "/app/profile/contact"))
    assert_accessible(page)
    page.get_by_test_id("field-core.preferred_channel").locator("input[value=email]").check()
    page.get_by_test_id("profile-form").locator("button[type=submit]").click()
    page.wait_for_url(site.url(tenant, "/app/profile") + "#category-contact")
    with site.app.app_context(), tenant_context(tenant):
        person = service.person_by_email(resident)
        assert profile_values(person.id) == {"core.preferred_channel": "email"}
