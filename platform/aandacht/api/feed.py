"""`/api/v1/me/feed`, `/api/v1/me/interactions` and `/api/v1/me/personalisation`: a resident's feed.

For a resident's native app, with their login session (writes with the CSRF header, as
aandacht.api.access says). The feed holds only what the person may see (published, valid, in their
language, in the item's segment) and is ranked for them, each item with why it is there; a page of it
records its impressions. The app sends what the person did with items in batches, and the person can
switch personal choices off for a plain newest-first feed. docs/personalisation.md has the model.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any

import marshmallow as ma
from flask import g
from flask_babel import format_date, format_decimal
from flask_babel import gettext as _

from aandacht.accounts.models import Person
from aandacht.accounts.permissions import Permission, requires
from aandacht.api.content import Boolean, Dict, Moment, Uuid
from aandacht.api.errors import fail
from aandacht.api.schemas import Integer, List, ListArgs, Schema, String, length, one_of, path_id
from aandacht.api.smorest import Blueprint, Resource
from aandacht.db import session, utcnow
from aandacht.personalisation import events, feed
from aandacht.personalisation.events import Interaction, InteractionInvalid
from aandacht.personalisation.feed import FeedEntry
from aandacht.personalisation.markdown import render_markdown
from aandacht.personalisation.models import INTERACTION_KINDS
from aandacht.personalisation.types import ContentField, ContentType
from aandacht.tenancy.scoping import get_scoped

blp = Blueprint(
    "api_feed",
    __name__,
    tag="Feed",
    description="A resident's feed of content with why each item is there, and what they did with it.",
)

#: What an event's context may hold: a few short values (where it happened), not a document.
MOST_CONTEXT_KEYS, LONGEST_CONTEXT_VALUE = 10, 200


class DetailSchema(Schema):
    """One detail of an item, with its words."""

    key = String(required=True)
    label = String(required=True)
    value = ma.fields.Raw(required=True, metadata={"description": "As stored: text, number, date, …"})
    text = String(required=True, metadata={"description": "The value in words, in the person's language."})


class FeedItemSchema(Schema):
    """An item of the person's feed, with what an app needs to show it."""

    id = Uuid(required=True)
    type = String(required=True)
    type_label = String(required=True)
    icon = String(required=True, metadata={"description": "Tabler icon name of the type."})
    title = String(required=True)
    summary = String(required=True)
    body = String(required=True, metadata={"description": "Markdown source."})
    body_html = String(required=True, metadata={"description": "The body as safe HTML."})
    image_url = String(allow_none=True)
    link_url = String(allow_none=True)
    action = String(
        required=True, metadata={"description": "Words of the main action (Apply); empty when none."}
    )
    details = List(ma.fields.Nested(DetailSchema), required=True)
    reasons = List(
        String(), required=True, metadata={"description": "Why do I see this? Plain sentences, best first."}
    )
    done = List(
        String(), required=True, metadata={"description": "What the person did with it: open, save, apply…"}
    )
    pinned = Boolean(required=True)
    published_at = Moment(required=True)
    valid_until = Moment(allow_none=True)


class FeedPageSchema(Schema):
    """One page of the feed, best first (newest first when personalisation is off)."""

    items = List(ma.fields.Nested(FeedItemSchema), required=True)
    page = Integer(required=True)
    page_size = Integer(required=True)
    more = Boolean(required=True, metadata={"description": "Whether a next page has items."})
    personalised = Boolean(required=True, metadata={"description": "Whether the feed is chosen for them."})


def _context(context: Mapping[str, Any]) -> None:
    """A few short values: where an event happened (surface, position, channel)."""
    fitting = all(
        len(key) <= 40
        and (value is None or isinstance(value, bool | int | float | str))
        and len(str(value)) <= LONGEST_CONTEXT_VALUE
        for key, value in context.items()
    )
    if len(context) > MOST_CONTEXT_KEYS or not fitting:
        raise ma.ValidationError(
            _(
                "Give at most %(count)d named values, each a number, true/false or a short text.",
                count=MOST_CONTEXT_KEYS,
            )
        )


class EventSchema(Schema):
    """One thing the person did with an item."""

    kind = String(required=True, validate=one_of(INTERACTION_KINDS))
    item_id = Uuid(required=True)
    context = Dict(
        keys=String(),
        validate=_context,
        metadata={"description": "Where it happened: `surface`, `position`, … (a few short values)."},
    )
    occurred_at = Moment(metadata={"description": "When; default now. Not in the future."})


class EventsSchema(Schema):
    """A batch of events, as the app collected them."""

    events = List(ma.fields.Nested(EventSchema), required=True, validate=length(1, events.MOST_PER_BATCH))


class RecordedSchema(Schema):
    """How many events were recorded."""

    recorded = Integer(required=True)


class PersonalisationSchema(Schema):
    """Whether the feed is chosen for the person (true) or plain, newest first (false)."""

    personalised = Boolean(required=True)


def _person() -> Person:
    person = get_scoped(Person, g.principal.id)
    if person is None:
        fail(404, "not_found")
    return person


def _detail_text(field: ContentField, value: Any) -> str:
    if field.type == "choice":
        return field.option_label(value)
    if field.type == "boolean":
        return _("yes") if value else _("no")
    if field.type == "number":
        return format_decimal(value)
    if field.type == "date":
        return format_date(date.fromisoformat(value), "long")
    return str(value)


def _details(kind: ContentType, details: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {"key": field.key, "label": str(field.label), "value": value, "text": _detail_text(field, value)}
        for field in kind.fields
        if (value := details.get(field.key)) is not None
    ]


def _shown(entry: FeedEntry, done: set[str]) -> dict[str, Any]:
    item, kind = entry.item, entry.kind
    return {
        "id": item.id,
        "type": item.type,
        "type_label": str(kind.label),
        "icon": kind.icon,
        "title": item.title,
        "summary": item.summary,
        "body": item.body,
        "body_html": str(render_markdown(item.body)),
        "image_url": item.image_url,
        "link_url": item.link_url,
        "action": str(kind.action),
        "details": _details(kind, item.details),
        "reasons": list(entry.reasons),
        "done": sorted(done),
        "pinned": item.pinned,
        "published_at": item.published_at,
        "valid_until": item.valid_until,
    }


def _visible(person: Person, item_ids: set[uuid.UUID]) -> set[uuid.UUID]:
    """Which of these items the person may see now (in one pass over the tenant's catalogue)."""
    built = feed.catalogue()
    eligible = feed.eligible(person, built, utcnow())
    positions = {item_id: built.position.get(str(item_id)) for item_id in item_ids}
    return {item_id for item_id, at in positions.items() if at is not None and eligible[at]}


@blp.route("/me/feed")
class Feed(Resource):
    """The resident's feed."""

    @requires(Permission.SELF)
    @blp.arguments(ListArgs, location="query")
    @blp.response(200, FeedPageSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Get a page of the feed.

        The items the person may see, best for them first (pinned ones on top), each with its
        `reasons` ("why do I see this?") and what they `done` with it. Dismissed items never come back.
        The page's items are recorded as seen (impressions, with `surface` api and their `position`
        in the feed from 1). `more` says whether a next page has items.
        """
        person = _person()
        size, offset = args["page_size"], (args["page"] - 1) * args["page_size"]
        entries = feed.feed(person, limit=size + 1, offset=offset)
        page, personalised = entries[:size], person.personalised
        done = events.kinds_done(person.id, [entry.item.id for entry in page])
        events.record(
            person.id,
            [
                Interaction("impression", entry.item.id, {"surface": "api", "position": offset + number})
                for number, entry in enumerate(page, start=1)
            ],
        )
        return {
            "items": [_shown(entry, done.get(entry.item.id, set())) for entry in page],
            "page": args["page"],
            "page_size": size,
            "more": len(entries) > size,
            "personalised": personalised,
        }


@blp.route(
    "/me/feed/<item_id>",
    parameters=[{"in": "path", "name": "item_id", "schema": {"type": "string", "format": "uuid"}}],
)
class FeedItem(Resource):
    """One item of the resident's feed."""

    @requires(Permission.SELF)
    @blp.response(200, FeedItemSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def get(self, item_id: str) -> dict[str, Any]:
        """Get an item of the feed, with why the person sees it.

        404 for an item the person may not see, whatever the reason (not there, not for them, expired,
        dismissed). Records nothing: send an `open` event when the person opens it.
        """
        person = _person()
        entry = feed.why(person, path_id(item_id, "item_id"))
        if entry is None:
            fail(404, "not_found")
        done = events.kinds_done(person.id, [entry.item.id])
        return _shown(entry, done.get(entry.item.id, set()))


@blp.route("/me/interactions")
class Interactions(Resource):
    """What the resident did with items."""

    @requires(Permission.SELF)
    @blp.arguments(EventsSchema)
    @blp.response(202, RecordedSchema)
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def post(self, body: dict[str, Any]) -> dict[str, int]:
        """Record interactions.

        A batch of up to 200 events (`kind`: impression, open, click, save, dismiss, share or apply;
        the `item_id`; optionally `context` and `occurred_at`). An item the person may not see now is
        refused like one that does not exist. One bad event refuses the batch with 422 and its reason
        under `errors["events.<index>.<field>"]`; nothing is recorded then.
        """
        person = _person()
        batch = body["events"]
        visible = _visible(person, {event["item_id"] for event in batch})
        unknown = {
            f"events.{index}.item_id": [_("There is no such item.")]
            for index, event in enumerate(batch)
            if event["item_id"] not in visible
        }
        if unknown:
            fail(422, "validation_failed", errors=unknown)
        try:
            recorded = events.record(person.id, [Interaction(**event) for event in batch])
        except InteractionInvalid as invalid:
            errors = {
                key if key == "events" else f"events.{key}": [message]
                for key, message in invalid.errors.items()
            }
            fail(422, "validation_failed", errors=errors)
        return {"recorded": recorded}


@blp.route("/me/personalisation")
class Personalisation(Resource):
    """Whether the resident's feed is chosen for them."""

    @requires(Permission.SELF)
    @blp.response(200, PersonalisationSchema)
    def get(self) -> dict[str, bool]:
        """Get whether content is chosen for the person."""
        return {"personalised": _person().personalised}

    @requires(Permission.SELF)
    @blp.arguments(PersonalisationSchema)
    @blp.response(200, PersonalisationSchema)
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def put(self, body: dict[str, Any]) -> dict[str, bool]:
        """Switch choosing content for the person on or off.

        Off (`false`): the feed is plain, newest first, and each item says so in its reasons; what the
        person does is still recorded but not used to choose. On (`true`): chosen for them again.
        """
        person = _person()
        person.personalised = body["personalised"]
        session.commit()
        return {"personalised": body["personalised"]}
