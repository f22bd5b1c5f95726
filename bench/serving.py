"""Benchmark: the production server, gunicorn against granian, on the project's own pages.

    .venv/bin/python bench/serving.py [--seconds 10] [--rounds 2] [--workers 2] [--threads 4]

ADR 0026's figures. Both servers serve `meis.wsgi`'s application with the same production
settings (`meis.test_settings`: production settings without TLS redirects or hashed static names)
on the same PostgreSQL database, 2 worker processes each, one request at a time per worker
(gunicorn's sync workers; granian's WSGI interface with one blocking thread per worker unless
`--granian-threads` says otherwise), in the same run:

1. drops and creates a PostgreSQL database (BENCH_DATABASE_URL, default
   postgres://postgres@127.0.0.1:5432/meis_bench_serving), migrates it, imports the seed
   catalogue and creates N signed-in citizens (bench/submit.py's `citizens_create`); each applies
   for targeted social assistance once through the portal's own 8-request flow (bench/submit.py's
   `apply_once`, on a gunicorn started for the set-up only), so each has a real case;
2. starts both servers side by side on free ports through the application factory
   `bench.serving:wsgi_application()` (meis.wsgi with this module as the URLconf: the project's
   URLs plus one bare view), warms them (3 s per page from all client threads, so that every
   worker has booted), then in each round measures each page on one server and then the other,
   the order alternating, so that both meet the same machine (an idle server costs nothing).
   The client threads (http.client, one connection each) read:
   - `GET /en/` — the home page of a signed-in citizen (the citizen's session cookie);
   - `GET /en/applications/<reference>/` — the citizen's own case page (status, clock,
     timeline, read through the audited access funnel);
   - `GET /bench/case/<reference>` — the ceiling: a bare Django view reading the same kind of
     rows (the case and its person, by reference) into a few lines of HTML, through the same
     server, application and middleware, without a session, templates, the funnel or the audit.

Prints each phase (requests, requests/s, p50, p99, the server workers' CPU per request from
/proc) and the median of the rounds per server and page with the page's share of the bare view
on the same server; the load average before and after and the core count. The client threads
share the 2 cores with the servers and PostgreSQL, as in bench/api.py.
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.submit import (  # noqa: E402 — after the path: bench is run as a script
    Browser,
    apply_once,
    citizens_create,
    free_port,
    percentile,
    recreate_database,
    small_pdf,
)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/meis_bench_serving"
SERVERS = ("gunicorn", "granian")
PAGES = ("home", "case page", "bare view")


# --- The bare view and the served application --------------------------------------------------
def case_bare(request: Any, reference: str) -> Any:
    """The ceiling: the case and its person by reference, a few lines of HTML."""
    from django.http import Http404, HttpResponse

    from meis.cases.models import Case

    case = (
        Case.objects.select_related("person")
        .only("reference", "status", "submitted_at", "person__first_name", "person__last_name")
        .filter(reference=reference[:20])
        .first()
    )
    if case is None:
        raise Http404
    return HttpResponse(
        f"<!doctype html><title>{case.reference}</title><h1>{case.reference}</h1>"
        f"<p>{case.person.first_name} {case.person.last_name}: {case.status}, "
        f"{case.submitted_at:%Y-%m-%d}</p>"
    )


def __getattr__(name: str) -> Any:
    """`urlpatterns` when the server serves this module as the URLconf (Django is set up by
    then); as a script the module needs none."""
    if name != "urlpatterns":
        raise AttributeError(name)
    from django.urls import path

    from meis.urls import urlpatterns as project

    return [path("bench/case/<str:reference>", case_bare), *project]


def wsgi_application() -> Any:
    """Both servers' application factory: meis.wsgi's application with this module as the
    URLconf. Everything else is the project's settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meis.test_settings")
    from django.conf import settings

    settings.ROOT_URLCONF = "bench.serving"
    from meis.wsgi import application

    return application


def server_command(name: str, port: int, workers: int, threads: int = 1) -> list[str]:
    bin_dir = Path(sys.executable).parent
    factory = "bench.serving:wsgi_application"
    if name == "gunicorn":
        return [
            str(bin_dir / "gunicorn"),
            f"{factory}()",
            *("--chdir", str(ROOT), "--bind", f"127.0.0.1:{port}"),
            *("--workers", str(workers), "--worker-class", "sync", "--log-level", "warning"),
        ]
    return [
        str(bin_dir / "granian"),
        *("--interface", "wsgi", "--factory", factory, "--working-dir", str(ROOT)),
        *("--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)),
        *("--blocking-threads", str(threads), "--log-level", "warning"),
    ]


def server_start(
    name: str, port: int, workers: int, env: dict[str, str], threads: int = 1
) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(server_command(name, port, workers, threads), env=env, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"{name} exited with {server.returncode}")
        try:
            Browser(port).request("GET", "/healthz")
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"{name} did not answer on /healthz")


def server_stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


# --- Load --------------------------------------------------------------------------------------
@dataclass
class Phase:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    server_cpu: float = 0.0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


def cpu_seconds(master: int) -> float:
    """User + system CPU of the server's worker processes (the master's children), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        if int(stat[1]) == master:
            total += int(stat[11]) + int(stat[12])
    return total / tick


Request = Callable[[Browser, int], str]  # (the client's browser, its counter) -> error or ""


def run_phase(browsers: list[Browser], master: int, seconds: float, request: Request) -> Phase:
    """`request` over and over from one thread per browser for `seconds`."""
    phase, lock = Phase(), threading.Lock()
    start = threading.Barrier(len(browsers) + 1)
    deadline = [0.0]

    def client(browser: Browser) -> None:
        mine: list[float] = []
        count = 0
        start.wait()
        while time.monotonic() < deadline[0]:
            t = time.perf_counter()
            try:
                error = request(browser, count)
            except (OSError, http.client.HTTPException) as failure:
                error = f"{type(failure).__name__}: {failure}"
            count += 1
            if error:
                with lock:
                    phase.errors.append(error[:300])
                continue
            mine.append(time.perf_counter() - t)
        with lock:
            phase.latencies += mine

    threads = [threading.Thread(target=client, args=(b,)) for b in browsers]
    for thread in threads:
        thread.start()
    cpu = cpu_seconds(master)
    started = time.perf_counter()
    deadline[0] = time.monotonic() + seconds
    start.wait()
    for thread in threads:
        thread.join()
    phase.seconds = time.perf_counter() - started
    phase.server_cpu = cpu_seconds(master) - cpu
    return phase


def page_request(path_of: Callable[[int], str], marker: bytes) -> Request:
    def request(browser: Browser, count: int) -> str:
        path = path_of(count)
        response = browser.request("GET", path)
        if response.status != 200 or marker not in response.body:
            return f"GET {path}: HTTP {response.status} {response.body[:120]!r}"
        return ""

    return request


@dataclass(frozen=True)
class Figures:
    requests: float
    rate: float
    p50: float
    p99: float
    cpu: float

    @classmethod
    def of(cls, phase: Phase) -> Figures:
        done = len(phase.latencies)
        return cls(
            requests=done,
            rate=phase.rate,
            p50=percentile(phase.latencies, 0.5) * 1000,
            p99=percentile(phase.latencies, 0.99) * 1000,
            cpu=phase.server_cpu * 1000 / done if done else float("nan"),
        )

    @classmethod
    def median(cls, many: list[Figures]) -> Figures:
        return cls(
            *(
                statistics.median(getattr(f, name) for f in many)
                for name in ("requests", "rate", "p50", "p99", "cpu")
            )
        )


HEADER = (
    f"{'server':<9} {'page':<10} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
    f"{'CPU/req':>9} {'of bare':>8}"
)


def line(server: str, page: str, f: Figures, bare: Figures | None) -> str:
    share = f"{100 * f.rate / bare.rate:7.0f}%" if bare and bare.rate else f"{'':>8}"
    return (
        f"{server:<9} {page:<10} {f.requests:>8.0f} {f.rate:>8.1f} {f.p50:>8.1f} {f.p99:>8.1f} "
        f"{f.cpu:>6.2f} ms {share}"
    )


def load() -> str:
    return "/".join(f"{value:.2f}" for value in os.getloadavg())


# --- Main --------------------------------------------------------------------------------------
def cases_create(citizens: int, env: dict[str, str]) -> list[tuple[str, str]]:
    """(session id, case reference) of N citizens who each applied once through the portal."""
    import django

    django.setup()
    from django.db import connections

    people, centre_id = citizens_create(citizens)
    connections.close_all()
    port = free_port()
    server = server_start("gunicorn", port, 2, env)
    pdf = small_pdf("MEIS serving benchmark")
    try:
        return [
            (c.session_id, apply_once(Browser(port, c.session_id), centre_id, pdf)[0])
            for c in people
        ]
    finally:
        server_stop(server)


@dataclass
class Clients:
    """One server's client threads' browsers and requests, per page: each thread reads its own
    citizen's pages with the citizen's session; the bare view is read without a session."""

    browsers: dict[str, list[Browser]]
    requests: dict[str, Request]


def clients_for(port: int, cases: list[tuple[str, str]], threads: int) -> Clients:
    mine = [cases[n % len(cases)] for n in range(threads)]
    signed_in = [Browser(port, session_id) for session_id, _ in mine]
    anonymous = [Browser(port) for _ in mine]
    references = [reference for _, reference in mine]
    return Clients(
        browsers={"home": signed_in, "case page": signed_in, "bare view": anonymous},
        requests={
            "home": page_request(lambda _: "/en/", b"<main"),
            "case page": _case_request(signed_in, references, "/en/applications/{}/"),
            "bare view": _case_request(anonymous, references, "/bench/case/{}"),
        },
    )


def _case_request(browsers: list[Browser], references: list[str], pattern: str) -> Request:
    """Each client thread reads its own citizen's case."""

    def request(browser: Browser, count: int) -> str:
        reference = references[browsers.index(browser)]
        path = pattern.format(reference)
        response = browser.request("GET", path)
        if response.status != 200 or reference.encode() not in response.body:
            return f"GET {path}: HTTP {response.status} {response.body[:120]!r}"
        return ""

    return request


def measure(
    args: argparse.Namespace, env: dict[str, str], cases: list[tuple[str, str]]
) -> tuple[dict[tuple[str, str], list[Figures]], bool]:
    """Both servers run side by side (an idle one costs nothing); each page is measured on one
    and then on the other, the order alternating, so that both meet the same machine."""
    ports = {name: free_port() for name in SERVERS}
    servers: dict[str, subprocess.Popen[bytes]] = {}
    figures: dict[tuple[str, str], list[Figures]] = {}
    failed = False
    try:
        for name in SERVERS:
            threads = args.granian_threads if name == "granian" else 1
            servers[name] = server_start(name, ports[name], args.workers, env, threads)
        clients = {name: clients_for(ports[name], cases, args.threads) for name in SERVERS}
        for name, own in clients.items():  # every worker booted and warm, answers right
            for page in PAGES:
                warm = run_phase(own.browsers[page], servers[name].pid, 3.0, own.requests[page])
                if warm.errors or not warm.latencies:
                    raise SystemExit(f"{name} {page}: {warm.errors[:1]}")
        for number in range(args.rounds):
            print(f"\nround {number + 1}\n{HEADER}", flush=True)
            for index, page in enumerate(PAGES):
                for name in SERVERS if (number + index) % 2 == 0 else SERVERS[::-1]:
                    own = clients[name]
                    phase = run_phase(
                        own.browsers[page], servers[name].pid, args.seconds, own.requests[page]
                    )
                    failed = failed or bool(phase.errors)
                    figures.setdefault((name, page), []).append(Figures.of(phase))
                    note = (
                        f"   {len(phase.errors)} errors: {phase.errors[0]}" if phase.errors else ""
                    )
                    print(line(name, page, figures[(name, page)][-1], None) + note, flush=True)
    finally:
        for server in servers.values():
            server_stop(server)
    return figures, failed


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="per phase")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="worker processes per server")
    parser.add_argument("--threads", type=int, default=4, help="client threads")
    parser.add_argument(
        "--granian-threads", type=int, default=1, help="granian's blocking threads per worker"
    )
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    work = Path(tempfile.mkdtemp(prefix="meis-bench-serving-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "meis.test_settings",
        "DATABASE_URL": url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "MEDIA_ROOT": str(work / "media"),
        # ERROR: every upload would log that no virus scanner is configured.
        "LOG_LEVEL": "ERROR",
        # Request metrics counted across worker processes, as `make serve` counts them.
        "PROMETHEUS_MULTIPROC_DIR": str(work / "prometheus"),
    }
    (work / "prometheus").mkdir()
    os.environ.update(env)
    failed = False
    try:
        recreate_database(url)
        meis = Path(sys.executable).with_name("meis")
        subprocess.run([meis, "migrate", "--no-input", "-v", "0"], env=env, check=True)
        started = time.perf_counter()
        cases = cases_create(args.threads, env)
        print(
            f"setup: {len(cases)} citizens, each with a case filed through the portal "
            f"({time.perf_counter() - started:.1f} s)",
            flush=True,
        )
        print(
            f"\n{args.workers} workers per server (gunicorn sync; granian WSGI, "
            f"{args.granian_threads} blocking thread(s)), PostgreSQL, {args.threads} client threads, {args.rounds} rounds × "
            f"{len(PAGES)} pages × {args.seconds:g} s per server; {os.cpu_count()} cores",
            flush=True,
        )
        load_before = load()
        print(f"load average before: {load_before}", flush=True)
        figures, failed = measure(args, env, cases)
        load_after = load()
        print(f"\nmedian of {args.rounds} rounds\n{HEADER}")
        for name in SERVERS:
            bare = Figures.median(figures[(name, "bare view")])
            for page in PAGES:
                f = Figures.median(figures[(name, page)])
                print(line(name, page, f, bare if page != "bare view" else None))
        print(f"load average before {load_before}, after {load_after}; {os.cpu_count()} cores")
    finally:
        if not args.keep_db:
            recreate_database(url, drop_only=True)
        shutil.rmtree(work, ignore_errors=True)
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
