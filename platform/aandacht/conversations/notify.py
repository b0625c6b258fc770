"""Telling the person that something waits in their conversation, over the channel they prefer.

The notice goes through the outreach engine (`send_to_person`): the person's preferred channel first,
channels they switched off never, the next channel when one fails. It names no content of the
conversation (an e-mail or SMS can be read by others): it says who wrote and links to the app, where
the person reads it and the coach sees that they did. An invitation's notice carries its calendar file.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import has_request_context, url_for
from flask_babel import force_locale

from aandacht.accounts.models import Person
from aandacht.outreach import service as outreach
from aandacht.outreach.models import Message
from aandacht.outreach.outbox import tenant_request
from aandacht.tenancy.context import require_tenant
from aandacht.tenancy.scoping import get_scoped


def locale_of(person_id: uuid.UUID) -> str:
    """The person's own language, or the tenant's."""
    person = get_scoped(Person, person_id)
    return (person.locale if person else None) or require_tenant().default_locale


@contextmanager
def in_language_of(person_id: uuid.UUID) -> Iterator[None]:
    """Texts and links for the person: in their language, on the tenant's address (also in a job)."""
    locale = locale_of(person_id)
    if has_request_context():
        with force_locale(locale):
            yield
        return
    with tenant_request(require_tenant(), locale):
        yield


def notify(
    person_id: uuid.UUID,
    *,
    texts: Callable[[], tuple[str, str]],
    actor_id: uuid.UUID | None,
    key: str,
    attachments: list[dict[str, str]] | None = None,
) -> Message | None:
    """Decide the notice in the caller's transaction; `texts()` gives subject and body in their language.

    `key` makes it once-only: deciding the same notice twice writes one message. None when the
    person is no longer active.
    """
    with in_language_of(person_id):
        subject, body = texts()
        link = url_for("conversations.app_conversation", _external=True)
    try:
        return outreach.send_to_person(
            person_id,
            subject=subject,
            body=body,
            actor_id=actor_id,
            link=link,
            idempotency_key=key,
            attachments=attachments,
        )
    except outreach.UnknownPerson:
        return None
