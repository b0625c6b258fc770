"""E-mail over SMTP: the mail of `aandacht.outreach.channels.mail` handed to the SMTP server.

Without `SMTP_URL` the mail is written to the local outbox folder instead (the embedded default).
Inside `Email.connection()` (a delivery batch) every mail shares one SMTP connection and one
`Composer`, so what the mails of a tenant share is worked out once per batch.
"""

from __future__ import annotations

import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import current_app
from flask_babel import gettext as _

from aandacht.config import Settings
from aandacht.outreach.channels.base import DeliveryFailed, HandOff, Outgoing, Recipient
from aandacht.outreach.channels.mail import Composer
from aandacht.outreach.outbox import send_smtp, smtp_session, write_to_outbox
from aandacht.tenancy.context import require_tenant

_composer: ContextVar[Composer | None] = ContextVar("aandacht_mail_composer", default=None)


class Email:
    """E-mail to the person's address."""

    name = "email"

    def reaches(self, recipient: Recipient) -> bool:
        """Whether the person has an e-mail address."""
        return bool(recipient.email)

    @contextmanager
    def connection(self) -> Iterator[None]:
        """Every `send` inside this block (one tenant's) shares one composer and one SMTP connection."""
        settings: Settings = current_app.extensions["aandacht.settings"]
        token = _composer.set(Composer(require_tenant(), settings))
        try:
            if settings.smtp_url is None:
                yield
            else:
                with smtp_session(settings.smtp_url, timeout=settings.send_timeout):
                    yield
        finally:
            _composer.reset(token)

    def send(self, outgoing: Outgoing) -> HandOff:
        """Hand the mail to the SMTP server (or write it to the outbox); SMTP's 5xx answers are final."""
        settings: Settings = current_app.extensions["aandacht.settings"]
        composer = _composer.get()
        if composer is None or composer.tenant_id != outgoing.tenant.id:
            composer = Composer(outgoing.tenant, settings)
        mail = composer.compose(outgoing)
        to = outgoing.recipient.email or ""
        if settings.smtp_url is None:
            write_to_outbox(
                "email",
                {
                    "to": to,
                    "subject": outgoing.subject,
                    "text": mail.text,
                    "message_id": mail.message_id,
                    "list_unsubscribe": mail.list_unsubscribe,
                },
            )
            return HandOff(address=to, provider_message_id=mail.message_id)
        try:
            send_smtp(settings.smtp_url, mail.message, timeout=settings.send_timeout)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _text in error.recipients.values()]
            raise DeliveryFailed(
                _("The mail server refused the address: %(answer)s", answer=_answers(error.recipients)),
                permanent=all(500 <= code < 600 for code in codes),
            ) from None
        except smtplib.SMTPResponseException as error:
            raise DeliveryFailed(
                _("The mail server answered %(code)s: %(answer)s", code=error.smtp_code, answer=_text(error)),
                permanent=500 <= error.smtp_code < 600,
            ) from None
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryFailed(_("The mail server could not be reached: %(error)s", error=error)) from None
        return HandOff(address=to, provider_message_id=mail.message_id)


def _answers(refused: dict[str, tuple[int, bytes]]) -> str:
    return "; ".join(f"{code} {answer.decode(errors='replace')}" for code, answer in refused.values())


def _text(error: smtplib.SMTPResponseException) -> str:
    answer = error.smtp_error
    return answer.decode(errors="replace") if isinstance(answer, bytes) else str(answer)
