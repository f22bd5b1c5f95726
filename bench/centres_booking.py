"""Benchmark: 10,000 concurrent booking attempts for 1,000 appointment places (PostgreSQL).

    .venv/bin/python bench/centres_booking.py [--slots 1000] [--attempts 10000] [--threads 16]

The booking half of issue 18's benchmark (the IMAP half is bench/centres_imap.py). Creates a
fresh database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/meis_bench_centres) and migrates it. One centre with one
counter and one place per time gives `--slots` places over the next working days; `--attempts`
citizens (shuffled, several per place) call `appointment_book` from `--threads` threads, each
thread on its own connection: the whole service (checks, slot row lock, seat insert, audit
event). Then checks that exactly one person holds each place and none twice, and prints
bookings/s and attempts/s beside the baseline measured in the same run: a plain loop inserting
the same appointment rows one per transaction, with no checks, lock or audit.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/meis_bench_centres"


def recreate_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup() -> None:
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    os.environ.update({"DJANGO_SETTINGS_MODULE": "meis.test_settings", "DATABASE_URL": url})
    recreate_database(url)
    meis = str(Path(sys.executable).with_name("meis"))
    subprocess.run([meis, "migrate", "--no-input", "-v", "0"], check=True)  # noqa: S603
    import django

    django.setup()


def places(centre: Any, count: int) -> list[datetime.datetime]:
    """The next `count` appointment times of the centre, from tomorrow."""
    from django.utils import timezone

    from meis.appointments.selectors import slot_starts_on

    day = timezone.localdate() + datetime.timedelta(days=1)
    times: list[datetime.datetime] = []
    while len(times) < count:
        times += slot_starts_on(centre=centre, day=day)
        day += datetime.timedelta(days=1)
    return times[:count]


def people(count: int) -> list[Any]:
    from meis.registry.models import Person
    from meis.registry.tests.factories import PersonFactory

    Person.objects.bulk_create([PersonFactory.build() for _ in range(count)], batch_size=2000)
    return list(Person.objects.order_by("pk")[:count])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slots", type=int, default=1000)
    parser.add_argument("--attempts", type=int, default=10_000)
    parser.add_argument("--threads", type=int, default=16)
    args = parser.parse_args()
    setup()
    from django.contrib.auth.models import User
    from django.db import connection, transaction
    from django.db.models import Count
    from django.utils import timezone

    from meis.appointments.models import Appointment, Slot
    from meis.appointments.services import BookingError, appointment_book
    from meis.centres.models import ServiceCentre
    from meis.centres.selectors import centres_for_directory

    ServiceCentre.objects.filter(code="baku-1").update(counters=1, slot_capacity=1, slot_minutes=5)
    # Hours, regimes and closures read once (prefetched), as a booking page would.
    centre = next(c for c in centres_for_directory() if c.code == "baku-1")
    times = places(centre, args.slots)
    persons = people(args.attempts)
    actor = User.objects.create_user(username="bench-portal")
    rng = random.Random(18)
    attempts = [(persons[i], times[i % len(times)]) for i in range(args.attempts)]
    rng.shuffle(attempts)
    outcomes: dict[str, int] = {}
    lock = threading.Lock()

    def attempt(item: tuple[Any, datetime.datetime]) -> None:
        person, starts_at = item
        try:
            appointment_book(
                person=person,
                centre=centre,
                service_code="targeted-social-assistance",
                starts_at=starts_at,
                actor=actor,
            )
            key = "booked"
        except BookingError:
            key = "refused"
        with lock:
            outcomes[key] = outcomes.get(key, 0) + 1

    def run(items: list[Any], work: Any) -> float:
        started = time.perf_counter()
        with ThreadPoolExecutor(args.threads, initializer=None) as pool:
            for _ in pool.map(work, items):
                pass
        return time.perf_counter() - started

    def closing(work: Any) -> Any:
        def wrapped(item: Any) -> None:
            try:
                work(item)
            finally:
                connection.close()  # each pool thread opened its own connection

        return wrapped

    elapsed = run(attempts, closing(attempt))
    booked = Appointment.objects.count()
    doubled = (
        Appointment.objects.values("slot_id", "seat")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    over = Slot.objects.annotate(n=Count("appointments")).filter(n__gt=1).count()
    if not booked == args.slots == outcomes.get("booked") or doubled or over:
        raise SystemExit(f"wrong: booked {booked}, {outcomes}, doubled {doubled}, over {over}")

    rows = list(Appointment.objects.values("slot_id", "seat", "starts_at", "person_id"))
    Appointment.objects.all().delete()

    def insert(row: dict[str, Any]) -> None:
        with transaction.atomic():
            Appointment.objects.create(
                **row,
                service_code="targeted-social-assistance",
                channel="portal",
                booked_by=actor,
                booked_at=timezone.now(),
            )

    baseline = run(rows, closing(insert))
    print(f"places {args.slots}, attempts {args.attempts}, threads {args.threads}")  # noqa: T201
    print(  # noqa: T201
        f"booked {booked} (exactly one per place), refused {outcomes.get('refused', 0)}, "
        f"doubled {doubled}"
    )
    print(  # noqa: T201
        f"booking: {args.attempts / elapsed:,.0f} attempts/s, {booked / elapsed:,.0f} bookings/s "
        f"({elapsed:.1f} s)"
    )
    print(  # noqa: T201
        f"baseline, plain INSERT of the same {len(rows)} rows: {len(rows) / baseline:,.0f} rows/s"
    )


if __name__ == "__main__":
    main()
