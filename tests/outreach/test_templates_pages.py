"""The template pages of the workspace: list, writing with a live preview, permissions, deleting."""

from __future__ import annotations

import re

import pytest

from aandacht.accounts.principal import Principal
from aandacht.outreach import message_templates as templates
from aandacht.outreach import service
from aandacht.outreach.message_templates import TemplateFields
from tests.api.helpers import log_in
from tests.helpers import csrf_token

DUTCH = {"Accept-Language": "nl"}


@pytest.fixture
def setting(template_setting):
    """(tenant, mine, other, coach, lead) of the shared template setting."""
    found = template_setting
    return found.tenant, found.mine, found.other, found.coach, found.lead


def saved(in_tenant, tenant, staff_id, **texts):
    """Save a template as that staff member; its id."""
    texts.setdefault("name", "Banenmarkt")
    texts.setdefault("language", "nl")
    writer = Principal(kind="staff", id=staff_id, role="coach", display_name="Anna de Vries")
    with in_tenant(tenant):
        return templates.save_template(TemplateFields(**texts), acting_user=writer).id


def coach_client(app, tenant, staff_id):
    client = app.test_client()
    log_in(client, tenant, "staff", staff_id)
    return client


def preview_as(app, tenant, staff_id, **values):
    """Post the form to the live preview as this staff member (as htmx does); the answer."""
    client = coach_client(app, tenant, staff_id)
    token = csrf_token(client.get(f"/t/{tenant.slug}/workspace/templates/new"))
    return client.post(
        f"/t/{tenant.slug}/workspace/templates/preview",
        data=form(token, **values),
        headers={**DUTCH, "HX-Request": "true"},
    )


def form(token, **values):
    base = {"csrf_token": token, "name": "Banenmarkt", "language": "nl"}
    return {**base, **values}


def test_a_coach_writes_a_template_and_sees_it_in_the_list(app, setting):
    tenant, _mine, _other, coach, _lead = setting
    client = coach_client(app, tenant, coach)
    page = client.get(f"/t/{tenant.slug}/workspace/templates/new", headers=DUTCH)
    assert page.status_code == 200 and "Nieuw sjabloon" in page.get_data(as_text=True)
    done = client.post(
        f"/t/{tenant.slug}/workspace/templates/new",
        data=form(csrf_token(page), sms_text="Hoi {{ person.first_name }}, kom je ook?", action="save"),
        headers=DUTCH,
    )
    assert done.status_code == 302
    listing = client.get(f"/t/{tenant.slug}/workspace/templates/", headers=DUTCH).get_data(as_text=True)
    assert "Banenmarkt" in listing and "Sms" in listing and "Anna de Vries" in listing


def test_a_refused_template_shows_the_line_and_reason_beside_its_field_and_saves_nothing(
    app, setting, in_tenant
):
    tenant, _mine, _other, coach, _lead = setting
    client = coach_client(app, tenant, coach)
    token = csrf_token(client.get(f"/t/{tenant.slug}/workspace/templates/new"))
    answer = client.post(
        f"/t/{tenant.slug}/workspace/templates/new",
        data=form(token, email_subject="Hoi", email_body="Hallo\n{{ voornaam }}", action="save"),
        headers=DUTCH,
    )
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    [error] = re.findall(r'data-testid="error-email_body">(.*?)</p>', page, re.S)
    assert "regel 2: er is geen veld “voornaam”" in error
    with in_tenant(tenant):
        assert templates.message_templates() == []


def test_the_live_preview_renders_for_a_person_of_the_caseload(app, setting):
    tenant, mine, _other, coach, _lead = setting
    answer = preview_as(
        app,
        tenant,
        coach,
        person_id=str(mine),
        email_subject="Werk in de {{ profile['tenant.sector'] }}",
        email_body="**Hallo** {{ person.first_name }}",
        sms_text="Hoi {{ person.first_name }} " + "x" * 160,
        push_title="Nieuw",
        push_body="Energie {{ profile['tenant.energy'] }}",
        in_app_text="Groet van {{ coach.name }}",
    )
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "<html" not in page
    assert 'data-testid="preview-email-subject">Werk in de zorg<' in page
    assert "&lt;strong&gt;Hallo&lt;/strong&gt; Sanne" in page  # inside the sandboxed iframe's srcdoc
    assert 'sandbox=""' in page
    assert "170 tekens (GSM-7): 2 sms-berichten (153 tekens per bericht)" in page
    assert 'data-testid="preview-push-body">Energie 4<' in page
    assert "Groet van Anna de Vries" in page


def test_a_coach_cannot_preview_a_person_outside_the_caseload(app, setting):
    tenant, _mine, other, coach, lead = setting
    text = "Hoi {{ person.display_name }}"
    assert preview_as(app, tenant, coach, person_id=str(other), in_app_text=text).status_code == 404
    assert preview_as(app, tenant, coach, person_id="nonsense", in_app_text=text).status_code == 404
    answer = preview_as(app, tenant, lead, person_id=str(other), in_app_text=text)
    assert answer.status_code == 200 and "Hoi Ahmet Yilmaz" in answer.get_data(as_text=True)


def test_the_preview_never_shows_a_special_category_field_to_a_role_that_may_not_see_it(app, setting):
    tenant, mine, _other, _coach, lead = setting
    text = "Energie: {{ profile['tenant.energy'] }}"
    answer = preview_as(app, tenant, lead, person_id=str(mine), in_app_text=text)
    page = answer.get_data(as_text=True)
    assert "Energie: 4" not in page and "Energie: " not in page
    assert "regel 1: uw rol mag het profielveld “tenant.energy” niet zien" in page


def test_without_javascript_the_preview_button_draws_the_page_with_the_preview(app, setting):
    tenant, mine, _other, coach, _lead = setting
    client = coach_client(app, tenant, coach)
    token = csrf_token(client.get(f"/t/{tenant.slug}/workspace/templates/new"))
    answer = client.post(
        f"/t/{tenant.slug}/workspace/templates/new",
        data=form(token, person_id=str(mine), in_app_text="Dag {{ person.first_name }}", action="preview"),
    )
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "Dag Sanne" in page
    assert f'<option value="{mine}" selected>' in page


def test_only_the_writer_or_a_team_lead_changes_or_deletes_a_template(app, setting, create_staff, in_tenant):
    tenant, _mine, _other, coach, lead = setting
    colleague = create_staff(tenant, role="coach")
    template_id = saved(in_tenant, tenant, coach, in_app_text="Hoi")
    other_coach = coach_client(app, tenant, colleague)
    assert other_coach.get(f"/t/{tenant.slug}/workspace/templates/{template_id}/edit").status_code == 403
    assert other_coach.get(f"/t/{tenant.slug}/workspace/templates/{template_id}/delete").status_code == 403
    listing = other_coach.get(f"/t/{tenant.slug}/workspace/templates/").get_data(as_text=True)
    assert "Banenmarkt" in listing and f"edit-{template_id}" not in listing

    leader = coach_client(app, tenant, lead)
    page = leader.get(f"/t/{tenant.slug}/workspace/templates/{template_id}/edit")
    assert page.status_code == 200
    changed = leader.post(
        f"/t/{tenant.slug}/workspace/templates/{template_id}/edit",
        data=form(csrf_token(page), name="Banenmarkt maart", in_app_text="Hallo", action="save"),
    )
    assert changed.status_code == 302
    confirm = leader.get(f"/t/{tenant.slug}/workspace/templates/{template_id}/delete", headers=DUTCH)
    assert "Ja, verwijderen" in confirm.get_data(as_text=True)
    gone = leader.post(
        f"/t/{tenant.slug}/workspace/templates/{template_id}/delete", data={"csrf_token": csrf_token(confirm)}
    )
    assert gone.status_code == 302
    with in_tenant(tenant):
        assert templates.message_templates() == []


def test_another_tenants_template_is_not_found(app, setting, create_tenant, create_staff, in_tenant):
    tenant, _mine, _other, coach, _lead = setting
    template_id = saved(in_tenant, tenant, coach, in_app_text="Hoi")
    elsewhere = create_tenant()
    stranger = create_staff(elsewhere, role="team_lead")
    client = coach_client(app, elsewhere, stranger)
    assert client.get(f"/t/{elsewhere.slug}/workspace/templates/{template_id}/edit").status_code == 404
    assert client.get(f"/t/{elsewhere.slug}/workspace/templates/{template_id}/delete").status_code == 404


def test_the_list_filters_by_language_and_residents_do_not_get_in(app, setting, in_tenant):
    tenant, mine, _other, coach, _lead = setting
    saved(in_tenant, tenant, coach, name="Nederlands sjabloon", in_app_text="Hoi")
    saved(in_tenant, tenant, coach, name="English template", language="en", in_app_text="Hi")
    client = coach_client(app, tenant, coach)
    english = client.get(f"/t/{tenant.slug}/workspace/templates/?language=en").get_data(as_text=True)
    assert "English template" in english and "Nederlands sjabloon" not in english
    resident = app.test_client()
    log_in(resident, tenant, "person", mine)
    assert resident.get(f"/t/{tenant.slug}/workspace/templates/").status_code in (403, 404)


def test_a_coach_sends_a_template_from_the_persons_messages(app, setting, in_tenant, create_staff):
    tenant, mine, _other, coach, lead = setting
    template_id = saved(in_tenant, tenant, coach, in_app_text="Hoi {{ person.first_name }}, werk in de zorg.")
    energy = saved(
        in_tenant, tenant, coach, name="Energie", in_app_text="Energie {{ profile['tenant.energy'] }}"
    )
    client = coach_client(app, tenant, coach)
    url = f"/t/{tenant.slug}/workspace/people/{mine}/messages"
    page = client.get(url, headers=DUTCH)
    assert "Of stuur een sjabloon" in page.get_data(as_text=True)
    sent = client.post(
        url, data={"csrf_token": csrf_token(page), "template_id": str(template_id)}, headers=DUTCH
    )
    assert sent.status_code == 302
    listing = client.get(url, headers=DUTCH).get_data(as_text=True)
    assert "In de app" in listing
    with in_tenant(tenant):
        [message] = service.messages_of(mine)
        assert (message.channel, message.body) == ("in_app", "Hoi Sanne, werk in de zorg.")

    leader = coach_client(app, tenant, lead)  # may not see the special category the template prints
    page = leader.get(url, headers=DUTCH)
    refused = leader.post(
        url, data={"csrf_token": csrf_token(page), "template_id": str(energy)}, headers=DUTCH
    )
    assert refused.status_code == 400
    assert "regel 1: uw rol mag het profielveld “tenant.energy” niet zien" in refused.get_data(as_text=True)
    with in_tenant(tenant):
        assert len(service.messages_of(mine)) == 1
