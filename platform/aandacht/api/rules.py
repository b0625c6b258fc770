"""`/api/v1/outreach-rules`: triggered messages, on a condition or an event (once per cooldown).

Coaches and team leads (by token: `campaigns:read`, `campaigns:write`) read the tenant's rules and
create, change and switch off rules; the condition is a selection document (docs/segments.md) checked
as the caller sees people. A problem is refused with 422 and the reason per field.
"""

from __future__ import annotations

from typing import Any, NoReturn

import marshmallow as ma
from flask import g

from aandacht.accounts.permissions import Permission, requires
from aandacht.api.campaigns import TextSchema
from aandacht.api.errors import fail
from aandacht.api.schemas import List, Schema, String, length, one_of, path_id
from aandacht.api.smorest import Blueprint, Resource
from aandacht.db import session
from aandacht.outreach import campaigns, rules
from aandacht.outreach.campaigns import CampaignInvalid
from aandacht.outreach.models import CHANNELS, OutreachRule
from aandacht.outreach.rules import RuleFields

blp = Blueprint(
    "api_outreach_rules",
    __name__,
    tag="Outreach rules",
    description="Triggered messages: whoever meets a condition gets a message, once per cooldown.",
)

READ = ("campaigns:read",)
WRITE = ("campaigns:write",)
_PATH = [{"in": "path", "name": "rule_id", "schema": {"type": "string", "format": "uuid"}}]


class RuleInputSchema(Schema):
    """A rule's fields; a field left out stays as it is (creating: its default)."""

    name = String(validate=length(1, 120))
    condition = ma.fields.Raw(
        metadata={"description": "A selection document, e.g. last_active not_since 14 days."}
    )
    template_id = ma.fields.UUID(allow_none=True)
    texts = ma.fields.Dict(keys=String(validate=one_of(CHANNELS)), values=ma.fields.Nested(TextSchema))
    channels = List(String(validate=one_of(CHANNELS)), allow_none=True)
    cooldown_days = ma.fields.Integer(
        metadata={"description": "Never the same person twice within this many days."}
    )
    enabled = ma.fields.Boolean()
    event = String(
        allow_none=True,
        validate=length(1, 60),
        metadata={
            "description": "The event it waits for (content.published, profile.answered, person.joined, or "
            "a domain's); null: the condition, checked every 15 minutes. With an event, the condition is "
            "the rule's audience."
        },
    )
    event_params = ma.fields.Dict(
        keys=String(validate=length(1, 40)),
        values=String(validate=length(0, 200)),
        metadata={"description": 'What the event must carry, e.g. {"attribute": "core.transport"}.'},
    )


class RuleSchema(Schema):
    """A rule."""

    id = ma.fields.UUID(dump_only=True)
    name = String(dump_only=True)
    enabled = ma.fields.Boolean(dump_only=True)
    condition = ma.fields.Raw(dump_only=True)
    template_id = ma.fields.UUID(dump_only=True, allow_none=True)
    texts = ma.fields.Dict(dump_only=True, allow_none=True)
    channels = List(String(), dump_only=True, allow_none=True)
    cooldown_days = ma.fields.Integer(dump_only=True)
    event = String(dump_only=True, allow_none=True)
    event_params = ma.fields.Dict(dump_only=True, allow_none=True)
    created_by = ma.fields.UUID(dump_only=True, allow_none=True)
    last_run_at = ma.fields.DateTime(dump_only=True, allow_none=True)
    last_run_count = ma.fields.Integer(dump_only=True, allow_none=True)


def _rule(rule_id: str) -> OutreachRule:
    rule = rules.rule_by_id(path_id(rule_id, "rule_id"))
    if rule is None:
        fail(404, "not_found")
    return rule


def _refused(invalid: CampaignInvalid) -> NoReturn:
    session.rollback()
    fail(422, "validation_failed", errors={key: [message] for key, message in invalid.errors.items()})


def _save(body: dict[str, Any], rule: OutreachRule | None) -> OutreachRule:
    values = RuleFields.of(rule) if rule else RuleFields(name="", condition=None)
    for key, value in body.items():
        setattr(values, key, value)
    try:
        return rules.save_rule(values, acting_user=g.principal, rule=rule)
    except CampaignInvalid as invalid:
        _refused(invalid)


@blp.route("/outreach-rules")
class Rules(Resource):
    """The tenant's rules."""

    @requires(Permission.CASELOAD_VIEW, scopes=READ)
    @blp.response(200, RuleSchema(many=True))
    def get(self) -> list[OutreachRule]:
        """List the rules, by name."""
        return rules.rules()

    @requires(Permission.CASELOAD_VIEW, scopes=WRITE)
    @blp.arguments(RuleInputSchema)
    @blp.response(201, RuleSchema)
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def post(self, body: dict[str, Any]) -> OutreachRule:
        """Create a rule: `name`, `condition` and `template_id` or `texts` are needed."""
        return _save(body, None)


@blp.route("/outreach-rules/<rule_id>", parameters=_PATH)
class RuleResource(Resource):
    """One rule of the tenant."""

    @requires(Permission.CASELOAD_VIEW, scopes=READ)
    @blp.response(200, RuleSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def get(self, rule_id: str) -> OutreachRule:
        """Get a rule."""
        return _rule(rule_id)

    @requires(Permission.CASELOAD_VIEW, scopes=WRITE)
    @blp.arguments(RuleInputSchema)
    @blp.response(200, RuleSchema)
    @blp.alt_response(403, response="FORBIDDEN")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def patch(self, body: dict[str, Any], rule_id: str) -> OutreachRule:
        """Change a rule, or switch it off with `{"enabled": false}` (its maker, or a team lead)."""
        rule = _rule(rule_id)
        if rule.created_by != g.principal.id and not campaigns.may_see_everyone(g.principal):
            fail(403, "forbidden")
        return _save(body, rule)
