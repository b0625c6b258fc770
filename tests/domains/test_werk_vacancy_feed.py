"""Vacancy feeds: CSV or JSON, upsert by external id, a report per row, closed and absent ones retired."""

import io
import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from aandacht.db import session, utcnow
from aandacht.personalisation.catalogue import ItemFilter, list_items
from aandacht.personalisation.models import ContentItem
from aandacht.tenancy.context import tenant_context
from aandacht_werk.vacancy_feed import FeedRefused, import_feed, read_rows
from tests.api.helpers import log_in
from tests.helpers import csrf_token

ENGLISH = {"Accept-Language": "en"}
LATER, EARLIER = utcnow().date() + timedelta(days=30), utcnow().date() - timedelta(days=5)
CSV = (
    "id;titel;werkgever;plaats;uren;dienstverband;sector;sluitingsdatum;kleur\n"
    f"A1;Orderpicker;Bol;Hengelo;32;temporary;logistics;{LATER};blauw\n"
    "A2;Kok;De Zwaan;Enschede;veertig;permanent;hospitality;;rood\n"
    f"A3;Verkoper;Jumbo;Almelo;20;on_call;retail;{EARLIER};groen\n"
)


@pytest.fixture
def werk_tenant(create_tenant):
    return create_tenant(domains=["werk"])


def vacancies():
    rows = session.execute(select(ContentItem).where(ContentItem.type == "werk.vacancy")).scalars()
    return {item.external_id: (item.status, item.retired_reason, item.title) for item in rows}


def test_a_csv_feed_adds_good_rows_refuses_bad_ones_and_retires_closed_ones(app, werk_tenant):
    with app.test_request_context(headers=ENGLISH), tenant_context(werk_tenant):
        report = import_feed(read_rows(CSV.encode(), "feed.csv"), source="uwv", full=False)
        outcomes = [(row.external_id, row.outcome) for row in report.rows]
        refused = report.rows[1].errors
        stored = vacancies()
    assert outcomes == [("A1", "created"), ("A2", "refused"), ("A3", "retired")]
    assert "Fill in a number." in refused.values()
    assert report.ignored == ["kleur"]
    assert stored["uwv:A1"] == ("published", None, "Orderpicker")
    assert stored["uwv:A3"][:2] == ("retired", "expired")
    assert "uwv:A2" not in stored


def test_importing_again_updates_by_external_id_and_a_full_feed_retires_the_absent(app, werk_tenant):
    first = [
        {
            "external_id": "1",
            "title": "Schoonmaker",
            "employer": "CSU",
            "place": "Borne",
            "hours": 20,
            "contract": "temporary",
            "sector": "cleaning",
        },
        {
            "external_id": "2",
            "title": "Chauffeur",
            "employer": "PostNL",
            "place": "Almelo",
            "hours": 38,
            "contract": "permanent",
            "sector": "transport",
            "driving_licence": "c",
        },
    ]
    second = {"vacancies": [{**first[0], "hours": 24}]}
    with app.test_request_context(headers=ENGLISH), tenant_context(werk_tenant):
        import_feed(read_rows(json.dumps(first).encode(), "feed.json"), source="werkbedrijf", full=True)
        import_feed(read_rows(json.dumps(first).encode(), "x.json"), source="other", full=False)
        again = import_feed(
            read_rows(json.dumps(second).encode(), "feed.json"), source="werkbedrijf", full=True
        )
        stored = vacancies()
        total, _items = list_items(ItemFilter(type="werk.vacancy", status="published"))
    assert [(row.external_id, row.outcome) for row in again.rows] == [("1", "updated")]
    assert again.withdrawn == ["2"]
    assert stored["werkbedrijf:2"][:2] == ("retired", "withdrawn")
    # Another source's vacancies are its own: a full feed of werkbedrijf leaves them alone.
    assert stored["other:2"][0] == "published"
    assert total == 3


def test_a_file_that_cannot_be_read_is_refused_whole(app, werk_tenant):
    bad_files = {
        "feed.json": b'[{"external_id": "1", "title": ',
        "feed.csv": b"naam,plaats\nKok,Enschede\n",
        "empty.csv": b"external_id,title\n",
        "latin.csv": "external_id,title\n1,Caf\xe9\n".encode("latin-1"),
    }
    for name, data in bad_files.items():
        with app.test_request_context(headers=ENGLISH), pytest.raises(FeedRefused):
            read_rows(data, name)
    with app.test_request_context(headers=ENGLISH), tenant_context(werk_tenant):
        with pytest.raises(FeedRefused):
            import_feed([{"external_id": "1", "title": "X"}], source="Bad Source!", full=True)
        assert vacancies() == {}


def test_staff_upload_a_feed_in_the_workspace_and_read_the_report(app, client, werk_tenant, create_staff):
    staff = create_staff(werk_tenant, role="coach")
    log_in(client, werk_tenant, "staff", staff)
    url = f"/t/{werk_tenant.slug}/workspace/werk/vacancy-feed"
    token = csrf_token(client.get(url, headers=ENGLISH))
    files = {
        "file": (io.BytesIO(CSV.encode()), "feed.csv"),
        "source": "uwv",
        "csrf_token": token,
    }
    page = client.post(url, data=files, headers=ENGLISH, content_type="multipart/form-data")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'data-outcome="created"' in html and 'data-outcome="refused"' in html
    assert "Fill in a number." in html
    refused = client.post(
        url,
        data={"file": (io.BytesIO(b"{nope"), "feed.json"), "csrf_token": token},
        headers=ENGLISH,
        content_type="multipart/form-data",
    )
    assert refused.status_code == 400
    assert "Nothing was imported and nothing was changed." in refused.get_data(as_text=True)


def test_a_resident_may_not_upload_a_feed(client, werk_tenant, create_person):
    person = create_person(werk_tenant)
    log_in(client, werk_tenant, "person", person)
    assert client.get(f"/t/{werk_tenant.slug}/workspace/werk/vacancy-feed").status_code in (403, 404)


def test_the_command_imports_a_file_for_the_nightly_cron(app, runner, werk_tenant, tmp_path):
    path = tmp_path / "vacatures.csv"
    path.write_text(CSV, encoding="utf-8")
    result = runner.invoke(args=["werk", "import-vacancies", werk_tenant.slug, str(path), "--source", "uwv"])
    assert result.exit_code == 0, result.output
    assert "row 2 (A2): refused" in result.output
    assert "1 created" in result.output and "1 refused" in result.output
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    refused = runner.invoke(args=["werk", "import-vacancies", werk_tenant.slug, str(bad)])
    assert refused.exit_code != 0 and "refused, nothing changed" in refused.output


def test_the_administrator_finds_the_feed_in_the_portal(client, werk_tenant, create_staff):
    admin = create_staff(werk_tenant, role="tenant_admin")
    log_in(client, werk_tenant, "staff", admin)
    portal = client.get(f"/t/{werk_tenant.slug}/portal/", headers=ENGLISH).get_data(as_text=True)
    url = f"/t/{werk_tenant.slug}/workspace/werk/vacancy-feed"
    assert url in portal
    assert client.get(url, headers=ENGLISH).status_code == 200
