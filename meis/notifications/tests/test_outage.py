"""Fault test: PostgreSQL is cut off from the task worker for 20 s while messages keep being
queued; afterwards the worker is still running and every message has reached the mail
server, each once after Message-ID dedupe, none lost and no task left RUNNING or FAILED (ADR 0021).

The outage is a TCP proxy of the test's own between the worker process and PostgreSQL: it resets
every open connection and stops listening (connections are refused) for `OUTAGE_SECONDS`, then
listens again on the same port. The test process itself — the web that queues messages — keeps
its direct connection, so the load goes on through the outage and a backlog waits afterwards.
"""

from __future__ import annotations

import contextlib
import os
import random
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult

from meis.notifications.models import Message, Status
from meis.notifications.services import notification_queue, outbox_sweep
from meis.notifications.tests.test_crash import wait_for
from meis.notifications.tests.test_outbox import DECISION

# The outage of the report this test reproduces was 18 s; the issue asks for 20.
OUTAGE_SECONDS = 20
MESSAGES_PER_TRANSACTION = 5
MEIS = Path(sys.executable).with_name("meis")
WORKER = ["worker", "--no-reload", "--no-startup-delay", "--interval", "0.1"]


class FlakyLink:
    """A TCP proxy on 127.0.0.1 to PostgreSQL that can fail: `cut()` resets every connection and
    stops listening (new connections are refused), `restore()` listens again on the same port.

    The port is below Linux's ephemeral range, so no outgoing connection takes it while cut."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = 0
        self._listener: socket.socket | None = None
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()

    def start(self) -> None:
        for port in random.sample(range(20000, 32000), 50):
            try:
                self._listen(port)
            except OSError:
                continue
            self.port = port
            return
        raise RuntimeError("no free port for the proxy")

    def cut(self) -> None:
        with self._lock:
            listener, self._listener = self._listener, None
            if listener is not None:
                listener.close()
            for sock in self._open:
                # Shut down, not only closed: a close does not end a connection that another
                # thread is receiving on. Both ends see it drop, as when the network fails.
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._open.clear()

    def restore(self) -> None:
        self._listen(self.port)

    def close(self) -> None:
        self.cut()

    def _listen(self, port: int) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen(64)
        listener.settimeout(0.05)
        with self._lock:
            self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while self._listener is listener:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            upstream = socket.create_connection(self.target)
            with self._lock:
                if self._listener is not listener:  # cut while this one was being connected
                    client.close()
                    upstream.close()
                    return
                self._open |= {client, upstream}
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        with self._lock:
            for sock in (source, sink):
                if sock in self._open:
                    self._open.discard(sock)
                    sock.close()


def start(
    command: list[str], *, link: FlakyLink, smtp_port: int, log: Path
) -> subprocess.Popen[bytes]:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "meis.test_settings",
        "DATABASE_URL": f"postgres://{db['USER']}@127.0.0.1:{link.port}/{db['NAME']}",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "NOTIFICATION_SENDING_LEASE": "2",
    }
    return subprocess.Popen(  # noqa: S603 — our own executable
        [str(MEIS), *command], env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )


def queue_for(seconds: float, person, sent: list[Message]) -> None:
    """Queue messages steadily (a few transactions a second, as a busy web would) for `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with transaction.atomic():
            for _ in range(MESSAGES_PER_TRANSACTION):
                sent += notification_queue(
                    person=person,
                    event="case_decision",
                    context=DECISION,
                    channel_preferences=["email"],
                    dedupe_key=f"outage:{len(sent)}",
                )
        time.sleep(0.05)  # pacing the load, not waiting for a condition


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_worker_outlives_a_database_outage_and_every_message_is_delivered_once(
    smtp_server, person, settings, tmp_path, client
):
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL: the worker process shares the test database.")
    settings.NOTIFICATION_SENDING_LEASE = 2
    db = connection.settings_dict
    link = FlakyLink((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
    link.start()
    log = tmp_path / "worker.log"
    worker = start(WORKER, link=link, smtp_port=smtp_server.port, log=log)
    queued: list[Message] = []
    try:
        queue_for(1, person, queued)
        # Mid-load: the worker is up and sending when the database goes away.
        assert wait_for(lambda: len(smtp_server.received) > 0, timeout=120), log.read_text()
        link.cut()
        received_before = len(smtp_server.received)
        queue_for(OUTAGE_SECONDS, person, queued)
        alive_through_outage = worker.poll() is None
        link.restore()
        queue_for(2, person, queued)  # the load goes on after the outage
        # The scheduler's sweep (every 30 s; it outlives outages, its jobs' errors are logged)
        # re-enqueues messages claimed by a task the outage cut short once their lease is over.
        all_sent = wait_for(
            lambda: not Message.objects.exclude(status=Status.SENT).exists(),
            timeout=90,
            interval=0.25,
            between=outbox_sweep,
        )
        no_task_running = wait_for(
            lambda: not DBTaskResult.objects.running().exists(), timeout=30, interval=0.25
        )
        healthy = wait_for(lambda: client.get("/health/").status_code == 200, timeout=30)
        alive_after = worker.poll() is None
    finally:
        worker.terminate()
        worker.wait(timeout=15)
        link.close()

    ids = Counter(str(mail["Message-ID"]) for mail in smtp_server.received)
    duplicates = sum(ids.values()) - len(ids)
    print(  # noqa: T201 — the figures the fault test reports
        f"\noutage test: {len(queued)} messages queued, {received_before} delivered before the"
        f" {OUTAGE_SECONDS} s outage; received {sum(ids.values())} raw, {duplicates}"
        f" duplicate(s), {len(ids)} distinct"
    )
    worker_log = log.read_text(errors="replace")[-3000:]
    assert alive_through_outage, worker_log
    assert alive_after, worker_log
    assert all_sent, Counter(Message.objects.values_list("status", flat=True))
    assert no_task_running
    assert not DBTaskResult.objects.failed().exists()  # interrupted tasks ran again
    assert set(ids) == {f"<{m.public_id}@meis.example>" for m in queued}  # none lost or foreign
    assert duplicates <= 1  # at most the one e-mail sent as the outage began (ADR 0012)
    assert healthy
