"""A coach's personal message counts as a contact moment with the person."""

from __future__ import annotations

from aandacht.attention import service
from aandacht.tenancy.context import tenant_context
from tests.api.helpers import log_in
from tests.helpers import csrf_token


def test_a_personal_message_from_the_coach_is_a_contact_moment(
    outreach_app, create_tenant, create_person, create_staff
):
    tenant = create_tenant()
    person_id = create_person(tenant, email="sanne@example.nl")
    coach = create_staff(tenant, caseload=[person_id])
    client = outreach_app.test_client()
    log_in(client, tenant, "staff", coach)
    url = f"/t/{tenant.slug}/workspace/people/{person_id}/messages"
    sent = client.post(
        url, data={"subject": "Hoi", "body": "Hoe gaat het?", "csrf_token": csrf_token(client.get(url))}
    )
    assert sent.status_code == 302
    with outreach_app.app_context(), tenant_context(tenant):
        moments = service.contacts_of(person_id)
    assert [(m.kind, m.staff_id) for m in moments] == [("message", coach)]
