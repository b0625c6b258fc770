"""Contact moments: recorded once per source, read back per person and per period, never across tenants."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from aandacht.attention import service
from aandacht.db import session
from aandacht.tenancy.context import tenant_context


def test_a_contact_from_the_same_source_is_recorded_once(app, create_tenant, create_person, create_staff):
    tenant = create_tenant()
    person_id, coach = create_person(tenant), create_staff(tenant)
    source = uuid.uuid4()
    with app.app_context(), tenant_context(tenant):
        first = service.record_contact(person_id=person_id, staff_id=coach, kind="message", source_id=source)
        again = service.record_contact(person_id=person_id, staff_id=coach, kind="message", source_id=source)
        service.record_contact(person_id=person_id, staff_id=coach, kind="phone", note="Belde over werk.")
        session.commit()
        assert again.id == first.id
        kinds = sorted(moment.kind for moment in service.contacts_of(person_id))
    assert kinds == ["message", "phone"]


def test_an_unknown_kind_of_contact_is_refused(app, create_tenant, create_person, create_staff):
    tenant = create_tenant()
    person_id, coach = create_person(tenant), create_staff(tenant)
    with app.app_context(), tenant_context(tenant), pytest.raises(ValueError, match="unknown kind"):
        service.record_contact(person_id=person_id, staff_id=coach, kind="telepathy")


def test_contacts_are_read_per_period_and_the_latest_per_person(
    app, create_tenant, create_person, create_staff
):
    tenant = create_tenant()
    anna, bram, never = create_person(tenant), create_person(tenant), create_person(tenant)
    coach, colleague = create_staff(tenant), create_staff(tenant)
    march, april = datetime(2026, 3, 10, 9, tzinfo=UTC), datetime(2026, 4, 2, 14, tzinfo=UTC)
    with app.app_context(), tenant_context(tenant):
        service.record_contact(person_id=anna, staff_id=coach, kind="phone", at=march)
        service.record_contact(person_id=anna, staff_id=colleague, kind="meeting", at=april)
        service.record_contact(person_id=bram, staff_id=coach, kind="message", at=april)
        session.commit()
        in_april = service.contacts_between(april - timedelta(days=1), april + timedelta(days=1))
        day = timedelta(days=1)
        by_coach = service.contacts_between(march - day, april + day, staff_id=coach)
        latest = service.last_contact_at([anna, bram, never])
    assert sorted(m.person_id for m in in_april) == sorted([anna, bram])
    assert [m.kind for m in by_coach] == ["phone", "message"]
    assert latest == {anna: april, bram: april}


def test_another_tenant_sees_none_of_the_contacts(app, create_tenant, create_person, create_staff):
    tenant, other = create_tenant(), create_tenant()
    person_id, coach = create_person(tenant), create_staff(tenant)
    with app.app_context(), tenant_context(tenant):
        service.record_contact(person_id=person_id, staff_id=coach, kind="phone")
        session.commit()
    with app.app_context(), tenant_context(other):
        assert service.contacts_of(person_id) == []
        assert service.last_contact_at([person_id]) == {}
