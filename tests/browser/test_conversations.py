"""In a real browser: a coach writes and invites; the person reads, answers with one tap and says yes."""

from __future__ import annotations

from datetime import timedelta

from aandacht.accounts import service
from aandacht.conversations import appointments
from aandacht.db import utcnow
from aandacht.outreach.limits import time_zone
from aandacht.tenancy.context import tenant_context
from tests.browser.conftest import PHONE, save_screenshot


def test_a_coach_and_a_person_talk_and_agree_on_an_appointment(
    site, page, browser, create_tenant, assert_accessible
):
    tenant = create_tenant(name="Gemeente Hengelo")
    coach = site.staff(tenant, "Carla Coach", "coach")
    anna = site.resident(tenant, "Anna de Vries")
    site.caseload(tenant, coach, [anna])
    with site.app.app_context(), tenant_context(tenant):
        anna_id = service.person_by_email(anna).id
    conversation = site.url(tenant, f"/workspace/people/{anna_id}/conversation")
    starts = (
        (utcnow() + timedelta(days=3))
        .astimezone(time_zone(tenant))
        .replace(hour=10, minute=0, second=0, microsecond=0)
    )

    # The coach writes, then invites Anna to the town hall.
    site.log_in_staff(page, tenant, coach)
    page.goto(conversation)
    page.get_by_label("Schrijf aan Anna de Vries").fill("Hoi Anna, zullen we eens praten over werk?")
    page.get_by_test_id("send").click()
    page.wait_for_load_state()
    assert "Het bericht is verstuurd" in page.locator(".flash").inner_text()
    assert "Nog niet gelezen" in page.get_by_test_id("receipt").inner_text()
    page.get_by_label("Dag en tijd").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Plaats (gesprek)").fill("Stadhuis, balie 3")
    page.get_by_label("Opmerking voor de persoon (hoeft niet)").fill("Neem je cv mee.")
    page.get_by_role("button", name="Uitnodiging versturen").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("appointment-status").inner_text().strip() == "Uitgenodigd"
    assert_accessible(page)

    # Anna, on her phone, sees a new message beside "Mijn coach", reads it and the invitation.
    phone = browser.new_context(locale="nl-NL", viewport=PHONE)
    phone.set_default_timeout(10_000)
    try:
        app_page = phone.new_page()
        site.log_in_resident(app_page, tenant, anna)
        assert app_page.get_by_test_id("conversation-unread").inner_text().startswith("1")
        app_page.get_by_test_id("nav-conversation").click()
        app_page.wait_for_url(site.url(tenant, "/app/conversation/"))
        assert "Hoi Anna, zullen we eens praten over werk?" in app_page.get_by_test_id("thread").inner_text()
        invitation = app_page.get_by_test_id("app-appointment")
        assert "Stadhuis, balie 3" in invitation.inner_text() and "Neem je cv mee." in invitation.inner_text()
        assert_accessible(app_page)
        save_screenshot(app_page, "conversation-app.png", full_page=True)

        # One tap to answer, one tap to say yes.
        app_page.get_by_test_id("quick-yes").click()
        app_page.wait_for_load_state()
        assert "Ja, dat is goed" in app_page.get_by_test_id("thread").inner_text()
        app_page.get_by_test_id("accept").click()
        app_page.wait_for_load_state()
        assert "Tot dan!" in app_page.locator(".flash").inner_text()
        assert app_page.get_by_test_id("app-appointment").get_attribute("data-status") == "accepted"
    finally:
        phone.close()

    # The coach sees that Anna read it, her answer, and the appointment agreed.
    page.reload()
    assert page.get_by_test_id("receipt").inner_text().strip().startswith("Gelezen")
    assert "Ja, dat is goed" in page.get_by_test_id("quick-reply").inner_text()
    assert page.get_by_test_id("appointment-status").inner_text().strip() == "Bevestigd"
    save_screenshot(page, "conversation-workspace.png", full_page=True)
    with site.app.app_context(), tenant_context(tenant):
        [agreed] = appointments.appointments_of(anna_id)
    assert agreed.status == "accepted" and agreed.starts_at == starts
