"""A tenant with a content type whose fit rules read its own attributes, and helpers to fill it."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from flask_babel import lazy_gettext as _l

from aandacht.accounts.models import Person
from aandacht.db import session, utcnow
from aandacht.personalisation import registry
from aandacht.personalisation.catalogue import ItemFields, save_item
from aandacht.personalisation.types import Avoids, ContentField, ContentType, Wants
from aandacht.profiles.service import set_values
from aandacht.tenancy.scoping import get_scoped
from tests.segments.conftest import SELECTION_ATTRIBUTES

#: A vacancy-like type: fits people who want its sector; needs a licence some people lack.
JOB = ContentType(
    key="core.test_job",
    label=_l("Job"),
    plural=_l("Jobs"),
    icon="briefcase",
    action=_l("Apply"),
    fields=(
        ContentField("hours", _l("Hours"), "number"),
        ContentField("licence_needed", _l("Licence needed"), "boolean"),
    ),
    derive_tags=lambda details: ["needs:licence"] if details.get("licence_needed") else [],
    fit_rules=(
        Wants("tenant.sector", "sector", "U wilt werken in %(value)s."),
        Avoids("tenant.licence", False, "needs:licence", "You have no driving licence."),
    ),
)


@pytest.fixture
def content_tenant(create_tenant, monkeypatch):
    """A tenant with attributes of every type and the test job type."""
    monkeypatch.setattr(registry, "CORE_CONTENT_TYPES", (*registry.CORE_CONTENT_TYPES, JOB))
    return create_tenant(attributes=SELECTION_ATTRIBUTES)


@pytest.fixture
def job():
    """Save a published test job: `job("Title", sector="zorg", days_old=3, **fields)`; returns its id."""

    def make(title: str, *, sector: str | None = None, days_old: float = 0, **values) -> uuid.UUID:
        values.setdefault("details", {})
        tags = [f"sector:{sector}"] if sector else []
        item = save_item(ItemFields(type=JOB.key, title=title, tags=tags, **values))
        item.published_at = utcnow() - timedelta(days=days_old)
        session.commit()
        return item.id

    return make


@pytest.fixture
def resident(content_tenant, create_person, in_tenant):
    """Make a resident with profile values: `resident(sector="zorg", licence=True)`; returns the Person."""

    def make(**values) -> Person:
        person_id = create_person(content_tenant)
        with in_tenant(content_tenant):
            answers = {f"tenant.{key}": value for key, value in values.items()}
            if answers:
                set_values(person_id, answers, source="system", audience="system")
        return person_id

    return make


def person(person_id: uuid.UUID) -> Person:
    """The person row (inside the tenant's context)."""
    return get_scoped(Person, person_id)
