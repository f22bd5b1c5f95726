"""Benchmark: issuing signed e-certificates (render + QR + PAdES sign + store) and checking PDFs.

    .venv/bin/python bench/certificates.py [--count 10000] [--workers 2]

Each worker process parses the signing key and compiles the typst template once, then issues
certificates for a fixed pensioner's frozen facts: typst render with the QR code, pyHanko PAdES
signature, and a write through Django's storage API (filesystem, in a temporary directory).
The database part of an issue (case, usage event, certificate row) is not included here.
Then it measures single-process checks of uploaded PDFs (signature validation + hash).
"""

from __future__ import annotations

import argparse
import datetime
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meis.settings")
WORK = Path(tempfile.mkdtemp(prefix="meis-bench-certificates-"))
os.environ["MEDIA_ROOT"] = str(WORK / "media")
os.environ["CERTIFICATE_SIGNING_P12"] = str(WORK / "signing.p12")
os.environ["CERTIFICATE_TRUST_ROOTS"] = str(WORK / "ca.pem")

import django  # noqa: E402

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402

from meis.certificates import codes  # noqa: E402
from meis.certificates.definitions import certificate_type_get  # noqa: E402
from meis.certificates.facts import Facts, money, same, text  # noqa: E402
from meis.certificates.services import certificate_document  # noqa: E402
from meis.certificates.signing import demo_ca_ensure, pdf_check  # noqa: E402
from meis.registry.models import Person  # noqa: E402

PERSON = Person(
    fin="5ZX8K2P",
    last_name="Əliyeva",
    first_name="Gülşən",
    patronymic="İsmayıl qızı",
    birth_on=datetime.date(1958, 4, 12),
)
FACTS = Facts(
    rows=[
        (text("Pensiya alır", "Receives a pension", "Получает пенсию"), text("Bəli", "Yes", "Да")),
        (text("Yaşa görə əmək pensiyası", "Old-age pension", "Пенсия"), money(42_550)),
    ],
    key={"is_pensioner": True},
)
TODAY = datetime.date(2020, 3, 19)


def issue_one(_: int) -> float:
    started = time.perf_counter()
    record, pdf = certificate_document(
        person=PERSON,
        kind=certificate_type_get("pension"),
        facts=FACTS,
        language="az",
        recipient="Kapital Bank",
        code=codes.code_new(),
        issued_on=TODAY,
        expires_on=TODAY + datetime.timedelta(days=30),
    )
    default_storage.save(f"certificates/bench/{codes.code_new()}.pdf", ContentFile(pdf))
    return time.perf_counter() - started


def warm(_: int) -> None:
    issue_one(0)


def percentile(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, int(q * len(values)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--checks", type=int, default=300)
    args = parser.parse_args()
    demo_ca_ensure()
    print(f"workers={args.workers} count={args.count} (storage: {WORK})")

    with multiprocessing.get_context("fork").Pool(
        args.workers, initializer=warm, initargs=(0,)
    ) as pool:
        started = time.perf_counter()
        latencies = pool.map(issue_one, range(args.count), chunksize=50)
        elapsed = time.perf_counter() - started
    print(
        f"issued {args.count} signed certificates in {elapsed:.1f} s: {args.count / elapsed:.0f}/s"
    )
    print(
        f"single-certificate latency p50 {statistics.median(latencies) * 1000:.1f} ms, "
        f"p99 {percentile(latencies, 0.99) * 1000:.1f} ms"
    )

    _, pdf = certificate_document(
        person=PERSON,
        kind=certificate_type_get("pension"),
        facts=FACTS,
        language="az",
        recipient="",
        code=codes.code_new(),
        issued_on=TODAY,
        expires_on=TODAY,
    )
    pdf_check(pdf)  # parse the trust roots once
    started = time.perf_counter()
    for _ in range(args.checks):
        pdf_check(pdf)
    elapsed = time.perf_counter() - started
    print(f"PDF signature checks (one process): {args.checks / elapsed:.0f}/s")
    started = time.perf_counter()
    for _ in range(100_000):
        codes.code_digest("7KQ2M-X9D4R-0TZHB")
    print(f"code normalise + digest: {100_000 / (time.perf_counter() - started):.0f}/s")
    print(same("done")["en"])


if __name__ == "__main__":
    main()
