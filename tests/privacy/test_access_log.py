"""The access log: every staff view of a person is written; the person reads their own, the portal all."""

from __future__ import annotations

from aandacht.db import session
from aandacht.privacy import service
from aandacht.privacy.models import AccessLogEntry
from aandacht.tenancy.context import tenant_context
from tests.api.helpers import bearer, issue_token, log_in

NL = {"Accept-Language": "nl"}


def log_of(app, tenant, person):
    with app.app_context(), tenant_context(tenant):
        return [(entry.viewer, entry.what, entry.channel) for entry in service.access_log_of(person)]


def whats(app, tenant, person):
    with app.app_context(), tenant_context(tenant):
        rows = session.query(AccessLogEntry).filter(AccessLogEntry.person_id == person).all()
        return sorted((row.what, row.channel, row.route.split(" ")[0]) for row in rows)


def test_every_staff_page_of_a_person_is_logged_once_per_view(
    app, client, tenant, person, coach, create_staff
):
    lead = create_staff(tenant, role="team_lead")
    log_in(client, tenant, "staff", coach)
    for path in ("", "/profile", "/messages"):
        assert client.get(f"/t/{tenant.slug}/workspace/people/{person}{path}").status_code == 200
    log_in(client, tenant, "staff", lead)
    assert client.get(f"/t/{tenant.slug}/workspace/people/{person}/coaches").status_code == 200
    assert whats(app, tenant, person) == [
        ("coaches", "page", "GET"),
        ("outreach_workspace.person_messages", "page", "GET"),
        ("person_page", "page", "GET"),
        ("profiles.person_profile", "page", "GET"),
    ]


def test_the_api_logs_person_and_profile_reads(app, client, tenant, person, coach):
    token = issue_token(app, tenant, coach, ["caseload:read"])
    for path in ("", "/profile", "/profile/history"):
        response = client.get(f"/t/{tenant.slug}/api/v1/people/{person}{path}", headers=bearer(token))
        assert response.status_code == 200
    assert whats(app, tenant, person) == [
        ("api.person", "api", "GET"),
        ("api.profile", "api", "GET"),
        ("api.profile_history", "api", "GET"),
    ]


def test_a_refused_view_is_not_logged_as_a_view(app, client, tenant, person, create_staff, create_tenant):
    stranger = create_staff(tenant)
    log_in(client, tenant, "staff", stranger)
    assert client.get(f"/t/{tenant.slug}/workspace/people/{person}").status_code == 404
    assert whats(app, tenant, person) == []


def test_the_log_survives_a_page_that_fails(app, client, tenant, person, coach, monkeypatch):
    """The row is committed in its own transaction before the page is made."""
    from aandacht.people import views

    def broken(*_args, **_kwargs):
        raise RuntimeError("the page broke")

    monkeypatch.setattr(views, "_page", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        log_in(client, tenant, "staff", coach)
        assert client.get(f"/t/{tenant.slug}/workspace/people/{person}").status_code == 500
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = None
    assert whats(app, tenant, person) == [("person_page", "page", "GET")]


def test_the_person_sees_who_looked_in_plain_dutch(app, client, tenant, person, coach):
    log_in(client, tenant, "staff", coach)
    client.get(f"/t/{tenant.slug}/workspace/people/{person}/profile")
    log_in(client, tenant, "person", person)
    page = client.get(f"/t/{tenant.slug}/app/privacy", headers=NL)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Wie heeft uw gegevens bekeken" in text
    assert "Carla Coach, coach" in text and "Uw profiel" in text
    # the person's own visits are not in their log
    assert len(log_of(app, tenant, person)) == 1


def test_the_person_sees_only_their_own_log(app, client, tenant, person, coach, create_person, create_staff):
    other = create_person(tenant, display_name="Bram Jansen")
    create_staff(tenant, caseload=[other])
    log_in(client, tenant, "staff", coach)
    client.get(f"/t/{tenant.slug}/workspace/people/{person}")
    log_in(client, tenant, "person", other)
    text = client.get(f"/t/{tenant.slug}/app/privacy", headers=NL).get_data(as_text=True)
    assert "Carla Coach" not in text


def test_the_tenant_administrator_reads_the_log_and_other_tenants_see_none(
    app, client, tenant, person, coach, create_staff, create_tenant
):
    admin = create_staff(tenant, role="tenant_admin")
    log_in(client, tenant, "staff", coach)
    client.get(f"/t/{tenant.slug}/workspace/people/{person}")
    log_in(client, tenant, "staff", admin)
    page = client.get(f"/t/{tenant.slug}/portal/access-log", query_string={"q": "anna"}, headers=NL)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Anna de Vries" in text and "Carla Coach" in text and "/workspace/people/" in text
    log_in(client, tenant, "staff", coach)
    assert client.get(f"/t/{tenant.slug}/portal/access-log").status_code == 403
    other = create_tenant()
    other_admin = create_staff(other, role="tenant_admin")
    log_in(client, other, "staff", other_admin)
    text = client.get(f"/t/{other.slug}/portal/access-log").get_data(as_text=True)
    assert "Anna de Vries" not in text
