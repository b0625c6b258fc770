"""The content API: items checked against their type, a feed's bulk upsert, scopes and tenants kept apart."""

import uuid
from datetime import timedelta

import pytest
from flask_babel import lazy_gettext as _l

from aandacht.db import session, utcnow
from aandacht.personalisation import registry
from aandacht.personalisation.events import Interaction, record
from aandacht.personalisation.feeds import retire_missing
from aandacht.personalisation.models import ContentItem
from aandacht.personalisation.types import ContentField, ContentType, Wants
from aandacht.profiles.definitions import Option
from tests.api.helpers import (
    add_person,
    add_staff,
    assert_error,
    bearer,
    issue_token,
    log_in,
    register_client,
)
from tests.segments.conftest import SELECTION_ATTRIBUTES

#: A vacancy-like type of the tests: hours needed, a contract to choose, a closing date; fits by sector.
VACANCY = ContentType(
    key="core.test_vacancy",
    label=_l("Vacancy"),
    plural=_l("Vacancies"),
    icon="briefcase",
    action=_l("Apply"),
    fields=(
        ContentField("hours", _l("Hours a week"), "number", required=True),
        ContentField("contract", _l("Contract"), "choice", options=(Option("vast", _l("Permanent")),)),
        ContentField("closes", _l("Closes on"), "date"),
    ),
    fit_rules=(Wants("tenant.sector", "sector", "U wilt werken in %(value)s."),),
    tag_prefixes={"sector": _l("Sector")},
)


@pytest.fixture
def tenant(create_tenant, monkeypatch):
    """A tenant whose content types include the test vacancy."""
    monkeypatch.setattr(registry, "CORE_CONTENT_TYPES", (*registry.CORE_CONTENT_TYPES, VACANCY))
    return create_tenant(attributes=SELECTION_ATTRIBUTES)


@pytest.fixture
def writer(app, tenant):
    """A coach's token with both content scopes."""
    return bearer(issue_token(app, tenant, add_staff(app, tenant), ["content:read", "content:write"]))


def url(tenant, tail=""):
    return f"/t/{tenant.slug}/api/v1/content{tail}"


def vacancy(external_id, title="Kok", **values):
    return {
        "type": VACANCY.key,
        "title": title,
        "details": {"hours": 32},
        "external_id": external_id,
        **values,
    }


def test_create_read_and_change_an_item(client, tenant, writer):
    created = client.post(
        url(tenant),
        json={
            "type": VACANCY.key,
            "title": " Verzorgende ",
            "summary": "In het verpleeghuis.",
            "tags": ["Sector:zorg"],
            "details": {"hours": "36", "contract": "vast"},
            "valid_until": "2099-01-31T17:00:00+01:00",
        },
        headers=writer,
    )
    assert created.status_code == 201, created.get_json()
    item = created.get_json()
    assert (item["title"], item["tags"], item["details"], item["status"]) == (
        "Verzorgende",
        ["sector:zorg"],
        {"hours": 36, "contract": "vast"},
        "published",
    )
    assert item["valid_until"].startswith("2099-01-31T16:00:00")
    assert (item["shown"], item["engaged"], item["overridden"], item["language"]) == (0, 0, [], "nl")
    assert client.get(url(tenant, f"/{item['id']}"), headers=writer).get_json() == item
    changed = client.patch(
        url(tenant, f"/{item['id']}"),
        json={"details": {"hours": 24}, "summary": None, "priority": "high"},
        headers=writer,
    ).get_json()
    assert (changed["details"], changed["summary"], changed["priority"], changed["title"]) == (
        {"hours": 24, "contract": "vast"},
        "",
        "high",
        "Verzorgende",
    )


def test_a_bad_item_names_each_field_and_writes_nothing(client, tenant, writer, in_tenant):
    answer = client.post(
        url(tenant),
        json={"type": VACANCY.key, "title": "", "details": {"hours": "veel", "colour": "blue"}},
        headers={**writer, "Accept-Language": "en"},
    )
    body = assert_error(answer, 422, "validation_failed")
    assert body["errors"] == {
        "title": ["Give a title."],
        "details.hours": ["Fill in a number."],
        "details.colour": ["This type of item has no such detail."],
    }
    wrong_types = client.post(
        url(tenant),
        json={"type": "core.weather", "title": "X", "pinned": "maybe", "valid_from": "gisteren", "x": 1},
        headers=writer,
    )
    assert set(assert_error(wrong_types, 422, "validation_failed")["errors"]) == {"pinned", "valid_from", "x"}
    unknown_type = client.post(url(tenant), json={"type": "core.weather", "title": "X"}, headers=writer)
    assert set(assert_error(unknown_type, 422, "validation_failed")["errors"]) == {"type"}
    with in_tenant(tenant):
        assert session.query(ContentItem).count() == 0


def test_the_list_filters_by_type_status_external_id_and_title(client, tenant, writer):
    for number in range(3):
        client.post(url(tenant), json=vacancy(f"v-{number}", f"Kok {number}"), headers=writer)
    client.post(url(tenant), json={"type": "core.news", "title": "Nieuws", "status": "draft"}, headers=writer)

    def titles(query):
        page = client.get(url(tenant, query), headers=writer).get_json()
        return [item["title"] for item in page["items"]], page["total"]

    assert titles("?type=core.news") == (["Nieuws"], 1)
    assert titles("?status=published&page_size=2") == (["Kok 2", "Kok 1"], 3)
    assert titles("?external_id=v-1") == (["Kok 1"], 1)
    assert titles("?external_id=v-1&type=core.news") == ([], 0)
    assert titles("?q=kok%200") == (["Kok 0"], 1)
    assert_error(client.get(url(tenant, "?status=gone"), headers=writer), 422, "validation_failed")


def test_bulk_upsert_reports_each_row_and_a_refused_row_blocks_nothing(client, tenant, writer):
    first = client.put(
        url(tenant, "/by-external-id"),
        json={
            "items": [
                vacancy("v-1", "Kok"),
                vacancy("v-2", "Schilder", details={"hours": "veel"}),
                vacancy("v-3", "Bakker", valid_until="volgende week"),
                {"type": VACANCY.key, "title": "Zonder id", "details": {"hours": 8}},
                vacancy("v-4", "Tuinman"),
            ]
        },
        headers=writer,
    )
    assert first.status_code == 200, first.get_json()
    report = first.get_json()
    assert [(row["index"], row["external_id"], row["outcome"]) for row in report["rows"]] == [
        (0, "v-1", "created"),
        (1, "v-2", "refused"),
        (2, "v-3", "refused"),
        (3, None, "refused"),
        (4, "v-4", "created"),
    ]
    assert set(report["rows"][1]["errors"]) == {"details.hours"}
    assert set(report["rows"][2]["errors"]) == {"valid_until"}
    assert set(report["rows"][3]["errors"]) == {"external_id"}
    assert (report["created"], report["refused"], report["retired"]) == (2, 3, [])
    again = client.put(
        url(tenant, "/by-external-id"),
        json={"items": [vacancy("v-1", "Kok"), vacancy("v-4", "Hovenier")]},
        headers=writer,
    ).get_json()
    assert [row["outcome"] for row in again["rows"]] == ["unchanged", "updated"]
    assert again["rows"][1]["id"] == report["rows"][4]["id"]
    listed = client.get(url(tenant, "?external_id=v-4"), headers=writer).get_json()["items"]
    assert [item["title"] for item in listed] == ["Hovenier"]


def test_a_whole_feed_retires_the_vacancies_that_left_it(client, tenant, writer):
    items = [vacancy(f"v-{number}") for number in range(4)]
    client.put(url(tenant, "/by-external-id"), json={"items": items}, headers=writer)
    own = client.post(
        url(tenant), json={"type": VACANCY.key, "title": "Eigen", "details": {"hours": 4}}, headers=writer
    )
    news = client.post(
        url(tenant), json={"type": "core.news", "title": "Nieuws", "external_id": "n-1"}, headers=writer
    )
    run = client.put(
        url(tenant, "/by-external-id"),
        json={
            "items": [vacancy("v-0"), vacancy("v-2", valid_from="gisteren"), vacancy("v-9")],
            "retire_missing_of_type": VACANCY.key,
        },
        headers=writer,
    ).get_json()
    assert [row["outcome"] for row in run["rows"]] == ["unchanged", "refused", "created"]
    assert run["retired"] == ["v-1", "v-3"]  # v-2 was in the run, though refused: it stays
    retired = client.get(url(tenant, "?status=retired"), headers=writer).get_json()["items"]
    assert sorted((item["external_id"], item["retired_reason"]) for item in retired) == [
        ("v-1", "withdrawn"),
        ("v-3", "withdrawn"),
    ]
    for kept in (own, news):
        assert (
            client.get(url(tenant, f"/{kept.get_json()['id']}"), headers=writer).get_json()["status"]
            == "published"
        )
    unknown = client.put(
        url(tenant, "/by-external-id"),
        json={"items": [], "retire_missing_of_type": "core.weather"},
        headers=writer,
    )
    assert set(assert_error(unknown, 422, "validation_failed")["errors"]) == {"retire_missing_of_type"}
    too_many = client.put(
        url(tenant, "/by-external-id"), json={"items": [vacancy("v")] * 1001}, headers=writer
    )
    assert set(assert_error(too_many, 422, "validation_failed")["errors"]) == {"items"}


def test_retire_missing_leaves_retired_and_other_types_alone(tenant, in_tenant):
    with in_tenant(tenant):
        for external_id, kind, status in (
            ("a", VACANCY.key, "published"),
            ("b", VACANCY.key, "draft"),
            ("c", VACANCY.key, "retired"),
            ("d", "core.news", "published"),
        ):
            session.add(ContentItem(type=kind, title=external_id, external_id=external_id, status=status))
        session.add(ContentItem(type=VACANCY.key, title="zonder"))
        session.commit()
        assert retire_missing(VACANCY.key, {"a"}) == ["b"]
        session.commit()
        states = {item.title: (item.status, item.retired_reason) for item in session.query(ContentItem)}
        assert states == {
            "a": ("published", None),
            "b": ("retired", "withdrawn"),
            "c": ("retired", None),
            "d": ("published", None),
            "zonder": ("published", None),
        }


def test_retire_and_delete(app, client, tenant, writer, in_tenant):
    published = client.post(url(tenant), json=vacancy("v-1"), headers=writer).get_json()
    retired = client.post(url(tenant, f"/{published['id']}/retire"), headers=writer).get_json()
    assert (retired["status"], retired["retired_reason"]) == ("retired", "withdrawn")
    back = client.patch(url(tenant, f"/{published['id']}"), json={"status": "published"}, headers=writer)
    assert (back.get_json()["status"], back.get_json()["retired_reason"]) == ("published", None)
    body = assert_error(client.delete(url(tenant, f"/{published['id']}"), headers=writer), 409, "conflict")
    assert set(body["errors"]) == {"status"}
    draft = client.post(url(tenant), json=vacancy("v-2", status="draft"), headers=writer).get_json()
    seen = client.post(url(tenant), json=vacancy("v-3", status="draft"), headers=writer).get_json()
    someone = add_person(app, tenant)
    with in_tenant(tenant):
        record(someone, [Interaction("open", uuid.UUID(seen["id"]))])
    assert_error(client.delete(url(tenant, f"/{seen['id']}"), headers=writer), 409, "conflict")
    assert client.delete(url(tenant, f"/{draft['id']}"), headers=writer).status_code == 204
    assert_error(client.get(url(tenant, f"/{draft['id']}"), headers=writer), 404, "not_found")


def test_content_types_say_how_to_build_an_item(client, tenant, writer):
    answer = client.get(f"/t/{tenant.slug}/api/v1/content-types", headers={**writer, "Accept-Language": "en"})
    kinds = {kind["key"]: kind for kind in answer.get_json()}
    assert set(kinds) == {"core.news", VACANCY.key}
    assert kinds[VACANCY.key]["fields"][:2] == [
        {
            "key": "hours",
            "label": "Hours a week",
            "type": "number",
            "options": [],
            "required": True,
            "help": "",
        },
        {
            "key": "contract",
            "label": "Contract",
            "type": "choice",
            "options": [{"value": "vast", "label": "Permanent"}],
            "required": False,
            "help": "",
        },
    ]
    assert (kinds[VACANCY.key]["action"], kinds[VACANCY.key]["tag_prefixes"]) == (
        "Apply",
        {"sector": "Sector"},
    )
    assert kinds["core.news"]["action"] == ""


def test_another_tenants_token_finds_nothing_of_this_tenant(app, client, tenant, other_tenant, writer):
    item = client.post(url(tenant), json=vacancy("v-1"), headers=writer).get_json()
    stranger = bearer(
        issue_token(app, other_tenant, add_staff(app, other_tenant), ["content:read", "content:write"])
    )
    for answer in (
        client.get(url(other_tenant, f"/{item['id']}"), headers=stranger),
        client.patch(url(other_tenant, f"/{item['id']}"), json={"title": "Van mij"}, headers=stranger),
        client.post(url(other_tenant, f"/{item['id']}/retire"), headers=stranger),
        client.delete(url(other_tenant, f"/{item['id']}"), headers=stranger),
    ):
        assert_error(answer, 404, "not_found")
    assert client.get(url(other_tenant), headers=stranger).get_json()["total"] == 0
    upsert = client.put(
        url(other_tenant, "/by-external-id"), json={"items": [vacancy("v-1", "Van mij")]}, headers=stranger
    ).get_json()
    assert upsert["rows"][0]["outcome"] == "created"  # external ids are per organisation
    assert upsert["rows"][0]["id"] != item["id"]
    assert client.get(url(tenant, f"/{item['id']}"), headers=writer).get_json()["title"] == "Kok"
    assert_error(client.get(url(tenant), headers=stranger), 401, "invalid_token")


def test_scopes_roles_and_integrations(app, client, tenant):
    coach = add_staff(app, tenant)
    reader = bearer(issue_token(app, tenant, coach, ["content:read"]))
    assert client.get(url(tenant), headers=reader).status_code == 200
    assert_error(client.post(url(tenant), json=vacancy("v-1"), headers=reader), 403, "insufficient_scope")
    assert_error(
        client.put(url(tenant, "/by-external-id"), json={"items": []}, headers=reader),
        403,
        "insufficient_scope",
    )
    people = bearer(issue_token(app, tenant, coach, ["people:read"]))
    assert_error(client.get(url(tenant), headers=people), 403, "insufficient_scope")
    resident = add_person(app, tenant)
    log_in(client, tenant, "person", resident)
    assert_error(client.get(url(tenant)), 403, "forbidden")
    assert_error(client.get(f"/t/{tenant.slug}/api/v1/content-types"), 403, "forbidden")


def test_an_integration_client_upserts_its_feed(app, client, tenant):
    client_id, secret, _ = register_client(app, tenant, ["content:write"])
    token = client.post(
        f"/t/{tenant.slug}/api/v1/oauth/token",
        data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
    ).get_json()["access_token"]
    run = client.put(url(tenant, "/by-external-id"), json={"items": [vacancy("v-1")]}, headers=bearer(token))
    assert run.get_json()["created"] == 1
    assert_error(client.get(url(tenant), headers=bearer(token)), 403, "insufficient_scope")


def test_an_end_before_the_start_is_refused(client, tenant, writer):
    start, end = utcnow() + timedelta(days=2), utcnow() + timedelta(days=1)
    item = client.post(
        url(tenant),
        json=vacancy("v-1", valid_from=start.isoformat(), valid_until=end.isoformat()),
        headers=writer,
    )
    assert set(assert_error(item, 422, "validation_failed")["errors"]) == {"valid_until"}
