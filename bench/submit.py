"""Benchmark: citizens applying through the portal and reading their case, on gunicorn + PostgreSQL.

    .venv/bin/python bench/submit.py --citizens 300 --submissions 300 --reads 3000

What it does, all on 127.0.0.1:
1. drops and creates a PostgreSQL database (BENCH_DATABASE_URL, default
   postgres://postgres@127.0.0.1:5432/meis_bench_submit), migrates it (the notification
   templates, centres and decreed days come with the migrations) and imports the seed catalogue;
2. creates N synthetic citizens (person + valid identity card + citizen account) and signs each in
   by writing a session straight into the database with Django's own `login()` machinery
   (`Client.force_login`: the same session keys and "signed in at"/generation markers a real
   one-time-code sign-in leaves). The sign-in flow itself is not part of the load: its codes go
   through the outbox and are rate-limited per person and per address by design;
3. starts gunicorn (sync workers, `meis.wsgi`, settings `meis.test_settings`: production settings
   without TLS redirects or hashed static names) and one `meis db_worker` for the tasks a
   submission enqueues (pre-check) and the health check's heartbeat;
4. drives it with a thread pool of http.client keep-alive clients (no extra dependency):
   - `GET /health/` — the ceiling: one tiny query and one heartbeat request per call;
   - submissions — the whole GOV.UK flow a citizen clicks through, 8 requests: start, answers,
     two ~600-byte PDF uploads (multipart), continue, contact, the check page (for the draft key)
     and the final POST that runs `case_submit`;
   - status reads — `GET /en/applications/<reference>/` by the case's own citizen (the case page
     with status, clock and timeline, read through the audited access funnel).
   Each phase stops at its count or its time limit, whichever comes first.

Prints throughput and latency p50/p99 per phase, the load average and the machine's core count.
CSRF: each client sets its own `csrftoken` cookie and sends it back as `X-CSRFToken`, which is
what Django's CSRF middleware checks (the pages' own forms carry the same token).
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/meis_bench_submit"
SERVICE = "targeted-social-assistance"
DOCUMENTS = ("identity_card", "family_composition_certificate")


# --- Database and data -----------------------------------------------------------------------
def recreate_database(url: str, *, drop_only: bool = False) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


@dataclass
class Citizen:
    session_id: str
    references: list[str] = field(default_factory=list)


def citizens_create(count: int) -> tuple[list[Citizen], int]:
    """N people with a valid identity card, a citizen account and a signed-in session."""
    import datetime

    from django.test import Client

    from meis.accounts.services import citizen_account_get_or_create
    from meis.catalog.services import catalog_import_seed
    from meis.centres.models import ServiceCentre
    from meis.registry.models import DocumentStatus, IdentityDocument, Person

    catalog_import_seed()
    alphabet = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"

    def fin(n: int) -> str:
        digits = []
        for _ in range(7):
            n, r = divmod(n, len(alphabet))
            digits.append(alphabet[r])
        return "".join(reversed(digits))

    people = Person.objects.bulk_create(
        Person(
            fin=fin(20_000_000 + i),
            last_name="Benchmarkov",
            first_name=f"Vətəndaş{i}",
            birth_on=datetime.date(1980, 1, 1) + datetime.timedelta(days=i),
            sex="F" if i % 2 else "M",
            region="baku",
            address="Bakı, Nəsimi rayonu",
            preferred_language="en",
        )
        for i in range(count)
    )
    IdentityDocument.objects.bulk_create(
        IdentityDocument(
            person=person,
            generation="biometric_id_card",
            number=f"AB{3_000_000 + i:07d}",
            issued_on=datetime.date(2020, 1, 1),
            expires_on=datetime.date(2099, 1, 1),
            status=DocumentStatus.VALID,
        )
        for i, person in enumerate(people)
    )
    citizens = []
    for person in people:
        client = Client()
        client.force_login(citizen_account_get_or_create(person=person))
        citizens.append(Citizen(session_id=client.cookies["sessionid"].value))
    centre_id = ServiceCentre.objects.order_by("code").values_list("pk", flat=True)[0]
    return citizens, int(centre_id)


# --- HTTP ------------------------------------------------------------------------------------
@dataclass
class Response:
    status: int
    location: str
    body: bytes


class Browser:
    """One keep-alive connection with a citizen's cookies (gunicorn's sync workers close the
    connection after each response; http.client then reconnects by itself)."""

    def __init__(self, port: int, session_id: str = "") -> None:
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.csrf = secrets.token_hex(16)  # 32 characters: a valid unmasked CSRF secret
        cookies = [f"csrftoken={self.csrf}"] + ([f"sessionid={session_id}"] if session_id else [])
        self.cookie = "; ".join(cookies)

    def request(
        self, method: str, path: str, body: bytes | None = None, content_type: str = ""
    ) -> Response:
        headers = {"Cookie": self.cookie, "X-CSRFToken": self.csrf, "Host": "127.0.0.1"}
        if content_type:
            headers["Content-Type"] = content_type
        for attempt in range(2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                return Response(response.status, response.getheader("Location") or "", data)
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def post_form(self, path: str, data: dict[str, str]) -> Response:
        return self.request(
            "POST", path, urlencode(data).encode(), "application/x-www-form-urlencoded"
        )

    def post_multipart(
        self, path: str, data: dict[str, str], name: str, payload: bytes
    ) -> Response:
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in data.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n".encode()
            + payload
            + b"\r\n"
        )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request("POST", path, body, f"multipart/form-data; boundary={boundary}")


def small_pdf(text: str) -> bytes:
    stream = zlib.compress(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode())
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def iban() -> str:
    body = "NABZ" + "0" * 12 + "12345678"
    digits = "".join(str(int(c, 36)) for c in body + "AZ00")
    return f"AZ{98 - int(digits) % 97:02d}{body}"


STATS_LOCK = threading.Lock()
KEY = re.compile(rb'name="key" value="([0-9a-f-]{36})"')
REFERENCE = re.compile(r"/applications/(MEIS-\d{4}-\d{7})/confirmation/")


class FlowError(Exception):
    pass


def _expect(response: Response, status: int, step: str) -> Response:
    if response.status != status:
        raise FlowError(f"{step}: HTTP {response.status} {response.body[:200]!r}")
    return response


def apply_once(browser: Browser, centre_id: int, pdf: bytes) -> tuple[str, float]:
    """The portal flow end to end; returns the reference and the final submit's seconds."""
    base = f"/en/apply/{SERVICE}/"
    _expect(browser.post_form(base, {}), 302, "start")
    answers = {
        "members": "4",
        "income_12_months_qepik": "4800",
        "has_vehicle": "no",
        "contact_phone": "050 123 45 67",
        "bank_account_iban": iban(),
    }
    _expect(browser.post_form(base + "questions/", answers), 302, "questions")
    for code in DOCUMENTS:
        response = browser.post_multipart(base + "documents/", {"document": code}, "a.pdf", pdf)
        _expect(response, 302, f"upload {code}")
    _expect(browser.post_form(base + "documents/", {"continue": "1"}), 302, "continue")
    contact = {"centre": str(centre_id), "channel": "portal", "value": ""}
    _expect(browser.post_form(base + "contact/", contact), 302, "contact")
    found = KEY.search(_expect(browser.request("GET", base + "check/"), 200, "check").body)
    if found is None:
        raise FlowError("check: no draft key on the page")
    started = time.perf_counter()
    response = _expect(
        browser.post_form(base + "check/", {"key": found.group(1).decode()}), 302, "submit"
    )
    seconds = time.perf_counter() - started
    reference = REFERENCE.search(response.location)
    if reference is None:
        raise FlowError(f"submit: unexpected redirect {response.location}")
    return reference.group(1), seconds


# --- Load phases -----------------------------------------------------------------------------
@dataclass
class Phase:
    name: str
    latencies: list[float] = field(default_factory=list)
    extra: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0


def run_phase(
    name: str,
    *,
    total: int,
    concurrency: int,
    max_seconds: float,
    job: Callable[[int, int, Phase], None],
) -> Phase:
    """Run `job(worker, index, phase)` `total` times over `concurrency` threads, or until the
    time limit; each job appends its own latency."""
    phase = Phase(name)
    lock = threading.Lock()
    next_index = [0]
    deadline = time.monotonic() + max_seconds

    def worker(number: int) -> None:
        while time.monotonic() < deadline:
            with lock:
                index = next_index[0]
                if index >= total:
                    return
                next_index[0] += 1
            try:
                job(number, index, phase)
            except (FlowError, OSError, http.client.HTTPException) as error:
                with lock:
                    phase.errors.append(str(error)[:300])

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    phase.seconds = time.perf_counter() - started
    return phase


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def report(phase: Phase, unit: str, extra_label: str = "") -> None:
    done = len(phase.latencies)
    rate = done / phase.seconds if phase.seconds else 0.0
    line = (
        f"{phase.name:<14} {done:>6} {unit} in {phase.seconds:6.1f} s = {rate:8.1f} {unit}/s   "
        f"p50 {percentile(phase.latencies, 0.5) * 1000:7.1f} ms   "
        f"p99 {percentile(phase.latencies, 0.99) * 1000:7.1f} ms"
    )
    if phase.extra:
        line += (
            f"   ({extra_label} p50 {percentile(phase.extra, 0.5) * 1000:.1f} ms, "
            f"p99 {percentile(phase.extra, 0.99) * 1000:.1f} ms)"
        )
    if phase.statuses:
        line += "   statuses " + ", ".join(f"{k}×{v}" for k, v in sorted(phase.statuses.items()))
    print(line, flush=True)
    if phase.errors:
        print(f"    {len(phase.errors)} errors, first: {phase.errors[0]}", flush=True)


# --- Server ----------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            Browser(port).request("GET", "/health/")
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer on /health/")


def main() -> None:  # noqa: C901 — one linear script: set up, three phases, tear down
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--citizens", type=int, default=300)
    parser.add_argument("--submissions", type=int, default=300, help="at most one per citizen")
    parser.add_argument("--reads", type=int, default=3000)
    parser.add_argument("--health", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=8, help="client threads")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--max-seconds", type=float, default=60.0, help="per phase")
    parser.add_argument("--no-task-worker", action="store_true")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    submissions = min(args.submissions, args.citizens)

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    media = Path(tempfile.mkdtemp(prefix="meis-bench-media-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "meis.test_settings",
        "DATABASE_URL": url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "MEDIA_ROOT": str(media),
        # ERROR: every upload would log that no virus scanner is configured (CLAMD_SOCKET unset;
        # documents are stored as "not scanned").
        "LOG_LEVEL": "ERROR",
    }
    os.environ.update(env)
    recreate_database(url)
    bin_dir = Path(sys.executable).parent
    subprocess.run([bin_dir / "meis", "migrate", "--no-input", "-v", "0"], env=env, check=True)

    import django

    django.setup()
    from django.db import connection

    started = time.perf_counter()
    citizens, centre_id = citizens_create(args.citizens)
    print(
        f"setup: {len(citizens)} citizens with documents and sessions, seed catalogue "
        f"({time.perf_counter() - started:.1f} s)",
        flush=True,
    )
    connection.close()

    port = free_port()
    processes = [
        subprocess.Popen(
            [
                bin_dir / "gunicorn",
                "meis.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
    ]
    if not args.no_task_worker:
        processes.append(
            subprocess.Popen(
                [bin_dir / "meis", "db_worker", "--no-reload", "--interval", "0.5", "-v", "0"],
                env=env,
            )
        )
    pdf = small_pdf("MEIS benchmark attachment")
    try:
        wait_until_up(port)
        time.sleep(1.0)  # the task worker's first heartbeat
        browsers = [Browser(port) for _ in range(args.concurrency)]
        for _ in range(4 * args.workers):  # warm up every worker (imports, connections)
            browsers[0].request("GET", "/health/")
            browsers[0].request("GET", "/en/")
        load_before = os.getloadavg()

        def health(worker: int, index: int, phase: Phase) -> None:
            t = time.perf_counter()
            response = browsers[worker].request("GET", "/health/")
            elapsed = time.perf_counter() - t
            with STATS_LOCK:
                phase.latencies.append(elapsed)
                phase.statuses[response.status] = phase.statuses.get(response.status, 0) + 1

        def submit(worker: int, index: int, phase: Phase) -> None:
            citizen = citizens[index]
            t = time.perf_counter()
            reference, submit_seconds = apply_once(
                Browser(port, citizen.session_id), centre_id, pdf
            )
            phase.latencies.append(time.perf_counter() - t)
            phase.extra.append(submit_seconds)
            citizen.references.append(reference)

        ceiling = run_phase(
            "GET /health/",
            total=args.health,
            concurrency=args.concurrency,
            max_seconds=args.max_seconds,
            job=health,
        )
        applied = run_phase(
            "submissions",
            total=submissions,
            concurrency=args.concurrency,
            max_seconds=args.max_seconds,
            job=submit,
        )
        with_cases = [c for c in citizens if c.references]
        readers = [
            [Browser(port, c.session_id) for c in with_cases[n :: args.concurrency]]
            for n in range(args.concurrency)
        ]
        owners = [with_cases[n :: args.concurrency] for n in range(args.concurrency)]

        def read(worker: int, index: int, phase: Phase) -> None:
            mine = owners[worker]
            if not mine:
                return
            slot = index % len(mine)
            path = f"/en/applications/{mine[slot].references[0]}/"
            t = time.perf_counter()
            response = readers[worker][slot].request("GET", path)
            elapsed = time.perf_counter() - t
            if response.status != 200 or b'data-testid="status"' not in response.body:
                raise FlowError(f"read {path}: HTTP {response.status}")
            phase.latencies.append(elapsed)

        reads = run_phase(
            "status reads",
            total=args.reads if with_cases else 0,
            concurrency=args.concurrency,
            max_seconds=args.max_seconds,
            job=read,
        )
        load_after = os.getloadavg()
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)

    from meis.cases.models import Case, CaseDocument

    cases = Case.objects.count()
    documents = CaseDocument.objects.filter(case__isnull=False).count()
    connection.close()
    print(
        f"\ngunicorn {args.workers} sync workers, {args.concurrency} client threads, "
        f"PostgreSQL, {os.cpu_count()} cores; submission = 8 requests "
        f"(2 uploads of {len(pdf)} bytes)",
        flush=True,
    )
    report(ceiling, "req")
    report(applied, "apps", extra_label="final submit POST")
    report(reads, "reads")
    print(
        f"cases in the database: {cases} with {documents} documents; load average "
        f"before {load_before[0]:.2f}/{load_before[1]:.2f}/{load_before[2]:.2f}, "
        f"after {load_after[0]:.2f}/{load_after[1]:.2f}/{load_after[2]:.2f}",
        flush=True,
    )
    if not args.keep_db:
        recreate_database(url, drop_only=True)
    shutil.rmtree(media, ignore_errors=True)
    if applied.errors or reads.errors:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
