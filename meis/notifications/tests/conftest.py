"""Real servers on 127.0.0.1 for the notification tests: SMTP (aiosmtpd) and an SMS gateway."""

from __future__ import annotations

import datetime
import email
import email.policy
import itertools
import json
import logging
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command

from meis.notifications.models import Template
from meis.notifications.seed import templates_seed
from meis.registry.models import Person

_fins = itertools.count(1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def person_create(**overrides) -> Person:
    number = next(_fins)
    fields = {
        "fin": f"NT{number:05d}",
        "last_name": "Məmmədova",
        "first_name": "Gülşən",
        "patronymic": "Əli qızı",
        "birth_on": datetime.date(1980, 5, 17),
        "sex": "F",
        "region": "baku",
        "address": "Bakı, Nizami küç. 1",
        "verified_email": f"gulsen{number}@example.az",
        "verified_phone": "+994501234567",
        "preferred_language": "az",
    }
    fields.update(overrides)
    return Person.objects.create(**fields)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Attachments are stored under a fresh directory for each test."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def templates(db):
    templates_seed(Template)


@pytest.fixture
def person(templates):
    return person_create()


def run_worker() -> None:
    """Run a real `db_worker` over every ready task, in this process."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


@dataclass
class SmtpSink:
    host: str
    port: int
    received: list[email.message.EmailMessage] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)
    peers: list[tuple[str, int]] = field(default_factory=list)  # the connection of each e-mail
    refuse: set[str] = field(default_factory=set)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.raw.append(envelope.content)
        self.peers.append(session.peer)
        self.received.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted"


@pytest.fixture
def smtp_server(settings):
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    sink = SmtpSink(host="127.0.0.1", port=free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = sink.host, sink.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield sink
    controller.stop()


@dataclass
class GatewayBehaviour:
    status: int = 200
    answer: dict[str, str] = field(default_factory=lambda: {"id": "gw-1"})
    hang: bool = False
    requests: list[dict[str, object]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)


@pytest.fixture
def sms_gateway(settings):
    behaviour = GatewayBehaviour()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"]))
            behaviour.requests.append(
                {"headers": dict(self.headers), "json": json.loads(body), "path": self.path}
            )
            if behaviour.hang:
                behaviour.release.wait(timeout=10)
            payload = json.dumps(behaviour.answer).encode()
            self.send_response(behaviour.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}/v1/messages"
    settings.SMS_GATEWAY_TOKEN = "gateway-token"
    settings.SMS_GATEWAY_TIMEOUT = 2
    yield behaviour
    behaviour.release.set()
    server.shutdown()
    server.server_close()
