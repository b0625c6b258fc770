"""`/api/v1/campaigns`: one message to many people, now or at a moment, and its results.

Coaches and team leads (by token: `campaigns:read`, `campaigns:write`) see every campaign of the tenant
with its results; they create campaigns for people they may see (a coach: their caseload, or a saved
segment, which is then limited to their caseload; `everyone` only a team lead), and change, send
(`release`) or cancel their own (a team lead any) until it is sent. A problem is refused with 422 and
the reason per field, and nothing is saved. docs/outreach.md ("Campaigns") explains the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn

import marshmallow as ma
from flask import g

from aandacht.accounts.permissions import Permission, requires
from aandacht.api.errors import fail
from aandacht.api.schemas import List, Schema, String, length, one_of, path_id
from aandacht.api.smorest import Blueprint, Resource
from aandacht.db import session
from aandacht.outreach import campaigns as service
from aandacht.outreach.campaigns import CampaignFields, CampaignInvalid
from aandacht.outreach.models import AUDIENCE_KINDS, CAMPAIGN_STATUSES, CHANNELS, Campaign

blp = Blueprint(
    "api_campaigns",
    __name__,
    tag="Campaigns",
    description="A message to one person, a saved segment or everyone, now or at a moment, with results.",
)

READ = ("campaigns:read",)
WRITE = ("campaigns:write",)
_PATH = [{"in": "path", "name": "campaign_id", "schema": {"type": "string", "format": "uuid"}}]


class TextSchema(Schema):
    """One channel's text."""

    subject = String(load_default="", validate=length(0, 200))
    body = String(required=True)


class CampaignInputSchema(Schema):
    """A campaign's fields; a field left out stays as it is (creating: its default)."""

    name = String(validate=length(1, 120))
    audience_kind = String(
        validate=one_of(AUDIENCE_KINDS), metadata={"description": "person, segment, everyone"}
    )
    person_id = ma.fields.UUID(allow_none=True, metadata={"description": "The person (audience person)."})
    segment_id = ma.fields.UUID(
        allow_none=True, metadata={"description": "The saved segment (audience segment)."}
    )
    template_id = ma.fields.UUID(allow_none=True, metadata={"description": "A message template; or texts."})
    texts = ma.fields.Dict(
        keys=String(validate=one_of(CHANNELS)),
        values=ma.fields.Nested(TextSchema),
        metadata={"description": "Without a template: per channel its subject and body."},
    )
    channels = List(String(validate=one_of(CHANNELS)), allow_none=True)
    link = String(allow_none=True, validate=length(0, 500))
    scheduled_at = ma.fields.AwareDateTime(allow_none=True, metadata={"description": "None: when released."})
    broadcast = ma.fields.Boolean(metadata={"description": "Release every message at one moment."})


class ResultsSchema(Schema):
    """What became of the campaign's messages."""

    audience = ma.fields.Integer(dump_only=True)
    queued = ma.fields.Integer(dump_only=True)
    sending = ma.fields.Integer(dump_only=True)
    sent = ma.fields.Integer(dump_only=True)
    delivered = ma.fields.Integer(dump_only=True)
    failed = ma.fields.Integer(dump_only=True)
    opened = ma.fields.Integer(dump_only=True)
    clicked = ma.fields.Integer(dump_only=True)
    channels = ma.fields.Dict(keys=String(), values=ma.fields.Integer(), dump_only=True)
    skipped = ma.fields.Dict(keys=String(), values=ma.fields.Integer(), dump_only=True)
    failures = List(ma.fields.Dict(), dump_only=True, metadata={"description": "reason and count"})


class CampaignSchema(Schema):
    """A campaign."""

    id = ma.fields.UUID(dump_only=True)
    name = String(dump_only=True)
    status = String(dump_only=True, metadata={"description": ", ".join(CAMPAIGN_STATUSES)})
    audience_kind = String(dump_only=True)
    person_id = ma.fields.UUID(dump_only=True, allow_none=True)
    segment_id = ma.fields.UUID(dump_only=True, allow_none=True)
    template_id = ma.fields.UUID(dump_only=True, allow_none=True)
    texts = ma.fields.Dict(dump_only=True, allow_none=True)
    channels = List(String(), dump_only=True, allow_none=True)
    link = String(dump_only=True, allow_none=True)
    scheduled_at = ma.fields.DateTime(dump_only=True, allow_none=True)
    broadcast = ma.fields.Boolean(dump_only=True)
    release_at = ma.fields.DateTime(dump_only=True, allow_none=True)
    released_at = ma.fields.DateTime(dump_only=True, allow_none=True)
    finished_at = ma.fields.DateTime(dump_only=True, allow_none=True)
    problem = String(dump_only=True, allow_none=True)
    created_by = ma.fields.UUID(dump_only=True, allow_none=True)
    created_at = ma.fields.DateTime(dump_only=True)
    results = ma.fields.Nested(ResultsSchema, dump_only=True, allow_none=True)


def _campaign(campaign_id: str) -> Campaign:
    """The tenant's campaign of the path, or 404."""
    campaign = service.campaign_by_id(path_id(campaign_id, "campaign_id"))
    if campaign is None:
        fail(404, "not_found")
    return campaign


def _manageable(campaign_id: str) -> Campaign:
    campaign = _campaign(campaign_id)
    if not service.may_manage(campaign, g.principal):
        fail(403, "forbidden")
    return campaign


def _dumped(campaign: Campaign, *, with_results: bool = False) -> dict[str, Any]:
    dumped = {name: getattr(campaign, name) for name in CampaignSchema().fields if hasattr(campaign, name)}
    if with_results:
        found = service.results(campaign)
        dumped["results"] = {
            "audience": found.audience,
            **{
                status: found.count(status) for status in ("queued", "sending", "sent", "delivered", "failed")
            },
            "opened": found.opened,
            "clicked": found.clicked,
            "channels": found.channels,
            "skipped": found.skipped,
            "failures": [{"reason": reason, "count": number} for reason, number in found.failures],
        }
    return dumped


def _refused(invalid: CampaignInvalid) -> NoReturn:
    session.rollback()
    fail(422, "validation_failed", errors={key: [message] for key, message in invalid.errors.items()})


def _save(body: dict[str, Any], campaign: Campaign | None) -> dict[str, Any]:
    values = CampaignFields.of(campaign) if campaign else CampaignFields(name="", audience_kind="")
    for key, value in body.items():
        setattr(values, key, value)
    try:
        saved = service.save_campaign(values, acting_user=g.principal, campaign=campaign)
    except CampaignInvalid as invalid:
        _refused(invalid)
    return _dumped(saved)


@blp.route("/campaigns")
class Campaigns(Resource):
    """The tenant's campaigns."""

    @requires(Permission.CASELOAD_VIEW, scopes=READ)
    @blp.response(200, CampaignSchema(many=True))
    def get(self) -> list[dict[str, Any]]:
        """List the campaigns, newest first."""
        return [_dumped(campaign) for campaign in service.campaigns()]

    @requires(Permission.CASELOAD_VIEW, scopes=WRITE)
    @blp.arguments(CampaignInputSchema)
    @blp.response(201, CampaignSchema)
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Create a campaign (a draft: `release` sends it).

        `name`, `audience_kind` (with `person_id` or `segment_id`) and either `template_id` or `texts`
        are needed.
        """
        return _save(body, None)


@blp.route("/campaigns/<campaign_id>", parameters=_PATH)
class CampaignResource(Resource):
    """One campaign of the tenant."""

    @requires(Permission.CASELOAD_VIEW, scopes=READ)
    @blp.response(200, CampaignSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def get(self, campaign_id: str) -> dict[str, Any]:
        """Get a campaign with its results."""
        return _dumped(_campaign(campaign_id), with_results=True)

    @requires(Permission.CASELOAD_VIEW, scopes=WRITE)
    @blp.arguments(CampaignInputSchema)
    @blp.response(200, CampaignSchema)
    @blp.alt_response(403, response="FORBIDDEN")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def patch(self, body: dict[str, Any], campaign_id: str) -> dict[str, Any]:
        """Change a campaign that was not sent yet (its maker, or a team lead)."""
        campaign = _manageable(campaign_id)
        session.refresh(campaign, with_for_update=True)  # not released meanwhile: it waits for this commit
        return _save(body, campaign)


def _acted(campaign_id: str, act: Callable[[Campaign], Any]) -> dict[str, Any]:
    """Do `act` to a campaign the caller may manage; its state afterwards, with results (422: refused)."""
    campaign = _manageable(campaign_id)
    try:
        act(campaign)
    except CampaignInvalid as invalid:
        _refused(invalid)
    return _dumped(_campaign(campaign_id), with_results=True)


_ACTIONS = {
    "release": lambda campaign: service.release(campaign, acting_user=g.principal),
    "cancel": service.cancel,
}


@blp.route("/campaigns/<campaign_id>/<any(release, cancel):action>", parameters=_PATH)
class Action(Resource):
    """Sending (`release`: at its moment, or now when it has none) or cancelling a campaign not sent yet."""

    @requires(Permission.CASELOAD_VIEW, scopes=WRITE)
    @blp.response(200, CampaignSchema)
    @blp.alt_response(403, response="FORBIDDEN")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def post(self, campaign_id: str, action: str) -> dict[str, Any]:
        """Release or cancel a campaign (its maker, or a team lead)."""
        return _acted(campaign_id, _ACTIONS[action])
