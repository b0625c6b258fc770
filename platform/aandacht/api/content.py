"""`/api/v1/content` and `/api/v1/content-types`: the tenant's content items, for staff and integrations.

Staff who manage content (coaches, team leads, tenant administrators) and integrations read items with
`content:read` and change them with `content:write`. A vacancy feed keeps its items by its own ids with
one `PUT /content/by-external-id` per run, and can retire the vacancies that left it. Every change is
checked against the item's content type; a refused change names each field (`details.hours` for a
detail) and writes nothing. docs/api.md ("Content") has examples.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from typing import Any, NoReturn

import marshmallow as ma
from flask import g
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from marshmallow import ValidationError
from sqlalchemy import select

from aandacht.accounts.permissions import Permission, requires
from aandacht.api.errors import _field_errors, fail
from aandacht.api.schemas import (
    Integer,
    List,
    ListArgs,
    PageSchema,
    Schema,
    String,
    _InTheCallersLanguage,
    length,
    matches,
    one_of,
    path_id,
)
from aandacht.api.smorest import Blueprint, Resource
from aandacht.db import session
from aandacht.personalisation import catalogue, feeds
from aandacht.personalisation.catalogue import ContentInvalid, Item, ItemFields, RowResult
from aandacht.personalisation.models import PRIORITIES, STATUSES, ContentItem, InteractionEvent
from aandacht.personalisation.registry import content_types_for
from aandacht.personalisation.types import ContentType
from aandacht.tenancy.context import require_tenant
from aandacht.tenancy.scoping import get_scoped

blp = Blueprint(
    "api_content",
    __name__,
    tag="Content",
    description="The tenant's content items (news, tips, vacancies, ...) and the types they can have.",
)

READ = ("content:read",)
WRITE = ("content:write",)
_ITEM_PATH = [{"in": "path", "name": "item_id", "schema": {"type": "string", "format": "uuid"}}]


# --- Fields that speak the caller's language (marshmallow's own messages are English only) -------------


class Moment(_InTheCallersLanguage, ma.fields.AwareDateTime):
    """A moment in ISO 8601: read with any zone (none is UTC), answered in UTC."""

    default_error_messages = {"invalid": lazy_gettext("Give a date and time like 2026-03-31T09:00:00+02:00.")}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(default_timezone=UTC, **kwargs)

    def _serialize(self, value: datetime | None, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return super()._serialize(value.astimezone(UTC) if value else value, attr, obj, **kwargs)


class Uuid(_InTheCallersLanguage, ma.fields.UUID):
    """A UUID."""

    default_error_messages = {"invalid_uuid": lazy_gettext("Not a valid UUID.")}


class Boolean(_InTheCallersLanguage, ma.fields.Boolean):
    """true or false."""

    default_error_messages = {"invalid": lazy_gettext("Give true or false.")}


class Dict(_InTheCallersLanguage, ma.fields.Dict):
    """A JSON object."""

    default_error_messages = {"invalid": lazy_gettext("Give named values (a JSON object).")}


@dataclass(frozen=True)
class UnreadRow:
    """A row of a bulk request that does not fit the row schema: its external id (if any) and errors."""

    external_id: str | None
    errors: dict[str, list[str]]


class Rows(List):
    """A list whose rows are read one by one: a row that does not fit becomes an `UnreadRow`.

    So one row of a feed with a wrong date is refused on its own, not the whole request.
    """

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[Any]:
        if not isinstance(value, list):
            raise self.make_error("invalid")
        rows: list[Any] = []
        for raw in value:
            try:
                rows.append(self.inner.deserialize(raw, **kwargs))
            except ValidationError as error:
                external_id = raw.get("external_id") if isinstance(raw, dict) else None
                messages = _field_errors({"errors": error.messages}, "validation_failed")
                rows.append(UnreadRow(external_id if isinstance(external_id, str) else None, messages))
        return rows


# --- Schemas -------------------------------------------------------------------------------------------


class ItemInputSchema(Schema):
    """The fields of an item to create or change; a field left out stays as it is.

    `null` empties a field that may be empty (summary, image_url, link_url, valid_from, valid_until,
    eligibility_segment_id).
    """

    type = String(metadata={"description": "A content type's key (GET /content-types); needed to create."})
    title = String(metadata={"description": "At most 200 characters; needed to create."})
    summary = String(allow_none=True, metadata={"description": "One plain sentence, at most 300 characters."})
    body = String(metadata={"description": "Markdown (no HTML of its own), at most 20,000 characters."})
    image_url = String(allow_none=True, metadata={"description": "https://… (or a path on this site)."})
    link_url = String(allow_none=True, metadata={"description": "https://… (or a path on this site)."})
    tags = List(String(), metadata={"description": "Words or kind:value (sector:care); at most 40."})
    details = Dict(
        keys=String(),
        metadata={"description": "The type's details by field key (GET /content-types); merged."},
    )
    language = String(metadata={"description": "One of the organisation's languages (nl, en, …)."})
    valid_from = Moment(allow_none=True, metadata={"description": "Shown from this moment on."})
    valid_until = Moment(allow_none=True, metadata={"description": "Shown until this moment."})
    eligibility_segment_id = Uuid(
        allow_none=True, metadata={"description": "Only the people of this saved segment see it."}
    )
    pinned = Boolean(metadata={"description": "At the top of everyone's feed."})
    priority = String(validate=one_of(PRIORITIES))
    status = String(validate=one_of(STATUSES), metadata={"description": "draft, published or retired."})
    external_id = String(
        validate=length(1, 100), metadata={"description": "The integration's own id; unique in the tenant."}
    )


class ItemSchema(Schema):
    """A content item as people see it (an adopted library item with the tenant's own changes)."""

    id = Uuid(dump_only=True)
    type = String(dump_only=True)
    title = String(dump_only=True)
    summary = String(dump_only=True)
    body = String(dump_only=True, metadata={"description": "Markdown."})
    image_url = String(dump_only=True, allow_none=True)
    link_url = String(dump_only=True, allow_none=True)
    tags = List(String(), dump_only=True)
    details = Dict(keys=String(), dump_only=True)
    language = String(dump_only=True)
    valid_from = Moment(dump_only=True, allow_none=True)
    valid_until = Moment(dump_only=True, allow_none=True)
    eligibility_segment_id = Uuid(dump_only=True, allow_none=True)
    pinned = Boolean(dump_only=True)
    priority = String(dump_only=True)
    status = String(dump_only=True)
    retired_reason = String(
        dump_only=True,
        allow_none=True,
        metadata={"description": "expired, or withdrawn (by staff or a feed)."},
    )
    external_id = String(dump_only=True, allow_none=True)
    library_item_id = Uuid(dump_only=True, allow_none=True)
    overridden = List(
        String(),
        dump_only=True,
        metadata={"description": "The fields this organisation wrote over the library's (adopted items)."},
    )
    shown = Integer(dump_only=True, metadata={"description": "How many people saw it (learned daily)."})
    engaged = Integer(dump_only=True, metadata={"description": "How many of them engaged with it."})
    published_at = Moment(dump_only=True)
    changed_at = Moment(dump_only=True)


class ItemPageSchema(PageSchema):
    """One page of items, newest first."""

    items = List(ma.fields.Nested(ItemSchema), required=True)


class ItemArgs(ListArgs):
    """Which items: by type, status, external id or title; newest first."""

    type = String(metadata={"description": "Only items of this content type."})
    status = String(validate=one_of(STATUSES), metadata={"description": "Only draft, published or retired."})
    external_id = String(metadata={"description": "Only the item with this external id."})
    q = String(metadata={"description": "Only items whose title contains this."})


class BulkSchema(Schema):
    """Items of a feed, created or changed by their `external_id`."""

    items = Rows(
        ma.fields.Nested(ItemInputSchema),
        required=True,
        validate=length(0, feeds.MOST_PER_RUN),
        metadata={"description": f"At most {feeds.MOST_PER_RUN} rows, each with an external_id."},
    )
    retire_missing_of_type = String(
        metadata={
            "description": "This run is the whole feed of this content type: its items with an external "
            "id that are not in the run are retired (withdrawn)."
        }
    )


class RowSchema(Schema):
    """What the upsert did with one row."""

    index = Integer(required=True, metadata={"description": "The row's place in `items`, from 0."})
    external_id = String(allow_none=True)
    outcome = String(required=True, metadata={"description": "created, updated, unchanged or refused."})
    id = Uuid(allow_none=True, metadata={"description": "The item's id; null when refused."})
    errors = Dict(keys=String(), values=List(String()), metadata={"description": "Why it was refused."})


class BulkReportSchema(Schema):
    """Per row what happened, the counts, and the items retired because they left the feed."""

    rows = List(ma.fields.Nested(RowSchema), required=True)
    created = Integer(required=True)
    updated = Integer(required=True)
    unchanged = Integer(required=True)
    refused = Integer(required=True)
    retired = List(String(), required=True, metadata={"description": "External ids of retired items."})


class OptionSchema(Schema):
    """One answer of a choice detail."""

    value = String(required=True, metadata={"description": "What to send in `details`."})
    label = String(required=True)


class FieldSchema(Schema):
    """One detail of items of a type."""

    key = String(required=True, metadata={"description": "The key in `details`."})
    label = String(required=True)
    type = String(
        required=True, metadata={"description": "text, long_text, number, date, boolean, choice or url."}
    )
    options = List(ma.fields.Nested(OptionSchema), metadata={"description": "The answers of a choice."})
    required = Boolean(required=True)
    help = String()


class ContentTypeSchema(Schema):
    """A kind of item the organisation holds, with what an item of it needs."""

    key = String(required=True)
    label = String(required=True)
    plural = String(required=True)
    icon = String(required=True, metadata={"description": "Tabler icon name."})
    action = String(
        required=True, metadata={"description": "The words of the main action (Apply); empty when none."}
    )
    fields = List(ma.fields.Nested(FieldSchema), required=True)
    tag_prefixes = Dict(
        keys=String(), values=String(), metadata={"description": "Kinds of tags and their words."}
    )


# --- Helpers -------------------------------------------------------------------------------------------


def _item_fields(body: Mapping[str, Any]) -> ItemFields:
    """`ItemFields` of a loaded body: given fields set, `null` ones emptied."""
    return ItemFields(
        **{name: value for name, value in body.items() if value is not None},
        cleared=frozenset(name for name, value in body.items() if value is None),
    )


def _refused(invalid: ContentInvalid) -> NoReturn:
    fail(422, "validation_failed", errors={key: [message] for key, message in invalid.errors.items()})


def _dumped(items: list[Item]) -> list[dict[str, Any]]:
    """Items with what learning counted of them (shown, engaged)."""
    counts = {
        item_id: (shown, engaged)
        for item_id, shown, engaged in session.execute(
            select(ContentItem.id, ContentItem.shown, ContentItem.engaged).where(
                ContentItem.id.in_([item.id for item in items])
            )
        )
    }
    return [
        {
            **{item_field.name: getattr(item, item_field.name) for item_field in fields(item)},
            "overridden": sorted(item.overridden),
            "shown": counts.get(item.id, (0, 0))[0],
            "engaged": counts.get(item.id, (0, 0))[1],
        }
        for item in items
    ]


def _answer(item_id: uuid.UUID) -> dict[str, Any]:
    item = catalogue.item_by_id(item_id)
    if item is None:
        fail(404, "not_found")
    return _dumped([item])[0]


def _row(item_id: str) -> ContentItem:
    """The tenant's item row of the path, or 404 (also for another organisation's)."""
    row = get_scoped(ContentItem, path_id(item_id, "item_id"))
    if row is None:
        fail(404, "not_found")
    return row


def _page(items: list[Item], total: int, args: Mapping[str, Any]) -> dict[str, Any]:
    size = args["page_size"]
    return {
        "items": _dumped(items),
        "page": args["page"],
        "page_size": size,
        "total": total,
        "pages": math.ceil(total / size),
    }


def _by_external_id(args: Mapping[str, Any]) -> tuple[int, list[Item]]:
    """The item with the asked external id, if it also meets the other filters."""
    item = feeds.item_by_external_id(args["external_id"])
    found = (
        [item]
        if item is not None
        and args.get("type") in (None, item.type)
        and args.get("status") in (None, item.status)
        and matches(args.get("q"), item.title)
        else []
    )
    return len(found), found if args["page"] == 1 else []


def _seen(item: ContentItem) -> bool:
    """Whether anyone was shown the item or did something with it."""
    if item.shown:
        return True
    query = select(InteractionEvent.id).where(InteractionEvent.item_id == str(item.id)).limit(1)
    return session.execute(query).first() is not None


def _report(run: feeds.FeedRun) -> dict[str, Any]:
    outcomes = [row.outcome for row in run.rows]
    return {
        "rows": [
            {
                "index": row.index,
                "external_id": row.external_id,
                "outcome": row.outcome,
                "id": row.item_id,
                "errors": {key: [message] for key, message in row.errors.items()},
            }
            for row in run.rows
        ],
        **{outcome: outcomes.count(outcome) for outcome in ("created", "updated", "unchanged", "refused")},
        "retired": run.retired,
    }


def _merge(rows: list[Any], results: Iterable[RowResult]) -> list[RowResult]:
    """The service's results (for the readable rows) and the unread rows' refusals, in request order."""
    readable = iter(results)
    merged = []
    for index, row in enumerate(rows):
        if isinstance(row, UnreadRow):
            errors = {key: "; ".join(messages) for key, messages in row.errors.items()}
            merged.append(RowResult(index, row.external_id, "refused", errors=errors))
        else:
            merged.append(replace(next(readable), index=index))
    return merged


def _content_type(kind: ContentType) -> dict[str, Any]:
    return {
        "key": kind.key,
        "label": str(kind.label),
        "plural": str(kind.plural),
        "icon": kind.icon,
        "action": str(kind.action),
        "fields": [
            {
                "key": item.key,
                "label": str(item.label),
                "type": item.type,
                "options": [
                    {"value": option.value, "label": str(option.label)}  # type: ignore[union-attr]
                    for option in item.options
                ],
                "required": item.required,
                "help": str(item.help),
            }
            for item in kind.fields
        ],
        "tag_prefixes": {prefix: str(label) for prefix, label in kind.tag_prefixes.items()},
    }


# --- Resources -----------------------------------------------------------------------------------------


@blp.route("/content")
class Items(Resource):
    """The tenant's items."""

    @requires(Permission.CONTENT_MANAGE, scopes=READ)
    @blp.arguments(ItemArgs, location="query")
    @blp.response(200, ItemPageSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List items.

        Every item of the organisation, drafts and retired ones included, newest first. Filter with
        `type`, `status`, `external_id` and `q` (in the title).
        """
        if args.get("external_id") is not None:
            total, items = _by_external_id(args)
        else:
            item_filter = catalogue.ItemFilter(
                type=args.get("type"), status=args.get("status"), search=args.get("q") or ""
            )
            size = args["page_size"]
            total, items = catalogue.list_items(item_filter, limit=size, offset=(args["page"] - 1) * size)
        return _page(items, total, args)

    @requires(Permission.CONTENT_MANAGE, scopes=WRITE)
    @blp.arguments(ItemInputSchema)
    @blp.response(201, ItemSchema)
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Create an item.

        `type` and `title` are needed; the details must fit the type (GET /content-types). Published
        unless `status` says otherwise. A staff member becomes the item's owner. A bad field is refused
        with 422 and its reason under `errors.<field>` (`errors["details.hours"]` for a detail).
        """
        owner_id = g.principal.id if g.principal.kind == "staff" else None
        try:
            item = catalogue.save_item(_item_fields(body), owner_id=owner_id)
        except ContentInvalid as invalid:
            _refused(invalid)
        return _answer(item.id)


@blp.route("/content/by-external-id")
class ItemsByExternalId(Resource):
    """A feed's items, by their external ids."""

    @requires(Permission.CONTENT_MANAGE, scopes=WRITE)
    @blp.arguments(BulkSchema)
    @blp.response(200, BulkReportSchema)
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def put(self, body: dict[str, Any]) -> dict[str, Any]:
        """Create or change items by external id (a vacancy feed).

        Each row is an item with its `external_id`: new ids are created, known ones changed (only the
        fields the row gives). The answer reports every row: `created`, `updated`, `unchanged` or
        `refused` with its errors. A refused row changes nothing and does not stop the others. With
        `retire_missing_of_type`, the run is the whole feed of that type: its items with an external
        id that the run does not name are retired as withdrawn (a refused row's item stays).
        """
        rows = body["items"]
        readable = [_item_fields(row) for row in rows if not isinstance(row, UnreadRow)]
        unread = [row.external_id for row in rows if isinstance(row, UnreadRow) and row.external_id]
        try:
            run = feeds.run_feed(
                readable, retire_missing_of_type=body.get("retire_missing_of_type"), keep=unread
            )
        except ContentInvalid as invalid:
            _refused(invalid)
        return _report(feeds.FeedRun(_merge(rows, run.rows), run.retired))


@blp.route("/content/<item_id>", parameters=_ITEM_PATH)
class ItemResource(Resource):
    """One item of the tenant."""

    @requires(Permission.CONTENT_MANAGE, scopes=READ)
    @blp.response(200, ItemSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def get(self, item_id: str) -> dict[str, Any]:
        """Get an item."""
        return _answer(_row(item_id).id)

    @requires(Permission.CONTENT_MANAGE, scopes=WRITE)
    @blp.arguments(ItemInputSchema)
    @blp.response(200, ItemSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def patch(self, body: dict[str, Any], item_id: str) -> dict[str, Any]:
        """Change an item.

        Only the fields given change (`details` are merged with the item's); `null` empties a field that
        may be empty. An adopted library item takes its type, links, tags, details and language from
        the library: changing those is refused. `status` `published` brings a retired item back.
        """
        row = _row(item_id)
        try:
            catalogue.save_item(_item_fields(body), item=row)
        except ContentInvalid as invalid:
            _refused(invalid)
        return _answer(row.id)

    @requires(Permission.CONTENT_MANAGE, scopes=WRITE)
    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def delete(self, item_id: str) -> None:
        """Delete a draft.

        Only a draft that nobody was ever shown can be deleted (409 otherwise): retire an item
        instead, so that what people saw stays explainable.
        """
        row = _row(item_id)
        if row.status != "draft" or _seen(row):
            message = _("Only a draft that nobody saw can be deleted. Retire this item instead.")
            fail(409, "conflict", errors={"status": [message]})
        session.delete(row)
        session.commit()


@blp.route("/content/<item_id>/retire", parameters=_ITEM_PATH)
class ItemRetirement(Resource):
    """Taking an item out of every feed."""

    @requires(Permission.CONTENT_MANAGE, scopes=WRITE)
    @blp.response(200, ItemSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def post(self, item_id: str) -> dict[str, Any]:
        """Retire an item.

        It leaves every feed at once (`retired_reason` `withdrawn`) and stays in the history of what
        people saw. Retiring a retired item changes nothing. PATCH `status` `published` brings it back.
        """
        row = _row(item_id)
        if row.status != "retired":
            catalogue.retire(row)
        return _answer(row.id)


@blp.route("/content-types")
class ContentTypes(Resource):
    """The kinds of items the tenant holds."""

    @requires(Permission.CONTENT_MANAGE, scopes=READ)
    @blp.response(200, ContentTypeSchema(many=True))
    def get(self) -> list[dict[str, Any]]:
        """List the content types.

        The core's and those of the organisation's domains, each with its detail fields (key, label,
        type, options, required), the words of its main action, its icon and its kinds of tags: what
        an integration needs to build valid items.
        """
        return [_content_type(kind) for kind in content_types_for(require_tenant()).values()]
