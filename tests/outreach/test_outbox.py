"""The local outbox: messages of the embedded default are kept per tenant and shown in the app."""

from aandacht.app import create_app
from tests.helpers import post_form


def test_a_login_mail_appears_in_the_tenants_outbox_page(app, client, create_tenant, create_person):
    tenant, other = create_tenant(), create_tenant()
    create_person(tenant, email="jet@example.nl")
    post_form(client, f"/t/{tenant.slug}/login", {"email": "jet@example.nl"})
    page = client.get(f"/t/{tenant.slug}/outbox/", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert "jet@example.nl" in page
    assert f'href="http://localhost/t/{tenant.slug}/login/link/' in page
    assert "jet@example.nl" not in client.get(f"/t/{other.slug}/outbox/").get_data(as_text=True)


def test_there_is_no_outbox_page_in_production(app_settings, create_tenant):
    tenant = create_tenant()
    production = create_app({**app_settings, "AANDACHT_ENV": "production"})
    assert production.test_client().get(f"/t/{tenant.slug}/outbox/").status_code == 404
