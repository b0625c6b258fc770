"""A tenant whose own attributes cover every type, for selections to select on."""

from __future__ import annotations

import pytest
from sqlalchemy import func

from aandacht.segments import service as segments
from tests.helpers import HEALTH_ATTRIBUTES


def _attribute(key: str, type_: str, **extra) -> dict:
    return {"key": f"tenant.{key}", "label": {"nl": key, "en": key}, "type": type_, **extra}


def _options(*values: str) -> list[dict]:
    return [{"value": value, "label": {"nl": value, "en": value}} for value in values]


SELECTION_ATTRIBUTES = [
    _attribute("city", "text"),
    _attribute("hours", "number", minimum=0, maximum=40),
    _attribute("mood", "scale"),
    _attribute("available_from", "date"),
    _attribute("licence", "boolean"),
    _attribute("sector", "choice", options=_options("zorg", "bouw", "horeca")),
    _attribute("languages", "multiple_choice", options=_options("nl", "en", "ar", "tr")),
    *HEALTH_ATTRIBUTES,
]


@pytest.fixture
def selection_tenant(create_tenant):
    """A tenant with an attribute of every type (and two special-category ones)."""
    return create_tenant(attributes=SELECTION_ATTRIBUTES)


@pytest.fixture
def slow_statements(monkeypatch):
    """Every selection statement also waits 0.2 s in the database (PostgreSQL's pg_sleep)."""
    compile_people = segments.people_matching

    def slowly(*arguments, **options):
        return compile_people(*arguments, **options).where(func.pg_sleep(0.2).is_not(None))

    monkeypatch.setattr(segments, "people_matching", slowly)
