"""The JSON Schema of predicate documents, built from the predicates a tenant's language holds.

`docs/segments.schema.json` is this schema for the core's predicates (`aandacht segments schema`
prints it, with `--tenant` including that tenant's domain predicates). The schema describes the shape
of a document; whether its attribute keys, values and saved segments exist for a tenant is checked by
`aandacht.segments.language.check`, which also says where and why in the viewer's language.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

from aandacht.segments.language import Predicate

SCHEMA_ID = "https://aandacht.example.org/schemas/segment-document.json"


def document_schema(predicates: Mapping[str, Predicate]) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a document over `predicates`."""
    node = {"$ref": "#/$defs/node"}
    logical = [
        _one_key(
            "and", {"type": "array", "items": node}, "All of the conditions hold (an empty list: everyone)."
        ),
        _one_key("or", {"type": "array", "items": node}, "At least one of the conditions holds."),
        _one_key("not", node, "The condition does not hold."),
    ]
    leaves = [
        _one_key(name, predicate.schema, _summary(predicate))
        for name, predicate in sorted(predicates.items())
    ]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Aandacht selection",
        "description": "A selection of people: logical nodes over predicates (docs/segments.md).",
        "$ref": "#/$defs/node",
        "$defs": {"node": {"oneOf": logical + leaves}},
    }


def _one_key(key: str, value_schema: Mapping[str, Any], description: str) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "properties": {key: dict(value_schema)},
        "required": [key],
        "additionalProperties": False,
    }


def _summary(predicate: Predicate) -> str:
    return (inspect.getdoc(type(predicate)) or predicate.name).split("\n")[0]
