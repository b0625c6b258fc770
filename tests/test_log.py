"""Structured logs: JSON lines with the request id on every line and no personal data."""

import io
import json
import logging

import pytest

from aandacht.app import create_app
from aandacht.log import configure_logging, mask_personal_data


@pytest.fixture
def log_lines(app):
    """Capture the platform's JSON log lines for one test, then restore the test format."""
    stream = io.StringIO()
    configure_logging("INFO", "json", stream)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    configure_logging("INFO", "text")


@pytest.fixture
def talking_app(app_settings, app):
    """An app of its own that logs a line of its own in each request (made before the capture starts)."""
    talking = create_app(app_settings)

    @talking.before_request
    def say_something():
        logging.getLogger("aandacht.test").info("working on it")

    return talking


def test_each_request_logs_one_json_line_with_its_id_and_tenant(talking_app, create_tenant, log_lines):
    tenant = create_tenant()
    response = talking_app.test_client().get(
        f"/t/{tenant.slug}/?email=jan@example.nl", headers={"X-Request-ID": "abc-123-def-456"}
    )
    lines = [line for line in log_lines() if line["logger"] in ("aandacht.test", "aandacht.request")]
    assert response.headers["X-Request-ID"] == "abc-123-def-456"
    assert [line["message"] for line in lines] == ["working on it", "request"]
    assert {line["request_id"] for line in lines} == {"abc-123-def-456"}
    assert {line["tenant"] for line in lines} == {tenant.slug}
    request_line = lines[-1]
    assert (request_line["method"], request_line["path"], request_line["status"]) == ("GET", "/", 200)
    assert "jan@example.nl" not in json.dumps(lines)


def test_a_malformed_incoming_request_id_is_replaced(client, log_lines):
    response = client.get("/healthz", headers={"X-Request-ID": "<script>"})
    assert response.headers["X-Request-ID"] != "<script>"
    assert len(response.headers["X-Request-ID"]) == 32


def test_personal_data_in_messages_is_masked(log_lines):
    logging.getLogger("aandacht.test").warning(
        "mail %s or call %s, bsn %s", "a.b@c.nl", "+31 6 1234 5678", "123456782"
    )
    line = log_lines()[-1]
    assert line["message"] == "mail [email] or call [number], bsn [number]"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("ids stay: 3f2a-11", "ids stay: 3f2a-11"),
        ("call 06-12345678 now", "call [number] now"),
        ("year 2026 stays", "year 2026 stays"),
    ],
)
def test_masking_keeps_what_is_not_personal(text, masked):
    assert mask_personal_data(text) == masked
