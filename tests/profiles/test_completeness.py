"""Profile completeness of many people at once: the same answer as for each one alone."""

from __future__ import annotations

import pytest

from aandacht.profiles.definitions import PREFER_NOT_TO_SAY
from aandacht.profiles.service import completeness, completeness_of, set_values
from aandacht.tenancy.context import tenant_context

HOBBY = {"key": "tenant.hobby", "label": {"nl": "Hobby", "en": "Hobby"}, "type": "text"}
MOVED = {"key": "tenant.moved", "label": {"nl": "Verhuisd", "en": "Moved house"}, "type": "boolean"}
#: Only a coach fills this in: it never counts for the person's own completeness.
NOTE = {
    "key": "tenant.note",
    "label": {"nl": "Notitie", "en": "Note"},
    "type": "text",
    "editable_by": ["coach"],
}


@pytest.fixture
def people(app, create_tenant, create_person):
    """Four people of one tenant with 0, 1, 2 and 3 answers; the last one's third only a coach gives."""
    tenant = create_tenant(attributes=[HOBBY, MOVED, NOTE])
    answers = [
        {},
        {"tenant.hobby": "Tuinieren"},
        {"tenant.hobby": "Koken", "tenant.moved": PREFER_NOT_TO_SAY},
        {"tenant.hobby": "Lezen", "tenant.moved": True, "tenant.note": "Belt liever"},
    ]
    ids = [create_person(tenant) for _ in answers]
    with app.app_context(), tenant_context(tenant):
        for person_id, values in zip(ids, answers, strict=True):
            if values:
                set_values(person_id, values, source="coach", audience="coach")
    return tenant, ids


def test_many_people_at_once_equal_each_one_alone(app, people):
    tenant, ids = people
    with app.app_context(), tenant_context(tenant):
        for audience, answered in (("person", [0, 1, 2, 2]), ("coach", [0, 1, 2, 3])):
            together = completeness_of(ids, audience)
            assert together == {person_id: completeness(person_id, audience) for person_id in ids}
            assert [together[person_id][0] for person_id in ids] == answered
            totals = {total for _answered, total in together.values()}
            assert len(totals) == 1  # the same attributes count for everyone
        assert completeness_of(ids, "coach")[ids[0]][1] == completeness_of(ids, "person")[ids[0]][1] + 1


def test_no_people_no_answer(app, people):
    tenant, _ids = people
    with app.app_context(), tenant_context(tenant):
        assert completeness_of([]) == {}
