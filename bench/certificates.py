"""Benchmark: issuing signed e-certificates (render + QR + PAdES sign + store) and checking PDFs.

    .venv/bin/python bench/certificates.py [--count 10000] [--workers 2] [--no-db]

Creates a fresh PostgreSQL database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/meis_bench_certificates) and migrates it, unless `--no-db`.
Each worker process loads the signing key and compiles the typst template once, then issues
certificates for one pensioner's frozen facts: typst render with the QR code, the PAdES
signature, the PDF written through Django's storage (filesystem, in a temporary directory) and,
with the database, the certificate's row inserted in its own transaction. Not included: the
case, case event, usage event and audit rows that a full `certificate_issue` also writes.

Prints certificates/s, single-certificate latency p50/p99, the workers' CPU time per certificate
(`time.process_time`; the PostgreSQL server's CPU is not in it), the load average before and
after; then, with the database, the public check: `GET /api/v1/certificates/<code>` through
Django's whole request handling (middleware, a bank's bearer token with the certificates:verify
scope, its per-client limit in Redis — set out of reach, every call still counted —, the indexed
look-up of the code's digest, the check logged in the citizen's "who looked at my data") by the
same number of worker processes; then single-process checks of uploaded PDFs (signature
validation + hash).
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/meis_bench_certificates"
WORK = Path(tempfile.mkdtemp(prefix="meis-bench-certificates-"))
TODAY = datetime.date(2020, 3, 19)
PERSON: Any = None  # the pensioner, saved when there is a database
USE_DB = True


def recreate_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup(*, use_db: bool) -> None:
    """Environment, database and Django; the pensioner every certificate is about."""
    global PERSON, USE_DB  # read by the forked workers
    USE_DB = use_db
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "meis.test_settings",
            # The public check's requests name this host (check_one); production settings
            # answer no host unless told which, and would refuse them with DisallowedHost.
            "ALLOWED_HOSTS": "127.0.0.1",
            "MEDIA_ROOT": str(WORK / "media"),
            "CERTIFICATE_SIGNING_P12": str(WORK / "signing.p12"),
            "CERTIFICATE_TRUST_ROOTS": str(WORK / "ca.pem"),
            "CERTIFICATE_VERIFY_BASE_URL": "https://e-sosial.gov.az",
        }
    )
    if use_db:
        url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
        os.environ["DATABASE_URL"] = url
        recreate_database(url)
        meis = str(Path(sys.executable).with_name("meis"))
        subprocess.run([meis, "migrate", "--no-input", "-v", "0"], check=True)  # noqa: S603
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'unused.sqlite3'}"

    import django

    django.setup()
    from meis.certificates.signing import demo_ca_ensure
    from meis.registry.models import Person

    demo_ca_ensure()
    PERSON = Person(
        fin="5ZX8K2P",
        last_name="Əliyeva",
        first_name="Gülşən",
        patronymic="İsmayıl qızı",
        birth_on=datetime.date(1958, 4, 12),
        sex="F",
        region="baku",
        address="Bakı, Nəsimi rayonu",
    )
    if use_db:
        PERSON.save()
        from django.db import connections

        connections.close_all()  # each forked worker opens its own connection


def document(code: str) -> tuple[dict[str, object], bytes]:
    """The frozen facts and the signed PDF of one pension certificate (render + QR + sign)."""
    from meis.certificates.definitions import certificate_type_get
    from meis.certificates.facts import Facts, money, text
    from meis.certificates.services import certificate_document

    facts = Facts(
        rows=[
            (
                text("Pensiya alır", "Receives a pension", "Получает пенсию"),
                text("Bəli", "Yes", "Да"),
            ),
            (text("Yaşa görə əmək pensiyası", "Old-age pension", "Пенсия"), money(42_550)),
        ],
        key={"is_pensioner": True},
    )
    return certificate_document(
        person=PERSON,
        kind=certificate_type_get("pension"),
        facts=facts,
        language="az",
        recipient="Kapital Bank",
        code=code,
        issued_on=TODAY,
        expires_on=TODAY + datetime.timedelta(days=30),
    )


def issue_one(_: int) -> tuple[float, float, str]:
    """Issue and store one certificate: its latency, this process's CPU time for it, its code."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from meis.certificates import codes
    from meis.certificates.models import Certificate

    started, cpu = time.perf_counter(), time.process_time()
    code = codes.code_new()
    record, pdf = document(code)
    name = default_storage.save(f"certificates/bench/{code}.pdf", ContentFile(pdf))
    if USE_DB:
        Certificate.objects.create(
            type_code="pension",
            person=PERSON,
            language="az",
            recipient="Kapital Bank",
            facts=record,
            issued_at=datetime.datetime.now(datetime.UTC),
            expires_on=TODAY + datetime.timedelta(days=30),
            channel="portal",
            code_digest=codes.code_digest(code) or "",
            pdf_name=name,
            pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        )
    return time.perf_counter() - started, time.process_time() - cpu, code


def warm(_: int) -> None:
    issue_one(0)


CLIENT: Any = None
TOKEN = ""  # the bank's bearer token, obtained before the check workers fork
UNLIMITED = 2_000_000_000  # requests a minute: never reached, yet every call is counted


def check_client() -> None:
    global CLIENT
    from django.test import Client

    CLIENT = Client(HTTP_HOST="127.0.0.1")


def bank_token() -> str:
    """A verifying bank (API client with the certificates:verify scope, its limit out of reach)
    and a bearer token from `POST /api/v1/token`, as a bank obtains one."""
    from django.db import connections
    from django.test import Client

    from meis.api.models import Scope
    from meis.api.services import client_register

    client, issued = client_register(
        name="bench-bank", institution="Kapital Bank", scopes=[Scope.CERTIFICATES_VERIFY]
    )
    client.rate_limit_per_minute = UNLIMITED
    client.save(update_fields=["rate_limit_per_minute"])
    form = {
        "grant_type": "client_credentials",
        "client_id": issued.key_id,
        "client_secret": issued.secret,
    }
    response = Client(HTTP_HOST="127.0.0.1").post("/api/v1/token", form)
    if response.status_code != 200:
        raise RuntimeError(f"POST /api/v1/token answered {response.status_code}")
    connections.close_all()  # each forked worker opens its own connection
    return str(response.json()["access_token"])


def check_one(job: tuple[int, str]) -> float:
    """One check of a code by the bank through the API; its latency."""
    _, code = job
    started = time.perf_counter()
    response = CLIENT.get(f"/api/v1/certificates/{code}", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    if response.status_code != 200:
        raise RuntimeError(f"check of {code} answered {response.status_code}")
    return time.perf_counter() - started


def public_checks(codes_issued: list[str], workers: int) -> None:
    """Verifications/s of the public check by code (see the module docstring)."""
    global TOKEN  # read by the forked workers
    TOKEN = bank_token()
    jobs = list(enumerate(codes_issued))
    with multiprocessing.get_context("fork").Pool(workers, initializer=check_client) as pool:
        pool.map(check_one, jobs[:100], chunksize=10)  # warm: imports, templates, connections
        started = time.perf_counter()
        latencies = pool.map(check_one, jobs, chunksize=50)
        elapsed = time.perf_counter() - started
    print(
        f"public check by code (API, {workers} processes): {len(jobs)} checks in {elapsed:.1f} s: "
        f"{len(jobs) / elapsed:.0f}/s, p50 {statistics.median(latencies) * 1000:.1f} ms, "
        f"p99 {percentile(latencies, 0.99) * 1000:.1f} ms"
    )


def percentile(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, int(q * len(values)))]


def load() -> str:
    return "load average " + " ".join(f"{value:.2f}" for value in os.getloadavg())


def checks(count: int) -> None:
    from meis.certificates import codes
    from meis.certificates.signing import pdf_check

    _, pdf = document(codes.code_new())
    pdf_check(pdf)  # parse the trust roots once
    started = time.perf_counter()
    for _ in range(count):
        pdf_check(pdf)
    elapsed = time.perf_counter() - started
    print(f"PDF signature checks (one process): {count / elapsed:.0f}/s")
    started = time.perf_counter()
    for _ in range(100_000):
        codes.code_digest("7KQ2M-X9D4R-0TZHB")
    print(f"code normalise + digest: {100_000 / (time.perf_counter() - started):.0f}/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--checks", type=int, default=300)
    parser.add_argument("--no-db", action="store_true", help="store the PDF file only")
    args = parser.parse_args()
    setup(use_db=not args.no_db)
    store = "PDF file" if args.no_db else "PDF file + certificate row on PostgreSQL"
    print(f"workers={args.workers} count={args.count} store: {store} ({WORK})")
    print(f"before: {load()}")

    with multiprocessing.get_context("fork").Pool(
        args.workers, initializer=warm, initargs=(0,)
    ) as pool:
        started = time.perf_counter()
        results = pool.map(issue_one, range(args.count), chunksize=50)
        elapsed = time.perf_counter() - started
    latencies = [latency for latency, _, _ in results]
    cpu = sum(spent for _, spent, _ in results) / len(results)
    print(
        f"issued {args.count} signed certificates in {elapsed:.1f} s: {args.count / elapsed:.0f}/s"
    )
    print(
        f"single-certificate latency p50 {statistics.median(latencies) * 1000:.1f} ms, "
        f"p99 {percentile(latencies, 0.99) * 1000:.1f} ms; "
        f"worker CPU {cpu * 1000:.1f} ms per certificate"
    )
    print(f"after: {load()}")
    if not args.no_db:
        public_checks([code for _, _, code in results], args.workers)
    checks(args.checks)


if __name__ == "__main__":
    main()
