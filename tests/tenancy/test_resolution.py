"""Which tenant a request is for: host, custom domain, path prefix; unknown and suspended get a 404."""

import re

import pytest
from sqlalchemy import update

from aandacht.app import create_app
from aandacht.db import session
from aandacht.tenancy.models import Tenant, TenantHost


@pytest.fixture
def hosted_app(app_settings, app):
    """The session's app with a base domain, so subdomains resolve."""
    return create_app({**app_settings, "AANDACHT_BASE_DOMAIN": "aandacht.test"})


def heading(response):
    return re.search(r"<h1[^>]*>(.*?)</h1>", response.get_data(as_text=True), re.S).group(1).strip()


def test_path_prefix_selects_the_tenant(client, create_tenant):
    tenant = create_tenant(name="Gemeente Voorbeeld")
    response = client.get(f"/t/{tenant.slug}/", headers={"Accept-Language": "nl"})
    assert response.status_code == 200
    assert heading(response) == "Welkom bij Gemeente Voorbeeld"


def test_subdomain_of_the_base_domain_selects_the_tenant(hosted_app, create_tenant):
    tenant = create_tenant(name="Gemeente Sub")
    response = hosted_app.test_client().get("/", headers={"Host": f"{tenant.slug}.aandacht.test"})
    assert response.status_code == 200
    assert "Gemeente Sub" in heading(response)


def test_custom_domain_selects_the_tenant(app, client, create_tenant):
    tenant = create_tenant(name="Gemeente Eigen Domein")
    host = f"werk.{tenant.slug}.example.nl"
    with app.app_context():
        session.add(TenantHost(host=host, tenant_id=tenant.id))
        session.commit()
    response = client.get("/", headers={"Host": f"{host.upper()}:443"})
    assert response.status_code == 200
    assert "Gemeente Eigen Domein" in heading(response)


def test_platform_address_lists_active_tenants(client, create_tenant):
    active, suspended = create_tenant(name="Zichtbaar"), create_tenant(name="Verborgen", status="suspended")
    page = client.get("/").get_data(as_text=True)
    assert f'href="/t/{active.slug}/"' in page
    assert suspended.slug not in page


@pytest.mark.parametrize("path", ["/t/no-such-tenant/", "/t/no-such-tenant/anything"])
def test_unknown_tenant_gets_a_clear_404(client, path):
    response = client.get(path, headers={"Accept-Language": "nl"})
    assert response.status_code == 404
    assert heading(response) == "Deze organisatie vinden we niet"
    assert 'href="/"' in response.get_data(as_text=True)


def test_unknown_subdomain_gets_the_404(hosted_app):
    response = hosted_app.test_client().get(
        "/", headers={"Host": "nobody.aandacht.test", "Accept-Language": "en"}
    )
    assert response.status_code == 404
    assert heading(response) == "This organisation is not here"


def test_suspended_tenant_gets_the_404_by_every_route(app, client, hosted_app, create_tenant):
    tenant = create_tenant()
    host = f"{tenant.slug}.example.nl"
    with app.app_context():
        session.add(TenantHost(host=host, tenant_id=tenant.id))
        session.execute(update(Tenant).where(Tenant.id == tenant.id).values(status="suspended"))
        session.commit()
    assert client.get(f"/t/{tenant.slug}/").status_code == 404
    assert client.get("/", headers={"Host": host}).status_code == 404
    assert (
        hosted_app.test_client().get("/", headers={"Host": f"{tenant.slug}.aandacht.test"}).status_code == 404
    )


def test_the_prefix_stays_in_generated_links(client, create_tenant):
    tenant = create_tenant()
    page = client.get(f"/t/{tenant.slug}/").get_data(as_text=True)
    assert f'href="/t/{tenant.slug}/"' in page
    assert f"/t/{tenant.slug}/static/aandacht/aandacht.css" in page


def test_an_unknown_page_of_a_known_tenant_is_a_plain_404(client, create_tenant):
    tenant = create_tenant()
    response = client.get(f"/t/{tenant.slug}/nothing-here", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert heading(response) == "Page not found"


def test_a_tenants_own_host_never_serves_another_tenant_by_prefix(app, client, create_tenant):
    own, other = create_tenant(), create_tenant()
    host = f"{own.slug}.example.nl"
    with app.app_context():
        session.add(TenantHost(host=host, tenant_id=own.id))
        session.commit()
    assert client.get(f"/t/{own.slug}/", headers={"Host": host}).status_code == 200
    assert client.get(f"/t/{other.slug}/", headers={"Host": host}).status_code == 404
