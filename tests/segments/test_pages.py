"""Selections in the workspace: the builder's form and document, the live count, saving, results, export."""

from __future__ import annotations

import csv
import io
import re

import pytest
from werkzeug.datastructures import MultiDict

from aandacht.accounts.models import Person
from aandacht.profiles.registry import attributes_for
from aandacht.profiles.service import set_values
from aandacht.segments.builder import document_of, selection_from_form, selection_of
from aandacht.segments.language import Viewer
from aandacht.segments.service import SegmentFields, save_segment, saved_segments
from aandacht.tenancy.context import require_tenant
from aandacht.tenancy.scoping import get_scoped
from tests.api.helpers import log_in
from tests.helpers import csrf_token, heading

EN = {"Accept-Language": "en"}
SECTOR_IS_ZORG = {
    "g0-combine": "and",
    "g0-c0-what": "attribute:tenant.sector",
    "g0-c0-shown": "attribute:tenant.sector",
}


@pytest.fixture
def world(selection_tenant, create_person, create_staff, in_tenant):
    """Ada and Bram (zorg) and Cem (bouw); a coach with Ada and Cem; a team lead. Returns a namespace."""
    ids = {}
    for name, sector, email in (("Ada", "zorg", "=ada@x.nl"), ("Bram", "zorg", None), ("Cem", "bouw", None)):
        ids[name] = create_person(selection_tenant, display_name=name, email=email)
        with in_tenant(selection_tenant):
            get_scoped(Person, ids[name]).external_id = f"K-{name}"
            set_values(
                ids[name], {"tenant.sector": sector, "tenant.hours": 20}, source="system", audience="system"
            )
    coach = create_staff(selection_tenant, role="coach", caseload=[ids["Ada"], ids["Cem"]])
    lead = create_staff(selection_tenant, role="team_lead")
    return type("World", (), {"tenant": selection_tenant, "ids": ids, "coach": coach, "lead": lead})


#: The people who work in care.
IN_ZORG = {"attribute": {"key": "tenant.sector", "op": "eq", "value": "zorg"}}


def url(world, path=""):
    return f"/t/{world.tenant.slug}/workspace/segments/{path}"


def save(world, in_tenant, name, document, staff, kind="dynamic"):
    with in_tenant(world.tenant):
        viewer = Viewer(audience="team_lead", staff_id=staff, sees_everyone=True)
        return save_segment(SegmentFields(name, document, kind=kind), viewer).id


def sector_form(value="zorg", **extra):
    return {**SECTOR_IS_ZORG, "g0-c0-op": "eq", "g0-c0-value": value, "combine": "and", **extra}


def post(client, world, path, data, headers=None):
    token = csrf_token(client.get(url(world, "new"), headers=EN))
    return client.post(
        url(world, path), data={**data, "csrf_token": token}, headers={**EN, **(headers or {})}
    )


#: What htmx sends when a button named "action" makes the request (not a change of a field).
BUTTON = {"HX-Request": "true", "HX-Trigger-Name": "action"}


# --- The builder's form and document --------------------------------------------------------------------


def test_the_form_becomes_a_document_and_the_document_becomes_the_same_form(world, in_tenant):
    form = MultiDict(
        [
            ("combine", "or"),
            ("g0-combine", "and"),
            *[(f"g0-c0-{k}", v) for k, v in (("what", "attribute:tenant.sector"), ("op", "in"))],
            ("g0-c0-shown", "attribute:tenant.sector"),
            ("g0-c0-value", "zorg"),
            ("g0-c0-value", "bouw"),
            ("g0-c1-what", "attribute:tenant.hours"),
            ("g0-c1-shown", "attribute:tenant.hours"),
            ("g0-c1-op", "between"),
            ("g0-c1-value", "10"),
            ("g0-c1-value", "32,5"),
            ("g0-c1-not", "1"),
            ("g1-combine", "or"),
            ("g1-c0-what", "attribute:tenant.available_from"),
            ("g1-c0-shown", "attribute:tenant.available_from"),
            ("g1-c0-op", "gt"),
            ("g1-c0-mode", "days_ago"),
            ("g1-c0-value", "14"),
            ("g1-c1-what", "interactions"),
            ("g1-c1-shown", "interactions"),
            ("g1-c1-kind", "click"),
            ("g1-c1-min", "3"),
            ("g1-c1-within_days", ""),
            ("g1-c2-what", "attribute:tenant.licence"),
            ("g1-c2-shown", "attribute:tenant.licence"),
            ("g1-c2-op", "eq"),
            ("g1-c2-value", "yes"),
            ("g1-c3-what", ""),
        ]
    )
    with in_tenant(world.tenant):
        attributes = attributes_for(require_tenant())
        built = document_of(selection_from_form(form, attributes), attributes)
        assert built.document == {
            "or": [
                {
                    "and": [
                        {"attribute": {"key": "tenant.sector", "op": "in", "value": ["zorg", "bouw"]}},
                        {"not": {"attribute": {"key": "tenant.hours", "op": "between", "value": [10, 32.5]}}},
                    ]
                },
                {
                    "or": [
                        {
                            "attribute": {
                                "key": "tenant.available_from",
                                "op": "gt",
                                "value": {"days_ago": 14},
                            }
                        },
                        {"interactions": {"kind": "click", "min": 3}},
                        {"attribute": {"key": "tenant.licence", "op": "eq", "value": True}},
                    ]
                },
            ]
        }
        assert built.row_of("/or/1/or/2/attribute/value") == (1, 2)
        assert built.row_of("/or/0/and/1/not/attribute/value/0") == (0, 1)
        drawn = selection_of(built.document, attributes)
        assert document_of(drawn, attributes).document == built.document
        # A deeper document (made through the API) cannot be drawn as rows.
        deep = {"and": [{"or": [{"and": [{"caseload": {"of": "me"}}]}]}]}
        assert selection_of(deep, attributes) is None


def test_choosing_another_attribute_starts_the_row_afresh(world, in_tenant):
    form = MultiDict(
        {
            "g0-combine": "and",
            "g0-c0-what": "attribute:tenant.languages",
            "g0-c0-shown": "attribute:tenant.city",
        }
        | {"g0-c0-op": "eq", "g0-c0-value": "Enschede"}
    )
    with in_tenant(world.tenant):
        selection = selection_from_form(form, attributes_for(require_tenant()))
    [condition] = selection.groups[0].conditions
    assert (condition.op, condition.values) == ("contains_any", [])


# --- Live count, sample and visibility -------------------------------------------------------------------


def test_the_live_count_and_sample_show_only_the_coachs_caseload(client, world):
    log_in(client, world.tenant, "staff", world.coach)
    answer = post(client, world, "preview", sector_form())
    text = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "1 person matches" in text and ">Ada</a>" in text and "Bram" not in text
    assert f"/workspace/people/{world.ids['Ada']}/profile" in text
    assert 'hx-swap-oob="innerHTML"' in text and 'name="g0-c0-value"' in text


def test_the_lead_sees_everyone_and_adding_a_condition_draws_a_new_row(client, world):
    log_in(client, world.tenant, "staff", world.lead)
    answer = post(client, world, "preview", sector_form(action="add-condition-0"), BUTTON)
    text = answer.get_data(as_text=True)
    assert "2 people match" in text and "Bram" in text
    assert 'data-testid="condition-0-1"' in text


def test_a_change_after_a_click_does_not_repeat_the_click(client, world):
    log_in(client, world.tenant, "staff", world.lead)
    change = {"HX-Request": "true", "HX-Trigger-Name": "g0-c0-value"}
    text = post(client, world, "preview", sector_form(action="add-condition-0"), change).get_data(
        as_text=True
    )
    assert 'data-testid="condition-0-0"' in text and 'data-testid="condition-0-1"' not in text


def test_a_lead_cannot_select_on_a_question_only_the_person_sees(client, world):
    log_in(client, world.tenant, "staff", world.lead)
    response = client.get(url(world, "new"), headers=EN)
    assert heading(response) == "New selection"
    page = response.get_data(as_text=True)
    assert "attribute:tenant.sector" in page and "attribute:tenant.diagnosis" not in page
    form = {
        "g0-combine": "and",
        "g0-c0-what": "attribute:tenant.diagnosis",
        "g0-c0-shown": "attribute:tenant.diagnosis",
        "g0-c0-op": "is_set",
    }
    text = post(client, world, "preview", form).get_data(as_text=True)
    error = re.search(r'data-testid="condition-error-0-0">(.*?)</p>', text, re.S)
    assert error and "You may not select on this profile question." in error.group(1)
    assert "cannot be counted yet" in text


def test_the_results_page_shows_the_coach_only_their_caseload(client, world, in_tenant):
    segment = save(
        world,
        in_tenant,
        "Zorg",
        IN_ZORG,
        world.lead,
    )
    log_in(client, world.tenant, "staff", world.coach)
    text = client.get(url(world, str(segment)), headers=EN).get_data(as_text=True)
    assert "1 person" in text and ">Ada</a>" in text and "Bram" not in text
    assert 'data-testid="edit-selection"' not in text and 'data-testid="export-selection"' not in text
    listing = client.get(url(world), headers=EN).get_data(as_text=True)
    assert re.search(rf'data-testid="count-{segment}">\s*1\s*<', listing)
    assert post(client, world, f"{segment}/freeze", {}).status_code == 403
    assert client.get(url(world, f"{segment}/edit")).status_code == 403


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_the_list_leaves_a_slow_count_to_the_selections_own_page(
    client, world, in_tenant, slow_statements, monkeypatch
):
    segment = save(
        world,
        in_tenant,
        "Zorg",
        IN_ZORG,
        world.lead,
    )
    monkeypatch.setattr("aandacht.segments.views.LIST_COUNT_TIMEOUT_MS", 50)
    log_in(client, world.tenant, "staff", world.lead)
    listing = client.get(url(world), headers=EN).get_data(as_text=True)
    assert re.search(rf'data-testid="count-{segment}"><span class="muted">open it to count<', listing)
    assert "2 people" in client.get(url(world, str(segment)), headers=EN).get_data(as_text=True)


# --- Saving ----------------------------------------------------------------------------------------------


def test_saving_without_a_name_or_with_a_taken_name_saves_nothing(client, world, in_tenant):
    save(world, in_tenant, "Zorg", {"and": []}, world.lead)
    log_in(client, world.tenant, "staff", world.coach)
    for name, message in (
        ("", "Give a name of 1 to 120 characters."),
        ("zorg", "There is already a selection"),
    ):
        answer = post(client, world, "new", sector_form(name=name, action="save"))
        assert answer.status_code == 400
        assert message in answer.get_data(as_text=True)
    with in_tenant(world.tenant):
        assert [segment.name for segment in saved_segments()] == ["Zorg"]


def test_a_coach_saves_a_selection_and_opens_it_again_with_its_conditions(client, world, in_tenant):
    log_in(client, world.tenant, "staff", world.coach)
    answer = post(client, world, "new", sector_form(name="Mijn zorg", kind="dynamic", action="save"))
    assert answer.status_code == 302
    with in_tenant(world.tenant):
        [segment] = saved_segments()
        assert segment.predicate == {"and": [{"and": [IN_ZORG]}]}
        assert segment.owner_id == world.coach
    edit = client.get(url(world, f"{segment.id}/edit"), headers=EN).get_data(as_text=True)
    assert 'value="attribute:tenant.sector" selected' in edit and 'value="zorg" selected' in edit


def test_a_frozen_selection_keeps_its_people_and_a_live_one_follows_the_profiles(client, world, in_tenant):
    live = save(world, in_tenant, "Live", IN_ZORG, world.lead)
    frozen = save(world, in_tenant, "Frozen", IN_ZORG, world.lead, kind="static")
    with in_tenant(world.tenant):
        set_values(world.ids["Cem"], {"tenant.sector": "zorg"}, source="system", audience="system")
        set_values(world.ids["Ada"], {"tenant.sector": "bouw"}, source="system", audience="system")
    log_in(client, world.tenant, "staff", world.lead)
    assert ">Cem</a>" in client.get(url(world, str(live)), headers=EN).get_data(as_text=True)
    frozen_page = client.get(url(world, str(frozen)), headers=EN).get_data(as_text=True)
    assert ">Ada</a>" in frozen_page and ">Cem</a>" not in frozen_page
    post(client, world, f"{frozen}/freeze", {})
    assert ">Cem</a>" in client.get(url(world, str(frozen)), headers=EN).get_data(as_text=True)


# --- Export, tenants, deleting ---------------------------------------------------------------------------


def test_a_team_lead_downloads_the_people_as_csv_and_a_coach_may_not(client, world, in_tenant):
    segment = save(
        world,
        in_tenant,
        "Zorg",
        IN_ZORG,
        world.lead,
    )
    log_in(client, world.tenant, "staff", world.lead)
    assert 'data-testid="export-selection"' in client.get(url(world, str(segment)), headers=EN).get_data(
        as_text=True
    )
    answer = client.get(url(world, f"{segment}/export.csv"), headers=EN)
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True))))
    assert rows == [
        ["Name", "E-mail address", "Phone", "Client number", "sector"],
        ["Ada", "'=ada@x.nl", "", "K-Ada", "zorg"],
        ["Bram", "", "", "K-Bram", "zorg"],
    ]
    log_in(client, world.tenant, "staff", world.coach)
    assert client.get(url(world, f"{segment}/export.csv")).status_code == 403


def test_a_selection_of_another_tenant_is_not_found(client, world, in_tenant, create_tenant, create_staff):
    segment = save(world, in_tenant, "Zorg", {"and": []}, world.lead)
    other = create_tenant()
    lead = create_staff(other, role="team_lead")
    log_in(client, other, "staff", lead)
    for path in (str(segment), f"{segment}/edit", f"{segment}/export.csv", f"{segment}/delete"):
        assert client.get(f"/t/{other.slug}/workspace/segments/{path}").status_code == 404


def test_a_selection_another_one_uses_cannot_be_deleted(client, world, in_tenant):
    used = save(
        world,
        in_tenant,
        "Zorg",
        IN_ZORG,
        world.lead,
    )
    save(world, in_tenant, "Zorg met uren", {"and": [{"segment": {"id": str(used)}}]}, world.lead)
    log_in(client, world.tenant, "staff", world.lead)
    answer = post(client, world, f"{used}/delete", {})
    assert answer.status_code == 400
    assert "Still used by: Zorg met uren." in answer.get_data(as_text=True)
    with in_tenant(world.tenant):
        assert len(saved_segments()) == 2
    unused = save(world, in_tenant, "Weg", {"and": []}, world.lead)
    assert post(client, world, f"{unused}/delete", {}).status_code == 302


@pytest.mark.parametrize(
    ("what", "op", "inputs"),
    [
        ("attribute:tenant.city", "in", ['name="g0-c0-value" type="text"']),
        ("attribute:tenant.hours", "between", ['id="g0-c0-value-0"', 'id="g0-c0-value-1"']),
        ("attribute:tenant.mood", "in", ['type="checkbox" name="g0-c0-value" value="5"']),
        ("attribute:tenant.available_from", "between", ['id="g0-c0-mode-1"', 'type="date"']),
        ("attribute:tenant.languages", "contains_all", ['type="checkbox" name="g0-c0-value" value="tr"']),
        ("last_active", "not_since", ['name="g0-c0-mode"']),
        ("interactions", "", ['name="g0-c0-kind"', 'name="g0-c0-within_days"']),
        ("messages", "", ['name="g0-c0-event"', 'name="g0-c0-channel"', 'name="g0-c0-max"']),
        ("answered", "", ['name="g0-c0-questionnaire"']),
        ("caseload", "", ['name="g0-c0-of"', 'value="me"']),
    ],
)
def test_every_kind_of_condition_draws_its_inputs(client, world, what, op, inputs):
    log_in(client, world.tenant, "staff", world.lead)
    form = {"g0-combine": "and", "g0-c0-what": what, "g0-c0-shown": what, "g0-c0-op": op}
    answer = post(client, world, "preview", form)
    assert answer.status_code == 200
    text = answer.get_data(as_text=True)
    for expected in inputs:
        assert expected in text


def test_a_document_the_builder_cannot_draw_is_shown_as_json_and_kept(client, world, in_tenant):
    deep = {"and": [{"or": [{"and": [{"caseload": {"of": "none"}}, {"last_active": {"op": "never"}}]}]}]}
    segment = save(world, in_tenant, "Diep", deep, world.lead)
    log_in(client, world.tenant, "staff", world.lead)
    page = client.get(url(world, f"{segment}/edit"), headers=EN).get_data(as_text=True)
    assert 'data-testid="selection-document"' in page and "last_active" in page
    form = {"name": "Dieper", "kind": "dynamic", "keep_document": "1", "action": "save"}
    assert post(client, world, f"{segment}/edit", form).status_code == 302
    with in_tenant(world.tenant):
        [saved] = saved_segments()
        assert (saved.name, saved.predicate) == ("Dieper", deep)
