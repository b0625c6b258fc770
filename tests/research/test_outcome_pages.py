"""Outcomes in the workspace: a coach registers and removes them; a team lead imports a file."""

from __future__ import annotations

import io

from aandacht.db import session
from aandacht.research import service
from aandacht.tenancy.context import tenant_context
from tests.api.helpers import log_in
from tests.helpers import csrf_token

DUTCH = {"Accept-Language": "nl"}


def outcomes_of(app, tenant, person_id):
    with app.app_context(), tenant_context(tenant):
        return service.outcomes_of(person_id)


def test_a_coach_registers_an_outcome_with_its_details(app, caseload):
    client = app.test_client()
    log_in(client, caseload.tenant, "staff", caseload.coach)
    url = f"/t/{caseload.tenant.slug}/workspace/people/{caseload.person}/outcomes"
    page = client.get(url, headers=DUTCH).get_data(as_text=True)
    assert "Werk of studie waardoor de uitkering stopt" in page
    form = {
        "csrf_token": csrf_token(client.get(url)),
        "type": "werk.work_ends_benefit",
        "date": "2026-03-01",
        "werk.work_ends_benefit--activity": "work",
        "werk.work_ends_benefit--hours": "24",
        "werk.work_ends_benefit--employer": "Bakkerij De Korenschoof",
        "werk.part_time_beside_benefit--hours": "999",  # another type's field is not read
    }
    assert client.post(url, data=form).status_code == 302
    page = client.get(url, headers=DUTCH).get_data(as_text=True)
    assert page.count('data-testid="outcome"') == 1
    assert "Bakkerij De Korenschoof" in page and "24" in page
    [outcome] = outcomes_of(app, caseload.tenant, caseload.person)
    assert (outcome.source, outcome.recorded_by) == ("coach", caseload.coach)
    person_page = client.get(f"/t/{caseload.tenant.slug}/workspace/people/{caseload.person}", headers=DUTCH)
    timeline = person_page.get_data(as_text=True).split('data-testid="timeline-entries"')[1]
    assert 'data-testid="entry-outcomes"' in timeline and "Bakkerij De Korenschoof" in timeline


def test_a_refused_outcome_keeps_the_form_and_says_why(app, caseload):
    client = app.test_client()
    log_in(client, caseload.tenant, "staff", caseload.coach)
    url = f"/t/{caseload.tenant.slug}/workspace/people/{caseload.person}/outcomes"
    form = {
        "csrf_token": csrf_token(client.get(url)),
        "type": "werk.benefit_ended_other",
        "date": "gisteren",
        "note": "Verhuisd naar Hengelo",
    }
    refused = client.post(url, data=form, headers=DUTCH)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert 'data-testid="error-date"' in page and 'data-testid="error-reason"' in page
    assert "Verhuisd naar Hengelo" in page
    assert outcomes_of(app, caseload.tenant, caseload.person) == []


def test_only_the_registrar_or_a_team_lead_removes_an_outcome(app, caseload, create_staff):
    colleague = create_staff(caseload.tenant, caseload=[caseload.person])
    with app.app_context(), tenant_context(caseload.tenant):
        checked = service.check(
            service.OutcomeInput("werk.part_time_beside_benefit", "2026-02-01", {"activity": "study"})
        )
        recorded = service.record_outcome(
            caseload.person, checked, source="coach", recorded_by=caseload.coach
        )
        session.commit()
        page = f"/t/{caseload.tenant.slug}/workspace/people/{caseload.person}/outcomes"
        remove = f"{page}/{recorded.outcome.id}/remove"
    client = app.test_client()
    log_in(client, caseload.tenant, "staff", colleague)
    token = csrf_token(client.get(f"/t/{caseload.tenant.slug}/workspace/people/{caseload.person}/outcomes"))
    assert client.post(remove, data={"csrf_token": token}).status_code == 403
    log_in(client, caseload.tenant, "staff", caseload.lead)
    assert client.post(remove, data={"csrf_token": token}).status_code == 302
    assert outcomes_of(app, caseload.tenant, caseload.person) == []


def test_a_person_outside_the_caseload_or_tenant_is_not_found(app, caseload, create_tenant, create_staff):
    client = app.test_client()
    log_in(client, caseload.tenant, "staff", caseload.coach)
    assert (
        client.get(f"/t/{caseload.tenant.slug}/workspace/people/{caseload.stranger}/outcomes").status_code
        == 404
    )
    other = create_tenant(domains=["werk"])
    outsider = create_staff(other, role="team_lead")
    log_in(client, other, "staff", outsider)
    assert client.get(f"/t/{other.slug}/workspace/people/{caseload.person}/outcomes").status_code == 404


def upload(client, tenant, text: str, **headers):
    url = f"/t/{tenant.slug}/workspace/outcomes/import"
    data = {"csrf_token": csrf_token(client.get(url)), "file": (io.BytesIO(text.encode()), "uitstroom.csv")}
    return client.post(url, data=data, content_type="multipart/form-data", headers=headers)


def test_a_file_with_one_bad_row_imports_nothing_and_says_which_row(app, caseload):
    client = app.test_client()
    log_in(client, caseload.tenant, "staff", caseload.lead)
    text = (
        "client_number;outcome;date;activity;hours;reason\n"
        "CL-0001;werk.work_ends_benefit;2026-03-01;work;32;\n"
        "CL-9999;werk.benefit_ended_other;2026-03-02;;;moved\n"
        "CL-0002;werk.benefit_ended_other;2026-03-02;;;lottery\n"
    )
    refused = upload(client, caseload.tenant, text, **DUTCH)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert page.count('data-testid="refused-row"') == 2
    assert "CL-9999" in page and "lottery" not in page.split("refused-row")[0]
    assert outcomes_of(app, caseload.tenant, caseload.person) == []


def test_a_good_file_imports_every_row_once(app, caseload):
    client = app.test_client()
    log_in(client, caseload.tenant, "staff", caseload.lead)
    text = (
        "client_number,outcome,date,outcome_id,activity,hours,reason\n"
        "CL-0001,werk.work_ends_benefit,01-03-2026,UWV-1,work,32,\n"
        "CL-0002,werk.benefit_ended_other,2026-03-02,UWV-2,,,partner_income\n"
    )
    done = upload(client, caseload.tenant, text, **DUTCH)
    assert done.status_code == 200 and 'data-testid="import-done"' in done.get_data(as_text=True)
    again = upload(client, caseload.tenant, text, **DUTCH).get_data(as_text=True)
    assert "2 al bekend" in again or "2 already known" in again
    [outcome] = outcomes_of(app, caseload.tenant, caseload.stranger)
    assert (outcome.source, outcome.details) == ("import", {"reason": "partner_income"})


def test_a_file_without_the_needed_columns_is_refused(app, caseload):
    client = app.test_client()
    log_in(client, caseload.tenant, "staff", caseload.lead)
    refused = upload(client, caseload.tenant, "naam,datum\nSanne,2026-03-01\n")
    assert refused.status_code == 400 and 'data-testid="file-problem"' in refused.get_data(as_text=True)


def test_a_coach_may_not_import_and_the_example_file_has_the_columns(app, caseload):
    client = app.test_client()
    log_in(client, caseload.tenant, "staff", caseload.coach)
    assert client.get(f"/t/{caseload.tenant.slug}/workspace/outcomes/import").status_code == 403
    log_in(client, caseload.tenant, "staff", caseload.lead)
    example = client.get(f"/t/{caseload.tenant.slug}/workspace/outcomes/import/example.csv")
    header = example.get_data(as_text=True).splitlines()[0]
    assert header.startswith("client_number,outcome,date,outcome_id,note,activity,hours")
    assert (
        upload(client, caseload.tenant, example.get_data(as_text=True)).status_code == 400
    )  # no such clients
