"""Conversations: who may take part, writing and reading messages, read receipts (the API other engines call).

A person's conversation is open to the person and to the staff members whose caseload holds them;
anyone else is told it does not exist. Each function runs in the caller's transaction and does not
commit. A coach's message notifies the person (`aandacht.conversations.notify`) and counts as a
contact moment; the person's message waits for a coach's answer (the `unanswered_question` signal).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import defer

from aandacht.accounts import service as accounts
from aandacht.accounts.models import StaffMember
from aandacht.accounts.principal import Principal
from aandacht.attention import service as attention
from aandacht.conversations.attachments import CheckedFile
from aandacht.conversations.models import ConversationAttachment, ConversationMessage
from aandacht.conversations.notify import notify
from aandacht.conversations.quick_replies import quick_reply
from aandacht.db import UTCDateTime, one_of, session, utcnow
from aandacht.outreach import service as outreach
from aandacht.tenancy.scoping import get_scoped

#: The longest message; longer belongs in a meeting.
LONGEST_MESSAGE = 2000


class NotFound(LookupError):
    """No such person, message or file for this principal: not there and not theirs look the same."""


class MessageInvalid(ValueError):
    """The message cannot be sent; `errors` says why per field, in words."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


def may_converse(principal: Principal, person_id: uuid.UUID) -> bool:
    """Whether `principal` takes part in the person's conversation: the person, or one of their coaches."""
    if principal.kind == "person":
        return principal.id == person_id
    if principal.kind != "staff" or principal.id is None:
        return False
    return any(staff.id == principal.id for staff in accounts.coaches_by_person([person_id])[person_id])


def messages_of(
    person_id: uuid.UUID, *, limit: int = 100, before: datetime | None = None
) -> list[ConversationMessage]:
    """The person's newest `limit` messages (before `before`), oldest first, as a conversation reads."""
    query = select(ConversationMessage).where(ConversationMessage.person_id == person_id)
    if before is not None:
        query = query.where(ConversationMessage.created_at < before)
    newest = session.execute(query.order_by(ConversationMessage.created_at.desc()).limit(limit)).scalars()
    return list(reversed(list(newest)))


def author_names(messages: Sequence[ConversationMessage]) -> dict[uuid.UUID, str]:
    """The names of the staff members who wrote these messages."""
    ids = list({message.staff_id for message in messages if message.staff_id is not None})
    if not ids:
        return {}
    query = select(StaffMember.id, StaffMember.display_name).where(one_of(StaffMember.id, ids))
    return {staff_id: name for staff_id, name in session.execute(query)}


def attachments_of(message_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[ConversationAttachment]]:
    """The attachments of these messages (their content left unread), per message."""
    found: dict[uuid.UUID, list[ConversationAttachment]] = {}
    if not message_ids:
        return found
    query = (
        select(ConversationAttachment)
        .options(defer(ConversationAttachment.content))
        .where(one_of(ConversationAttachment.message_id, list(message_ids)))
    )
    for attachment in session.execute(query).scalars():
        found.setdefault(attachment.message_id, []).append(attachment)
    return found


def attachment_for(principal: Principal, attachment_id: uuid.UUID) -> ConversationAttachment:
    """The attachment with its content, when `principal` takes part in its conversation; raises NotFound."""
    found = get_scoped(ConversationAttachment, attachment_id)
    if found is None or not may_converse(principal, found.person_id):
        raise NotFound(str(attachment_id))
    return found


def write(
    person_id: uuid.UUID,
    *,
    author: Principal,
    body: str = "",
    quick_reply_key: str | None = None,
    file: CheckedFile | None = None,
) -> ConversationMessage:
    """Add a message to the person's conversation; raises NotFound or MessageInvalid.

    The person writes, taps a quick reply or sends a file; a coach writes or sends a file, and the
    person is notified. The caller commits.
    """
    if not may_converse(author, person_id):
        raise NotFound(str(person_id))
    body = body.strip()
    if quick_reply_key is not None:
        reply = quick_reply(quick_reply_key)
        if reply is None or author.kind != "person":
            raise MessageInvalid({"quick_reply": _("Choose one of the answers.")})
        body = str(reply.label)
    if len(body) > LONGEST_MESSAGE:
        raise MessageInvalid({"body": _("Write at most %(count)d characters.", count=LONGEST_MESSAGE)})
    if not body and file is None:
        raise MessageInvalid({"body": _("Write a message or add a file.")})
    staff = author.kind == "staff"
    message = ConversationMessage(
        person_id=person_id,
        author="staff" if staff else "person",
        staff_id=author.id if staff else None,
        body=body,
        quick_reply=quick_reply_key,
    )
    session.add(message)
    session.flush()
    if file is not None:
        session.add(
            ConversationAttachment(
                message_id=message.id,
                person_id=person_id,
                filename=file.filename,
                content_type=file.content_type,
                size=len(file.content),
                content=file.content,
            )
        )
    if staff:
        _tell_person(message, author)
        attention.record_contact_by(author, person_id=person_id, kind="conversation", source_id=message.id)
    session.flush()
    return message


def _tell_person(message: ConversationMessage, author: Principal) -> None:
    """Notify the person of a coach's message: who wrote, and where to read it."""

    def texts() -> tuple[str, str]:
        return (
            _("New message from %(name)s", name=author.display_name),
            _(
                "%(name)s sent you a message. Open the app to read it and answer.",
                name=author.display_name,
            ),
        )

    notice = notify(message.person_id, texts=texts, actor_id=author.id, key=f"conversation:{message.id}")
    message.notification_id = notice.id if notice is not None else None


def mark_read(person_id: uuid.UUID, *, reader: Principal) -> int:
    """Mark the other side's messages read by `reader` (the person, or one of their coaches); how many.

    The person reading also marks read the notices of those messages in the app's list.
    """
    side = "staff" if reader.kind == "person" else "person"
    unread = select(ConversationMessage.id, ConversationMessage.notification_id).where(
        ConversationMessage.person_id == person_id,
        ConversationMessage.author == side,
        ConversationMessage.read_at.is_(None),
    )
    found = session.execute(unread).all()
    if not found:
        return 0
    session.execute(
        update(ConversationMessage)
        .where(one_of(ConversationMessage.id, [row.id for row in found]))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    notices = [row.notification_id for row in found if row.notification_id is not None]
    if side == "staff" and notices:
        outreach.mark_notices_read(person_id, notices)
    return len(found)


def unread_for_person(person_id: uuid.UUID) -> int:
    """How many coach's messages the person has not read."""
    query = select(func.count()).where(
        ConversationMessage.person_id == person_id,
        ConversationMessage.author == "staff",
        ConversationMessage.read_at.is_(None),
    )
    return session.execute(query).scalar_one()


def waiting_for_answer(person_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, tuple[int, datetime]]:
    """Per person: how many of their messages came after the last staff message, and since when.

    One query for a whole caseload; people whose last message was answered (or who never wrote) are
    left out.
    """
    if not person_ids:
        return {}
    answered = (
        select(ConversationMessage.person_id, func.max(ConversationMessage.created_at).label("at"))
        .where(one_of(ConversationMessage.person_id, list(person_ids)), ConversationMessage.author == "staff")
        .group_by(ConversationMessage.person_id)
        .subquery()
    )
    query = (
        select(
            ConversationMessage.person_id,
            func.count(),
            func.min(ConversationMessage.created_at, type_=UTCDateTime),
        )
        .outerjoin(answered, answered.c.person_id == ConversationMessage.person_id)
        .where(
            one_of(ConversationMessage.person_id, list(person_ids)),
            ConversationMessage.author == "person",
            (answered.c.at.is_(None)) | (ConversationMessage.created_at > answered.c.at),
        )
        .group_by(ConversationMessage.person_id)
    )
    return {person_id: (number, since) for person_id, number, since in session.execute(query)}
