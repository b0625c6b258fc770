"""What selections read of interaction events: how often a person did something, in a period."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement
from typing_extensions import override

from aandacht.personalisation.models import INTERACTION_KINDS, InteractionEvent
from aandacht.segments.arguments import COUNT_SCHEMA_PROPERTIES, CountInPeriod, count_in_period, fields, text
from aandacht.segments.behaviour import counted
from aandacht.segments.language import Context, Predicate


class Interactions(Predicate):
    """How many interactions of one kind (clicks, applications, ...): `{"kind": "click", "min": 3}`."""

    name = "interactions"
    label = _l("Interactions with content")
    schema = {
        "type": "object",
        "properties": {
            "kind": {"enum": list(INTERACTION_KINDS)},
            "item_type": {"type": "string", "description": "Only items of this content type."},
            **COUNT_SCHEMA_PROPERTIES,
        },
        "required": ["kind"],
        "additionalProperties": False,
    }

    @override
    def check(self, arguments: Any, context: Context) -> tuple[str, str | None, CountInPeriod]:
        arguments = fields(arguments, required=["kind"], optional=["item_type", *COUNT_SCHEMA_PROPERTIES])
        kind = text(arguments["kind"], "kind", choices=INTERACTION_KINDS)
        item_type = text(arguments["item_type"], "item_type") if "item_type" in arguments else None
        return kind, item_type, count_in_period(arguments, context)

    @override
    def compile(
        self, arguments: tuple[str, str | None, CountInPeriod], context: Context, scope: Any
    ) -> ColumnElement[bool]:
        kind, item_type, period = arguments
        conditions = [InteractionEvent.kind == kind]
        if item_type is not None:
            conditions.append(InteractionEvent.item_type == item_type)
        return counted(InteractionEvent.person_id, conditions, period, InteractionEvent.occurred_at, scope)


PREDICATES: tuple[Predicate, ...] = (Interactions(),)
