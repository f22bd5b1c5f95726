"""Benchmark: the public API v1 beside bare Django views (the ceiling), on gunicorn + PostgreSQL.

    .venv/bin/python bench/api.py [--seconds 15] [--rounds 3] [--workers 2] [--threads 4]

Issue 20's figures: certificate verification GET and rules calculate POST, requests/s and p50/p99
with client authentication, each beside a bare Django view on the same server and database in
the same run; target: the API at ≥ 60 % of the ceiling's requests/s.

What it does, all on 127.0.0.1:
1. drops and creates a PostgreSQL database (BENCH_DATABASE_URL, default
   postgres://postgres@127.0.0.1:5432/meis_bench_api), migrates it, imports the seed catalogue,
   writes a demo signing key into a temporary directory and creates N synthetic pensioners
   (person + old-age pension award), each issued one pension e-certificate by the full
   `certificate_issue` (render, sign, store; instant case, audit and usage events);
2. registers one API client with the scope certificates:verify (`client_register`) and sets its
   own limit out of reach, as the open endpoints' per-address limit is
   (API_OPEN_RATE_LIMIT_PER_MINUTE): every call is still counted in Redis, in a database of the
   benchmark's own (BENCH_REDIS_URL, default redis://127.0.0.1:6379/12) so that its counters
   never meet the test suite's;
3. starts gunicorn (sync workers, `meis.wsgi`'s application, settings `meis.test_settings`:
   production settings without TLS redirects or hashed static names) with the URLconf
   bench/api_urls.py — meis.urls plus the two bare views — through the application factory
   `bench.api:wsgi_application()`;
4. drives it with client threads, one http.client connection each (gunicorn's sync workers close
   the connection after each response; http.client reconnects by itself), in rounds of four
   timed phases; within a pair the order alternates from round to round (A B, B A, A B, …) so
   that both see the same machine load:
   - API `GET /api/v1/certificates/<code>` with `Authorization: Bearer` (a token from
     `POST /api/v1/token`, fresh for each phase), a random one of the issued codes per request:
     the token's client, its limit in Redis, the certificate, the holder's pension today (have the
     facts changed since issue?), and the check's audit and usage events;
   - bare `GET /bench/certificates/<code>`: the same row by its code digest, a few fields as JSON;
   - API `POST /api/v1/calculate/targeted_assistance` with DOMAIN's worked example (a family of
     four on 2020-03-01: 240 manat): the per-address limit in Redis, the schema, the evaluation;
   - bare `POST /bench/calculate/targeted_assistance`: json.loads and the same evaluation.

Prints each round and then the median of the rounds: requests, requests/s, p50 and p99, and the
CPU per request of the gunicorn workers (from /proc; PostgreSQL's and Redis's are not in it) and
of this client process; then the API's requests/s as a percentage of the ceiling's per pair (the
median of the rounds' paired ratios), against the target; the load average before and after and
the core count. The client threads share the machine with the server and cost about the same CPU
per request whichever view answers: a larger share of a bare request's cost than of an API
request's, so the ceiling is if anything underestimated.
Stops gunicorn, drops the database and deletes the Redis counters at the end, also on failure
(`--keep-db` keeps the database).
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/meis_bench_api"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/12"
SCHEME = "targeted_assistance"
# DOMAIN's worked example as meis/api/tests/test_rules_api.py sends it: 240 manat on 2020-03-01.
FAMILY_OF_FOUR = {
    "members": 4,
    "income_12_months_qepik": 480000,
    "declaration_matches_checks": True,
    "purchases_sales_12_months_qepik": 0,
    "has_vehicle": False,
    "refused_suitable_jobs": 0,
    "utility_spending_12_months_qepik": 60000,
    "same_purpose_real_estate_units": 1,
}
CALCULATE_BODY = json.dumps({"on": "2020-03-01", "facts": FAMILY_OF_FOUR}).encode()
EXPECTED_QEPIK = 24_000
UNLIMITED = 2_000_000_000  # requests per minute: never reached, yet every call is counted
TARGET = 60.0  # per cent of the ceiling


# --- The server's application ------------------------------------------------------------------
def wsgi_application() -> Any:
    """gunicorn's application factory (`bench.api:wsgi_application()`): meis.wsgi's application
    with bench/api_urls.py as the URLconf. Everything else is the project's settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meis.test_settings")
    from django.conf import settings

    settings.ROOT_URLCONF = "bench.api_urls"
    from meis.wsgi import application

    return application


# --- Database and data -----------------------------------------------------------------------
def recreate_database(url: str, *, drop_only: bool = False) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def pensioners_certify(count: int) -> list[str]:
    """N pensioners, each issued one pension certificate as the portal issues it; the codes."""
    from django.contrib.auth.models import AnonymousUser

    from meis.awards.models import Award, AwardKind, AwardOrigin, DecisionBasis
    from meis.catalog.services import catalog_import_seed
    from meis.certificates.services import certificate_issue
    from meis.certificates.signing import demo_ca_ensure
    from meis.registry.models import Person

    catalog_import_seed()
    demo_ca_ensure()
    alphabet = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"

    def fin(n: int) -> str:
        digits = []
        for _ in range(7):
            n, r = divmod(n, len(alphabet))
            digits.append(alphabet[r])
        return "".join(reversed(digits))

    people = Person.objects.bulk_create(
        Person(
            fin=fin(30_000_000 + i),
            last_name="Benchmarkova",
            first_name=f"Pensiyaçı{i}",
            birth_on=datetime.date(1950, 1, 1) + datetime.timedelta(days=i),
            sex="F" if i % 2 else "M",
            region="baku",
            address="Bakı, Nəsimi rayonu",
            preferred_language="az",
        )
        for i in range(count)
    )
    basis = DecisionBasis.objects.create(
        scheme="old_age_pension", on=datetime.date(2020, 1, 1), rules_version="bench", parameters={}
    )
    Award.objects.bulk_create(
        Award(
            person=person,
            kind=AwardKind.OLD_AGE_PENSION,
            exclusivity_group="labour_pension",
            amount_qepik=42_550 + i,
            start_on=datetime.date(2020, 1, 1),
            origin=AwardOrigin.CASE_DECISION,
            basis=basis,
            record={},
        )
        for i, person in enumerate(people)
    )
    return [
        certificate_issue(
            person=person,
            type_code="pension",
            language="az",
            recipient="Kapital Bank",
            actor=AnonymousUser(),
        ).code
        for person in people
    ]


def bank_register() -> tuple[str, str]:
    """The API client that verifies: scope certificates:verify, its limit out of reach."""
    from meis.api.models import Scope
    from meis.api.services import client_register

    client, issued = client_register(
        name="bench-bank", institution="Bench Bank", scopes=[Scope.CERTIFICATES_VERIFY]
    )
    client.rate_limit_per_minute = UNLIMITED
    client.save(update_fields=["rate_limit_per_minute"])
    return issued.key_id, issued.secret


# --- HTTP ------------------------------------------------------------------------------------
class Connection:
    """One client's connection (http.client opens it again after gunicorn closes it)."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes]:
        for attempt in range(2):
            try:
                self.connection.request(method, path, body=body, headers=headers or {})
                response = self.connection.getresponse()
                return response.status, response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")


Job = Callable[[Connection, random.Random], tuple[int, bytes]]
JSON = {"Content-Type": "application/json"}


def token_get(port: int, key_id: str, secret: str) -> str:
    form = {"grant_type": "client_credentials", "client_id": key_id, "client_secret": secret}
    status, body = Connection(port).request(
        "POST",
        "/api/v1/token",
        urlencode(form).encode(),
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    if status != 200:
        raise SystemExit(f"POST /api/v1/token: HTTP {status} {body[:300]!r}")
    token: str = json.loads(body)["access_token"]
    return token


def api_certificate(codes: list[str], token: str) -> Job:
    headers = {"Authorization": f"Bearer {token}"}
    return lambda c, rng: c.request(
        "GET", f"/api/v1/certificates/{rng.choice(codes)}", None, headers
    )


def bare_certificate(codes: list[str]) -> Job:
    return lambda c, rng: c.request("GET", f"/bench/certificates/{rng.choice(codes)}")


def bare_audited_certificate(codes: list[str]) -> Job:
    return lambda c, rng: c.request("GET", f"/bench/certificates-audited/{rng.choice(codes)}")


def api_calculate(c: Connection, rng: random.Random) -> tuple[int, bytes]:
    return c.request("POST", f"/api/v1/calculate/{SCHEME}", CALCULATE_BODY, JSON)


def bare_calculate(c: Connection, rng: random.Random) -> tuple[int, bytes]:
    return c.request("POST", f"/bench/calculate/{SCHEME}", CALCULATE_BODY, JSON)


def answers_check(port: int, codes: list[str], token: str, workers: int) -> None:
    """Warm every worker on the four requests (imports, connections, the rules) and check that
    each answers what it should."""
    connection, rng = Connection(port), random.Random(0)
    expected: list[tuple[str, Job, Callable[[Any], bool]]] = [
        (
            "API certificate",
            api_certificate(codes, token),
            lambda a: a["status"] == "valid" and a["facts_changed_since_issue"] is False,
        ),
        ("bare certificate", bare_certificate(codes), lambda a: a["status"] == "issued"),
        ("API calculate", api_calculate, lambda a: a["amount_qepik"] == EXPECTED_QEPIK),
        ("bare calculate", bare_calculate, lambda a: a["amount_qepik"] == EXPECTED_QEPIK),
    ]
    for name, job, good in expected:
        for _ in range(5 * workers):
            status, body = job(connection, rng)
            if status != 200 or not good(json.loads(body)):
                raise SystemExit(f"{name}: HTTP {status} {body[:300]!r}")


# --- Load phases -----------------------------------------------------------------------------
@dataclass
class Phase:
    name: str
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    server_cpu: float = 0.0  # the gunicorn workers' CPU seconds
    client_cpu: float = 0.0  # this process's CPU seconds (the client threads)

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def per_request_ms(self, seconds: float) -> float:
        return seconds * 1000 / len(self.latencies) if self.latencies else float("nan")


def cpu_seconds(master: int) -> float:
    """User + system CPU of gunicorn's workers (the master's children), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        if int(stat[1]) == master:  # after the name: state, parent's pid, …, utime, stime
            total += int(stat[11]) + int(stat[12])
    return total / tick


def run_phase(
    name: str, port: int, master: int, *, threads: int, seconds: float, job: Job
) -> Phase:
    """`job` over and over from `threads` client threads for `seconds`."""
    phase = Phase(name)
    lock = threading.Lock()
    start = threading.Barrier(threads + 1)
    deadline = 0.0

    def client(number: int) -> None:
        connection, rng, mine = Connection(port), random.Random(number), []
        statuses: dict[int, int] = {}
        start.wait()
        while time.monotonic() < deadline:
            t = time.perf_counter()
            try:
                status, _ = job(connection, rng)
            except (OSError, http.client.HTTPException) as error:
                with lock:
                    phase.errors.append(f"{type(error).__name__}: {error}"[:300])
                continue
            mine.append(time.perf_counter() - t)
            statuses[status] = statuses.get(status, 0) + 1
        with lock:
            phase.latencies += mine
            for status, n in statuses.items():
                phase.statuses[status] = phase.statuses.get(status, 0) + n

    workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    server_cpu, client_cpu = cpu_seconds(master), time.process_time()
    started = time.perf_counter()
    deadline = time.monotonic() + seconds
    start.wait()
    for worker in workers:
        worker.join()
    phase.seconds = time.perf_counter() - started
    phase.server_cpu = cpu_seconds(master) - server_cpu
    phase.client_cpu = time.process_time() - client_cpu
    return phase


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@dataclass(frozen=True)
class Figures:
    requests: float
    rate: float
    p50: float
    p99: float
    server_cpu: float
    client_cpu: float

    @classmethod
    def of(cls, phase: Phase) -> Figures:
        return cls(
            requests=len(phase.latencies),
            rate=phase.rate,
            p50=percentile(phase.latencies, 0.5) * 1000,
            p99=percentile(phase.latencies, 0.99) * 1000,
            server_cpu=phase.per_request_ms(phase.server_cpu),
            client_cpu=phase.per_request_ms(phase.client_cpu),
        )

    @classmethod
    def median(cls, many: list[Figures]) -> Figures:
        return cls(
            *(statistics.median(getattr(f, each.name) for f in many) for each in fields(cls))
        )


HEADER = (
    f"{'':<48} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
    f"{'server CPU':>11} {'client CPU':>11}"
)


def line(name: str, f: Figures, note: str = "") -> str:
    return (
        f"{name:<48} {f.requests:>8.0f} {f.rate:>8.1f} {f.p50:>8.1f} {f.p99:>8.1f} "
        f"{f.server_cpu:>8.2f} ms {f.client_cpu:>8.2f} ms{note}"
    )


def statuses(phase: Phase) -> str:
    wrong = {k: v for k, v in phase.statuses.items() if k != 200}
    note = (
        ("   statuses " + ", ".join(f"{k}×{v}" for k, v in sorted(wrong.items()))) if wrong else ""
    )
    if phase.errors:
        note += f"   {len(phase.errors)} errors, first: {phase.errors[0]}"
    return note


# --- Server ----------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(port: int, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:  # not /health/: without a task worker's heartbeat it answers (and logs) 503
            Connection(port).request("GET", "/api/v1/schemes")
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer on /api/v1/schemes")


def redis_forget(url: str) -> None:
    """Delete the rate counters this run left in the benchmark's Redis database."""
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=2)
        keys = list(client.scan_iter("meis:api:rate:*"))
        if keys:
            client.delete(*keys)
    except redis.RedisError as error:
        print(f"(Redis counters not deleted: {error})", flush=True)


def load() -> str:
    return "/".join(f"{value:.2f}" for value in os.getloadavg())


# --- Main ------------------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--seconds", type=float, default=15.0, help="per phase and round")
    parser.add_argument("--rounds", type=int, default=3, help="repeats of the four phases")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--threads", type=int, default=4, help="client threads")
    parser.add_argument("--certificates", type=int, default=300, help="one pensioner each")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)
    work = Path(tempfile.mkdtemp(prefix="meis-bench-api-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "meis.test_settings",
        "DATABASE_URL": url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "MEDIA_ROOT": str(work / "media"),
        "CERTIFICATE_SIGNING_P12": str(work / "signing.p12"),
        "CERTIFICATE_TRUST_ROOTS": str(work / "ca.pem"),
        "CERTIFICATE_VERIFY_BASE_URL": "https://e-sosial.gov.az",
        "API_RATE_LIMIT_REDIS_URL": redis_url,
        # One counter per client for both workers, as in production (test settings would give
        # each process its own).
        "API_RATE_LIMIT_PREFIX": "meis:api:rate:",
        "API_OPEN_RATE_LIMIT_PER_MINUTE": str(UNLIMITED),
    }
    os.environ.update(env)
    server: subprocess.Popen[bytes] | None = None
    try:
        recreate_database(url)
        bin_dir = Path(sys.executable).parent
        subprocess.run([bin_dir / "meis", "migrate", "--no-input", "-v", "0"], env=env, check=True)

        import django

        django.setup()
        from django.db import connections

        started = time.perf_counter()
        codes = pensioners_certify(args.certificates)
        key_id, secret = bank_register()
        connections.close_all()
        print(
            f"setup: {len(codes)} pensioners with a signed pension certificate each, one API "
            f"client ({time.perf_counter() - started:.1f} s)",
            flush=True,
        )

        port = free_port()
        server = subprocess.Popen(
            [
                bin_dir / "gunicorn",
                "bench.api:wsgi_application()",
                "--chdir",
                str(ROOT),
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--worker-class",
                "sync",
                "--log-level",
                "warning",
            ],
            env=env,
        )
        wait_until_up(port, server)
        answers_check(port, codes, token_get(port, key_id, secret), args.workers)
        failed = rounds(args, port, server.pid, codes, key_id, secret)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if not args.keep_db:
            recreate_database(url, drop_only=True)
        redis_forget(redis_url)
        shutil.rmtree(work, ignore_errors=True)
    if failed:
        raise SystemExit(1)


def rounds(
    args: argparse.Namespace, port: int, master: int, codes: list[str], key_id: str, secret: str
) -> bool:
    """The timed rounds and the report; True when a request failed."""
    api_get, bare_get = (
        "API  GET  /api/v1/certificates/<code>",
        "bare GET  /bench/certificates/<code>",
    )
    audited_get = "bare GET  /bench/certificates-audited/<code>"
    api_post, bare_post = (
        f"API  POST /api/v1/calculate/{SCHEME}",
        f"bare POST /bench/calculate/{SCHEME}",
    )
    groups = [[api_get, bare_get, audited_get], [api_post, bare_post]]
    pairs = [
        ("certificate GET", (api_get, bare_get)),
        ("calculate POST", (api_post, bare_post)),
        # Not the issue's ceiling: the same read with the writes the issue itself requires of
        # every verification (audit and usage events, committed), to show what is overhead.
        ("certificate GET against the audited bare view", (api_get, audited_get)),
    ]
    print(
        f"\ngunicorn {args.workers} sync workers (meis.wsgi, meis.test_settings), PostgreSQL, "
        f"Redis counters; {args.threads} client threads; {args.rounds} rounds × 5 phases × "
        f"{args.seconds:g} s; {os.cpu_count()} cores; CPU columns: ms per request",
        flush=True,
    )
    load_before = load()
    print(f"load average before: {load_before}", flush=True)
    figures: dict[str, list[Figures]] = {name: [] for group in groups for name in group}
    failed = False
    for number in range(args.rounds):
        print(f"\nround {number + 1}\n{HEADER}", flush=True)
        for group in groups:
            for name in group if number % 2 == 0 else reversed(group):
                if name == api_get:
                    job = api_certificate(codes, token_get(port, key_id, secret))
                elif name == bare_get:
                    job = bare_certificate(codes)
                elif name == audited_get:
                    job = bare_audited_certificate(codes)
                else:
                    job = api_calculate if name.startswith("API") else bare_calculate
                phase = run_phase(
                    name, port, master, threads=args.threads, seconds=args.seconds, job=job
                )
                failed = failed or bool(phase.errors) or set(phase.statuses) != {200}
                figures[name].append(Figures.of(phase))
                print(line(name, figures[name][-1], statuses(phase)), flush=True)
    load_after = load()

    print(f"\nmedian of {args.rounds} rounds\n{HEADER}")
    for group in groups:
        for name in group:
            print(line(name, Figures.median(figures[name])))
    print()
    for label, (api_name, bare_name) in pairs:
        ratios = [
            100 * api.rate / bare.rate if bare.rate else float("nan")
            for api, bare in zip(figures[api_name], figures[bare_name], strict=True)
        ]
        ratio = statistics.median(ratios)
        verdict = "met" if ratio >= TARGET else "NOT met"
        print(
            f"API / ceiling, {label}: {ratio:.0f} % (rounds: "
            f"{', '.join(f'{r:.0f}' for r in ratios)}); target ≥ {TARGET:.0f} %: {verdict}"
        )
    print(f"load average before {load_before}, after {load_after}; {os.cpu_count()} cores")
    return failed


if __name__ == "__main__":
    main()
