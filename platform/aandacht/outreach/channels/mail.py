"""Composing the mails of a tenant: text and HTML in its colours, a stable Message-ID, one-click unsubscribe.

A `Composer` works out once what every mail of a tenant shares (the sender, its domain, the colour,
the two Jinja templates) and then builds each mail with the standard library's `compat32` MIME
classes. The `EmailMessage` API parses every header again through its header registry, which cost
about a third of a delivery worker's time per mail; these classes write the headers as given
(non-ASCII words encoded per RFC 2047), which is all a mail we write ourselves needs.

The Message-ID is made from the message's id, so a mail handed over twice (a worker that died between
the hand-off and recording it) carries the same Message-ID both times, and mail systems that drop
duplicates by Message-ID show it once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from email.charset import QP, Charset
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import format_datetime, formataddr, parseaddr

from flask import current_app
from markupsafe import Markup

from aandacht.config import Settings
from aandacht.db import utcnow
from aandacht.outreach.channels.base import Outgoing
from aandacht.tenancy.context import CurrentTenant

#: The colour of the mail's header when the tenant declares none (the Rijkshuisstijl's blue).
DEFAULT_COLOUR = "#154273"
#: UTF-8 bodies as quoted-printable: Dutch text stays readable in the raw mail, and lines stay short.
_UTF8_QP = Charset("utf-8")
_UTF8_QP.body_encoding = QP
#: Headers are not folded: a long List-Unsubscribe address stays on its line (RFC 5322's limit is 998).
_POLICY = compat32.clone(max_line_length=998)


@dataclass(frozen=True)
class Mail:
    """A composed mail: the MIME message to hand over, its plain text and its headers of interest."""

    message: MIMEMultipart
    text: str
    message_id: str
    list_unsubscribe: str | None


def message_id_for(outgoing: Outgoing, sender: str) -> str:
    """The Message-ID of a message: the same for every hand-off of it (`<id@sender's domain>`)."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "aandacht.invalid"
    return f"<{outgoing.key}@{domain}>"


class Composer:
    """Builds the mails of one tenant; made once per delivery batch, used for each of its mails."""

    def __init__(self, tenant: CurrentTenant, settings: Settings) -> None:
        self.tenant_id = tenant.id
        declared = tenant.channels.get("email", {})
        default_name, default_address = parseaddr(settings.mail_from)
        self.sender = _address(
            declared.get("sender_name") or tenant.name or default_name,
            declared.get("sender_address") or default_address,
        )
        self.colour = tenant.branding.get("primary_color") or DEFAULT_COLOUR
        environment = current_app.jinja_env
        self.text_template = environment.get_template("outreach/email.txt")
        self.html_template = environment.get_template("outreach/email.html")

    def compose(self, outgoing: Outgoing) -> Mail:
        """The mail of `outgoing` (inside a request on the tenant's address in the reader's language)."""
        recipient = outgoing.recipient
        unsubscribe = outgoing.links.get("unsubscribe")
        own = (outgoing.payload.get("texts") or {}).get("email") or {}
        values = {
            "outgoing": outgoing,
            # A template's HTML part, made from its Markdown when the message was decided (values escaped).
            "html": Markup(own["html"]) if own.get("html") else None,  # noqa: S704 - rendered by our sandbox
            "paragraphs": [part.strip() for part in outgoing.body.split("\n\n") if part.strip()],
            "colour": self.colour,
            "unsubscribe": unsubscribe,
        }
        text = self.text_template.render(values)
        body = MIMEMultipart("alternative", policy=_POLICY)
        body.attach(MIMEText(text, "plain", _UTF8_QP, policy=_POLICY))
        body.attach(MIMEText(self.html_template.render(values), "html", _UTF8_QP, policy=_POLICY))
        attached = outgoing.payload.get("attachments") or ()
        message = _with_attachments(body, attached) if attached else body
        message["From"] = self.sender
        message["To"] = _address(recipient.display_name, recipient.email or "")
        message["Subject"] = _header(outgoing.subject)
        message["Date"] = format_datetime(utcnow())
        message_id = message_id_for(outgoing, self.sender)
        message["Message-ID"] = message_id
        list_unsubscribe = f"<{unsubscribe}>" if unsubscribe else None
        if list_unsubscribe:
            # RFC 2369 and RFC 8058: mail programs offer "unsubscribe" and may post to it without a visit.
            message["List-Unsubscribe"] = list_unsubscribe
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        return Mail(message, text, message_id, list_unsubscribe)


def _with_attachments(body: MIMEMultipart, attached: Sequence[dict[str, str]]) -> MIMEMultipart:
    """`multipart/mixed`: the body, then each text file of the payload (e.g. a calendar invitation).

    An attachment is `{"filename", "content_type" with its parameters, "text"}`; parameters such as
    `method=REQUEST` of a calendar file stay on its Content-Type.
    """
    mixed = MIMEMultipart("mixed", policy=_POLICY)
    mixed.attach(body)
    for file in attached:
        kind, *parameters = (part.strip() for part in file["content_type"].split(";"))
        _maintype, _slash, subtype = kind.partition("/")
        part = MIMEText(file["text"], subtype, _UTF8_QP, policy=_POLICY)
        for parameter in parameters:
            name, equals, value = parameter.partition("=")
            if equals:
                part.set_param(name, value.strip('"'))
        part.add_header("Content-Disposition", "attachment", filename=file["filename"])
        mixed.attach(part)
    return mixed


def _address(name: str, address: str) -> str:
    """`Name <address>`, the name RFC 2047-encoded when it is not plain ASCII."""
    return formataddr((name, address), charset="utf-8")


def _header(value: str) -> str | Header:
    """A header value as given when plain ASCII, else RFC 2047-encoded."""
    return value if value.isascii() else Header(value, "utf-8")
