"""The selections API: counts and lists as the caller may see, and a bad document named by its path."""

import pytest

from aandacht.profiles.service import set_values
from aandacht.segments.language import Viewer
from aandacht.segments.service import SegmentFields, save_segment
from aandacht.tenancy.context import tenant_context
from tests.api.helpers import add_person, add_staff, assert_error, bearer, issue_token
from tests.segments.conftest import SELECTION_ATTRIBUTES

IN_ZORG = {"attribute": {"key": "tenant.sector", "op": "eq", "value": "zorg"}}


@pytest.fixture
def tenant(create_tenant):
    return create_tenant(attributes=SELECTION_ATTRIBUTES)


@pytest.fixture
def people(app, tenant):
    """Zorg 1-3 and Bouw 1; the coach has Zorg 1 and Bouw 1."""
    ids = {}
    for name, sector in (("Zorg 1", "zorg"), ("Zorg 2", "zorg"), ("Zorg 3", "zorg"), ("Bouw 1", "bouw")):
        ids[name] = add_person(app, tenant, display_name=name)
        with app.app_context(), tenant_context(tenant):
            set_values(ids[name], {"tenant.sector": sector}, source="system", audience="system")
    return ids


def post(client, tenant, path, headers, document, query=""):
    return client.post(
        f"/t/{tenant.slug}/api/v1/{path}{query}", json={"predicate": document}, headers=headers
    )


def test_a_team_lead_counts_and_lists_everyone_a_coach_their_caseload(app, client, tenant, people):
    lead = bearer(issue_token(app, tenant, add_staff(app, tenant, role="team_lead"), ["people:read"]))
    coach_id = add_staff(app, tenant, caseload=[people["Zorg 1"], people["Bouw 1"]])
    coach = bearer(issue_token(app, tenant, coach_id, ["caseload:read"]))
    assert post(client, tenant, "selections/count", lead, IN_ZORG).get_json() == {"count": 3}
    assert post(client, tenant, "selections/count", coach, IN_ZORG).get_json() == {"count": 1}
    page = post(client, tenant, "selections/people", lead, IN_ZORG, "?page_size=2&page=2").get_json()
    assert [item["display_name"] for item in page["items"]] == ["Zorg 3"]
    assert (page["total"], page["pages"]) == (3, 2)


def test_a_bad_document_is_refused_with_each_problem_by_its_path(app, client, tenant, people):
    lead = bearer(issue_token(app, tenant, add_staff(app, tenant, role="team_lead"), ["people:read"]))
    document = {"and": [{"attribute": {"key": "tenant.sector", "op": "gte", "value": 1}}, {"colour": {}}]}
    answer = post(client, tenant, "selections/count", lead, document)
    assert_error(answer, 422, "validation_failed")
    assert set(answer.get_json()["errors"]) == {"predicate/and/0/attribute/op", "predicate/and/1"}


def test_saved_segments_are_listed_and_give_their_people(app, client, tenant, other_tenant, people):
    with app.app_context(), tenant_context(tenant):
        segment = save_segment(SegmentFields(name="Zorg", predicate=IN_ZORG), Viewer.system())
        segment_id = segment.id
    lead = bearer(issue_token(app, tenant, add_staff(app, tenant, role="team_lead"), ["people:read"]))
    listed = client.get(f"/t/{tenant.slug}/api/v1/segments", headers=lead).get_json()
    assert [(item["name"], item["kind"]) for item in listed] == [("Zorg", "dynamic")]
    found = client.get(f"/t/{tenant.slug}/api/v1/segments/{segment_id}/people", headers=lead).get_json()
    assert [item["display_name"] for item in found["items"]] == ["Zorg 1", "Zorg 2", "Zorg 3"]
    stranger = bearer(
        issue_token(app, other_tenant, add_staff(app, other_tenant, role="team_lead"), ["people:read"])
    )
    answer = client.get(f"/t/{other_tenant.slug}/api/v1/segments/{segment_id}/people", headers=stranger)
    assert_error(answer, 404, "not_found")


def test_a_token_without_a_reading_scope_is_refused(app, client, tenant, people):
    lead = bearer(issue_token(app, tenant, add_staff(app, tenant, role="team_lead"), ["tenant:read"]))
    assert_error(post(client, tenant, "selections/count", lead, IN_ZORG), 403, "insufficient_scope")
