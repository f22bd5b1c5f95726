"""Benchmark: does sign-in answer a real FİN + document pair as fast as an unknown one?

    .venv/bin/python bench/signin_timing.py [--requests 300] [--warm-up 30]

Issue 22, item 7: the first step of the citizen sign-in (document number + FİN -> "we sent you a
code") must not tell, by its time, whether the pair belongs to someone. The answer is the same
redirect either way; this measures the time.

What it does, on 127.0.0.1:
1. creates a PostgreSQL test database (BENCH_DATABASE_URL, default
   postgres://postgres@127.0.0.1:5432/meis_bench_signin; Django's test runner makes
   test_meis_bench_signin, migrates it, and drops it at the end), with the limits counted in
   Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379/13, flushed before and after) as in
   production, and the sign-in limits set out of reach;
2. creates N people with an identity card and a verified mobile number;
3. posts the sign-in form through Django's test client (the whole middleware stack, the
   view, the form, the service, the outbox message for a real pair), alternating a real pair
   (a different person each time) and an unknown one (a well-formed FİN no one has), after a
   warm-up of both;
4. prints both medians, their difference in ms and in per cent, the 10th and 90th
   percentiles, and the load average before and after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import cast

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meis.test_settings")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/meis_bench_signin"
)
os.environ["CACHE_URL"] = os.environ.get("BENCH_REDIS_URL", "rediscache://127.0.0.1:6379/13")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def people(count: int) -> list[tuple[str, str]]:
    """(FİN, document number) of `count` people with a verified mobile number."""
    from meis.registry.models import IdentityDocument, Person
    from meis.registry.tests.factories import IdentityDocumentFactory, PersonFactory

    pairs: list[tuple[str, str]] = []
    for index in range(count):
        person = cast(Person, PersonFactory(verified_phone=f"+99450{index:07d}"))
        document = cast(IdentityDocument, IdentityDocumentFactory(person=person))
        pairs.append((str(person.fin), str(document.number)))
    return pairs


def unknown_pairs(count: int, known: set[str]) -> list[tuple[str, str]]:
    """Well-formed FİNs and card numbers that belong to no one."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    pairs: list[tuple[str, str]] = []
    index = 0
    while len(pairs) < count:
        index += 1
        fin = "".join(alphabet[(index * 7 + k * 13) % len(alphabet)] for k in range(7))
        if fin not in known:
            pairs.append((fin, f"AA{index:07d}"))
    return pairs


def timed_post(client: object, fin: str, document: str) -> float:
    start = time.perf_counter()
    response = client.post(  # type: ignore[attr-defined]
        "/az/sign-in/", {"fin": fin, "document_number": document}
    )
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 302:
        raise SystemExit(f"sign-in answered {response.status_code} for {fin}")
    return elapsed


def measure(requests: int, warm_up: int) -> tuple[list[float], list[float]]:
    from django.test import Client

    real = people(requests + warm_up)
    unknown = unknown_pairs(requests + warm_up, {fin for fin, _ in real})
    real_ms: list[float] = []
    unknown_ms: list[float] = []
    for index in range(requests + warm_up):
        # A new client (session) for each request, as each person's own browser; the order of
        # the pair alternates so that both meet the same machine.
        order = [(real, real_ms), (unknown, unknown_ms)]
        for pairs, times in order if index % 2 else reversed(order):
            elapsed = timed_post(Client(), *pairs[index])
            if index >= warm_up:
                times.append(elapsed)
    return real_ms, unknown_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--warm-up", type=int, default=30)
    arguments = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    for name in (
        "MEIS_SIGN_IN_FAILURE_LIMIT",
        "MEIS_SIGN_IN_FAILURE_LIMIT_PER_ADDRESS",
        "MEIS_CODE_REQUEST_LIMIT",
        "MEIS_CODE_REQUEST_LIMIT_PER_ADDRESS",
    ):
        setattr(settings, name, 10**9)
    setup_test_environment()
    databases = setup_databases(verbosity=0, interactive=False)
    cache.clear()
    load_before = os.getloadavg()
    try:
        real_ms, unknown_ms = measure(arguments.requests, arguments.warm_up)
    finally:
        cache.clear()
        teardown_databases(databases, verbosity=0)
    load_after = os.getloadavg()

    real, unknown = statistics.median(real_ms), statistics.median(unknown_ms)
    print(f"requests: {len(real_ms)} of each, interleaved, after {arguments.warm_up} warm-up")
    for label, values in (("real pair", real_ms), ("unknown pair", unknown_ms)):
        print(
            f"{label:>13}: median {statistics.median(values):6.2f} ms"
            f"  p10 {percentile(values, 0.1):6.2f}  p90 {percentile(values, 0.9):6.2f}"
        )
    print(f"   difference: {real - unknown:+.2f} ms ({(real - unknown) / unknown:+.1%})")
    print(f" load average: before {load_before[0]:.2f}, after {load_after[0]:.2f}")


if __name__ == "__main__":
    main()
