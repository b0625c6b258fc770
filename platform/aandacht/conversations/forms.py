"""What both faces read from their forms: a moment typed on the wall clock, an uploaded file."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

from flask import Response, g, request, send_file
from werkzeug.datastructures import FileStorage

from aandacht.conversations import attachments, ics
from aandacht.conversations.attachments import CheckedFile
from aandacht.conversations.models import Appointment, ConversationAttachment
from aandacht.outreach.limits import time_zone


def moment_from(raw: str | None) -> datetime | None:
    """A `datetime-local` field's moment in the tenant's time zone, as UTC; None when it is not one."""
    try:
        local = datetime.fromisoformat((raw or "").strip())
    except ValueError:
        return None
    return local.replace(tzinfo=time_zone(g.tenant)).astimezone(UTC)


def local_input(moment: datetime | None) -> str:
    """A moment as a `datetime-local` field's value, on the tenant's wall clock."""
    return moment.astimezone(time_zone(g.tenant)).strftime("%Y-%m-%dT%H:%M") if moment else ""


def uploaded_file(field: str = "file") -> CheckedFile | None:
    """The file sent in `field`, checked; None when none was chosen; raises AttachmentRefused."""
    sent: FileStorage | None = request.files.get(field)
    if sent is None or not sent.filename:
        return None
    content = sent.stream.read(attachments.MAX_SIZE + 1)
    return attachments.check(sent.filename, content)


def download(found: ConversationAttachment) -> Response:
    """An attachment as a download (never shown inline: a file is only what its checked type says)."""
    response = send_file(
        BytesIO(found.content), mimetype=found.content_type, as_attachment=True, download_name=found.filename
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def calendar_download(appointment: Appointment, content: bytes) -> Response:
    """The appointment's calendar file as a download."""
    response = send_file(
        BytesIO(content),
        mimetype=ics.CONTENT_TYPE,
        as_attachment=True,
        download_name=ics.filename(appointment),
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
