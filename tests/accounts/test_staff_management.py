"""Tenant administrators manage their staff in the portal: add, invite, change roles, (de)activate."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from aandacht.accounts import service
from aandacht.accounts.models import StaffInvitation, StaffMember
from aandacht.db import session, utcnow
from aandacht.tenancy.context import tenant_context
from tests.accounts.test_staff_login import log_in_staff
from tests.helpers import csrf_token, heading, latest_message, post_form

ADMIN_PASSWORD = "beheerder wachtwoord"
NEW_PASSWORD = "een heel goed wachtwoord"
IDP = {"name": "Proef-ID", "discovery_url": "https://id.example.org/.well-known/openid-configuration"}


@pytest.fixture
def admin(client, tenant, create_staff):
    """A logged-in administrator of `tenant` (English pages); returns the tenant's path prefix."""
    create_staff(tenant, role="tenant_admin", email="beheer@proef.nl", password=ADMIN_PASSWORD)
    log_in_staff(client, f"/t/{tenant.slug}", "beheer@proef.nl", ADMIN_PASSWORD)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return f"/t/{tenant.slug}"


def staff_row(app, tenant, email: str) -> StaffMember | None:
    with app.app_context(), tenant_context(tenant):
        return (
            service.staff_by_email(email)
            or session.execute(select(StaffMember).where(StaffMember.email == email)).scalar_one_or_none()
        )


def staff_action(client, base: str, path: str, data: dict | None = None):
    """Post one of the row forms of the staff page."""
    token = csrf_token(client.get(f"{base}/portal/staff/"))
    return client.post(f"{base}/portal/staff/{path}", data={**(data or {}), "csrf_token": token})


def invitation_link(app, tenant) -> str:
    mail = latest_message(app, tenant)
    return re.search(r"https?://\S+/staff/invitation/\S+", mail["text"]).group(0)


def add(client, base: str, name: str, email: str, role: str = "coach"):
    return post_form(client, f"{base}/portal/staff/", {"display_name": name, "email": email, "role": role})


def test_the_staff_page_lists_staff_and_how_they_log_in(client, admin, tenant, create_staff):
    create_staff(tenant, display_name="Carla Coach", email="carla@proef.nl", password="coach wachtwoord")
    page = client.get(f"{admin}/portal/staff/")
    assert page.status_code == 200 and heading(page) == "Staff"
    text = page.text
    assert "Carla Coach" in text and "carla@proef.nl" in text and "Local account" in text
    assert "active" in text and "never" in text
    assert text.count('name="csrf_token"') >= 3
    assert f'href="{admin}/portal/staff/"' in client.get(f"{admin}/portal/").text


def test_a_local_account_gets_an_invitation_that_works_once(app, client, admin, tenant):
    added = add(client, admin, "Nina Nieuw", "Nina@Proef.nl ", "team_lead")
    assert added.status_code == 302
    assert "gets an e-mail to choose a password" in client.get(added.headers["Location"]).text
    member = staff_row(app, tenant, "nina@proef.nl")
    assert (member.display_name, member.role, member.password_hash) == ("Nina Nieuw", "team_lead", None)
    mail = latest_message(app, tenant)
    assert mail["to"] == "nina@proef.nl"
    link = invitation_link(app, tenant)
    path = link.split("localhost", 1)[1]
    with app.app_context(), tenant_context(tenant):
        stored = session.execute(select(StaffInvitation.token_hash)).scalars().all()
    assert path.rsplit("/", 1)[1] not in stored  # only the hash is kept

    visitor = app.test_client()
    visitor.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert "Choose your password" in visitor.get(path).text
    short = post_form(visitor, path, {"password": "te kort", "password_again": "te kort"})
    assert short.status_code == 400 and "too short. Use at least 12 characters" in short.text
    different = post_form(visitor, path, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD + "!"})
    assert different.status_code == 400 and "not the same" in different.text
    assert staff_row(app, tenant, "nina@proef.nl").password_hash is None

    done = post_form(visitor, path, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"].endswith("/staff/login")
    again = visitor.get(path)
    assert again.status_code == 400 and "already used" in again.text
    fresh = app.test_client()
    assert log_in_staff(fresh, admin, "nina@proef.nl", NEW_PASSWORD) == f"{admin}/workspace/"


def test_an_invitation_expires_and_can_be_sent_again(app, client, admin, tenant):
    add(client, admin, "Olaf Oud", "olaf@proef.nl")
    first = invitation_link(app, tenant).split("localhost", 1)[1]
    member = staff_row(app, tenant, "olaf@proef.nl")
    with app.app_context(), tenant_context(tenant):
        for invitation in session.execute(select(StaffInvitation)).scalars():
            invitation.expires_at = utcnow() - timedelta(minutes=1)
        session.commit()
    visitor = app.test_client()
    visitor.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    expired = visitor.get(first)
    assert expired.status_code == 400 and "too old" in expired.text
    assert "the invitation has expired" in client.get(f"{admin}/portal/staff/").text

    resent = staff_action(client, admin, f"{member.id}/invitation")
    assert resent.status_code == 302
    second = invitation_link(app, tenant).split("localhost", 1)[1]
    assert second != first
    assert visitor.get(first).status_code == 400
    done = post_form(visitor, second, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert done.status_code == 302
    # With a password set, there is nothing to invite to any more.
    assert staff_action(client, admin, f"{member.id}/invitation").status_code == 400


def test_with_an_identity_provider_new_staff_get_no_invitation(app, client, create_tenant, create_staff):
    tenant = create_tenant(name="Gemeente Proef", identity_provider=IDP)
    create_staff(tenant, role="tenant_admin", email="beheer@proef.nl", password=ADMIN_PASSWORD)
    base = f"/t/{tenant.slug}"
    log_in_staff(client, base, "beheer@proef.nl", ADMIN_PASSWORD)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    added = add(client, base, "Ida Provider", "ida@proef.nl")
    assert added.status_code == 302
    page = client.get(added.headers["Location"]).text
    assert "logs in through your identity provider" in page and "Identity provider" in page
    outbox = app.extensions["aandacht.settings"].outbox_dir
    assert not any(tenant.slug in path.read_text() for path in outbox.glob("*.json"))
    with app.app_context(), tenant_context(tenant):
        assert session.execute(select(StaffInvitation)).first() is None
        assert service.staff_by_email("ida@proef.nl").password_hash is None


def test_bad_input_is_refused_clearly_and_changes_nothing(app, client, admin, tenant, create_staff):
    create_staff(tenant, email="bestaat@proef.nl")
    for data, message in [
        (("", "leeg@proef.nl", "coach"), "Fill in a name"),
        (("Naam", "geen-adres", "coach"), "valid e-mail address"),
        (("Naam", "rol@proef.nl", "baas"), "Choose one of the roles"),
        (("Dubbel", "Bestaat@proef.nl", "coach"), "already a staff member with this e-mail"),
    ]:
        refused = add(client, admin, *data)
        assert refused.status_code == 400 and message in refused.text, data
    assert staff_row(app, tenant, "leeg@proef.nl") is None and staff_row(app, tenant, "rol@proef.nl") is None
    no_token = client.post(f"{admin}/portal/staff/", data={"display_name": "X", "email": "x@proef.nl"})
    assert no_token.status_code == 400 and staff_row(app, tenant, "x@proef.nl") is None


def test_the_administrator_changes_roles(app, client, admin, tenant, create_staff):
    coach = create_staff(tenant, display_name="Carla Coach", email="carla@proef.nl")
    changed = staff_action(client, admin, f"{coach}/role", {"role": "team_lead"})
    assert changed.status_code == 302
    assert "Carla Coach is now: Team lead." in client.get(changed.headers["Location"]).text
    assert staff_row(app, tenant, "carla@proef.nl").role == "team_lead"
    assert staff_action(client, admin, f"{coach}/role", {"role": "baas"}).status_code == 400
    assert staff_row(app, tenant, "carla@proef.nl").role == "team_lead"


def test_deactivation_ends_sessions_and_blocks_login(app, client, admin, tenant, create_staff):
    coach = create_staff(tenant, email="carla@proef.nl", password="coach wachtwoord")
    coach_client = app.test_client()
    log_in_staff(coach_client, admin, "carla@proef.nl", "coach wachtwoord")
    assert coach_client.get(f"{admin}/workspace/").status_code == 200
    epoch = staff_row(app, tenant, "carla@proef.nl").session_epoch

    assert staff_action(client, admin, f"{coach}/deactivate").status_code == 302
    member = staff_row(app, tenant, "carla@proef.nl")
    assert not member.active and member.session_epoch == epoch + 1
    assert coach_client.get(f"{admin}/workspace/").status_code == 302  # to the login page
    refused = post_form(
        app.test_client(), f"{admin}/staff/login", {"email": "carla@proef.nl", "password": "coach wachtwoord"}
    )
    assert refused.status_code == 401
    assert "inactive" in client.get(f"{admin}/portal/staff/").text

    assert staff_action(client, admin, f"{coach}/reactivate").status_code == 302
    assert staff_row(app, tenant, "carla@proef.nl").active
    again = post_form(
        app.test_client(), f"{admin}/staff/login", {"email": "carla@proef.nl", "password": "coach wachtwoord"}
    )
    assert again.headers["Location"] == f"{admin}/staff/login/code"  # on to the authenticator code


def test_an_administrator_cannot_deactivate_or_demote_themselves(app, client, admin, tenant):
    me = staff_row(app, tenant, "beheer@proef.nl")
    for path, data in [(f"{me.id}/deactivate", {}), (f"{me.id}/role", {"role": "coach"})]:
        refused = staff_action(client, admin, path, data)
        assert refused.status_code == 400
        assert "You cannot deactivate your own account or change your own role" in refused.text
    me = staff_row(app, tenant, "beheer@proef.nl")
    assert me.active and me.role == "tenant_admin"


@pytest.mark.parametrize("role", ["coach", "team_lead"])
def test_coaches_and_team_leads_cannot_manage_staff(app, tenant, create_staff, role):
    other = create_staff(tenant, email="doel@proef.nl")
    create_staff(tenant, role=role, email="wie@proef.nl", password="geen beheerder")
    client = app.test_client()
    log_in_staff(client, f"/t/{tenant.slug}", "wie@proef.nl", "geen beheerder")
    assert client.get(f"/t/{tenant.slug}/portal/staff/").status_code == 403
    token = csrf_token(client.get(f"/t/{tenant.slug}/workspace/"))
    refused = client.post(f"/t/{tenant.slug}/portal/staff/{other}/deactivate", data={"csrf_token": token})
    assert refused.status_code == 403
    assert staff_row(app, tenant, "doel@proef.nl").active


def test_staff_of_another_tenant_are_not_found(app, client, admin, create_tenant, create_staff):
    elsewhere = create_tenant()
    stranger = create_staff(elsewhere, email="vreemd@elders.nl", role="coach")
    for path, data in [
        (f"{stranger}/deactivate", {}),
        (f"{stranger}/role", {"role": "tenant_admin"}),
        (f"{stranger}/invitation", {}),
    ]:
        assert staff_action(client, admin, path, data).status_code == 404
    member = staff_row(app, elsewhere, "vreemd@elders.nl")
    assert member.active and member.role == "coach" and member.session_epoch == 0


def test_an_invitation_link_works_only_in_its_own_tenant(app, client, admin, tenant, create_tenant):
    add(client, admin, "Nina Nieuw", "nina@proef.nl")
    token = invitation_link(app, tenant).rsplit("/", 1)[1]
    elsewhere = create_tenant()
    visitor = app.test_client()
    visitor.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    wrong = visitor.get(f"/t/{elsewhere.slug}/staff/invitation/{token}")
    assert wrong.status_code == 400 and "That did not work" in wrong.text
    assert visitor.get(f"{admin}/staff/invitation/{token}").status_code == 200
