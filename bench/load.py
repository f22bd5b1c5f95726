"""Load test: the production set-up (`make serve`'s scripts/serve) under the seed's mix of uses.

    .venv/bin/python bench/load.py [--scenario mix|surge|flow] [--duration 120] [--users 40]
                                   [--citizens 6000] [--reuse]

Issue 24, part 4. Locust (as a library, FastHttpUser) drives, all on 127.0.0.1:

1. a PostgreSQL database of its own (BENCH_DATABASE_URL, default
   postgres://postgres@127.0.0.1:5432/meis_load), dropped and created unless `--reuse`; Redis
   (BENCH_REDIS_DB, default 12, flushed) as the cache and limiter store; a small HTTP SMS gateway
   in this process (docs/sms-gateway.md), which keeps the one-time codes the task worker sends;
2. `scripts/serve --demo-signing-key` — exactly what `make serve` runs: `meis check --deploy`,
   migrate, collectstatic, then the Procfile under honcho: granian with one worker per core, the
   task worker and the scheduler — with production settings and `make serve`'s environment, plus
   `TRUSTED_PROXIES=127.0.0.1` (each simulated user sends its own address as a proxy would, so
   the per-address limits see many addresses, as in production);
3. seeds it (bench/_load_seed.py, unless `--reuse` finds the data of an earlier run): citizens
   with a verified mobile number, identity card and a signed-in session, some with an
   application, some e-certificates, a case worker;
4. the ceiling: the same server (granian, as many workers, production settings) serving the
   project plus bench/request_path.py's bare Django view (the rows of a case page, no framework
   around), driven by Locust for `--ceiling-seconds`, before and after the load;
5. the load, `--users` simulated users with no think time (a closed loop: the figures are the
   set-up's capacity, not a forecast of real traffic), for `--duration` seconds after a warm-up:
   - `mix`: the seed's mix of uses (MIX below), each user doing one use after another;
   - `flow`: the whole application flow only (8 requests, 2 PDF uploads; the final POST timed
     on its own; issue 24's target ≥ 60 applications/s, final POST p99 ≤ 200 ms);
   - `surge`: April 2020's one-off payment campaign — applications only, every one then checked
     against the registries by the task worker (the case's pre-check); see SURGE.

Prints, per kind: uses, uses/s, p50 and p99 (ms), errors; the ceiling (bare view reads/s, p50,
p99) before and after; the load average before and after each phase; for `mix` the time the
seed's 2,774,891 uses would take at the sustained rate (a projection from the run, not a
replay); for `surge` the applications/s, p99, errors and the pre-check backlog at the end.
Exits non-zero on any error.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/meis_load"
SERVICE = "targeted-social-assistance"
DOCUMENTS = ("identity_card", "family_composition_certificate")
SEED_USES = 2_774_891  # the seed's e-service uses in ten weeks of 2020 (docs/domain.md §10)
TARGET_HOURS = 2.0

# The seed's mix: its 2,774,891 uses in ten weeks, per user kind. Where the seed gives a figure it
# is used; the rest is marked [M] (a modelling choice; docs/domain.md §10 has the sources):
# - applications with documents: 17 % — the targeted-assistance application e-service's share of
#   all uses in August 2017 (87,300 of 516,152; novator.az);
# - certificate issues: 165,000 (the seed: e-certificates to mid-March 2020);
# - certificate checks: as many as issues [M] (each certificate shown to one institution);
# - calculator uses: 178,000 — the pension calculator's 3.7 M uses from Sept 2020 to Aug 2024
#   (operativmedia.az) per ten weeks;
# - the rest, 1,795,159, is signed-in reads and their sign-ins [M]: a sign-in for every three
#   signed-in uses (applications, certificate issues and status reads) — 607,973 sign-ins and
#   1,187,186 status reads (the case page).
MIX = {
    "sign-in": 607_973,
    "status read": 1_187_186,
    "application": 471_732,
    "certificate issue": 165_000,
    "certificate check": 165_000,
    "calculator": 178_000,
}
assert sum(MIX.values()) == SEED_USES  # noqa: S101 — the mix is the seed's, nothing more

# The surge (April 2020, the 190-manat one-off payment): the catalogue keeps that service
# (`lump-sum-payment-2020`) as an ended programme — inactive, no questions, decided by hand — so
# the surge applies for the most similar live service instead: targeted social assistance, also
# means-tested against the registries, whose pre-check the task worker runs on every case.
SURGE = SERVICE
PDF = b""  # set in main (bench/submit.py's small PDF)
KEY = re.compile(rb'name="key" value="([0-9a-f-]{36})"')
REFERENCE = re.compile(r"/applications/(MEIS-\d{4}-\d{7})/confirmation/")
CODE = re.compile(r"\b(\d{6})\b")
SIGN_IN = re.compile(r"/sign-in/(\?|$)")  # where an ended session is sent


# --- The SMS gateway: one-time codes by phone ---------------------------------------------------
class Gateway:
    """docs/sms-gateway.md's interface on a free port: keeps the last code sent to each phone."""

    def __init__(self) -> None:
        self.codes: dict[str, str] = {}
        self.received = 0
        self.lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 — http.server's name
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                found = CODE.search(body.get("text", ""))
                with gateway.lock:
                    gateway.received += 1
                    if found:
                        gateway.codes[body["to"]] = found.group(1)
                answer = json.dumps({"id": body.get("reference", "")}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = int(self.server.server_address[1])
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def code_take(self, phone: str) -> str | None:
        with self.lock:
            return self.codes.pop(phone, None)


# --- Processes --------------------------------------------------------------------------------
def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}/{five:.2f}/{fifteen:.2f}"


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(port: int, process: subprocess.Popen[bytes], seconds: float = 900) -> None:
    import http.client

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/health/", headers={"Host": "127.0.0.1"})
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"nothing answered on port {port}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a process group this script started (honcho or granian and their children)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def serve(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    """`make serve`'s command with `make serve`'s environment (Makefile), on `port`; its output
    (honcho's, the processes' JSON logs) into `log`."""
    with log.open("ab") as output:
        return subprocess.Popen(
            [str(ROOT / "scripts" / "serve"), "--demo-signing-key"],
            env={**env, "PORT": str(port)},
            cwd=ROOT,
            start_new_session=True,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def ceiling_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    """The Procfile's granian, as many workers, serving the project plus the bare view."""
    return subprocess.Popen(
        [
            str(Path(sys.executable).parent / "granian"),
            "--interface",
            "wsgi",
            "--factory",
            "request_path:wsgi_application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--blocking-threads",
            "1",
            "--no-ws",
            "--log-level",
            "warning",
        ],
        env={**env, "PYTHONPATH": f"{ROOT / 'bench'}:{ROOT}"},
        cwd=ROOT,
        start_new_session=True,
    )


# --- Data ---------------------------------------------------------------------------------------
@dataclass
class Data:
    citizens: list[dict[str, str]]
    readers: int
    centre: int
    certificates: list[str]
    worker: str
    next_applicant: int = 0
    to_decide: list[str] = field(default_factory=list)  # the surge's cases, to be refused
    next_signin: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def applicant(self) -> dict[str, str] | None:
        """A citizen who has not applied yet (one targeted-assistance case per family)."""
        with self.lock:
            index = self.readers + self.next_applicant
            if index >= len(self.citizens):
                return None
            self.next_applicant += 1
            return self.citizens[index]

    def signer(self) -> dict[str, str]:
        """Citizens in turn: at most 3 codes per person in 15 minutes (CODE_REQUEST_LIMIT)."""
        with self.lock:
            self.next_signin = (self.next_signin + 1) % len(self.citizens)
            return self.citizens[self.next_signin]


# --- The simulated users ------------------------------------------------------------------------
def users(data: Data, gateway: Gateway, scenario: str) -> list[type]:  # noqa: C901, PLR0915
    """Locust user classes for the scenario (imported here: Locust patches with gevent)."""
    from http.cookiejar import Cookie

    from locust import FastHttpUser, constant, task

    from bench.submit import iban

    def cookie(name: str, value: str) -> Cookie:
        return Cookie(
            0, name, value, None, False, "127.0.0.1", False, False, "/", True, False,
            None, True, None, None, {},
        )  # fmt: skip

    class Citizen(FastHttpUser):
        abstract = True
        wait_time = constant(0)

        def fresh(self, session: str = "") -> None:
            """Each use is another citizen's browser: its own address (behind the trusted
            proxy), a CSRF cookie, the session if signed in."""
            self.address = (
                f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
            )
            jar = self.client.cookiejar
            jar.clear()
            self.csrf = secrets.token_hex(16)
            jar.set_cookie(cookie("csrftoken", self.csrf))
            if session:
                jar.set_cookie(cookie("sessionid", session))

        def call(self, method: str, path: str, name: str, expect: int, **kwargs: Any) -> Any:
            headers = {"X-CSRFToken": self.csrf, "X-Forwarded-For": self.address}
            headers.update(kwargs.pop("headers", {}))
            with self.client.request(
                method,
                path,
                name=name,
                headers=headers,
                allow_redirects=False,
                catch_response=True,
                **kwargs,
            ) as response:
                ok = response.status_code == expect
                if ok:
                    response.success()
                else:
                    where = response.headers.get("Location") or ""
                    response.failure(f"HTTP {response.status_code} {where}, {expect} expected")
            if not ok:
                raise Failed(f"{name}: HTTP {response.status_code}")
            return response

        def post(self, path: str, name: str, fields: dict[str, str], expect: int = 302) -> Any:
            response = self.call("POST", path, name, expect, data=fields)
            if SIGN_IN.search(response.headers.get("Location") or ""):
                raise Failed(f"{name}: sent to the sign-in page (the session has ended)")
            return response

        def kind(self, name: str, started: float, error: Exception | None = None) -> None:
            """The whole use as one row of its kind ("USE"), beside its requests."""
            self.environment.events.request.fire(
                request_type="USE",
                name=name,
                response_time=(time.perf_counter() - started) * 1000,
                response_length=0,
                exception=error,
                context={},
            )

        def use(self, name: str, steps: Callable[[], None]) -> None:
            started = time.perf_counter()
            try:
                steps()
            except Failed as failure:
                self.kind(name, started, failure)
                return
            self.kind(name, started)

        # --- the uses ---------------------------------------------------------------------------
        def apply(self, citizen: dict[str, str]) -> None:
            """The portal's 8 requests. In the surge, incomes above the need criteria (the
            registers' check refuses them) and answers by SMS to the confirmed mobile."""
            surge = scenario == "surge"
            self.fresh(citizen["session"])
            base = f"/en/apply/{SERVICE}/"
            self.post(base, "apply 1 start", {})
            answers = {
                "members": "4",
                "income_12_months_qepik": "48000000" if surge else "4800",
                "has_vehicle": "no",
                "contact_phone": "050 123 45 67",
                "bank_account_iban": iban(),
            }
            self.post(base + "questions/", "apply 2 questions", answers)
            for number, code in enumerate(DOCUMENTS, start=3):
                body, content_type = multipart({"document": code}, "a.pdf", PDF)
                self.call(
                    "POST", base + "documents/", f"apply {number} upload", 302,
                    data=body, headers={"Content-Type": content_type},
                )  # fmt: skip
            self.post(base + "documents/", "apply 5 continue", {"continue": "1"})
            contact = {"centre": str(data.centre), "channel": "portal", "value": ""}
            if surge:
                contact.update(channel="sms", value=citizen["phone"])
            self.post(base + "contact/", "apply 6 contact", contact)
            page = self.call("GET", base + "check/", "apply 7 check page", 200)
            found = KEY.search(page.content or b"")
            if found is None:
                raise Failed("apply 7 check page: no draft key")
            answer = self.post(
                base + "check/", "apply 8 submit (final POST)", {"key": found[1].decode()}
            )
            reference = REFERENCE.search(answer.headers.get("Location", ""))
            if reference is None:
                raise Failed("apply 8: no confirmation")
            if surge:
                data.to_decide.append(reference[1])

        def application(self) -> None:
            citizen = data.applicant()
            if citizen is None:  # every seeded citizen has applied: this user stops
                from locust.exception import StopUser

                raise StopUser
            self.use("application", lambda: self.apply(citizen))

        def sign_in(self) -> None:
            citizen = data.signer()

            def steps() -> None:
                self.fresh()
                fields = {"fin": citizen["fin"], "document_number": citizen["card"]}
                self.post("/en/sign-in/", "sign-in 1 FİN and card", fields)
                code = None
                deadline = time.monotonic() + 30
                while code is None and time.monotonic() < deadline:
                    code = gateway.code_take(citizen["phone"])
                    if code is None:
                        time.sleep(0.05)  # gevent's sleep: the code comes through the task worker
                if code is None:
                    raise Failed("sign-in: no SMS in 30 s")
                self.post("/en/sign-in/code/", "sign-in 2 code", {"code": code})

            self.use("sign-in", steps)

        def status_read(self) -> None:
            citizen = data.citizens[random.randrange(data.readers)]

            def steps() -> None:
                self.fresh(citizen["session"])
                page = self.call(
                    "GET", f"/en/applications/{citizen['reference']}/", "status read", 200
                )
                if b'data-testid="status"' not in (page.content or b""):
                    raise Failed("status read: no status on the page")

            self.use("status read", steps)

        def certificate_issue(self) -> None:
            # Those with an application are signed in (again, with --reuse) and kept so.
            citizen = data.citizens[random.randrange(data.readers)]

            def steps() -> None:
                self.fresh(citizen["session"])
                fields = {
                    "type_code": "pension",
                    "language": "az",
                    "purpose": "bank",
                    "recipient": "Bank",
                }
                answer = self.post(
                    "/en/certificates/", "certificate issue (signed PDF)", fields, 200
                )
                if not (answer.content or b"").startswith(b"%PDF"):
                    raise Failed("certificate issue: no PDF")

            self.use("certificate issue", steps)

        def certificate_check(self) -> None:
            code = random.choice(data.certificates)

            def steps() -> None:
                self.fresh()
                self.call("GET", f"/en/verify/{code}/", "certificate check", 200)

            self.use("certificate check", steps)

        def calculator(self) -> None:
            query = (
                f"sex=female&birth_day={random.randint(1, 28)}&birth_month=3"
                f"&birth_year={random.randint(1955, 1990)}&record_years={random.randint(0, 40)}"
                f"&record_months=0&capital={random.randint(0, 30000)}"
            )

            def steps() -> None:
                self.fresh()
                self.call("GET", f"/en/calculators/pension/?{query}", "calculator (pension)", 200)

            self.use("calculator", steps)

    weights = {name: round(count / 1000) for name, count in MIX.items()}

    class Mix(Citizen):
        @task(weights["sign-in"])
        def t_sign_in(self) -> None:
            self.sign_in()

        @task(weights["status read"])
        def t_status(self) -> None:
            self.status_read()

        @task(weights["application"])
        def t_apply(self) -> None:
            self.application()

        @task(weights["certificate issue"])
        def t_issue(self) -> None:
            self.certificate_issue()

        @task(weights["certificate check"])
        def t_check(self) -> None:
            self.certificate_check()

        @task(weights["calculator"])
        def t_calculator(self) -> None:
            self.calculator()

    class Applicant(Citizen):
        weight = 10

        @task
        def t_apply(self) -> None:
            self.application()

    class CaseWorker(Citizen):
        """The surge's refusals: a case worker of the applicants' centre takes each new case
        and refuses it on the ground the rules find (income above the need criteria); the
        refusal letter goes by SMS through the outbox and the task worker."""

        weight = 1

        @task
        def t_refuse(self) -> None:
            if not data.to_decide:
                time.sleep(0.2)
                return
            reference = data.to_decide.pop(0)

            def steps() -> None:
                self.fresh(data.worker)
                path = f"/en/backoffice/cases/{reference}/"
                page = self.call("GET", path, "refuse 1 case page", 200)
                self.post(path, "refuse 2 claim", {"action": "claim", "version": version(page)})
                page = self.call("GET", path, "refuse 3 case page", 200)
                fields = {
                    "action": "reject",
                    "version": version(page),
                    "reason": "tsa_income_above_criteria",
                    "text": "Load test: income above the need criteria.",
                }
                self.post(path, "refuse 4 refuse", fields)

            self.use("refusal", steps)

    if scenario == "mix":
        return [Mix]
    return [Applicant, CaseWorker] if scenario == "surge" else [Applicant]


VERSION = re.compile(rb'name="version" value="(\d+)"')


def version(page: Any) -> str:
    found = VERSION.search(page.content or b"")
    if found is None:
        raise Failed("case page: no version")
    return found[1].decode()


class Failed(Exception):
    pass


def multipart(fields: dict[str, str], name: str, payload: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode()
        + payload
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), (
        f"multipart/form-data; boundary={boundary}"
    )


# --- Running and reporting ----------------------------------------------------------------------
@dataclass
class Row:
    kind: str
    count: int
    rate: float
    p50: float
    p99: float
    errors: int


def rows_of(stats: Any, seconds: float, request_type: str | None = None) -> list[Row]:
    rows = []
    for (name, method), entry in sorted(stats.entries.items()):
        if request_type is not None and method != request_type:
            continue
        rows.append(
            Row(
                kind=name,
                count=entry.num_requests,
                rate=entry.num_requests / seconds,
                p50=float(entry.get_response_time_percentile(0.5) or 0),
                p99=float(entry.get_response_time_percentile(0.99) or 0),
                errors=entry.num_failures,
            )
        )
    return rows


def run_locust(
    user_classes: list[type], host: str, users: int, seconds: float, warm: float
) -> tuple[Any, float, list[str]]:
    """Start `users` users at once, reset the figures after `warm` s, measure `seconds` s."""
    import gevent  # type: ignore[import-untyped]
    from locust.env import Environment

    environment = Environment(user_classes=user_classes, host=host, catch_exceptions=True)
    runner = environment.create_local_runner()
    runner.start(users, spawn_rate=max(users, 1))
    gevent.sleep(warm)
    environment.stats.reset_all()
    started = time.monotonic()
    while time.monotonic() - started < seconds and runner.user_count:
        gevent.sleep(0.5)
    elapsed = time.monotonic() - started
    stats = environment.stats
    runner.quit()
    errors = [
        f"{error.name}: {error.error} ×{error.occurrences}" for error in stats.errors.values()
    ]
    errors += [f"{name}: {exc}" for name, exc in runner.exceptions.items()]
    return stats, elapsed, errors


def ceiling(host: str, references: list[str], users: int, seconds: float) -> Row:
    """bench/request_path.py's bare view (the case page's rows, nothing around), by Locust."""
    from locust import FastHttpUser, constant, task

    class Bare(FastHttpUser):
        wait_time = constant(0)

        @task
        def read(self) -> None:
            self.client.get(f"/bench/bare-case/{random.choice(references)}/", name="bare view")

    stats, elapsed, _errors = run_locust([Bare], host, users, seconds, warm=2.0)
    return rows_of(stats, elapsed)[0]


def table(rows: list[Row], ceiling_rate: float) -> None:
    print(
        f"  {'kind':<32}{'count':>8}{'per s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}"
        f"{'% of ceiling':>14}"
    )
    for row in rows:
        share = f"{100 * row.rate / ceiling_rate:.1f} %" if ceiling_rate else "-"
        print(
            f"  {row.kind:<32}{row.count:>8}{row.rate:>9.1f}{row.p50:>9.0f}{row.p99:>9.0f}"
            f"{row.errors:>8}{share:>14}"
        )


def database_count(url: str, sql: str) -> int:
    import psycopg

    with psycopg.connect(url) as connection:
        row = connection.execute(sql).fetchone()
        return int(row[0]) if row else 0


REFUSALS = (
    "SELECT count(*) FILTER (WHERE status IN ('sent', 'delivered')), count(*) "
    "FROM notifications_message WHERE event = 'case_refusal' AND channel = 'sms'"
)


def drain(url: str, gateway: Gateway, scenario: str, seconds: float = 300) -> str:
    """The surge's tail: the refusals decided, their SMS through the outbox and the task worker
    (at most `seconds` more); how many and how long it took, in one line."""
    if scenario != "surge":
        return ""
    import psycopg

    refused = database_count(url, "SELECT count(*) FROM cases_case WHERE status = 'rejected'")
    started = time.monotonic()
    with psycopg.connect(url, autocommit=True) as connection:
        sent, queued = connection.execute(REFUSALS).fetchone() or (0, 0)
        at_end = queued - sent
        while sent < queued and time.monotonic() - started < seconds:
            time.sleep(1)
            sent, queued = connection.execute(REFUSALS).fetchone() or (0, 0)
    return (
        f"refusals: {refused} cases refused, {queued} refusal SMS written to the outbox, "
        f"{at_end} of them not yet sent when the load stopped, {sent} sent "
        f"{time.monotonic() - started:.0f} s later; the SMS gateway received {gateway.received}"
        " SMS in all (codes and case letters too)"
    )


def main() -> None:  # noqa: C901, PLR0912, PLR0915 — one linear script: set up, measure, tear down
    import gevent.monkey  # type: ignore[import-untyped] # Locust's HTTP client is gevent's: patch before anything else runs

    gevent.monkey.patch_all()
    sys.path.insert(0, str(ROOT))
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--scenario", choices=["mix", "surge", "flow"], default="mix")
    parser.add_argument("--duration", type=float, default=120.0, help="measured seconds")
    parser.add_argument("--warm-up", type=float, default=10.0, help="seconds before measuring")
    parser.add_argument("--users", type=int, default=40, help="simulated users, no think time")
    parser.add_argument("--citizens", type=int, default=6000)
    parser.add_argument("--readers", type=int, default=400, help="citizens with an application")
    parser.add_argument("--ceiling-seconds", type=float, default=20.0)
    parser.add_argument("--reuse", action="store_true", help="keep the seeded database")
    parser.add_argument(
        "--renew", type=int, default=2000, help="with --reuse: applicants signed in again"
    )
    parser.add_argument("--keep", action="store_true", help="do not drop the database after")
    args = parser.parse_args()

    from bench.submit import recreate_database, small_pdf

    global PDF
    PDF = small_pdf("MEIS load test")
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    name = url.rsplit("/", 1)[1]
    var = ROOT / "var" / "load" / name
    data_file = var / "data.json"
    reuse = args.reuse and data_file.exists()
    if not reuse:
        recreate_database(url)
        shutil.rmtree(var, ignore_errors=True)
    var.mkdir(parents=True, exist_ok=True)
    gateway = Gateway()
    redis_db = os.environ.get("BENCH_REDIS_DB", "12")
    env = {
        **os.environ,
        # make serve's environment (Makefile), on this run's database, Redis and SMS gateway
        "DATABASE_URL": url,
        "CACHE_URL": f"rediscache://127.0.0.1:6379/{redis_db}",
        "API_RATE_LIMIT_REDIS_URL": f"redis://127.0.0.1:6379/{redis_db}",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "EMAIL_URL": "consolemail://",
        "SMS_GATEWAY_URL": f"http://127.0.0.1:{gateway.port}/",
        "SMS_GATEWAY_TOKEN": "load",
        "METRICS_ALLOWED_NETWORKS": "127.0.0.1,::1",
        "TRUSTED_PROXIES": "127.0.0.1",
        "VAR_DIR": str(var),
        # Collected once for every run (collectstatic compresses each file: minutes the first time)
        "STATIC_ROOT": str(ROOT / "var" / "load" / "static"),
        "LOG_LEVEL": "ERROR",
        "DJANGO_SETTINGS_MODULE": "meis.settings",
    }
    # The key the server and the seed share (sessions): kept with the seeded data for --reuse.
    key_file = var / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    env["SECRET_KEY"] = key_file.read_text().strip()
    env.pop("DEBUG", None)
    env.pop("MEIS_DEMO", None)
    import redis

    redis.Redis(db=int(redis_db)).flushdb()
    port = free_port()
    env["PUBLIC_BASE_URL"] = f"http://127.0.0.1:{port}"
    host = f"http://127.0.0.1:{port}"
    workers = int(env.get("WEB_CONCURRENCY") or os.cpu_count() or 2)
    log = var / "serve.log"
    server = serve(env, port, log)
    started_at = time.monotonic()
    try:
        wait_until_up(port, server)
        print(
            f"scripts/serve (make serve) up on {host} in {time.monotonic() - started_at:.0f} s;"
            f" its output in {log}",
            flush=True,
        )
        seed = [sys.executable, "-m", "bench._load_seed", "--out", str(data_file)]
        if reuse:  # the seeded sessions have ended after 15 idle minutes: sign in again
            renew = ["--sessions-only", "--citizens", str(args.renew)]
            subprocess.run([*seed, *renew], env=env, cwd=ROOT, check=True)
        else:
            seed += ["--citizens", str(args.citizens), "--readers", str(args.readers)]
            subprocess.run(seed, env=env, cwd=ROOT, check=True)
        raw = json.loads(data_file.read_text())
        data = Data(
            citizens=raw["citizens"],
            readers=raw["readers"],
            centre=raw["centre"],
            certificates=raw["certificates"],
            worker=raw["worker"],
            next_applicant=raw.get("applied", 0),
        )
        references = [c["reference"] for c in data.citizens[: data.readers]]

        def measure_ceiling(label: str) -> Row:
            bare_port = free_port()
            bare = ceiling_server(env, bare_port, workers)
            try:
                wait_until_up(bare_port, bare)
                before = load_average()
                row = ceiling(
                    f"http://127.0.0.1:{bare_port}", references, args.users, args.ceiling_seconds
                )
                print(
                    f"ceiling {label}: bare Django view {row.rate:.0f} reads/s, p50 {row.p50:.0f} "
                    f"ms, p99 {row.p99:.0f} ms, {row.errors} errors (load {before} → "
                    f"{load_average()})",
                    flush=True,
                )
                return row
            finally:
                stop(bare)

        ceiling_before = measure_ceiling("before")
        classes = users(data, gateway, args.scenario)
        pending_before = database_count(
            url, "SELECT count(*) FROM cases_case WHERE pre_check IS NULL"
        )
        load_before = load_average()
        stats, elapsed, errors = run_locust(classes, host, args.users, args.duration, args.warm_up)
        load_after = load_average()
        pending_after = database_count(
            url, "SELECT count(*) FROM cases_case WHERE pre_check IS NULL"
        )
        drained = drain(url, gateway, args.scenario)
        ceiling_after = measure_ceiling("after")
        raw["applied"] = data.next_applicant
        data_file.write_text(json.dumps(raw))
    finally:
        stop(server)
        gateway.server.shutdown()

    ceiling_rate = (ceiling_before.rate + ceiling_after.rate) / 2
    uses = rows_of(stats, elapsed, "USE")
    requests = [r for r in rows_of(stats, elapsed) if not any(r.kind == u.kind for u in uses)]
    print(
        f"\n{args.scenario}: {args.users} users, no think time, {elapsed:.0f} s measured after "
        f"{args.warm_up:.0f} s warm-up; granian {workers} workers + task worker + scheduler "
        f"(scripts/serve), PostgreSQL, Redis; Locust in the same {os.cpu_count()}-core machine; "
        f"load {load_before} → {load_after}"
    )
    print(
        f"ceiling (bare Django view, same granian): {ceiling_before.rate:.0f} reads/s before, "
        f"{ceiling_after.rate:.0f} after (mean {ceiling_rate:.0f})\nuses:"
    )
    table(uses, ceiling_rate)
    print("requests:")
    table(requests, ceiling_rate)
    total = sum(u.count for u in uses)
    failures = sum(u.errors for u in uses) + sum(r.errors for r in requests)
    served = sum(e.num_requests for (_n, method), e in stats.entries.items() if method != "USE")
    print(
        f"all HTTP requests: {served / elapsed:.1f}/s = "
        f"{100 * served / elapsed / ceiling_rate if ceiling_rate else 0:.1f} % of the ceiling's "
        f"reads/s"
    )
    if args.scenario == "mix" and total:
        rate = total / elapsed
        hours = SEED_USES / rate / 3600
        print(
            f"\nthe seed's mix: {rate:.1f} uses/s sustained over {elapsed / 60:.1f} minutes; its "
            f"{SEED_USES:,} uses would take {hours:.2f} h at that rate (target < {TARGET_HOURS:.0f}"
            f" h) — a projection from this run, not a replay"
        )
    if args.scenario in ("surge", "flow"):
        applications = next((u for u in uses if u.kind == "application"), None)
        final = next((r for r in requests if r.kind.startswith("apply 8")), None)
        worst = max((r.p99 for r in requests), default=0.0)
        if applications and final:
            print(
                f"\n{args.scenario}: {applications.rate:.1f} applications/s sustained "
                f"({SURGE}, 8 requests each); final POST p50 {final.p50:.0f} ms, p99 "
                f"{final.p99:.0f} ms; slowest request kind's p99 {worst:.0f} ms; "
                f"{failures} errors; cases awaiting their registry pre-check: "
                f"{pending_before} before, {pending_after} at the end"
            )
    if drained:
        print(drained)
    for error in errors[:10]:
        print(f"  error: {error}")
    print(f"SMS received by the gateway: {gateway.received}")
    if not args.keep and not args.reuse:
        recreate_database(url, drop_only=True)
        shutil.rmtree(var, ignore_errors=True)
    if failures or errors:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
