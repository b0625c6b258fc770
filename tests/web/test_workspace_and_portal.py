"""The coach workspace (the day, the caseload and its search) and the tenant portal."""

from aandacht.accounts import service
from aandacht.tenancy.context import tenant_context

HTMX = {"HX-Request": "true", "HX-Target": "caseload-results", "Accept-Language": "en"}


def _coach_with_caseload(app, tenant, make_account):
    coach = make_account(tenant, "coach", "Carla Coach")
    mine = [make_account(tenant, "resident", name) for name in ("Bram Bakker", "Ilse Jansen")]
    make_account(tenant, "resident", "Sanne Anders")
    with app.app_context(), tenant_context(tenant):
        service.assign_to_caseload(staff_id=coach.id, person_ids=[person.id for person in mine])
    return coach


def test_the_coach_sees_the_day_and_only_their_caseload(app, client, create_tenant, make_account, log_in_as):
    tenant = create_tenant()
    log_in_as(client, tenant, _coach_with_caseload(app, tenant, make_account))
    response = client.get(f"/t/{tenant.slug}/workspace/", headers={"Accept-Language": "en"})
    page = response.text
    assert "Bram Bakker" in page and "Ilse Jansen" in page and "Sanne Anders" not in page
    assert "No one needs attention now." in page and "No new messages." in page
    assert 'href="#main"' in page and 'href="#caseload-heading"' in page  # skip links
    assert 'data-testid="shortcuts"' in page
    assert "htmx.min.js" in page
    assert "HX-Request" in response.headers["Vary"]


def test_the_caseload_search_answers_htmx_with_the_table_alone(
    app, client, create_tenant, make_account, log_in_as
):
    tenant = create_tenant()
    log_in_as(client, tenant, _coach_with_caseload(app, tenant, make_account))
    fragment = client.get(f"/t/{tenant.slug}/workspace/?q=ilse", headers=HTMX).text
    assert "<html" not in fragment
    assert "Ilse Jansen" in fragment and "Bram Bakker" not in fragment
    assert "1 of 2 people" in fragment
    nobody = client.get(f"/t/{tenant.slug}/workspace/?q=zzz", headers=HTMX).text
    assert "No one matches" in nobody and "<table" not in nobody
    # Without htmx (no JavaScript) the same search gives the whole page.
    assert "<html" in client.get(f"/t/{tenant.slug}/workspace/?q=ilse").text


def test_an_empty_caseload_explains_what_will_appear(client, create_tenant, make_account, log_in_as):
    tenant = create_tenant()
    log_in_as(client, tenant, make_account(tenant, "coach", "Carla Coach"))
    page = client.get(f"/t/{tenant.slug}/workspace/", headers={"Accept-Language": "en"}).text
    assert (
        "No one is in your caseload yet. When your team lead assigns people to you, they appear here." in page
    )


def test_a_team_lead_sees_everyone(app, client, create_tenant, make_account, log_in_as):
    tenant = create_tenant()
    _coach_with_caseload(app, tenant, make_account)
    log_in_as(client, tenant, make_account(tenant, "team_lead", "Tara Lead"))
    page = client.get(f"/t/{tenant.slug}/workspace/", headers={"Accept-Language": "en"}).text
    assert "Everyone" in page and "Sanne Anders" in page


def test_the_portal_shows_settings_branding_and_staff(client, create_tenant, make_account, log_in_as):
    tenant = create_tenant(
        name="Gemeente Zaanstad",
        kind="municipality",
        locales=["nl", "en"],
        branding={"primary_color": "#00508c", "secondary_color": "#e30613"},
    )
    make_account(tenant, "coach", "Carla Coach")
    log_in_as(client, tenant, make_account(tenant, "tenant_admin", "Ada Beheer"))
    page = client.get(f"/t/{tenant.slug}/portal/", headers={"Accept-Language": "en"}).text
    assert "Portal of Gemeente Zaanstad" in page
    assert "Municipality" in page and "Nederlands, English" in page
    assert "#00508c" in page and "#e30613" in page and 'data-testid="branding-preview"' in page
    assert "Ada Beheer" in page and "Carla Coach" in page


def test_other_roles_cannot_open_the_portal_or_the_workspace(client, create_tenant, make_account, log_in_as):
    tenant = create_tenant()
    log_in_as(client, tenant, make_account(tenant, "coach", "Carla Coach"))
    assert client.get(f"/t/{tenant.slug}/portal/").status_code == 403
    log_in_as(client, tenant, make_account(tenant, "resident", "Anna de Vries"))
    assert client.get(f"/t/{tenant.slug}/workspace/").status_code == 403
