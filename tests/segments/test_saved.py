"""Saved segments, visibility of attributes and people, and what selections give back to the platform."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aandacht.accounts.models import Person
from aandacht.db import session
from aandacht.profiles.service import set_values
from aandacht.profiles.signals import demand_for
from aandacht.segments.language import SelectionInvalid, Viewer
from aandacht.segments.registry import predicates_for
from aandacht.segments.schema import document_schema
from aandacht.segments.service import (
    SegmentFields,
    SegmentInvalid,
    SelectionTooSlow,
    as_document,
    count,
    delete_segment,
    freeze,
    person_ids,
    save_segment,
)
from aandacht.tenancy.scoping import get_scoped

SYSTEM = Viewer.system()
ROOT = Path(__file__).resolve().parents[2]
IN_ZORG = {"attribute": {"key": "tenant.sector", "op": "eq", "value": "zorg"}}


@pytest.fixture
def people(selection_tenant, create_person, in_tenant):
    """Three people in zorg, one in bouw; returns (tenant, ids)."""
    ids = [create_person(selection_tenant) for _ in range(4)]
    with in_tenant(selection_tenant):
        for person_id, sector in zip(ids, ["zorg", "zorg", "zorg", "bouw"], strict=True):
            set_values(person_id, {"tenant.sector": sector}, source="system", audience="system")
            set_values(person_id, {"tenant.energy": 3}, source="coach", audience="coach")
    return selection_tenant, ids


def test_a_dynamic_segment_follows_the_data_and_a_static_one_keeps_its_list(people, in_tenant):
    tenant, ids = people
    with in_tenant(tenant):
        live = save_segment(SegmentFields(name="Zorg", predicate=IN_ZORG), SYSTEM)
        frozen = save_segment(
            SegmentFields(name="Zorg in november", predicate=IN_ZORG, kind="static"), SYSTEM
        )
        assert frozen.frozen_count == 3 and frozen.frozen_at is not None
        set_values(ids[3], {"tenant.sector": "zorg"}, source="coach", audience="coach")
        set_values(ids[0], {"tenant.sector": "bouw"}, source="coach", audience="coach")
        assert set(person_ids(as_document(live), SYSTEM)) == {ids[1], ids[2], ids[3]}
        assert set(person_ids(as_document(frozen), SYSTEM)) == {ids[0], ids[1], ids[2]}
        freeze(frozen, SYSTEM)
        assert set(person_ids(as_document(frozen), SYSTEM)) == {ids[1], ids[2], ids[3]}


def test_a_segment_can_build_on_another_but_never_on_itself(people, in_tenant):
    tenant, ids = people
    with in_tenant(tenant):
        zorg = save_segment(SegmentFields(name="Zorg", predicate=IN_ZORG), SYSTEM)
        not_zorg = save_segment(SegmentFields(name="Niet zorg", predicate={"not": as_document(zorg)}), SYSTEM)
        assert person_ids(as_document(not_zorg), SYSTEM) == [ids[3]]
        with pytest.raises(SegmentInvalid) as refused:
            save_segment(SegmentFields(name="Zorg", predicate=as_document(not_zorg)), SYSTEM, segment=zorg)
        assert refused.value.problems[0].path == "/segment/not/segment/id"
        with pytest.raises(SegmentInvalid) as in_use:
            delete_segment(zorg)
        assert "Niet zorg" in in_use.value.errors["segment"]
        delete_segment(not_zorg)
        delete_segment(zorg)
        assert get_scoped(type(zorg), zorg.id) is None


def test_a_segment_needs_a_unique_name_and_a_sound_document(people, in_tenant):
    tenant, _ids = people
    with in_tenant(tenant):
        save_segment(SegmentFields(name="Zorg", predicate=IN_ZORG), SYSTEM)
        with pytest.raises(SegmentInvalid) as refused:
            save_segment(SegmentFields(name=" zorg ", predicate={"or": "x"}, kind="sometimes"), SYSTEM)
        assert set(refused.value.errors) == {"name", "predicate", "kind"}
        assert [problem.path for problem in refused.value.problems] == ["/or"]


def test_a_coach_selects_only_among_their_caseload_and_on_what_they_may_see(people, in_tenant, create_staff):
    tenant, ids = people
    coach = Viewer(audience="coach", staff_id=create_staff(tenant, caseload=ids[:2]))
    lead = Viewer(audience="team_lead", staff_id=create_staff(tenant, role="team_lead"), sees_everyone=True)
    energetic = {"attribute": {"key": "tenant.energy", "op": "gte", "value": 3}}
    with in_tenant(tenant):
        assert count(IN_ZORG, coach) == 2
        assert count(IN_ZORG, lead) == 3
        assert count({"caseload": {"of": "me"}}, coach) == 2
        assert count({"caseload": {"of": "none"}}, lead) == 2
        assert count(energetic, coach) == 2  # special category, named for the person's coach
        for viewer in (lead, coach):
            with pytest.raises(SelectionInvalid) as refused:
                count({"attribute": {"key": "tenant.diagnosis", "op": "is_set"}}, viewer)
            assert refused.value.problems[0].path == "/attribute/key"
        with pytest.raises(SelectionInvalid):  # special: not inherited by a team lead
            count(energetic, lead)
        hidden = save_segment(SegmentFields(name="Energiek", predicate=energetic, kind="static"), SYSTEM)
        with pytest.raises(SelectionInvalid):  # no one selects through a saved segment on what they may not
            count(as_document(hidden), lead)


def test_deactivated_people_are_never_selected(people, in_tenant):
    tenant, ids = people
    with in_tenant(tenant):
        session.get(Person, (tenant.id, ids[0])).active = False
        session.commit()
        assert sorted(person_ids(IN_ZORG, SYSTEM)) == sorted(ids[1:3])


def test_questions_that_saved_segments_select_on_are_asked_first(people, in_tenant):
    tenant, _ids = people
    with in_tenant(tenant):
        assert demand_for(tenant).get("tenant.sector", 0) == 0
        save_segment(SegmentFields(name="Zorg", predicate=IN_ZORG), SYSTEM)
        assert demand_for(tenant)["tenant.sector"] > 0


def test_a_resident_using_the_app_counts_as_active(people, in_tenant, client):
    tenant, ids = people
    with client.session_transaction() as data:
        data["auth"] = {"kind": "person", "id": str(ids[0]), "tenant": tenant.id, "epoch": 0, "seen": 2**31}
    client.get(f"/t/{tenant.slug}/app/")
    with in_tenant(tenant):
        assert person_ids({"last_active": {"op": "since", "value": {"days_ago": 0}}}, SYSTEM) == [ids[0]]
        assert len(person_ids({"last_active": {"op": "never"}}, SYSTEM)) == 3


def test_the_published_schema_is_the_core_language(app):
    with app.app_context():
        current = document_schema(predicates_for(None))
    assert json.loads((ROOT / "docs/segments.schema.json").read_text()) == current


def test_the_command_line_counts_a_document_or_says_what_is_wrong(people, runner, tmp_path):
    tenant, _ids = people
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps(IN_ZORG))
    bad.write_text(json.dumps({"and": [{"attribute": {"key": "tenant.sector", "op": "gte", "value": 1}}]}))
    result = runner.invoke(args=["segments", "count", "--tenant", tenant.slug, str(good)])
    assert result.exit_code == 0 and result.output.startswith("3 ")
    result = runner.invoke(args=["segments", "count", "--tenant", tenant.slug, str(bad)])
    assert result.exit_code == 1 and "/and/0/attribute/op" in result.output


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_count_that_takes_too_long_is_stopped_and_says_so(people, in_tenant, slow_statements):
    tenant, _ids = people
    with in_tenant(tenant):
        with pytest.raises(SelectionTooSlow) as stopped:
            count(IN_ZORG, SYSTEM, timeout_ms=50)
        assert stopped.value.problems[0].path == ""
        assert count(IN_ZORG, SYSTEM) == 3  # the next statement runs in a fresh transaction
