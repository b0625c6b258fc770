"""The caseload report: figures on known data, CSV equal to the page's tables, who may see which caseload."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import UTC, datetime

import pytest

from aandacht.accounts import service as accounts
from aandacht.accounts.models import Person
from aandacht.attention import responses, service
from aandacht.attention.report import caseload_report
from aandacht.db import session
from aandacht.outreach.preferences import set_opt_out
from aandacht.personalisation.catalogue import ItemFields, save_item
from aandacht.personalisation.events import Interaction, record
from aandacht.privacy.service import access_log_of
from aandacht.profiles.service import set_values
from aandacht.tenancy.context import tenant_context
from aandacht.tenancy.scoping import get_scoped
from tests.api.helpers import log_in

EN = {"Accept-Language": "en"}


def at(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


@pytest.fixture
def caseload(app, create_tenant, create_person, create_staff):
    """Five people of a coach, with contacts, activity and channels as the test of each figure needs."""
    tenant = create_tenant()
    anna = create_person(tenant, display_name="Anna", email="anna@example.nl")
    bram = create_person(tenant, display_name="Bram", phone="+31612345678")
    cees = create_person(tenant, display_name="Cees")
    dina = create_person(tenant, display_name="Dina", email="dina@example.nl", phone="+31687654321")
    eva = create_person(tenant, display_name="Eva")
    coach = create_staff(tenant, caseload=[anna, bram, cees, dina, eva], display_name="Carla Coach")
    colleague = create_staff(tenant, caseload=[anna], display_name="Dirk Collega")
    with app.test_request_context(), tenant_context(tenant):
        for person, moment in [
            (anna, at(3, 2)),
            (anna, at(3, 10, 15)),
            (anna, at(3, 20)),
            (bram, at(3, 5)),
            (anna, at(4, 2)),
            (bram, at(4, 3)),
            (cees, at(4, 4)),
            (dina, at(4, 5)),
        ]:
            service.record_contact(person_id=person, staff_id=coach, kind="phone", at=moment)
        service.record_contact(person_id=anna, staff_id=colleague, kind="meeting", at=at(3, 1))
        item = save_item(ItemFields(type="core.news", title="Nieuws", body="Tekst."))
        session.commit()
        record(anna, [Interaction("open", item.id, occurred_at=at(3, 8))])
        record(cees, [Interaction("impression", item.id, occurred_at=at(4, 9))])
        set_values(bram, {"core.preferred_channel": "sms"}, source="person", audience="person", actor_id=bram)
        for person in (anna, dina):
            get_scoped(Person, person).last_active_at = at(4, 1)
        set_opt_out(dina, "email", True, source="person")
        session.commit()
    return tenant, coach, colleague, {"anna": anna, "bram": bram, "cees": cees, "dina": dina, "eva": eva}


def test_the_figures_of_a_known_caseload(app, caseload, monkeypatch):
    tenant, coach, _colleague, people = caseload
    questions = [(people["anna"], at(3, 10)), (people["bram"], at(3, 25)), (people["eva"], at(4, 10))]
    monkeypatch.setitem(
        responses._SOURCES, "test", lambda ids, since, until: [q for q in questions if since <= q[1] < until]
    )
    with app.test_request_context(headers=EN), tenant_context(tenant):
        # Bram's answer falls in the month the test runs, so it counts there and not in March or April.
        report = caseload_report(accounts.caseload(coach), staff_id=coach, last=at(4, 15), months=2)
    march, april = report.months
    assert (march.label, march.caseload, march.contacts, march.per_person) == ("2026-03", 5, 4, 0.8)
    assert (april.contacts, april.per_person) == (4, 0.8)
    assert march.buckets == {"0": 3, "1": 1, "2-3": 1, "4+": 0}
    assert april.buckets == {"0": 1, "1": 4, "2-3": 0, "4+": 0}
    assert march.gini == pytest.approx(0.7) and april.gini == pytest.approx(0.2)
    assert march.top_share == pytest.approx(0.75) and april.top_share == pytest.approx(0.25)
    assert (march.active, april.active) == (1, 1)  # Anna used content in March, Cees in April
    assert (march.answered, march.unanswered, march.median_hours) == (2, 0, pytest.approx(111.0))
    assert (april.answered, april.unanswered) == (0, 1)
    assert report.contacts[people["anna"]] == [3, 1]  # the colleague's meeting is not the coach's
    unreachable = {found.person.display_name: found.reasons for found in report.unreachable}
    assert sorted(unreachable) == ["Cees", "Eva"]
    assert unreachable["Eva"]["in_app"] == "has never used the app"
    assert report.reachable_share == pytest.approx(0.6)
    usable = {found.person.display_name: found.usable for found in report.channels}
    assert set(usable["Dina"]) == {"sms", "in_app"} and usable["Bram"] == ["sms"]


def cells_of(page: str, key: str) -> list[list[str]]:
    """The header and body cells of one table of the page, as text."""
    table = page.split(f'data-testid="table-{key}"')[1].split("</table>")[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S)
    return [
        [html.unescape(cell.strip()) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in rows
    ]


def test_every_csv_equals_the_table_on_the_page(client, caseload):
    tenant, coach, _colleague, _people = caseload
    log_in(client, tenant, "staff", coach)
    page = client.get(f"/t/{tenant.slug}/workspace/report", headers=EN)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'data-testid="chart-attention"' in text and 'data-testid="chart-channels"' in text
    attention = text.split('data-testid="chart-attention"')[1].split("</figure>")[0]
    assert attention.count("<svg aria-hidden") == 1 and "Spread of attention" in attention
    assert "Response times are not measured yet" in text
    assert "60% of the caseload is reachable by some channel; 2 people by none." in text
    for key in ("summary", "people", "channels", "unreachable"):
        download = client.get(f"/t/{tenant.slug}/workspace/report/{key}.csv", headers=EN)
        assert download.status_code == 200 and download.mimetype == "text/csv"
        rows = list(csv.reader(io.StringIO(download.get_data(as_text=True))))
        assert rows == cells_of(text, key), key
    unreachable = cells_of(text, "unreachable")
    assert [row[0] for row in unreachable[1:]] == ["Cees", "Eva"]


def test_a_coach_sees_only_their_own_caseload(client, caseload, create_staff, create_person):
    tenant, _coach, colleague, _people = caseload
    log_in(client, tenant, "staff", colleague)
    text = client.get(f"/t/{tenant.slug}/workspace/report", query_string={"coach": str(_coach)}, headers=EN)
    text = text.get_data(as_text=True)
    assert "Dirk Collega today (1 people)" in text
    assert [row[0] for row in cells_of(text, "people")[1:]] == ["Anna"]


def test_a_team_lead_picks_a_coach_or_the_whole_organisation(client, caseload, create_staff, create_tenant):
    tenant, coach, _colleague, _people = caseload
    lead = create_staff(tenant, role="team_lead")
    log_in(client, tenant, "staff", lead)
    whole = client.get(f"/t/{tenant.slug}/workspace/report", headers=EN).get_data(as_text=True)
    assert (
        "Everyone of the organisation today (5 people)" in whole and 'data-testid="table-people"' not in whole
    )
    one = client.get(f"/t/{tenant.slug}/workspace/report", query_string={"coach": str(coach)}, headers=EN)
    assert "The caseload of Carla Coach today (5 people)" in one.get_data(as_text=True)
    assert client.get(f"/t/{tenant.slug}/workspace/report/people.csv").status_code == 404
    other = create_tenant()
    other_lead = create_staff(other, role="team_lead")
    log_in(client, other, "staff", other_lead)
    refused = client.get(f"/t/{other.slug}/workspace/report", query_string={"coach": str(coach)})
    assert refused.status_code == 404
    assert client.get(f"/t/{other.slug}/workspace/report", query_string={"months": "99"}).status_code == 400


def test_the_people_named_by_the_report_are_in_their_access_log(app, client, caseload):
    tenant, coach, _colleague, people = caseload
    log_in(client, tenant, "staff", coach)
    client.get(f"/t/{tenant.slug}/workspace/report")
    client.get(f"/t/{tenant.slug}/workspace/report/unreachable.csv")
    with app.app_context(), tenant_context(tenant):
        channels = {
            person: sorted(entry.channel for entry in access_log_of(person_id))
            for person, person_id in people.items()
        }
    assert channels["anna"] == ["page"] and channels["eva"] == ["export", "page"]
