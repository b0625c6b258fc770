"""Real peers on 127.0.0.1 for the outreach tests: an SMTP server, an SMS gateway and a push service.

- `mailbox`: an aiosmtpd server that parses every mail it is given; it can answer with a refusal.
- `sms_gateway`: an HTTP server standing in for Infobip's Send SMS API; a script of answers lets it
  fail (5xx, 4xx) or answer slowly.
- `push_service`: an HTTP server that decrypts each web push payload with the private key of the
  browser subscription it made (RFC 8291, aes128gcm), as a browser would.

`outreach_app` is the platform's app wired to these peers (jobs inline: no Redis).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import email
import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from email import policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import http_ece
import pytest
from aiosmtpd.controller import Controller
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from flask import Flask
from py_vapid import Vapid
from sqlalchemy import select

from aandacht import jobs
from aandacht.app import create_app
from aandacht.db import session
from aandacht.outreach import delivery, service
from aandacht.outreach.models import Message
from aandacht.outreach.service import PREFERENCE
from aandacht.profiles.service import set_values
from aandacht.tenancy.context import tenant_context
from aandacht.testing.processes import kill_with_children
from tests.segments.conftest import SELECTION_ATTRIBUTES


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def b64url(data: bytes) -> str:
    """Base64url without padding, as the Push API writes keys."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class Mailbox:
    """What the SMTP peer was given: every attempt, and the mails it accepted."""

    port: int = 0
    #: Answers to the next DATA commands ("451 …", "550 …"); empty: accept.
    answers: deque[str] = field(default_factory=deque)
    #: Seconds to wait before answering DATA.
    delay: float = 0.0
    attempts: list[EmailMessage] = field(default_factory=list)
    accepted: list[EmailMessage] = field(default_factory=list)
    #: The client's (address, port) of each attempt: one per SMTP connection.
    peers: list[Any] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, smtp_session, envelope) -> str:
        """Parse the mail, then accept it or give the scripted refusal."""
        if self.delay:
            await asyncio.sleep(self.delay)
        mail = email.message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.attempts.append(mail)
            self.peers.append(smtp_session.peer)
            answer = self.answers.popleft() if self.answers else None
            if answer is None:
                self.accepted.append(mail)
        return answer or "250 Message accepted for delivery"

    @property
    def connections(self) -> int:
        """How many SMTP connections brought mails."""
        with self.lock:
            return len(set(self.peers))

    def to(self, address: str) -> list[EmailMessage]:
        """The accepted mails to `address`."""
        with self.lock:
            return [mail for mail in self.accepted if address in str(mail["To"])]


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    """An SMTP server on 127.0.0.1 that keeps what it receives."""
    box = Mailbox(port=free_port())
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    yield box
    controller.stop()


@dataclass
class Answer:
    """One scripted answer of an HTTP peer."""

    status: int = 200
    body: dict[str, Any] | None = None
    delay: float = 0.0


@dataclass
class Recorded:
    """One request an HTTP peer received."""

    path: str
    #: The headers, by lower-case name.
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        """The body as JSON."""
        return json.loads(self.body)


class HttpPeer(ThreadingHTTPServer):
    """A small HTTP server on 127.0.0.1 that records requests and answers from a script."""

    daemon_threads = True

    def __init__(self, default: Callable[[Recorded], Answer]) -> None:
        self.script: deque[Answer] = deque()
        self.received: list[Recorded] = []
        self.default = default
        super().__init__(("127.0.0.1", 0), _PeerHandler)
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        """The peer's base address."""
        return f"http://127.0.0.1:{self.server_address[1]}"

    def close(self) -> None:
        """Stop serving."""
        self.shutdown()
        self.server_close()


class _PeerHandler(BaseHTTPRequestHandler):
    server: HttpPeer

    def do_POST(self) -> None:
        recorded = Recorded(
            self.path,
            {name.lower(): value for name, value in self.headers.items()},
            self.rfile.read(int(self.headers["Content-Length"] or 0)),
        )
        self.server.received.append(recorded)
        answer = self.server.script.popleft() if self.server.script else self.server.default(recorded)
        if answer.delay:
            time.sleep(answer.delay)
        body = json.dumps(answer.body or {}).encode()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.send_response(answer.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


def infobip_accepts(request: Recorded) -> Answer:
    """Infobip's answer to an accepted message: its messageId with a PENDING status."""
    sent = request.json()["messages"][0]["destinations"][0]
    status = {"groupId": 1, "groupName": "PENDING", "id": 26, "name": "PENDING_ACCEPTED"}
    return Answer(
        200,
        {
            "bulkId": uuid.uuid4().hex,
            "messages": [{"messageId": sent["messageId"], "status": status, "destination": sent["to"]}],
        },
    )


#: Infobip's report statuses and errors by group, as its "Receive outbound SMS message report" shows them.
REPORT_STATUSES = {
    "DELIVERED": (
        {"groupId": 3, "name": "DELIVERED_TO_HANDSET", "description": "Message delivered to handset"}
    ),
    "UNDELIVERABLE": (
        {"groupId": 2, "name": "UNDELIVERABLE_NOT_DELIVERED", "description": "Message sent not delivered"}
    ),
    "EXPIRED": ({"groupId": 4, "name": "EXPIRED_EXPIRED", "description": "Message expired"}),
    "REJECTED": ({"groupId": 5, "name": "REJECTED_NETWORK", "description": "Network is forbidden"}),
}


class InfobipGateway(HttpPeer):
    """Infobip's Send SMS API, and its delivery reports to the address each message asked them at."""

    def __init__(self) -> None:
        super().__init__(infobip_accepts)

    def reports(self, group: str) -> list[tuple[str, dict[str, Any]]]:
        """For each message received so far: (its report address, the report of `group` Infobip posts)."""
        found = []
        for request in self.received:
            for message in request.json()["messages"]:
                url = message["webhooks"]["delivery"]["url"]
                destination = message["destinations"][0]
                status = {"groupName": group, "id": 5, **REPORT_STATUSES[group]}
                error = {"groupId": 0, "groupName": "OK", "id": 0, "name": "NO_ERROR", "permanent": False}
                if group != "DELIVERED":
                    error = {
                        "groupId": 1,
                        "groupName": "HANDSET_ERRORS",
                        "id": 27,
                        "name": "EC_ABSENT_SUBSCRIBER",
                        "description": "Absent subscriber",
                        "permanent": False,
                    }
                result = {
                    "bulkId": uuid.uuid4().hex,
                    "messageId": destination["messageId"],
                    "to": destination["to"],
                    "sentAt": "2026-12-06T07:00:00.000+0000",
                    "doneAt": "2026-12-06T07:00:05.000+0000",
                    "smsCount": 1,
                    "price": {"pricePerMessage": 0.07, "currency": "EUR"},
                    "status": status,
                    "error": error,
                }
                found.append((url, {"results": [result]}))
        return found

    def send_reports(self, client: Any, group: str) -> list[Any]:
        """Post the reports of `group` to the app (its public address is not served here: a test client)."""
        return [
            client.post(url.removeprefix("https://aandacht.test"), json=report)
            for url, report in self.reports(group)
        ]


@pytest.fixture
def sms_gateway() -> Iterator[InfobipGateway]:
    """A stand-in for Infobip's API: accepts every message unless its script says otherwise."""
    peer = InfobipGateway()
    yield peer
    peer.close()


class PushService(HttpPeer):
    """A push service and the browsers subscribed to it: it decrypts every payload it receives."""

    def __init__(self) -> None:
        super().__init__(lambda _request: Answer(201))
        self.browsers: dict[str, tuple[ec.EllipticCurvePrivateKey, bytes]] = {}

    def subscribe(self) -> dict[str, str]:
        """A new browser's subscription: endpoint, public key (p256dh) and authentication secret."""
        key, secret, name = ec.generate_private_key(ec.SECP256R1()), os.urandom(16), uuid.uuid4().hex
        self.browsers[f"/push/{name}"] = (key, secret)
        public = key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
        return {"endpoint": f"{self.url}/push/{name}", "p256dh": b64url(public), "auth": b64url(secret)}

    def payloads(self) -> list[tuple[Recorded, dict[str, Any]]]:
        """Every request with its payload, decrypted with the browser's private key."""
        found = []
        for request in self.received:
            key, secret = self.browsers[request.path]
            plain = http_ece.decrypt(request.body, private_key=key, auth_secret=secret, version="aes128gcm")
            found.append((request, json.loads(plain)))
        return found


@pytest.fixture
def push_service() -> Iterator[PushService]:
    """A push service on 127.0.0.1 that decrypts what it is given."""
    peer = PushService()
    yield peer
    peer.close()


@pytest.fixture(scope="session")
def vapid_keys() -> dict[str, str]:
    """A VAPID key pair for the tests, as the settings take it."""
    vapid = Vapid()
    vapid.generate_keys()
    private = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
    public = vapid.public_key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    return {
        "VAPID_PRIVATE_KEY": b64url(private),
        "VAPID_PUBLIC_KEY": b64url(public),
        "VAPID_SUBJECT": "mailto:beheer@aandacht.test",
    }


@pytest.fixture
def peer_settings(mailbox, sms_gateway, vapid_keys) -> dict[str, str]:
    """Settings that send to the peers, with short time-outs."""
    return {
        "SMTP_URL": f"smtp://127.0.0.1:{mailbox.port}",
        "MAIL_FROM": "Aandacht <noreply@aandacht.test>",
        "SMS_GATEWAY_URL": sms_gateway.url,
        "SMS_API_KEY": "test-infobip-key",
        "AANDACHT_PUBLIC_URL": "https://aandacht.test",
        "AANDACHT_SEND_TIMEOUT": "1",
        **vapid_keys,
    }


@pytest.fixture
def outreach_app(app_settings, app, peer_settings) -> Flask:
    """The app on the test database, sending to the peers; jobs run inline."""
    return create_app({**app_settings, **peer_settings})


def start_worker(
    settings: dict[str, str], log: Any, *, queue: str = "bulk", fork: bool = True
) -> subprocess.Popen:
    """`aandacht worker --burst [--no-fork]` in a process (and session) of its own, with these settings."""
    command = [str(Path(sys.executable).with_name("aandacht")), "worker", "--burst", "--queue", queue]
    return subprocess.Popen(
        command if fork else [*command, "--no-fork"],
        env={**os.environ, **settings},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def kill_worker_midway(
    settings: dict[str, str], mailbox: Mailbox, *, after: int, log_path: Path, fork: bool = True
) -> int:
    """Start a worker, SIGKILL it (and the job it runs) once `after` mails were accepted; the count then."""
    with log_path.open("w") as log:
        worker = start_worker(settings, log, fork=fork)
        deadline = time.monotonic() + 60
        while len(mailbox.accepted) < after and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.02)
        kill_with_children(worker.pid)  # the worker and the job it was running (its work horse), at once
        worker.wait()
    return len(mailbox.accepted)


def statuses_after_the_sweeper(app: Flask, tenant: Any, sweep, time_passes, mailbox: Mailbox) -> list[Any]:
    """After a kill: time passes, the sweeper takes claims back and hands over, a worker empties the queue.

    Returns (status, attempts, last_error) of each of the tenant's messages.
    """
    minutes = max(delivery.STUCK_AFTER, delivery.HAND_OVER_AGAIN_AFTER).total_seconds() / 60 + 1
    time_passes(tenant, minutes=minutes)
    sweep(tenant, app=app)
    mailbox.delay = 0
    jobs.run_worker(app, ["bulk"], burst=True)
    with app.app_context(), tenant_context(tenant):
        return list(session.execute(select(Message.status, Message.attempts, Message.last_error)).all())


def message_ids_per_recipient(mailbox: Mailbox) -> dict[str, set[str]]:
    """The Message-IDs each recipient was given (a set: a repeated hand-off of a mail counts once)."""
    found: dict[str, set[str]] = {}
    for mail in mailbox.accepted:
        found.setdefault(mail["To"].addresses[0].addr_spec, set()).add(mail["Message-ID"])
    return found


@pytest.fixture
def queued_app(app_settings, app, peer_settings, redis_url):
    """The app with Redis: delivery jobs go to RQ queues, emptied first."""
    application = create_app({**app_settings, **peer_settings, "REDIS_URL": redis_url})
    for name in jobs.QUEUES:
        jobs.queue_named(application, name).empty()
    return application


@pytest.fixture
def messages_of(outreach_app) -> Callable[..., list[Message]]:
    """`messages_of(tenant, person_id)`: the person's messages, oldest first."""

    def read(tenant, person_id: uuid.UUID) -> list[Message]:
        with outreach_app.app_context(), tenant_context(tenant):
            query = select(Message).where(Message.person_id == person_id).order_by(Message.created_at)
            return list(session.execute(query).scalars())

    return read


@pytest.fixture
def time_passes(outreach_app) -> Callable[..., None]:
    """`time_passes(tenant, minutes)`: every moment of the tenant's messages moves that far into the past."""

    def move(tenant, minutes: float) -> None:
        shift = timedelta(minutes=minutes)
        with outreach_app.app_context(), tenant_context(tenant):
            for message in session.execute(select(Message)).scalars():
                for column in ("created_at", "next_attempt_at", "handed_over_at", "claimed_at", "not_before"):
                    moment = getattr(message, column)
                    if moment is not None:
                        setattr(message, column, moment - shift)
            session.commit()

    return move


@pytest.fixture
def decide(outreach_app) -> Callable[..., uuid.UUID]:
    """`decide(tenant, person_id, subject=…, body=…, **options)`: decide a message and commit; its id."""

    def make(tenant, person_id: uuid.UUID, *, app: Flask | None = None, **options) -> uuid.UUID:
        options.setdefault("subject", "Nieuwe vacature")
        options.setdefault("body", "Er is een baan voor u bij de bibliotheek.")
        with (app or outreach_app).app_context(), tenant_context(tenant):
            message = service.send_to_person(person_id, actor_id=None, **options)
            session.commit()
            return message.id

    return make


@pytest.fixture
def sweep(outreach_app) -> Callable[..., tuple[int, int]]:
    """`sweep(tenant)`: one run of the sweeper in the tenant (jobs inline unless `app` has Redis)."""

    def run(tenant, *, app: Flask | None = None) -> tuple[int, int]:
        with (app or outreach_app).app_context(), tenant_context(tenant):
            return delivery.requeue()

    return run


@pytest.fixture
def prefer(app) -> Callable[..., None]:
    """`prefer(tenant, person_id, "sms")`: the person's answer to "How do you want to hear from us?"."""

    def answer(tenant, person_id: uuid.UUID, channel: str) -> None:
        with app.app_context(), tenant_context(tenant):
            set_values(
                person_id, {PREFERENCE: channel}, source="person", audience="person", actor_id=person_id
            )

    return answer


@dataclass(frozen=True)
class TemplateSetting:
    """A tenant for templates: a coach with one person in the caseload, one person outside it, a team lead."""

    tenant: Any
    mine: uuid.UUID
    other: uuid.UUID
    coach: uuid.UUID
    lead: uuid.UUID


@pytest.fixture
def template_setting(create_tenant, create_person, create_staff, in_tenant) -> TemplateSetting:
    """Sanne Bakker (sector zorg; energy 4, a special category) in Anna de Vries's caseload, Ahmet not."""
    tenant = create_tenant(name="Gemeente Hengelo", attributes=SELECTION_ATTRIBUTES)
    mine = create_person(tenant, display_name="Sanne Bakker")
    other = create_person(tenant, display_name="Ahmet Yilmaz")
    with in_tenant(tenant):
        set_values(mine, {"tenant.sector": "zorg"}, source="system", audience="system")
        set_values(mine, {"tenant.energy": 4}, source="person", audience="person")
    coach = create_staff(tenant, role="coach", display_name="Anna de Vries", caseload=[mine])
    lead = create_staff(tenant, role="team_lead", display_name="Bram Smit")
    return TemplateSetting(tenant, mine, other, coach, lead)
