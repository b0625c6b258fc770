"""Lists: one envelope, pages, filters and orders from an allow-list; bad arguments name their field."""

import pytest

from tests.api.helpers import add_person, add_staff, assert_error, bearer, issue_token


@pytest.fixture
def everyone(app, tenant):
    """A token that sees 25 people: Persoon 01..25, every fifth with an e-mail address at 'vijf.nl'."""
    for number in range(1, 26):
        email = f"p{number}@vijf.nl" if number % 5 == 0 else f"p{number}@example.nl"
        add_person(app, tenant, display_name=f"Persoon {number:02d}", email=email)
    lead = add_staff(app, tenant, role="team_lead")
    return bearer(issue_token(app, tenant, lead, ["people:read"]))


def people(client, tenant, headers, query=""):
    return client.get(f"/t/{tenant.slug}/api/v1/people{query}", headers=headers)


def test_pages_come_in_one_envelope(client, tenant, everyone):
    first = people(client, tenant, everyone, "?page_size=10").get_json()
    assert {key: first[key] for key in ("page", "page_size", "total", "pages")} == {
        "page": 1,
        "page_size": 10,
        "total": 25,
        "pages": 3,
    }
    assert [item["display_name"] for item in first["items"]][:2] == ["Persoon 01", "Persoon 02"]
    last = people(client, tenant, everyone, "?page_size=10&page=3").get_json()
    assert [item["display_name"] for item in last["items"]] == [f"Persoon {n}" for n in range(21, 26)]
    beyond = people(client, tenant, everyone, "?page_size=10&page=4").get_json()
    assert beyond["items"] == [] and beyond["total"] == 25
    assert people(client, tenant, everyone).get_json()["page_size"] == 20


def test_sorting_follows_the_allow_list(client, tenant, everyone):
    descending = people(client, tenant, everyone, "?sort=-display_name&page_size=3").get_json()
    assert [item["display_name"] for item in descending["items"]] == [
        "Persoon 25",
        "Persoon 24",
        "Persoon 23",
    ]
    by_email = people(client, tenant, everyone, "?sort=email&page_size=2").get_json()
    assert [item["email"] for item in by_email["items"]] == ["p10@vijf.nl", "p11@example.nl"]
    newest = people(client, tenant, everyone, "?sort=-created_at&page_size=100").get_json()["items"]
    assert [item["created_at"] for item in newest] == sorted(
        (item["created_at"] for item in newest), reverse=True
    )


def test_filtering_on_name_and_email(client, tenant, everyone):
    found = people(client, tenant, everyone, "?q=VIJF").get_json()
    assert found["total"] == 5
    assert [item["display_name"] for item in found["items"]] == [
        f"Persoon {n:02d}" for n in (5, 10, 15, 20, 25)
    ]
    assert people(client, tenant, everyone, "?q=persoon 1").get_json()["total"] == 10
    assert people(client, tenant, everyone, "?q=niemand").get_json()["items"] == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?page_size=0", "page_size"),
        ("?page_size=101", "page_size"),
        ("?page_size=veel", "page_size"),
        ("?page=0", "page"),
        ("?sort=password_hash", "sort"),
        ("?sort=-phone", "sort"),
        ("?pagesize=10", "pagesize"),
    ],
)
def test_bad_list_arguments_name_their_field(client, tenant, everyone, query, field):
    body = assert_error(people(client, tenant, everyone, query), 422, "validation_failed")
    assert list(body["errors"]) == [field]
    assert all(isinstance(message, str) and message for message in body["errors"][field])


def test_an_invalid_id_names_the_field(client, tenant, everyone):
    response = client.get(f"/t/{tenant.slug}/api/v1/people/not-a-uuid", headers=everyone)
    body = assert_error(response, 422, "validation_failed")
    assert list(body["errors"]) == ["person_id"]
