"""What selections read of messages: how many a person received or opened, in a period."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement
from typing_extensions import override

from aandacht.outreach.models import CHANNELS, Message
from aandacht.segments.arguments import COUNT_SCHEMA_PROPERTIES, CountInPeriod, count_in_period, fields, text
from aandacht.segments.behaviour import counted
from aandacht.segments.language import Context, Predicate

EVENTS = ("received", "opened")


class Messages(Predicate):
    """How many messages a person received (sent to them) or opened: `{"event": "opened", "max": 0}`."""

    name = "messages"
    label = _l("Messages")
    schema = {
        "type": "object",
        "properties": {
            "event": {"enum": list(EVENTS)},
            "channel": {"enum": list(CHANNELS)},
            **COUNT_SCHEMA_PROPERTIES,
        },
        "required": ["event"],
        "additionalProperties": False,
    }

    @override
    def check(self, arguments: Any, context: Context) -> tuple[str, str | None, CountInPeriod]:
        arguments = fields(arguments, required=["event"], optional=["channel", *COUNT_SCHEMA_PROPERTIES])
        event = text(arguments["event"], "event", choices=EVENTS)
        channel = text(arguments["channel"], "channel", choices=CHANNELS) if "channel" in arguments else None
        return event, channel, count_in_period(arguments, context)

    @override
    def compile(
        self, arguments: tuple[str, str | None, CountInPeriod], context: Context, scope: Any
    ) -> ColumnElement[bool]:
        event, channel, period = arguments
        moment = Message.sent_at if event == "received" else Message.opened_at
        conditions = [moment.is_not(None)]
        if channel is not None:
            conditions.append(Message.channel == channel)
        return counted(Message.person_id, conditions, period, moment, scope)


PREDICATES: tuple[Predicate, ...] = (Messages(),)
