"""Transactional delivery (login links and codes): SMTP when configured, else the local outbox folder.

In the embedded default every message is written as one JSON file to the outbox folder
(`AANDACHT_OUTBOX_DIR`), where the demo and the tests read it; nothing leaves the machine. The
channels of `aandacht.outreach.channels` hand their messages over through the same two functions,
`write_to_outbox` and `send_smtp`.

`smtp_session(url)` keeps one SMTP connection open for every `send_smtp` to that server inside it (a
delivery batch: one connection for a hundred mails instead of a hundred); outside one, each mail has
a connection of its own. After any failure the session's connection is closed and the next mail opens
a fresh one, so a connection in an unknown state is never reused.
"""

from __future__ import annotations

import json
import smtplib
import ssl
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from email.message import EmailMessage, Message
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from flask import current_app
from flask_babel import force_locale

from aandacht.tenancy.context import CurrentTenant, current_tenant


class SmtpSession:
    """One SMTP connection to one server, opened at the first mail and reused by the next ones."""

    def __init__(self, url: str, timeout: float) -> None:
        self.url, self.timeout = url, timeout
        self.client: smtplib.SMTP | None = None
        #: How many connections this session opened (a failure closes one; the next mail opens another).
        self.opened = 0

    def send(self, message: Message) -> None:
        """Hand `message` over on the open connection (opening it first when there is none)."""
        try:
            if self.client is None:
                self.client = _connect(self.url, self.timeout)
                self.opened += 1
            self.client.send_message(message)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Say goodbye to the server (QUIT) if a connection is open; errors on the way out are ignored."""
        client, self.client = self.client, None
        if client is not None:
            try:
                client.quit()
            except (smtplib.SMTPException, OSError):
                client.close()


_session: ContextVar[SmtpSession | None] = ContextVar("aandacht_smtp_session", default=None)


@contextmanager
def smtp_session(url: str, *, timeout: float = 30) -> Iterator[SmtpSession]:
    """Within this block, every `send_smtp` to `url` goes over one connection (opened when first needed)."""
    opened = SmtpSession(url, timeout)
    token = _session.set(opened)
    try:
        yield opened
    finally:
        _session.reset(token)
        opened.close()


@contextmanager
def tenant_request(tenant: CurrentTenant, locale: str) -> Iterator[None]:
    """A request on the tenant's public address in the reader's language, for links and texts of a mail."""
    settings = current_app.extensions["aandacht.settings"]
    base_url = f"{settings.public_url}/t/{tenant.slug}/"
    with current_app.test_request_context("/", base_url=base_url), force_locale(locale):
        yield


def deliver_email(*, to: str, subject: str, text: str) -> None:
    """Send a plain-text e-mail now."""
    settings = current_app.extensions["aandacht.settings"]
    if settings.smtp_url is None:
        write_to_outbox("email", {"to": to, "subject": subject, "text": text})
        return
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = settings.mail_from, to, subject
    message.set_content(text)
    send_smtp(settings.smtp_url, message)


def deliver_sms(*, to: str, text: str) -> None:
    """Send a text message (to the outbox until an SMS gateway is configured)."""
    write_to_outbox("sms", {"to": to, "text": text})


def outbox_messages(outbox_dir: Path, *, tenant_slug: str | None = None) -> list[dict[str, Any]]:
    """The messages in the outbox, newest first (optionally of one tenant)."""
    messages = [json.loads(path.read_text()) for path in sorted(outbox_dir.glob("*.json"), reverse=True)]
    return [m for m in messages if tenant_slug is None or m.get("tenant") == tenant_slug]


def write_to_outbox(channel: str, content: dict[str, Any]) -> None:
    """Write one message as a JSON file to the outbox folder, marked with the current tenant."""
    outbox: Path = current_app.extensions["aandacht.settings"].outbox_dir
    outbox.mkdir(parents=True, exist_ok=True)
    tenant = current_tenant()
    now = datetime.now(UTC)
    record = {"channel": channel, "tenant": tenant.slug if tenant else None, "at": now.isoformat(), **content}
    path = outbox / f"{now:%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}-{channel}.json"
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2))


def send_smtp(url: str, message: Message, *, timeout: float = 30) -> None:
    """Hand `message` to the mail server of `url` (smtp://, smtp+starttls://, smtps://).

    Inside `smtp_session(url)` the session's connection is used; else one is opened for this mail.
    """
    open_session = _session.get()
    if open_session is not None and open_session.url == url:
        open_session.send(message)
        return
    with _connect(url, timeout) as client:
        client.send_message(message)


def _connect(url: str, timeout: float) -> smtplib.SMTP:
    """A connected (and when asked, encrypted and logged-in) SMTP client for `url`."""
    parts = urlsplit(url)
    secure = parts.scheme == "smtps"
    port = parts.port or (465 if secure else 25)
    client_class = smtplib.SMTP_SSL if secure else smtplib.SMTP
    client = client_class(parts.hostname or "localhost", port, timeout=timeout)
    try:
        if parts.scheme == "smtp+starttls":
            client.starttls(context=ssl.create_default_context())
        if parts.username:
            client.login(unquote(parts.username), unquote(parts.password or ""))
    except BaseException:
        client.close()
        raise
    return client
