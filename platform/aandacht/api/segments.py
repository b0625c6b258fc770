"""`/api/v1/selections` and `/api/v1/segments`: count and list the people a selection document selects.

The caller selects as they may see: a coach among their caseload and on the attributes a coach may see;
whoever may see everyone (by token: with `people:read`) among everyone. A document that is not sound is
answered 422 with one message per problem, keyed `predicate` followed by the problem's JSON Pointer
(`predicate/and/0/attribute/op`). docs/segments.md describes the language.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import marshmallow as ma
from flask import g

from aandacht.accounts.permissions import requires_any
from aandacht.api.errors import fail
from aandacht.api.people import READ_PEOPLE, PersonSchema, sees_everyone
from aandacht.api.schemas import List, ListArgs, PageSchema, Schema, String, path_id
from aandacht.api.smorest import Blueprint, Resource
from aandacht.segments import service as segments
from aandacht.segments.language import SelectionInvalid, Viewer

blp = Blueprint(
    "api_segments",
    __name__,
    tag="Selections",
    description="Count and list people by a selection document, and the tenant's saved segments.",
)


class SelectionSchema(Schema):
    """A selection document (docs/segments.md; JSON Schema in docs/segments.schema.json)."""

    predicate = ma.fields.Raw(required=True, metadata={"description": "The selection document."})


class CountSchema(Schema):
    """How many people a document selects, as the caller may see them."""

    count = ma.fields.Integer(required=True)


class SelectedPageSchema(PageSchema):
    """One page of the selected people, by name."""

    items = List(ma.fields.Nested(PersonSchema), required=True)


class SegmentSchema(Schema):
    """A saved segment of the tenant."""

    id = ma.fields.UUID(dump_only=True)
    name = String(dump_only=True)
    description = String(dump_only=True)
    kind = String(dump_only=True, metadata={"description": "dynamic (evaluated live) or static (frozen)."})
    predicate = ma.fields.Raw(dump_only=True)
    frozen_at = ma.fields.DateTime(dump_only=True, allow_none=True)
    frozen_count = ma.fields.Integer(dump_only=True, allow_none=True)


def _viewer() -> Viewer:
    """The caller's viewer; by token, everyone only with `people:read` (as `GET /people`)."""
    return replace(segments.viewer_of(g.principal), sees_everyone=sees_everyone())


def _refused(invalid: SelectionInvalid) -> None:
    errors: dict[str, list[str]] = {}
    for problem in invalid.problems:
        errors.setdefault(f"predicate{problem.path}", []).append(problem.message)
    fail(422, "validation_failed", errors=errors)


def _page(document: Any, args: dict[str, Any]) -> dict[str, Any]:
    viewer, size, number = _viewer(), args["page_size"], args["page"]
    try:
        total, items = segments.count_and_page(document, viewer, limit=size, offset=(number - 1) * size)
    except SelectionInvalid as invalid:
        _refused(invalid)
    return {
        "items": items,
        "page": number,
        "page_size": size,
        "total": total,
        "pages": math.ceil(total / size),
    }


@blp.route("/selections/count")
class SelectionCount(Resource):
    """How many people a document selects."""

    @requires_any(*READ_PEOPLE)
    @blp.arguments(SelectionSchema)
    @blp.response(200, CountSchema)
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def post(self, body: dict[str, Any]) -> dict[str, int]:
        """Count the people a selection document selects.

        Evaluated live, as the caller may see: a coach counts within their caseload.
        """
        try:
            return {"count": segments.count(body["predicate"], _viewer())}
        except SelectionInvalid as invalid:
            _refused(invalid)


@blp.route("/selections/people")
class SelectedPeople(Resource):
    """The people a document selects."""

    @requires_any(*READ_PEOPLE)
    @blp.arguments(SelectionSchema)
    @blp.arguments(ListArgs, location="query")
    @blp.response(200, SelectedPageSchema)
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def post(self, body: dict[str, Any], args: dict[str, Any]) -> dict[str, Any]:
        """List the people a selection document selects, by name, a page at a time."""
        return _page(body["predicate"], args)


@blp.route("/segments")
class Segments(Resource):
    """The tenant's saved segments."""

    @requires_any(*READ_PEOPLE)
    @blp.response(200, SegmentSchema(many=True))
    def get(self) -> list[Any]:
        """List the saved segments, by name."""
        return segments.saved_segments()


@blp.route(
    "/segments/<segment_id>/people",
    parameters=[{"in": "path", "name": "segment_id", "schema": {"type": "string", "format": "uuid"}}],
)
class SegmentPeople(Resource):
    """The people of one saved segment."""

    @requires_any(*READ_PEOPLE)
    @blp.arguments(ListArgs, location="query")
    @blp.response(200, SelectedPageSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def get(self, args: dict[str, Any], segment_id: str) -> dict[str, Any]:
        """List the people of a saved segment (live or frozen, as it is), as the caller may see them."""
        segment = segments.segment_by_id(path_id(segment_id, "segment_id"))
        if segment is None:
            fail(404, "not_found")
        return _page(segments.as_document(segment), args)
