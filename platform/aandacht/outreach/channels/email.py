"""E-mail over SMTP: text and HTML in the tenant's colours, a stable Message-ID, one-click unsubscribe.

Without `SMTP_URL` the mail is written to the local outbox folder instead (the embedded default).
The Message-ID is made from the message's id, so a mail handed over twice (a worker that died between
the hand-off and recording it) carries the same Message-ID both times, and mail systems that drop
duplicates by Message-ID show it once.
"""

from __future__ import annotations

import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr

from flask import current_app, render_template
from flask_babel import gettext as _
from markupsafe import Markup

from aandacht.config import Settings
from aandacht.db import utcnow
from aandacht.outreach.channels.base import DeliveryFailed, HandOff, Outgoing, Recipient
from aandacht.outreach.outbox import send_smtp, smtp_session, write_to_outbox

#: The colour of the mail's header when the tenant declares none (the Rijkshuisstijl's blue).
DEFAULT_COLOUR = "#154273"


class Email:
    """E-mail to the person's address."""

    name = "email"

    def reaches(self, recipient: Recipient) -> bool:
        """Whether the person has an e-mail address."""
        return bool(recipient.email)

    @contextmanager
    def connection(self) -> Iterator[None]:
        """Every `send` inside this block shares one SMTP connection (a delivery batch's mails)."""
        settings: Settings = current_app.extensions["aandacht.settings"]
        if settings.smtp_url is None:
            yield
            return
        with smtp_session(settings.smtp_url, timeout=settings.send_timeout):
            yield

    def send(self, outgoing: Outgoing) -> HandOff:
        """Hand the mail to the SMTP server (or write it to the outbox); SMTP's 5xx answers are final."""
        settings: Settings = current_app.extensions["aandacht.settings"]
        message = compose(outgoing, settings)
        to = outgoing.recipient.email or ""
        if settings.smtp_url is None:
            write_to_outbox(
                "email",
                {
                    "to": to,
                    "subject": outgoing.subject,
                    "text": message.get_body(("plain",)).get_content(),
                    "message_id": message["Message-ID"],
                    "list_unsubscribe": message["List-Unsubscribe"],
                },
            )
            return HandOff(address=to, provider_message_id=message["Message-ID"])
        try:
            send_smtp(settings.smtp_url, message, timeout=settings.send_timeout)
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
        return HandOff(address=to, provider_message_id=message["Message-ID"])


def message_id(outgoing: Outgoing, sender: str) -> str:
    """The Message-ID of a message: the same for every hand-off of it (`<id@sender's domain>`)."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "aandacht.invalid"
    return f"<{outgoing.key}@{domain}>"


def compose(outgoing: Outgoing, settings: Settings) -> EmailMessage:
    """The mail of `outgoing`: headers, a text part, an HTML part in the tenant's colours, attachments."""
    tenant, recipient = outgoing.tenant, outgoing.recipient
    declared = tenant.channels.get("email", {})
    default_name, default_address = parseaddr(settings.mail_from)
    sender = formataddr(
        (
            declared.get("sender_name") or tenant.name or default_name,
            declared.get("sender_address") or default_address,
        )
    )
    message = EmailMessage()
    message["From"] = sender
    message["To"] = Address(display_name=recipient.display_name, addr_spec=recipient.email or "")
    message["Subject"] = outgoing.subject
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = message_id(outgoing, sender)
    unsubscribe = outgoing.links.get("unsubscribe")
    if unsubscribe:
        # RFC 2369 and RFC 8058: mail programs offer "unsubscribe" and may post to it without a visit.
        message["List-Unsubscribe"] = f"<{unsubscribe}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    own = (outgoing.payload.get("texts") or {}).get("email") or {}
    values = {
        "outgoing": outgoing,
        # A template's HTML part, made from its Markdown when the message was decided (values escaped).
        "html": Markup(own["html"]) if own.get("html") else None,  # noqa: S704 - rendered by our sandbox
        "paragraphs": [part.strip() for part in outgoing.body.split("\n\n") if part.strip()],
        "colour": tenant.branding.get("primary_color") or DEFAULT_COLOUR,
        "unsubscribe": unsubscribe,
    }
    message.set_content(render_template("outreach/email.txt", **values))
    message.add_alternative(render_template("outreach/email.html", **values), subtype="html")
    for attached in outgoing.payload.get("attachments") or ():
        add_attachment(message, attached)
    return message


def add_attachment(message: EmailMessage, attached: dict[str, str]) -> None:
    """Attach a text file of a message's payload (`filename`, `content_type` with its parameters, `text`)."""
    kind, *parameters = (part.strip() for part in attached["content_type"].split(";"))
    maintype, _slash, subtype = kind.partition("/")
    message.add_attachment(
        attached["text"].encode(),
        maintype=maintype,
        subtype=subtype,
        filename=attached["filename"],
        params=dict(parameter.partition("=")[::2] for parameter in parameters if "=" in parameter),
    )


def _answers(refused: dict[str, tuple[int, bytes]]) -> str:
    return "; ".join(f"{code} {answer.decode(errors='replace')}" for code, answer in refused.values())


def _text(error: smtplib.SMTPResponseException) -> str:
    answer = error.smtp_error
    return answer.decode(errors="replace") if isinstance(answer, bytes) else str(answer)
