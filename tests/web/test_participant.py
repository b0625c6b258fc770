"""The participant app: its pages, its settings, and what makes it installable (manifest, worker, icons)."""

import struct

from sqlalchemy import select

from aandacht.accounts.models import Person
from aandacht.db import session
from aandacht.tenancy.context import tenant_context
from aandacht.tenancy.models import TenantHost
from tests.web.conftest import csrf_token


def test_the_app_asks_a_visitor_to_log_in_and_comes_back_under_the_tenants_prefix(client, create_tenant):
    tenant = create_tenant()
    response = client.get(f"/t/{tenant.slug}/app/")
    assert response.status_code == 302
    assert response.location == f"/t/{tenant.slug}/login?next=/t/{tenant.slug}/app/"


def test_home_greets_the_resident_and_explains_what_will_appear(
    client, create_tenant, make_account, log_in_as
):
    tenant = create_tenant()
    log_in_as(client, tenant, make_account(tenant, "resident", "Anna de Vries"))
    page = client.get(f"/t/{tenant.slug}/app/", headers={"Accept-Language": "en"}).text
    assert "Hello Anna de Vries" in page
    assert "Nothing new yet. Tips, news and messages from your coach will appear here." in page
    assert 'data-read-aloud="readable"' in page
    assert f'<link rel="manifest" href="/t/{tenant.slug}/app/manifest.webmanifest">' in page
    assert f'data-service-worker="/t/{tenant.slug}/app/sw.js" data-scope="/t/{tenant.slug}/app/"' in page


def test_the_manifest_is_the_tenants_and_scoped_to_the_app(client, create_tenant):
    tenant = create_tenant(name="Gemeente Zaanstad", branding={"primary_color": "#00508c"}, locales=["nl"])
    response = client.get(f"/t/{tenant.slug}/app/manifest.webmanifest")
    assert response.mimetype == "application/manifest+json"
    manifest = response.json
    assert manifest["name"] == "Gemeente Zaanstad"
    assert manifest["short_name"] == "Zaanstad"
    assert manifest["start_url"] == manifest["scope"] == manifest["id"] == f"/t/{tenant.slug}/app/"
    assert manifest["theme_color"] == "#00508c"
    assert manifest["lang"] == "nl"
    assert manifest["display"] == "standalone"
    sizes = set()
    for icon in manifest["icons"]:
        picture = client.get(icon["src"])
        assert picture.status_code == 200
        assert picture.mimetype == icon["type"]
        if icon["type"] == "image/png":
            assert picture.data.startswith(b"\x89PNG\r\n\x1a\n")
            width, height = struct.unpack(">II", picture.data[16:24])
            assert icon["sizes"] == f"{width}x{height}"
            sizes.add(width)
    assert sizes == {192, 512}
    assert {icon.get("purpose") for icon in manifest["icons"]} >= {"any", "maskable"}


def test_on_a_custom_domain_the_app_is_scoped_to_its_own_path(app, client, create_tenant):
    tenant = create_tenant()
    with app.app_context():
        session.add(TenantHost(host=f"{tenant.slug}.example.nl", tenant_id=tenant.id))
        session.commit()
    manifest = client.get("/app/manifest.webmanifest", base_url=f"http://{tenant.slug}.example.nl").json
    assert manifest["start_url"] == manifest["scope"] == "/app/"


def test_the_service_worker_keeps_static_files_and_the_offline_page_only(client, create_tenant):
    tenant = create_tenant()
    response = client.get(f"/t/{tenant.slug}/app/sw.js")
    assert response.mimetype == "text/javascript"
    assert response.cache_control.no_cache
    script = response.text
    # Tenants on one address (/t/<slug>/) never share a cache.
    assert f'const PREFIX = "aandacht-{tenant.slug}-";' in script
    assert f'const OFFLINE_URL = "/t/{tenant.slug}/app/offline";' in script
    precache = script.split("const PRECACHE = ")[1].split(";")[0]
    assert "/static/" in precache and f'/t/{tenant.slug}/app/"' not in precache
    assert client.get(f"/t/{tenant.slug}/app/offline").status_code == 200


def test_the_offline_page_needs_no_login_and_sets_no_cookie(client, create_tenant):
    tenant = create_tenant()
    response = client.get(f"/t/{tenant.slug}/app/offline", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert "No internet" in response.text
    assert "Set-Cookie" not in response.headers


def test_the_app_files_belong_to_a_tenant(client):
    for path in (
        "/app/manifest.webmanifest",
        "/app/sw.js",
        "/app/offline",
        "/app/icon.svg",
        "/app/icon-192.png",
    ):
        assert client.get(path).status_code == 404, path


def test_only_the_offered_icon_sizes_exist(client, create_tenant):
    tenant = create_tenant()
    assert client.get(f"/t/{tenant.slug}/app/icon-64.png").status_code == 404


def test_settings_remember_text_size_and_store_the_language_on_the_person(
    app, client, create_tenant, make_account, log_in_as
):
    tenant = create_tenant(locales=["nl", "en"])
    person = make_account(tenant, "resident", "Anna de Vries")
    log_in_as(client, tenant, person)
    page = client.get(f"/t/{tenant.slug}/app/settings")
    assert page.status_code == 200
    assert 'name="text_size" value="extra-large"' in page.text and 'name="locale" value="en"' in page.text

    response = client.post(
        f"/t/{tenant.slug}/app/settings",
        data={"csrf_token": csrf_token(page.data), "text_size": "large", "locale": "en"},
    )
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert (
        "aandacht_text_size=large" in cookie and f"Path=/t/{tenant.slug}/" in cookie and "HttpOnly" in cookie
    )
    with app.app_context(), tenant_context(tenant):
        assert session.execute(select(Person.locale).where(Person.id == person.id)).scalar_one() == "en"

    after = client.get(f"/t/{tenant.slug}/app/settings").text
    assert '<html lang="en" class="text-size-large">' in after
    assert "Your settings are saved." in after


def test_a_setting_that_is_not_offered_is_refused_and_nothing_changes(
    app, client, create_tenant, make_account, log_in_as
):
    tenant = create_tenant(locales=["nl"])
    person = make_account(tenant, "resident", "Anna de Vries")
    log_in_as(client, tenant, person)
    page = client.get(f"/t/{tenant.slug}/app/settings")
    assert 'name="locale"' not in page.text  # one language: nothing to choose
    for data in ({"text_size": "huge", "locale": "nl"}, {"text_size": "large", "locale": "en"}):
        response = client.post(
            f"/t/{tenant.slug}/app/settings", data={"csrf_token": csrf_token(page.data), **data}
        )
        assert response.status_code == 400
        assert "aandacht_text_size" not in response.headers.get("Set-Cookie", "")
    with app.app_context(), tenant_context(tenant):
        assert session.execute(select(Person.locale).where(Person.id == person.id)).scalar_one() is None


def test_settings_need_the_form_token(client, create_tenant, make_account, log_in_as):
    tenant = create_tenant()
    log_in_as(client, tenant, make_account(tenant, "resident", "Anna de Vries"))
    assert client.post(f"/t/{tenant.slug}/app/settings", data={"text_size": "large"}).status_code == 400


def test_staff_do_not_get_the_residents_app(client, create_tenant, make_account, log_in_as):
    tenant = create_tenant()
    log_in_as(client, tenant, make_account(tenant, "coach", "Carla Coach"))
    assert client.get(f"/t/{tenant.slug}/app/").status_code == 403
    assert client.get(f"/t/{tenant.slug}/app/settings").status_code == 403
