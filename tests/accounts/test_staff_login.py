"""Staff log in with a password and an authenticator app; each role sees what it may, and no more."""

import re

import pyotp

from aandacht.accounts import service
from aandacht.tenancy.context import tenant_context
from tests.helpers import heading, post_form


def log_in_staff(client, base: str, email: str, password: str) -> str:
    """Log in a local staff account (enrolling its authenticator the first time); returns the landing page."""
    step = post_form(client, f"{base}/staff/login", {"email": email, "password": password})
    assert step.status_code == 302, step.get_data(as_text=True)
    page = client.get(step.headers["Location"])
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7]+)<', page.get_data(as_text=True)).group(1)
    done = post_form(client, f"{base}/staff/login/enrol", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 302
    return done.headers["Location"]


def test_a_coach_sees_their_own_caseload_only(client, tenant, create_person, create_staff):
    mine = create_person(tenant, display_name="Mijn Klant")
    create_person(tenant, display_name="Andermans Klant")
    create_staff(tenant, email="coach@proef.nl", password="coach wachtwoord", caseload=[mine])
    landing = log_in_staff(client, f"/t/{tenant.slug}", "coach@proef.nl", "coach wachtwoord")
    assert landing == f"/t/{tenant.slug}/workspace/"
    page = client.get(landing).get_data(as_text=True)
    assert "Mijn Klant" in page
    assert "Andermans Klant" not in page


def test_a_shared_person_shows_in_both_caseloads(app, tenant, create_person, create_staff):
    shared = create_person(tenant, display_name="Gedeeld")
    first = create_staff(tenant, caseload=[shared])
    second = create_staff(tenant, caseload=[shared])
    with app.app_context(), tenant_context(tenant):
        assert [p.display_name for p in service.caseload(first)] == ["Gedeeld"]
        assert [p.display_name for p in service.caseload(second)] == ["Gedeeld"]


def test_a_team_lead_sees_everyone(client, tenant, create_person, create_staff):
    create_person(tenant, display_name="Klant Een")
    create_person(tenant, display_name="Klant Twee")
    create_staff(tenant, role="team_lead", email="lead@proef.nl", password="lead wachtwoord")
    page = client.get(log_in_staff(client, f"/t/{tenant.slug}", "lead@proef.nl", "lead wachtwoord"))
    assert heading(page) == "Iedereen"
    assert {"Klant Een", "Klant Twee"} <= set(re.findall(r"Klant \w+", page.get_data(as_text=True)))


def test_roles_reach_their_own_face_and_no_other(client, tenant, create_person, create_staff):
    create_staff(tenant, role="tenant_admin", email="admin@proef.nl", password="admin wachtwoord")
    landing = log_in_staff(client, f"/t/{tenant.slug}", "admin@proef.nl", "admin wachtwoord")
    assert landing == f"/t/{tenant.slug}/portal/"
    assert heading(client.get(landing)) == "Portaal van Gemeente Proef"
    assert client.get(f"/t/{tenant.slug}/workspace/").status_code == 403
    assert client.get(f"/t/{tenant.slug}/app/").status_code == 403

    coach = create_staff(tenant, email="c@proef.nl", password="coach wachtwoord")
    assert coach
    other = client.application.test_client()
    log_in_staff(other, f"/t/{tenant.slug}", "c@proef.nl", "coach wachtwoord")
    refused = other.get(f"/t/{tenant.slug}/portal/", headers={"Accept-Language": "nl"})
    assert refused.status_code == 403
    assert heading(refused) == "Niet voor u"


def test_a_wrong_authenticator_code_is_refused_and_counted(app, client, tenant, create_staff):
    create_staff(tenant, email="d@proef.nl", password="coach wachtwoord")
    log_in_staff(client, f"/t/{tenant.slug}", "d@proef.nl", "coach wachtwoord")
    fresh = app.test_client()
    fresh.environ_base["HTTP_ACCEPT_LANGUAGE"] = "nl"
    step = post_form(
        fresh, f"/t/{tenant.slug}/staff/login", {"email": "d@proef.nl", "password": "coach wachtwoord"}
    )
    assert step.headers["Location"] == f"/t/{tenant.slug}/staff/login/code"
    wrong = post_form(fresh, f"/t/{tenant.slug}/staff/login/code", {"code": "000000"})
    assert wrong.status_code == 401
    assert "Die code klopt niet. Gebruik de nieuwste code uit uw app." in wrong.get_data(as_text=True)
    assert fresh.get(f"/t/{tenant.slug}/workspace/").status_code == 302


def test_password_alone_does_not_log_staff_in(client, tenant, create_staff):
    create_staff(tenant, email="e@proef.nl", password="coach wachtwoord")
    post_form(
        client, f"/t/{tenant.slug}/staff/login", {"email": "e@proef.nl", "password": "coach wachtwoord"}
    )
    assert client.get(f"/t/{tenant.slug}/workspace/").status_code == 302


def test_the_platform_administrator_logs_in_on_the_platform_address(app, client, create_tenant):
    listed = create_tenant(name="Zichtbare Gemeente", status="suspended")
    with app.app_context():
        service.create_platform_admin(
            display_name="Operator", email="ops@example.org", password="operator wachtwoord"
        )
    landing = log_in_staff(client, "", "ops@example.org", "operator wachtwoord")
    assert landing == "/platform/"
    page = client.get(landing).get_data(as_text=True)
    assert "Zichtbare Gemeente" in page and "geschorst" in page
    assert client.get(f"/t/{listed.slug}/portal/").status_code in (302, 404)


def create_staff_args(slug: str, email: str, *extra: str) -> list[str]:
    return [
        "accounts",
        "create-staff",
        "--tenant",
        slug,
        "--email",
        email,
        "--name",
        "Nieuw",
        "--role",
        "coach",
        *extra,
    ]


def test_operators_create_staff_and_platform_admins_from_the_command_line(app, runner, create_tenant):
    tenant = create_tenant()
    password = "een goed wachtwoord\n" * 2
    created = runner.invoke(args=create_staff_args(tenant.slug, "Nieuw@Proef.nl", "--local"), input=password)
    assert created.exit_code == 0, created.output
    with app.app_context(), tenant_context(tenant):
        staff = service.staff_by_email("nieuw@proef.nl")
        assert (staff.role, staff.display_name) == ("coach", "Nieuw")
        assert staff.password_hash is not None
    again = runner.invoke(args=create_staff_args(tenant.slug, "nieuw@proef.nl"))
    assert again.exit_code == 1 and "already has an account" in again.output
    missing = runner.invoke(args=create_staff_args("no-such", "a@b.nl"))
    assert missing.exit_code == 2 and "there is no tenant 'no-such'" in missing.output
    email = f"ops-{tenant.slug}@example.org"
    admin = runner.invoke(
        args=["accounts", "create-platform-admin", "--email", email, "--name", "Ops"], input=password
    )
    assert admin.exit_code == 0, admin.output
    with app.app_context():
        assert service.platform_admin_by_email(email) is not None
