"""In a real browser: a value the resident gave appears on the coach's person page, with its history."""

from __future__ import annotations

from aandacht.accounts import service
from aandacht.profiles.service import profile_values, set_values
from aandacht.tenancy.context import tenant_context


def test_the_coach_sees_the_residents_answer_with_its_history(site, page, create_tenant, assert_accessible):
    tenant = create_tenant(name="Gemeente Hengelo")
    resident = site.resident(tenant, "Anna de Vries")
    coach = site.staff(tenant, "Carla Coach", "coach")
    site.caseload(tenant, coach, [resident])
    with site.app.test_request_context(), tenant_context(tenant):
        person = service.person_by_email(resident)
        set_values(
            person.id,
            {"core.preferred_channel": "sms"},
            source="person",
            audience="person",
            actor_id=person.id,
        )
        set_values(
            person.id,
            {"core.preferred_channel": "app"},
            source="person",
            audience="person",
            actor_id=person.id,
        )

    site.log_in_staff(page, tenant, coach)
    page.wait_for_url(site.url(tenant, "/workspace/"))
    page.get_by_role("link", name="Anna de Vries").click()
    page.wait_for_url(site.url(tenant, f"/workspace/people/{person.id}/profile"))
    assert_accessible(page)

    row = page.get_by_test_id("value-core.preferred_channel")
    # Dutch once the catalogue holds these words (they are merged into the .po files separately).
    in_the_app = {"In de app", "In the app"}
    assert row.get_by_test_id("text-core.preferred_channel").inner_text().strip() in in_the_app
    history = page.get_by_test_id("history-core.preferred_channel")
    history.locator("summary").click()
    lines = history.locator("li").all_inner_texts()
    assert len(lines) == 2
    assert "Anna de Vries" in lines[0] and any(words in lines[0] for words in in_the_app)
    assert any(words in lines[0] for words in ("Per sms", "By text message"))
    assert "Anna de Vries" in lines[1]


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
