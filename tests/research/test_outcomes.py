"""Outcomes: checked the same way everywhere, registered once, read back per person and per period."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from aandacht.db import session, utcnow
from aandacht.research import service
from aandacht.research.service import OutcomeInput, OutcomeInvalid
from aandacht.tenancy.context import tenant_context

WORK = "werk.work_ends_benefit"


def register(person_id, **values):
    values.setdefault("type_key", WORK)
    values.setdefault("occurred_on", "2026-03-01")
    values.setdefault("details", {"activity": "work", "hours": "32"})
    checked = service.check(OutcomeInput(**values))
    return service.record_outcome(person_id, checked, source="coach", recorded_by=None)


def test_the_werk_domain_brings_its_three_outcome_types(app, caseload, create_tenant):
    with app.app_context(), tenant_context(caseload.tenant):
        keys = set(service.outcome_types())
    assert keys == {WORK, "werk.part_time_beside_benefit", "werk.benefit_ended_other"}
    with app.app_context(), tenant_context(create_tenant(domains=[])):
        assert service.outcome_types() == {}


def test_an_outcome_is_refused_with_every_reason_at_once(app, caseload):
    with app.app_context(), tenant_context(caseload.tenant), pytest.raises(OutcomeInvalid) as refused:
        service.check(
            OutcomeInput(
                type_key=WORK,
                occurred_on="31-02-2026",
                details={"activity": "holiday", "hours": "80", "colour": "blue"},
                note="x" * 2001,
            )
        )
    errors = refused.value.errors
    assert set(errors) == {"date", "activity", "hours", "colour", "note"}
    assert "1 to 60" in errors["hours"] or "1 tot 60" in errors["hours"]


def test_a_date_far_ahead_and_an_unknown_type_are_refused(app, caseload):
    far = (utcnow().date() + timedelta(days=400)).isoformat()
    with app.app_context(), tenant_context(caseload.tenant), pytest.raises(OutcomeInvalid) as refused:
        service.check(OutcomeInput(type_key="werk.lottery", occurred_on=far))
    assert set(refused.value.errors) == {"type", "date"}


def test_registering_the_same_outcome_twice_changes_nothing(app, caseload):
    with app.app_context(), tenant_context(caseload.tenant):
        first = register(caseload.person)
        again = register(caseload.person, occurred_on="01-03-2026")
        session.commit()
        assert (first.action, again.action) == ("added", "unchanged")
        assert [o.details for o in service.outcomes_of(caseload.person)] == [
            {"activity": "work", "hours": 32}
        ]


def test_an_outcome_with_its_own_id_is_changed_when_sent_again(app, caseload):
    with app.app_context(), tenant_context(caseload.tenant):
        register(caseload.person, external_id="UWV-77")
        changed = register(
            caseload.person, external_id="UWV-77", occurred_on="2026-04-01", details={"activity": "study"}
        )
        session.commit()
        outcomes = service.outcomes_of(caseload.person)
    assert changed.action == "changed"
    assert [(o.occurred_on, o.details) for o in outcomes] == [(date(2026, 4, 1), {"activity": "study"})]


def test_an_outcome_id_of_another_person_is_refused(app, caseload):
    with app.app_context(), tenant_context(caseload.tenant):
        register(caseload.person, external_id="UWV-1")
        with pytest.raises(OutcomeInvalid) as refused:
            register(caseload.stranger, external_id="UWV-1")
    assert set(refused.value.errors) == {"external_id"}


def test_outcomes_are_found_by_period_type_and_person_and_never_across_tenants(app, caseload, create_tenant):
    with app.app_context(), tenant_context(caseload.tenant):
        register(caseload.person, occurred_on="2026-01-15")
        register(
            caseload.stranger,
            type_key="werk.benefit_ended_other",
            occurred_on="2026-02-10",
            details={"reason": "moved"},
        )
        session.commit()
        in_february = service.find_outcomes(since=date(2026, 2, 1), until=date(2026, 3, 1))
        work = service.find_outcomes(type_keys=[WORK])
        of_person = service.find_outcomes(person_ids=[caseload.stranger])
    assert [o.person_id for o in in_february] == [caseload.stranger]
    assert [o.person_id for o in work] == [caseload.person]
    assert [o.type_key for o in of_person] == ["werk.benefit_ended_other"]
    with app.app_context(), tenant_context(create_tenant(domains=["werk"])):
        assert service.find_outcomes() == []
