"""Benchmark: e-mails through the outbox to a local SMTP server, 2 workers on PostgreSQL.

    .venv/bin/python bench/notifications.py --count 100000 --workers 2

Creates a fresh PostgreSQL database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/meis_bench_notifications), migrates it, starts an aiosmtpd
server (in its own process, as a real mail server would be) and N `meis db_worker` processes,
then queues the e-mails with `notification_queue` (in transactions of 500) while the workers
run. Prints the queueing cost (ms and SQL statements per message), messages/s end to end (first
queued → last accepted by SMTP), the queue latency (sent_at − created_at) p50/p99 and the load
average before and after.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/meis_bench_notifications"


class Sink:
    def __init__(self, received: Any) -> None:
        self.received = received

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        with self.received.get_lock():
            self.received.value += 1
        return "250 OK"


def smtp_serve(port: int, received: Any, stop: Any) -> None:
    """The SMTP server's process: accept and count until told to stop."""
    import logging

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    controller = Controller(Sink(received), hostname="127.0.0.1", port=port)
    controller.start()
    stop.wait()
    controller.stop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def recreate_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", "--messages", dest="count", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    recreate_database(url)
    received, stop = multiprocessing.Value("l", 0), multiprocessing.Event()
    port = free_port()
    server = multiprocessing.Process(target=smtp_serve, args=(port, received, stop), daemon=True)
    server.start()
    load_before = os.getloadavg()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "meis.test_settings",
        "DATABASE_URL": url,
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "LOG_LEVEL": "WARNING",
        # test_settings turns the per-process template cache off for tests; production has it.
        "NOTIFICATION_TEMPLATE_CACHE_SECONDS": "60",
    }
    os.environ.update(env)
    meis = str(Path(sys.executable).with_name("meis"))
    subprocess.run([meis, "migrate", "--no-input", "-v", "0"], env=env, check=True)

    import django

    django.setup()
    from django.db import connection, transaction

    from meis.notifications.models import Message, Status
    from meis.notifications.services import notification_queue
    from meis.registry.models import Person

    person = Person.objects.create(
        fin="BENCH01",
        last_name="Həsənov",
        first_name="Əli",
        birth_on="1960-01-01",
        sex="M",
        region="baku",
        address="Bakı",
        verified_email="ali@example.az",
    )
    context = {"code": "123456", "minutes_valid": 5}
    workers = [
        subprocess.Popen(
            [
                meis,
                "db_worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.2",
                "-v",
                "0",
            ],
            env=env,
        )
        for _ in range(args.workers)
    ]
    statements = [0]

    def count_statements(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements[0] += 1
        return execute(sql, params, many, context)

    try:
        started = time.monotonic()
        with connection.execute_wrapper(count_statements):
            for start in range(0, args.count, 500):
                with transaction.atomic():
                    for i in range(start, min(start + 500, args.count)):
                        notification_queue(
                            person=person,
                            event="one_time_code",
                            context=context,
                            channel_preferences=["email"],
                            dedupe_key=f"bench:{i}",
                        )
        queued = time.monotonic()
        print(
            f"queued {args.count} in {queued - started:.1f} s: "
            f"{(queued - started) * 1000 / args.count:.2f} ms and "
            f"{statements[0] / args.count:.2f} SQL statements per message "
            "(BEGIN/COMMIT not counted)",
            flush=True,
        )
        while Message.objects.exclude(status=Status.SENT).exists():
            time.sleep(0.5)
        finished = time.monotonic()
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
        stop.set()
        server.join(timeout=30)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM sent_at - created_at)),"
            " percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM sent_at - created_at))"
            " FROM notifications_message"
        )
        p50, p99 = cursor.fetchone()
    elapsed = finished - started
    load_after = os.getloadavg()
    print(
        f"{args.count} e-mails, {args.workers} workers, SMTP received {received.value}: "
        f"{elapsed:.1f} s end to end, {args.count / elapsed:.0f} messages/s; "
        f"queue latency p50 {p50:.2f} s, p99 {p99:.2f} s; "
        f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after"
    )


if __name__ == "__main__":
    main()
