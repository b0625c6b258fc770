"""Membership of another saved segment: `{"segment": {"id": "…"}}`.

A saved segment's own document is checked with the same viewer (so no one selects through it on what
they may not select on). A dynamic segment is then compiled into the same statement; a static one
reads its frozen list. A segment cannot contain itself, directly or through others.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, select
from typing_extensions import override

from aandacht.segments import compiler
from aandacht.segments.arguments import fields, text
from aandacht.segments.language import Context, Invalid, Node, Predicate, check
from aandacht.segments.models import SegmentMember


class SegmentMembership(Predicate):
    """The person is in a saved segment."""

    name = "segment"
    label = _l("Saved selection")
    schema = {
        "type": "object",
        "properties": {"id": {"type": "string", "format": "uuid"}},
        "required": ["id"],
        "additionalProperties": False,
    }

    @override
    def check(self, arguments: Any, context: Context) -> tuple[uuid.UUID, Node, bool]:
        raw = text(fields(arguments, required=["id"])["id"], "id")
        try:
            segment_id = uuid.UUID(raw)
        except ValueError:
            raise Invalid(_("Choose a saved selection."), "id") from None
        segment = context.load_segment(segment_id)
        if segment is None:
            raise Invalid(_("There is no such saved selection."), "id")
        if segment_id in context.visiting:
            raise Invalid(_("A selection cannot contain itself."), "id")
        context.visiting.append(segment_id)
        try:
            node = check(segment.predicate, context)  # also for a static one: may the viewer select so?
        finally:
            context.visiting.pop()
        return segment_id, node, segment.kind == "static"

    @override
    def compile(
        self, arguments: tuple[uuid.UUID, Node, bool], context: Context, scope: Any
    ) -> ColumnElement[bool]:
        segment_id, node, frozen = arguments
        if not frozen:
            return compiler.condition(node, context, scope)
        members = select(SegmentMember.person_id).where(SegmentMember.segment_id == segment_id)
        return scope.person.id.in_(members)

    @override
    def reads(self, arguments: tuple[uuid.UUID, Node, bool]) -> Any:
        for leaf in arguments[1].leaves():
            yield from leaf.predicate.reads(leaf.arguments)
