"""Benchmark: the request path — a citizen's case page beside a bare Django view, before and after.

    .venv/bin/python bench/request_path.py [--before REV] [--seconds 10] [--rounds 3]

Issue 24 part 1 (a lean request path). bench/submit.py measures the whole applying flow and
status reads against `GET /health/`; this one measures the status read itself, in one run:

1. drops and creates a PostgreSQL database (BENCH_DATABASE_URL, default
   postgres://postgres@127.0.0.1:5432/meis_bench_request_path), migrates it, imports the seed
   catalogue and makes N citizens (bench/submit.py's `citizens_create`: person, identity card,
   citizen account, a signed-in session), each with one application filed by `case_submit`
   with two PDF documents;
2. exports the code of `--before` (default: the commit before this work) with `git archive`
   into a temporary directory: "before" is that code, "after" is this checkout (or `--after`,
   exported likewise), both on the same database, the same sessions and the same virtualenv;
   `--before X^ --after X` measures the one step X;
3. in-process, for each code (a subprocess each: `--in-process CODE_ROOT`), the per-request SQL
   statements and milliseconds (median of `--samples`) of the case page, the home page signed in
   and anonymous, and a case worker's queue — through Django's test client, no server;
4. starts gunicorn for each code (sync workers, settings `meis.test_settings`, the project's
   URLconf plus one bare view: `GET /bench/bare-case/<reference>/`, which reads the same kind
   of rows as the case page — the case with its service, its events and documents — and writes
   them into a small HTML page, no session, no template, no access check, no audit) and drives
   them from client threads, in rounds; within a round the order rotates so that all three see
   the same machine: the case page before, the case page after, the bare view (the ceiling).

Prints the in-process table, each round and the median of the rounds: reads/s, p50/p99, the
gunicorn workers' CPU per read (from /proc; PostgreSQL's is not in it), each case page's reads/s
as a percentage of the ceiling (issue 24's target: ≥ 40 %), and the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/meis_bench_request_path"
# The last commit before issue 24's lean request path (memoised actor, session writes, …).
BEFORE = "7c21a5d"
SERVICE = "targeted-social-assistance"
TARGET = 40.0  # per cent of the ceiling


# --- The servers' application ------------------------------------------------------------------
def wsgi_application() -> Any:
    """gunicorn's application factory: meis.wsgi's application with the project's URLs plus the
    bare view (`bench/request_path.py` is on the server's path whichever code it serves)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meis.test_settings")
    from django.conf import settings

    from meis.wsgi import application

    global urlpatterns  # this module is the URLconf: the project's URLs and the bare view
    urlpatterns = _urlpatterns()
    settings.ROOT_URLCONF = "request_path"
    return application


def bare_case(request: Any, reference: str) -> Any:
    """The ceiling: the rows a case page shows, read and written out with no framework around."""
    from django.http import HttpResponse
    from django.utils.html import escape

    from meis.cases.models import Case, CaseDocument, CaseEvent

    case = Case.objects.select_related("service_version").filter(reference=reference).first()
    if case is None:
        return HttpResponse(status=404)
    events = CaseEvent.objects.filter(case=case, is_internal=False).order_by("occurred_at")
    documents = CaseDocument.objects.filter(case=case).order_by("uploaded_at", "id")
    name = case.service_version.definition["name"]
    rows = "".join(f"<li>{e.occurred_at:%Y-%m-%d} {escape(e.kind)}</li>" for e in events)
    files = "".join(f"<li>{escape(d.original_name)}</li>" for d in documents)
    return HttpResponse(
        f"<!doctype html><title>{escape(case.reference)}</title><h1>{escape(case.reference)}"
        f'</h1><p data-testid="status">{escape(case.status)}</p><p>{escape(str(name))}</p>'
        f"<ul>{rows}</ul><ul>{files}</ul>"
    )


def _urlpatterns() -> list[Any]:
    from django.urls import path

    from meis.urls import urlpatterns

    return [path("bench/bare-case/<str:reference>/", bare_case), *urlpatterns]


urlpatterns: list[Any] = []  # filled by `wsgi_application` once Django is set up


# --- Data ------------------------------------------------------------------------------------
def recreate_database(url: str, *, drop_only: bool = False) -> None:
    from bench.submit import recreate_database as recreate  # bench/submit.py

    recreate(url, drop_only=drop_only)


def data_create(count: int) -> dict[str, Any]:
    """N citizens with a session and an application each; a case worker of their centre."""
    from django.contrib.auth.models import AnonymousUser, User
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from bench.submit import citizens_create, iban, small_pdf
    from meis.accounts.models import StaffProfile
    from meis.accounts.services import staff_groups_ensure
    from meis.cases.services import case_submit
    from meis.catalog.selectors import eservice_version_current
    from meis.centres.models import ServiceCentre
    from meis.registry.models import Person

    citizens, centre_id = citizens_create(count)
    centre = ServiceCentre.objects.get(pk=centre_id)
    version = eservice_version_current(code=SERVICE)
    pdf = small_pdf("MEIS request path")
    people = Person.objects.filter(last_name="Benchmarkov").order_by("pk")
    references = []
    for person in people:
        answers = {
            "members": "4",
            "income_12_months_qepik": "4800",
            "has_vehicle": "no",
            "contact_phone": "050 123 45 67",
            "bank_account_iban": iban(),
        }
        documents = [
            (code, SimpleUploadedFile(f"{code}.pdf", pdf, "application/pdf"))
            for code in ("identity_card", "family_composition_certificate")
        ]
        result = case_submit(
            person=person,
            version=version,
            answers=answers,
            channel="portal",
            actor=AnonymousUser(),
            centre=centre,
            contact_channel="portal",
            contact_value="",
            idempotency_key=str(uuid.uuid4()),
            documents=documents,
        )
        references.append(result.case.reference)
    worker = User.objects.create_user(username="bench-worker", password=uuid.uuid4().hex)
    worker.groups.add(staff_groups_ensure()["case_worker"])
    StaffProfile.objects.create(
        user=worker, centre=centre, subsystems=["targeted_assistance"], institution="DOST"
    )
    device = TOTPDevice.objects.create(user=worker, name="bench", confirmed=True)
    client = Client()
    client.force_login(worker)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return {
        "citizens": [c.session_id for c in citizens],
        "references": references,
        "worker": client.cookies["sessionid"].value,
    }


# --- In-process: SQL statements and milliseconds per request -------------------------------------
def in_process(code_root: str, data_file: str, samples: int) -> None:
    """Run in a subprocess with `code_root` first on the path: print one JSON line of figures."""
    sys.path.insert(0, code_root)
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    data = json.loads(Path(data_file).read_text())
    sessions = sessions_this_code_reads([*data["citizens"], data["worker"]])
    citizen, worker, anonymous = Client(), Client(), Client()
    citizen.cookies["sessionid"] = sessions[data["citizens"][0]]
    worker.cookies["sessionid"] = sessions[data["worker"]]
    pages = {
        "case page (citizen)": (citizen, f"/en/applications/{data['references'][0]}/"),
        "home page (citizen)": (citizen, "/en/"),
        "home page (anonymous)": (anonymous, "/en/"),
        "queue page (case worker)": (worker, "/en/backoffice/cases/"),
    }
    figures = {}
    for name, (client, path) in pages.items():
        client.get(path)  # warm: imports, the calendar's first read
        timings, statements = [], 0
        for _ in range(samples):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(path)
                timings.append(time.perf_counter() - started)
            statements = len(queries.captured_queries)
            if response.status_code != 200:
                raise SystemExit(f"{name}: HTTP {response.status_code}")
        figures[name] = {"statements": statements, "ms": statistics.median(timings) * 1000}
    print(json.dumps({"figures": figures, "sessions": sessions}))


def sessions_this_code_reads(keys: list[str]) -> dict[str, str]:
    """Each session key → a key of the same signed-in user that this code's settings accept.

    A session names the authentication backend that signed its user in; code whose settings do
    not list that backend (an older commit: `ModelBackend` before `UserAndPersonBackend`) treats
    it as signed out. Such a session gets a twin naming this code's own backend, so that both
    codes read the same users' pages.
    """
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    backends = settings.AUTHENTICATION_BACKENDS
    model_backend = "django.contrib.auth.backends.ModelBackend"
    own = model_backend if model_backend in backends else backends[-1]
    mapped = {}
    for key in keys:
        session = SessionStore(session_key=key)
        if session.get(BACKEND_SESSION_KEY) in backends:
            mapped[key] = key
            continue
        twin = SessionStore()
        twin.update({**session.load(), BACKEND_SESSION_KEY: own})
        twin.create()
        mapped[key] = twin.session_key or key
    return mapped


def in_process_figures(code_root: Path, data_file: Path, env: dict[str, str], samples: int) -> Any:
    output = subprocess.run(
        [sys.executable, __file__, "--in-process", str(code_root), "--data", str(data_file)]
        + ["--samples", str(samples)],
        env={**env, "ALLOWED_HOSTS": "127.0.0.1,testserver", "DEBUG": "0"},
        cwd=code_root,
        capture_output=True,
        text=True,
    )
    if output.returncode:
        raise SystemExit(f"in-process figures of {code_root} failed:\n{output.stderr[-3000:]}")
    return json.loads(output.stdout.strip().splitlines()[-1])


# --- Servers ---------------------------------------------------------------------------------
def server_start(code_root: Path, env: dict[str, str], workers: int) -> tuple[Any, int]:
    from bench.api import free_port  # bench/api.py

    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "request_path:wsgi_application()",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--pythonpath",
            f"{code_root},{ROOT / 'bench'}",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=code_root,
    )
    return server, port


def wait_until_up(port: int, server: Any, seconds: float = 60) -> None:
    from bench.api import Connection

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:
            Connection(port).request("GET", "/en/")
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer")


def export(revision: str, into: Path, name: str) -> Path:
    """The tree of `revision` (git archive), without touching the checkout or its index."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", revision],
        check=True,
        capture_output=True,
    ).stdout
    tar_path = into / f"{name}.tar"
    tar_path.write_bytes(archive)
    tree = into / name
    with tarfile.open(tar_path) as tar:
        tar.extractall(tree, filter="data")
    return tree


# --- Main ------------------------------------------------------------------------------------
def main() -> None:  # noqa: C901, PLR0915 — one linear script: set up, measure, tear down
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--before", default=BEFORE, help="the code to compare with (git rev)")
    parser.add_argument(
        "--after", default="", help="a git rev instead of the checkout as it is (uncommitted edits)"
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="per phase and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--threads", type=int, default=4, help="client threads")
    parser.add_argument("--citizens", type=int, default=200)
    parser.add_argument("--samples", type=int, default=50, help="in-process requests per page")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--in-process", help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    args = parser.parse_args()
    # The project (this checkout), except in `--in-process`, which puts the code it measures
    # first. Not at import: a server imports this module as its URLconf (`request_path`) and
    # must import the project from its own code root.
    sys.path.insert(0, str(ROOT))
    if args.in_process:
        in_process(args.in_process, args.data, args.samples)
        return

    from bench.api import Figures, load, run_phase

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    scratch = Path(tempfile.mkdtemp(prefix="meis-bench-request-path-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "meis.test_settings",
        "DATABASE_URL": url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "MEDIA_ROOT": str(scratch / "media"),
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
    data = data_create(args.citizens)
    connection.close()
    data_file = scratch / "data.json"
    data_file.write_text(json.dumps(data))
    before_tree = export(args.before, scratch, "before")
    after_tree = export(args.after, scratch, "after") if args.after else ROOT
    print(
        f"setup: {args.citizens} citizens with a session and an application (2 PDFs) each, "
        f"a case worker; before = {args.before}, after = {args.after or 'this checkout'} "
        f"({time.perf_counter() - started:.1f} s)",
        flush=True,
    )
    codes = {"before": before_tree, "after": after_tree}

    print(f"\nin-process, Django's test client, median of {args.samples} requests, load {load()}")
    print(f"{'':<28}" + "".join(f"{code + ' SQL':>12}{code + ' ms':>12}" for code in codes))
    measured = {
        code: in_process_figures(root, data_file, env, args.samples) for code, root in codes.items()
    }
    for page in measured["after"]["figures"]:
        cells = "".join(
            f"{measured[code]['figures'][page]['statements']:>12}"
            f"{measured[code]['figures'][page]['ms']:>12.2f}"
            for code in codes
        )
        print(f"{page:<28}{cells}", flush=True)

    servers = {code: server_start(root, env, args.workers) for code, root in codes.items()}
    try:
        for server, port in servers.values():
            wait_until_up(port, server)
        references = data["references"]

        def case_page_of(code: str) -> Any:
            # The sessions this code accepts (see `sessions_this_code_reads`).
            mapped = measured[code]["sessions"]
            cookies = [f"sessionid={mapped.get(key, key)}" for key in data["citizens"]]

            def case_page(connection: Any, rng: random.Random) -> tuple[int, bytes]:
                n = rng.randrange(len(references))
                status, body = connection.request(
                    "GET", f"/en/applications/{references[n]}/", headers={"Cookie": cookies[n]}
                )
                if b'data-testid="status"' not in body:
                    status = 599
                return status, body

            return case_page

        def bare(connection: Any, rng: random.Random) -> tuple[int, bytes]:
            status, body = connection.request("GET", f"/bench/bare-case/{rng.choice(references)}/")
            return status, body

        phases = [
            ("case page, before", servers["before"], case_page_of("before")),
            ("case page, after", servers["after"], case_page_of("after")),
            ("bare Django view (ceiling)", servers["after"], bare),
        ]
        for _name, (_server, port), job in phases:  # warm every worker
            run_phase("warm", port, _server.pid, threads=args.threads, seconds=1.0, job=job)
        results: dict[str, list[Figures]] = {name: [] for name, _s, _j in phases}
        print(f"\ngunicorn {args.workers} sync workers, {args.threads} client threads, PostgreSQL")
        header = f"{'':<30}{'reads':>8}{'reads/s':>9}{'p50 ms':>8}{'p99 ms':>8}{'CPU/read':>10}"
        for number in range(args.rounds):
            order = phases[number % 3 :] + phases[: number % 3]
            print(f"round {number + 1}, load {load()}\n{header}", flush=True)
            for name, (server, port), job in order:
                phase = run_phase(
                    name, port, server.pid, threads=args.threads, seconds=args.seconds, job=job
                )
                figures = Figures.of(phase)
                results[name].append(figures)
                wrong = {k: v for k, v in phase.statuses.items() if k != 200}
                print(
                    f"{name:<30}{figures.requests:>8.0f}{figures.rate:>9.1f}{figures.p50:>8.1f}"
                    f"{figures.p99:>8.1f}{figures.server_cpu:>7.2f} ms"
                    + (f"   statuses {wrong}" if wrong else "")
                    + (f"   {len(phase.errors)} errors: {phase.errors[0]}" if phase.errors else ""),
                    flush=True,
                )
        ceiling = [f.rate for f in results["bare Django view (ceiling)"]]
        print(f"\nmedian of {args.rounds} rounds, load {load()}, {os.cpu_count()} cores\n{header}")
        for name, many in results.items():
            f = Figures.median(many)
            share = statistics.median(
                100 * a.rate / c if c else float("nan") for a, c in zip(many, ceiling, strict=True)
            )
            note = "" if name.startswith("bare") else f"   {share:.1f} % of the ceiling"
            print(
                f"{name:<30}{f.requests:>8.0f}{f.rate:>9.1f}{f.p50:>8.1f}{f.p99:>8.1f}"
                f"{f.server_cpu:>7.2f} ms{note}"
            )
        print(f"target: the case page at ≥ {TARGET:.0f} % of the ceiling (issue 24)")
    finally:
        for server, _port in servers.values():
            server.terminate()
        for server, _port in servers.values():
            server.wait(timeout=30)
        if not args.keep_db:
            recreate_database(url, drop_only=True)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
