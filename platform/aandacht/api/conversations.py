"""`/api/v1/people/<person>/conversation` and `/appointments`: a coach's conversation with a person.

Only a staff member whose caseload holds the person takes part (token scopes `conversations:read`,
`conversations:write`); anyone else, a team lead or an integration too, is answered as if the person
did not exist (404). Reading does not mark messages read (the workspace does, when a coach opens the
conversation). Every read is written to the person's access log.
"""

from __future__ import annotations

import uuid
from typing import Any

import marshmallow as ma
from flask import g

from aandacht.accounts.permissions import Permission, Rule, requires_any
from aandacht.api.errors import fail
from aandacht.api.schemas import List, Schema, String, length, path_id
from aandacht.api.smorest import Blueprint, Resource
from aandacht.conversations import appointments, service
from aandacht.conversations.models import APPOINTMENT_KINDS, Appointment, ConversationMessage
from aandacht.db import session
from aandacht.privacy.service import record_access

blp = Blueprint(
    "api_conversations",
    __name__,
    tag="Conversations",
    description="Messages between a person and their coaches, and appointments.",
)

READ = (Rule.of(Permission.CASELOAD_VIEW, scopes=["conversations:read"]),)
WRITE = (Rule.of(Permission.CASELOAD_VIEW, scopes=["conversations:write"]),)
_PERSON = [{"in": "path", "name": "person_id", "schema": {"type": "string", "format": "uuid"}}]
_APPOINTMENT = [
    *_PERSON,
    {"in": "path", "name": "appointment_id", "schema": {"type": "string", "format": "uuid"}},
]


class AttachmentSchema(Schema):
    """A file sent with a message (download it in the workspace)."""

    id = ma.fields.UUID(dump_only=True)
    filename = String(dump_only=True)
    content_type = String(dump_only=True)
    size = ma.fields.Integer(dump_only=True)


class MessageSchema(Schema):
    """A message of the conversation."""

    id = ma.fields.UUID(dump_only=True)
    author = String(dump_only=True, metadata={"description": "person or staff."})
    staff_id = ma.fields.UUID(dump_only=True, allow_none=True)
    body = String(dump_only=True)
    quick_reply = String(dump_only=True, allow_none=True, metadata={"description": "The quick reply tapped."})
    created_at = ma.fields.DateTime(dump_only=True)
    read_at = ma.fields.DateTime(
        dump_only=True, allow_none=True, metadata={"description": "When the other side read it."}
    )
    attachments = List(ma.fields.Nested(AttachmentSchema), dump_only=True)


class NewMessageSchema(Schema):
    """A coach's message to the person; they are notified over their preferred channel."""

    body = String(required=True, validate=length(1, service.LONGEST_MESSAGE))


class AppointmentSchema(Schema):
    """An appointment with the person."""

    id = ma.fields.UUID(dump_only=True)
    staff_id = ma.fields.UUID(dump_only=True)
    kind = String(dump_only=True, metadata={"description": "meeting or phone."})
    status = String(
        dump_only=True,
        metadata={"description": "invited, proposed, accepted, cancelled, attended or no_show."},
    )
    starts_at = ma.fields.DateTime(dump_only=True)
    minutes = ma.fields.Integer(dump_only=True)
    place = String(dump_only=True, allow_none=True)
    phone = String(dump_only=True, allow_none=True)
    note = String(dump_only=True, allow_none=True)
    proposed_starts_at = ma.fields.DateTime(dump_only=True, allow_none=True)
    proposal_note = String(dump_only=True, allow_none=True)
    cancelled_by = String(dump_only=True, allow_none=True)
    cancel_reason = String(dump_only=True, allow_none=True)
    reminder_sent_at = ma.fields.DateTime(dump_only=True, allow_none=True)


class InvitationSchema(Schema):
    """An invitation: a meeting (with `place`) or a phone call (with `phone`)."""

    kind = String(required=True, validate=ma.validate.OneOf(APPOINTMENT_KINDS))
    starts_at = ma.fields.AwareDateTime(required=True, metadata={"description": "With its time zone."})
    minutes = ma.fields.Integer(load_default=30)
    place = String(load_default="")
    phone = String(load_default="")
    note = String(load_default="")


class AppointmentChangeSchema(Schema):
    """What to do: accept (the proposal), reschedule (`starts_at`), cancel (`reason`), attended, no_show."""

    action = String(
        required=True, validate=ma.validate.OneOf(("accept", "reschedule", "cancel", "attended", "no_show"))
    )
    starts_at = ma.fields.AwareDateTime()
    reason = String(load_default="")


def _person(person_id: str) -> uuid.UUID:
    """The person of the path, when the caller takes part in their conversation; else 404."""
    found = path_id(person_id, "person_id")
    if not service.may_converse(g.principal, found):
        fail(404, "not_found")
    return found


def _with_files(messages: list[ConversationMessage]) -> list[dict[str, Any]]:
    files = service.attachments_of([message.id for message in messages])
    return [
        {
            **{column.key: getattr(message, column.key) for column in ConversationMessage.__table__.columns},
            "attachments": files.get(message.id, []),
        }
        for message in messages
    ]


def _unprocessable(errors: dict[str, str]) -> None:
    fail(422, "validation_failed", errors={key: [reason] for key, reason in errors.items()})


@blp.route("/people/<person_id>/conversation", parameters=_PERSON)
class Conversation(Resource):
    """The conversation with one person."""

    @requires_any(*READ)
    @blp.response(200, MessageSchema(many=True))
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, person_id: str) -> list[dict[str, Any]]:
        """The newest 100 messages, oldest first, with read receipts and attachments."""
        found = _person(person_id)
        record_access(found, what="conversation", channel="api")
        return _with_files(service.messages_of(found))

    @requires_any(*WRITE)
    @blp.arguments(NewMessageSchema)
    @blp.response(201, MessageSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def post(self, body: dict[str, Any], person_id: str) -> dict[str, Any]:
        """Write to the person, who is notified over the channel they prefer."""
        found = _person(person_id)
        try:
            message = service.write(found, author=g.principal, body=body["body"])
        except service.MessageInvalid as refused:
            session.rollback()
            _unprocessable(refused.errors)
        session.commit()
        return _with_files([message])[0]


@blp.route("/people/<person_id>/appointments", parameters=_PERSON)
class Appointments(Resource):
    """The appointments with one person."""

    @requires_any(*READ)
    @blp.response(200, AppointmentSchema(many=True))
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, person_id: str) -> list[Appointment]:
        """The person's appointments, the latest time first."""
        found = _person(person_id)
        record_access(found, what="conversation", channel="api")
        return appointments.appointments_of(found)

    @requires_any(*WRITE)
    @blp.arguments(InvitationSchema)
    @blp.response(201, AppointmentSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def post(self, body: dict[str, Any], person_id: str) -> Appointment:
        """Invite the person; they get the invitation with its calendar file over their channel."""
        found = _person(person_id)
        try:
            made = appointments.invite(found, by=g.principal, invitation=appointments.Invitation(**body))
        except appointments.AppointmentInvalid as refused:
            session.rollback()
            _unprocessable(refused.errors)
        session.commit()
        return made


@blp.route("/people/<person_id>/appointments/<appointment_id>", parameters=_APPOINTMENT)
class AppointmentResource(Resource):
    """One appointment."""

    @requires_any(*WRITE)
    @blp.arguments(AppointmentChangeSchema)
    @blp.response(200, AppointmentSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def post(self, body: dict[str, Any], person_id: str, appointment_id: str) -> Appointment:
        """Accept the proposed time, pick another, cancel with a reason, or record whether the person came."""
        person = _person(person_id)
        try:
            found = appointments.appointment_for(g.principal, path_id(appointment_id, "appointment_id"))
        except service.NotFound:
            fail(404, "not_found")
        if found.person_id != person:
            fail(404, "not_found")
        action = body["action"]
        try:
            if action == "accept":
                appointments.accept(found, by=g.principal)
            elif action == "reschedule":
                appointments.reschedule(found, by=g.principal, starts_at=body.get("starts_at"))
            elif action == "cancel":
                appointments.cancel(found, by=g.principal, reason=body["reason"])
            else:
                appointments.record_outcome(found, by=g.principal, attended=action == "attended")
        except appointments.AppointmentInvalid as refused:
            session.rollback()
            _unprocessable(refused.errors)
        except appointments.WrongState:
            session.rollback()
            fail(409, "conflict")
        session.commit()
        return found
