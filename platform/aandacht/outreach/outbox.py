"""Transactional delivery (login links and codes): SMTP when configured, else the local outbox folder.

In the embedded default every message is written as one JSON file to the outbox folder
(`AANDACHT_OUTBOX_DIR`), where the demo and the tests read it; nothing leaves the machine. The
channels of `aandacht.outreach.channels` hand their messages over through the same two functions,
`write_to_outbox` and `send_smtp`.
"""

from __future__ import annotations

import json
import smtplib
import ssl
import uuid
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from flask import current_app

from aandacht.tenancy.context import current_tenant


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


def send_smtp(url: str, message: EmailMessage, *, timeout: float = 30) -> None:
    """Hand `message` to the mail server of `url` (smtp://, smtp+starttls://, smtps://)."""
    parts = urlsplit(url)
    secure = parts.scheme == "smtps"
    port = parts.port or (465 if secure else 25)
    client_class = smtplib.SMTP_SSL if secure else smtplib.SMTP
    with client_class(parts.hostname or "localhost", port, timeout=timeout) as client:
        if parts.scheme == "smtp+starttls":
            client.starttls(context=ssl.create_default_context())
        if parts.username:
            client.login(unquote(parts.username), unquote(parts.password or ""))
        client.send_message(message)
