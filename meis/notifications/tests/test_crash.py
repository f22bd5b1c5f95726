"""Crash test: SIGKILL a real worker mid-batch; nothing is lost, duplicates are deduplicable.

Delivery is at-least-once: a message handed to SMTP by the killed worker but not yet recorded as
sent is sent again by the next worker after the lease. Its Message-ID (from the dedupe key) is
the same both times, so the receiver keeps one copy per dedupe key.
"""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection, transaction

from meis.notifications.models import Message, Status
from meis.notifications.services import notification_queue, outbox_sweep
from meis.notifications.tests.test_outbox import DECISION

BATCH = 1000
MEIS = Path(sys.executable).with_name("meis")


def wait_for(condition, *, timeout, interval=0.05, between=None):
    """Poll `condition` until it holds or `timeout` seconds pass; return its last value."""
    deadline = time.monotonic() + timeout
    while not (result := condition()) and time.monotonic() < deadline:
        if between:
            between()
        time.sleep(interval)
    return result


def start_worker(smtp_port: int, lease: int) -> subprocess.Popen[bytes]:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "meis.test_settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "NOTIFICATION_SENDING_LEASE": str(lease),
    }
    return subprocess.Popen(  # noqa: S603 — our own executable
        [str(MEIS), "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_loses_no_message_and_sends_each_once_after_dedupe(
    smtp_server, person, settings
):
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL: worker processes share the test database.")
    settings.NOTIFICATION_SENDING_LEASE = lease = 2
    with transaction.atomic():
        messages = [
            notification_queue(
                person=person,
                event="case_decision",
                context=DECISION,
                channel_preferences=["email"],
                dedupe_key=f"crash:{i}",
            )[0]
            for i in range(BATCH)
        ]
    expected = {f"<{m.public_id}@meis.example>" for m in messages}

    first = start_worker(smtp_server.port, lease)
    try:
        assert wait_for(lambda: len(smtp_server.received) >= BATCH // 4, timeout=30)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    received_before_kill = len(smtp_server.received)
    in_flight = Message.objects.filter(status=Status.SENDING).count()

    second = start_worker(smtp_server.port, lease)
    try:
        all_sent = wait_for(
            lambda: not Message.objects.exclude(status=Status.SENT).exists(),
            timeout=45,
            interval=0.25,
            between=outbox_sweep,
        )
    finally:
        second.terminate()
        second.wait(timeout=10)

    ids = Counter(str(mail["Message-ID"]) for mail in smtp_server.received)
    duplicates = sum(ids.values()) - len(ids)
    print(  # noqa: T201 — the figure the crash test reports
        f"\ncrash test: killed after {received_before_kill}/{BATCH} e-mails, {in_flight} in flight;"
        f" received {sum(ids.values())} raw, {duplicates} duplicate(s), {len(ids)} distinct"
    )
    assert all_sent
    assert set(ids) == expected  # none lost, none foreign
    assert duplicates <= 1  # only the one the killed worker was sending
