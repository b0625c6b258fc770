"""Marshmallow pieces every API resource shares: fields that speak the caller's language, lists and errors.

Field errors are part of the error body, so they are translated like the rest of it: the fields and
validators here carry their messages as lazy gettext strings, formatted when a request is validated.

Lists are answered in one envelope, `{"items": [...], "page", "page_size", "total"}`, asked for with
`page` and `page_size`, filtered with `q` and ordered with `sort` (`name` ascending, `-name` descending,
from an allow-list per resource).
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import marshmallow as ma
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from marshmallow import ValidationError

from aandacht.api.errors import invalid

#: How many items a page holds unless asked otherwise, and at most.
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


class Schema(ma.Schema):
    """Base of the API's schemas: unknown fields are refused, in the caller's language."""

    error_messages = {"unknown": lazy_gettext("Unknown field."), "type": lazy_gettext("Invalid input type.")}

    class Meta:
        """An unknown field is an error, not silently dropped."""

        unknown = ma.RAISE


class _InTheCallersLanguage:
    """Field errors as translated strings (marshmallow's own messages are English only)."""

    default_error_messages = {
        "required": lazy_gettext("Missing data for required field."),
        "null": lazy_gettext("Field may not be null."),
        "validator_failed": lazy_gettext("Invalid value."),
    }

    def make_error(self, key: str, **kwargs: Any) -> ValidationError:
        """The error `key` in the request's language."""
        return ValidationError(str(self.error_messages[key]).format(**kwargs))  # type: ignore[attr-defined]


class String(_InTheCallersLanguage, ma.fields.String):
    """A string."""

    default_error_messages = {
        "invalid": lazy_gettext("Not a valid string."),
        "invalid_utf8": lazy_gettext("Not a valid utf-8 string."),
    }


class Integer(_InTheCallersLanguage, ma.fields.Integer):
    """A whole number."""

    default_error_messages = {
        "invalid": lazy_gettext("Not a valid integer."),
        "too_large": lazy_gettext("Number too large."),
    }


class List(_InTheCallersLanguage, ma.fields.List):
    """A list."""

    default_error_messages = {"invalid": lazy_gettext("Not a valid list.")}


def between(low: int, high: int) -> ma.validate.Range:
    """A number from `low` to `high`, both included."""
    return ma.validate.Range(min=low, max=high, error=lazy_gettext("Must be between {min} and {max}."))


def at_least(low: int) -> ma.validate.Range:
    """A number of `low` or more."""
    return ma.validate.Range(min=low, error=lazy_gettext("Must be {min} or more."))


def length(low: int, high: int) -> ma.validate.Length:
    """A string or list of `low` to `high` characters or items."""
    return ma.validate.Length(
        min=low, max=high, error=lazy_gettext("Length must be between {min} and {max}.")
    )


def one_of(choices: Iterable[str]) -> ma.validate.OneOf:
    """One of `choices`."""
    return ma.validate.OneOf(list(choices), error=lazy_gettext("Must be one of: {choices}."))


class ErrorSchema(Schema):
    """The body of every error answer."""

    code = String(
        required=True,
        metadata={"description": "Stable snake_case code of the error, for programs (see docs/api.md)."},
    )
    message = String(required=True, metadata={"description": "What went wrong, in the caller's language."})
    errors = ma.fields.Dict(
        keys=String(),
        values=List(String()),
        metadata={"description": "Messages per field (`field` or `field.index`); empty when none."},
    )
    error = String(metadata={"description": "Token endpoint only: the RFC 6749 error code (= code)."})
    error_description = String(metadata={"description": "Token endpoint only: the RFC 6749 description."})


def sort_field(*names: str, default: str) -> String:
    """The `sort` query argument: one of `names`, with `-` in front for descending order."""
    allowed = [option for name in names for option in (name, f"-{name}")]
    return String(
        load_default=default,
        validate=one_of(allowed),
        metadata={"description": f"Order of the items; one of {', '.join(allowed)}. Default {default}."},
    )


class ListArgs(Schema):
    """Query arguments of every list: which page, how big. Resources add `sort` and their filters."""

    page = Integer(load_default=1, validate=at_least(1), metadata={"description": "Page number, from 1."})
    page_size = Integer(
        load_default=DEFAULT_PAGE_SIZE,
        validate=between(1, MAX_PAGE_SIZE),
        metadata={"description": f"Items per page, 1 to {MAX_PAGE_SIZE}; default {DEFAULT_PAGE_SIZE}."},
    )


class PageSchema(Schema):
    """The envelope of a list; a resource's page schema adds `items`."""

    page = Integer(required=True, metadata={"description": "This page's number, from 1."})
    page_size = Integer(required=True, metadata={"description": "Items per page, as asked."})
    total = Integer(required=True, metadata={"description": "How many items all pages hold together."})
    pages = Integer(required=True, metadata={"description": "How many pages there are."})


def page_of(
    items: Sequence[Any], args: dict[str, Any], sort_keys: dict[str, Callable[[Any], Any]]
) -> dict[str, Any]:
    """One page of `items`, sorted by `args["sort"]` (a key of `sort_keys`, `-` for descending).

    Items whose sort value is None come last in either direction; equal values keep their order.
    """
    descending = args["sort"].startswith("-")
    key = sort_keys[args["sort"].removeprefix("-")]
    present = [item for item in items if key(item) is not None]
    absent = [item for item in items if key(item) is None]
    ordered = sorted(present, key=key, reverse=descending) + absent
    size, number = args["page_size"], args["page"]
    start = (number - 1) * size
    return {
        "items": ordered[start : start + size],
        "page": number,
        "page_size": size,
        "total": len(ordered),
        "pages": math.ceil(len(ordered) / size),
    }


def matches(query: str | None, *values: str | None) -> bool:
    """Whether `query` occurs in one of `values`, ignoring case (no query: everything matches)."""
    if not query:
        return True
    needle = query.casefold()
    return any(needle in value.casefold() for value in values if value)


def path_id(value: str, field: str) -> uuid.UUID:
    """The UUID in a path segment, or a 422 that names the segment's `field`."""
    try:
        return uuid.UUID(value)
    except ValueError:
        invalid(field, _("Not a valid UUID."))
