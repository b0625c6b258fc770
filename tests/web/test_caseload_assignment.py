"""Team leads assign people to coaches' caseloads; coaches cannot; other tenants' ids are not found."""

import pytest

from aandacht.accounts import service
from aandacht.tenancy.context import tenant_context
from tests.helpers import csrf_token, heading, post_form

EN = {"Accept-Language": "en"}


@pytest.fixture
def tenant(create_tenant):
    return create_tenant(name="Gemeente Proef")


@pytest.fixture
def team(app, tenant, make_account):
    """A team lead, two coaches and a person in no caseload yet."""
    return {
        "lead": make_account(tenant, "team_lead", "Tara Lead"),
        "carla": make_account(tenant, "coach", "Carla Coach"),
        "cees": make_account(tenant, "coach", "Cees Coach"),
        "person": make_account(tenant, "resident", "Bram Bakker"),
    }


def coaches_of(app, tenant, person_id) -> list[str]:
    with app.app_context(), tenant_context(tenant):
        return [staff.display_name for staff in service.coaches_by_person([person_id])[person_id]]


def service_assign(app, tenant, staff_id, person_id) -> None:
    with app.app_context(), tenant_context(tenant):
        service.assign_to_caseload(staff_id=staff_id, person_ids=[person_id])


def test_the_team_lead_sees_each_persons_coaches(app, client, tenant, team, log_in_as):
    service_assign(app, tenant, team["carla"].id, team["person"].id)
    log_in_as(client, tenant, team["lead"])
    page = client.get(f"/t/{tenant.slug}/workspace/", headers=EN).text
    assert f'data-testid="coaches-{team["person"].id}"' in page and "Carla Coach" in page
    assert f"/t/{tenant.slug}/workspace/people/{team['person'].id}/coaches" in page


def test_an_assignment_by_the_team_lead_shows_in_the_coachs_caseload(app, client, tenant, team, log_in_as):
    log_in_as(client, tenant, team["lead"])
    url = f"/t/{tenant.slug}/workspace/people/{team['person'].id}/coaches"
    page = client.get(url, headers=EN)
    assert heading(page) == "Coaches of Bram Bakker"
    assert "No coach yet." in page.text and 'name="csrf_token"' in page.text
    assigned = post_form(client, url, {"coach": str(team["carla"].id)}, headers=EN)
    assert assigned.status_code == 302
    assert "Bram Bakker is now in the caseload of Carla Coach." in client.get(url, headers=EN).text
    assert coaches_of(app, tenant, team["person"].id) == ["Carla Coach"]

    coach_client = app.test_client()
    log_in_as(coach_client, tenant, team["carla"])
    assert "Bram Bakker" in coach_client.get(f"/t/{tenant.slug}/workspace/", headers=EN).text

    token = csrf_token(client.get(url))
    removed = client.post(f"{url}/{team['carla'].id}/remove", data={"csrf_token": token})
    assert removed.status_code == 302
    assert coaches_of(app, tenant, team["person"].id) == []
    assert "Bram Bakker" not in coach_client.get(f"/t/{tenant.slug}/workspace/", headers=EN).text


def test_only_active_coaches_can_be_chosen(app, client, tenant, team, make_account, log_in_as):
    admin = make_account(tenant, "tenant_admin", "Ada Beheer")
    log_in_as(client, tenant, team["lead"])
    url = f"/t/{tenant.slug}/workspace/people/{team['person'].id}/coaches"
    for wrong in ("geen-id", str(admin.id)):
        refused = post_form(client, url, {"coach": wrong}, headers=EN)
        assert refused.status_code == 400 and "Choose a coach from the list." in refused.text
    assert coaches_of(app, tenant, team["person"].id) == []


def test_a_coach_cannot_assign(app, client, tenant, team, log_in_as):
    log_in_as(client, tenant, team["carla"])
    url = f"/t/{tenant.slug}/workspace/people/{team['person'].id}/coaches"
    assert client.get(url).status_code == 403
    token = csrf_token(client.get(f"/t/{tenant.slug}/workspace/"))
    refused = client.post(url, data={"coach": str(team["carla"].id), "csrf_token": token})
    assert refused.status_code == 403
    assert coaches_of(app, tenant, team["person"].id) == []
    assert "coaches-" not in client.get(f"/t/{tenant.slug}/workspace/").text


def test_ids_of_another_tenant_are_not_found_and_change_nothing(
    app, client, tenant, team, create_tenant, make_account, log_in_as
):
    elsewhere = create_tenant()
    their_coach = make_account(elsewhere, "coach", "Vera Vreemd")
    their_person = make_account(elsewhere, "resident", "Olga Overal")
    service_assign(app, elsewhere, their_coach.id, their_person.id)
    log_in_as(client, tenant, team["lead"])
    ours = f"/t/{tenant.slug}/workspace/people/{team['person'].id}/coaches"
    theirs = f"/t/{tenant.slug}/workspace/people/{their_person.id}/coaches"
    token = csrf_token(client.get(ours))
    assert client.get(theirs).status_code == 404
    assert client.post(theirs, data={"coach": str(team["carla"].id), "csrf_token": token}).status_code == 404
    assert client.post(ours, data={"coach": str(their_coach.id), "csrf_token": token}).status_code == 404
    removing = client.post(f"{theirs}/{their_coach.id}/remove", data={"csrf_token": token})
    assert removing.status_code == 404
    assert coaches_of(app, tenant, team["person"].id) == []
    assert coaches_of(app, elsewhere, their_person.id) == ["Vera Vreemd"]
