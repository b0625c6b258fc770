"""Structured logging: one JSON object per line, with the request id and tenant on every line.

Personal data stays out of the logs: request lines carry the path without its query string, no bodies,
no addresses; and a last filter masks anything shaped like an e-mail address, a phone number or a
citizen service number (BSN) that a message might still carry.
"""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid
from contextvars import ContextVar

from flask import Flask, g, request
from pythonjsonlogger.json import JsonFormatter

from aandacht.tenancy.context import current_tenant

_request_id: ContextVar[str] = ContextVar("aandacht_request_id", default="-")
_INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_LONG_NUMBER = re.compile(r"(?<![\w-])\+?\d[\d -]{7,}\d(?![\w-])")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s %(tenant)s] %(message)s"


def current_request_id() -> str:
    """The id of the request or job being handled ('-' outside both)."""
    return _request_id.get()


def bind_request_id(request_id: str) -> object:
    """Use `request_id` on every log line from here on in this context; returns a reset token."""
    return _request_id.set(request_id)


def mask_personal_data(text: str) -> str:
    """Replace e-mail addresses and long digit runs (phone numbers, BSNs) in `text`."""
    return _LONG_NUMBER.sub("[number]", _EMAIL.sub("[email]", text))


def reset_request_id(token: object) -> None:
    """Go back to the request id that was in use before `bind_request_id` returned `token`."""
    _request_id.reset(token)  # type: ignore[arg-type]


class ContextFilter(logging.Filter):
    """Adds request id and tenant to each record and masks personal data in its message."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Enrich and clean `record`; never drops it."""
        record.request_id = _request_id.get()
        tenant = current_tenant()
        record.tenant = tenant.slug if tenant else "-"
        if record.args:
            record.msg, record.args = record.getMessage(), None
        record.msg = mask_personal_data(str(record.msg))
        return True


def configure_logging(level: str, log_format: str, stream=None) -> None:
    """Send all logging to `stream` (stderr) as JSON lines or plain text, through the context filter."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(ContextFilter())
    if log_format == "json":
        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(request_id)s %(tenant)s %(message)s",
                rename_fields={"levelname": "level", "name": "logger", "asctime": "time"},
            )
        )
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    handler.name = "aandacht"
    root = logging.getLogger()
    root.handlers[:] = [existing for existing in root.handlers if existing.name != "aandacht"] + [handler]
    root.setLevel(level)
    # Werkzeug's own request lines carry client addresses and query strings; ours below do not.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)


def init_app(app: Flask) -> None:
    """Give every request an id (kept from X-Request-ID when well-formed) and log one line per request."""
    access_log = logging.getLogger("aandacht.request")

    @app.before_request
    def start_request() -> None:
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if _INCOMING_ID.match(incoming) else uuid.uuid4().hex
        g.request_id_token = bind_request_id(g.request_id)
        g.request_started = time.perf_counter()

    @app.after_request
    def finish_request(response):
        response.headers["X-Request-ID"] = g.get("request_id", "-")
        started = g.get("request_started")
        if started is not None:
            access_log.info(
                "request",
                extra={
                    "method": request.method,
                    "path": mask_personal_data(request.path),
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
        return response

    @app.teardown_request
    def end_request(_exc) -> None:
        token = g.pop("request_id_token", None)
        if token is not None:
            reset_request_id(token)
