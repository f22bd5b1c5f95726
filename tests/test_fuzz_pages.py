"""No input makes a page answer 500: every form field, query parameter and path parameter.

The pages are found, not listed. The URL resolver names every page; each persona (a visitor, a
citizen with applications, awards and a certificate, the demo employer's representative and each
staff role of the demo) crawls its pages from its home page as `tests/test_crawl_text.py` does,
and every page it reaches is parsed for its forms (`html.parser`): their action, method and
fields with the values the page gave them. Then, for every page and every form, once per
(persona, page pattern, form):

- a sweep sends each value of `SWEEP` (one of each hostile kind) in every field at once, by the
  form's method (a page's own query by GET), with the same value in the headers pages read;
- Hypothesis (a fixed budget per form, derandomized so that CI sees the same examples) mixes
  the page's own values with hostile ones field by field, so that a value reaches code behind
  another field's validation;
- the names the code reads from `request.GET`/`request.POST` (grepped from `meis/`) are sent to
  every page's query, and by Hypothesis (absent or hostile) to every form, so a parameter no
  form shows is not missed (the documents step's `remove=`, shown only once a file is
  uploaded, was found so).

Every URL pattern, whether or not a persona reaches it, also gets each value of `SWEEP` in each
of its path parameters (str, slug, int, uuid, path and regex groups), by GET and POST, as the
personas of its part of the site (a visitor is mostly sent to sign in first).

Bounded: a crawl opens at most PER_PATTERN pages of one pattern and CRAWL_LIMIT pages; each
form gets the sweep and EXAMPLES_PER_FORM derandomized examples. On SQLite the module takes a
few minutes of one core (most of it the citizen's and the employer's many forms).

A new page is noticed: every pattern must be reached by a crawl or be a form's action, or be
listed in `NOT_CRAWLED` with the reason (then it still gets the path sweep). Every answer must be
below 500 and raise nothing (the test client re-raises a view's exception). The Django admin is
fuzzed through its change lists' search, ordering, paging and filters; its add and change forms
are Django's own. The API (JSON, not pages) gets the path sweep only.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urljoin, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meis.accounts.services import citizen_account_get_or_create
from meis.demo.employers import DEMO_VOEN
from meis.registry.models import Employer, Person
from tests.test_crawl_text import STAFF, World, local_path, staff_client
from tests.test_crawl_text import world as world  # noqa: PLC0414 — the module's fixture

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

# -- the hostile values ---------------------------------------------------------------------------

HOSTILE: tuple[str, ...] = (
    "\x00",
    "a\x00b",
    "",
    "\t\r\n",
    "x" * 5000,
    "a/b",
    "../../etc/passwd",
    "%",
    "' OR 1=1 --",
    '"><script>alert(1)</script>{{ 7*7 }}',
    "\u202eevil\u200b\ufeff",
    "\ud800",  # a lone surrogate: sent as the bytes surrogatepass makes, which are not UTF-8
    "İıŞşƏə😀",
    "١٢٣",  # Arabic-Indic digits: str.isdigit() says yes, and so do int() and a regex's \d
    "-1",
    "99999999999999999999999",
    "1e309",
    "2020-02-30",
    "2020-13",
    "00000000-0000-0000-0000-000000000000",
)

# The sweep's values, one of each kind (Hypothesis draws from all of HOSTILE).
SWEEP: tuple[str, ...] = (
    "\x00",
    "",
    "x" * 5000,
    "a/b",
    "' OR 1=1 --\"><script>{{ 7*7 }}",
    "\ud800\u202e",
    "١٢٣",
    "-1",
    "9" * 23,
    "2020-02-30",
)

# Headers pages read (the verifier's organisation, the language, the referrer), swept too.
HEADERS = ("HTTP_X_VERIFIER_ORGANISATION", "HTTP_ACCEPT_LANGUAGE", "HTTP_REFERER")

EXAMPLES_PER_FORM = 4


def encoded(value: str) -> str:
    """`value` percent-encoded as the bytes a client would send (lone surrogates as invalid
    UTF-8, which is what a hostile client can send)."""
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def form_body(fields: list[tuple[str, str]]) -> str:
    return "&".join(f"{encoded(name)}={encoded(value)}" for name, value in fields)


def header_safe(value: str) -> str:
    """WSGI headers are Latin-1 text: the bytes of `value` as a server would pass them."""
    return value.encode("utf-8", "surrogatepass").decode("latin-1")


# -- the pages: patterns from the resolver --------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    route: str  # the full route, regex groups kept as written
    name: str
    parameters: tuple[str, ...]


def _patterns(
    entries: list[URLPattern | URLResolver], prefix: str, namespace: str
) -> Iterator[Pattern]:
    for entry in entries:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            space = entry.namespace or namespace
            yield from _patterns(entry.url_patterns, route, space)
        else:
            name = f"{namespace}:{entry.name}" if namespace else str(entry.name)
            groups = re.findall(r"<(?:\w+:)?(\w+)>", route)
            groups += re.findall(r"\(\?P<(\w+)>", route)
            yield Pattern(route, name, tuple(groups))


def all_patterns() -> list[Pattern]:
    """Every page under /az/ (the languages share their patterns) and the neutral addresses."""
    found = _patterns(get_resolver().url_patterns, "", "")
    return [p for p in found if not p.route.startswith(("en/", "ru/"))]


def hostile_path(pattern: Pattern, value: str) -> str:
    """The pattern's address with `value` in every path parameter."""
    text = pattern.route.lstrip("^").rstrip("$")
    text = re.sub(r"\(\?P<\w+>[^)]*\)", lambda _: encoded(value), text)
    text = re.sub(r"<(?:\w+:)?\w+>", lambda _: encoded(value), text)
    text = text.replace("/?", "/").replace("\\.", ".").replace("^", "")
    return "/" + text


def pattern_of(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


# -- the forms: html.parser -----------------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)


class _Forms(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._select: str | None = None
        self._select_value: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.base, a["href"]))
        elif tag == "form":
            action = urljoin(self.base, a.get("action") or self.base)
            self.forms.append(Form(action, (a.get("method") or "get").lower()))
        elif not self.forms or not a.get("name"):
            return
        elif tag in ("input", "button"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                self.forms[-1].fields.append((a["name"], a.get("value", "on")))
            elif a.get("type") != "file":
                self.forms[-1].fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select, self._select_value = a["name"], None
        elif tag == "option" and self._select and self._select_value is None:
            self._select_value = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self.forms[-1].fields.append((a["name"], ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select and self.forms:
            self.forms[-1].fields.append((self._select, self._select_value or ""))
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_and_links(html: str, base: str) -> tuple[list[Form], list[str]]:
    parser = _Forms("http://testserver" + base)
    parser.feed(html)
    return parser.forms, parser.links


@functools.cache
def _read_names() -> tuple[str, ...]:
    """Every parameter name the code reads from request.GET or request.POST."""
    pattern = re.compile(
        r"request\.(?:GET|POST)(?:\.get(?:list)?\(|\[)\s*[\"'](\w+)[\"']"
        r"|[\"'](\w+)[\"'] in request\.(?:GET|POST)"
    )
    names: set[str] = set()
    for source in Path("meis").rglob("*.py"):
        if "tests" not in source.parts:
            for match in pattern.finditer(source.read_text()):
                names.add(match.group(1) or match.group(2))
    return tuple(sorted(names))


# -- the personas and their crawl ------------------------------------------------------------------

CRAWL_LIMIT = 120  # pages per persona
PER_PATTERN = 3  # pages of one pattern (one case of many) a crawl opens
DEPTH = 4
NOT_FOLLOWED = re.compile(r"/sign-out/|/i18n/|/dev/|/pdf/?$|/documents/|/inbox/files/|/api/")
# Forms the crawl does not submit with the page's own values (it would lose its session, or the
# thing it came to see); the fuzz still sends them hostile values, each from a fresh session.
NOT_SUBMITTED = re.compile(
    r"/sign-out/|/withdraw/|/cancel/|/revoke/|/calls/end/|/terminate/|/suspend/|/api/|/i18n/"
)
ADMIN_CHANGELIST = re.compile(r"^/az/admin/\w+/\w+/$")


@dataclass
class Target:
    """One form (or a page's query) to fuzz as one persona."""

    persona: str
    method: str
    path: str
    fields: list[tuple[str, str]]


def persona_client(persona: str, world: World) -> Client:
    client = Client()
    if persona == "visitor":
        return client
    if persona in ("citizen", "employer"):
        if persona == "citizen":
            person = Person.objects.get(pk=world.citizen_id)
        else:
            head = Employer.objects.get(voen=DEMO_VOEN).head
            assert head is not None
            person = head
        client.force_login(citizen_account_get_or_create(person=person))
        return client
    return staff_client(persona)


# The centre head's pages are the case worker's (less or more).
PERSONAS = (
    "visitor",
    "citizen",
    "employer",
    *sorted(set(STAFF) - {"demo-centre-head"}),
)


class Crawler:
    """Breadth-first from the home page by links, and by submitting each kind of form once with
    the values the page gave it (a wizard's next step, a search's results); in the admin, its
    index and its change lists only."""

    def __init__(self, client: Client, seeds: tuple[str, ...] = ()) -> None:
        self.client = client
        self.pages: dict[str, str] = {}  # path -> HTML
        self.queue: list[tuple[str, int]] = [(path, 0) for path in ("/az/", *seeds)]
        self.seen = {path for path, _ in self.queue}
        self.per_pattern: dict[str | None, int] = {}
        self.submitted: set[tuple[str | None, tuple[str, ...]]] = set()

    def run(self) -> dict[str, str]:
        while self.queue and len(self.pages) < CRAWL_LIMIT:
            path, depth = self.queue.pop(0)
            self.visit(path, self.client.get(path), depth)
        return self.pages

    def wanted(self, target: str, depth: int) -> bool:
        if target in self.seen or not target.startswith("/az/") or depth > DEPTH:
            return False
        if NOT_FOLLOWED.search(target):
            return False
        return "/admin/" not in target or bool(ADMIN_CHANGELIST.match(urlsplit(target).path))

    def follow(self, target: str | None, depth: int) -> None:
        if target is None or not self.wanted(target, depth):
            return
        name = pattern_of(target)
        if self.per_pattern.get(name, 0) < PER_PATTERN:
            self.per_pattern[name] = self.per_pattern.get(name, 0) + 1
            self.seen.add(target)
            self.queue.append((target, depth))

    def visit(self, path: str, response: Any, depth: int) -> None:  # the test client's
        assert response.status_code < 500, path
        if response.status_code in (301, 302, 303):
            self.follow(
                local_path(urljoin(f"http://testserver{path}", response["Location"])), depth
            )
            return
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            return
        html = response.content.decode()
        self.pages.setdefault(path, html)
        forms, links = forms_and_links(html, path)
        for link in links:
            self.follow(local_path(link), depth + 1)
        if depth < DEPTH:
            for form in forms:
                self.submit(form, depth + 1)

    def submit(self, form: Form, depth: int) -> None:
        action = local_path(form.action)
        if action is None or NOT_SUBMITTED.search(action):
            return
        key = (pattern_of(action), tuple(sorted(name for name, _ in form.fields)))
        if key not in self.submitted:
            self.submitted.add(key)
            path = urlsplit(action).path
            if form.method == "post":
                self.visit(path, self.client.post(path, dict(form.fields)), depth)
            else:
                self.follow(f"{path}?{form_body(form.fields)}", depth)


# Deep links a persona has in hand (a service's address from a leaflet, the steps of an
# application it started, a case or a person staff were told about): the crawl starts from them
# as well as from the home page.
APPLY = "/az/apply/targeted-social-assistance/"


def seeds(persona: str, world: World) -> tuple[str, ...]:
    if persona == "citizen":
        steps = ("questions", "documents", "contact", "contact/code", "check", "in-person")
        return ("/az/services/targeted-social-assistance/", APPLY) + tuple(
            f"{APPLY}{step}/" for step in steps
        )
    if persona in ("demo-admin", "demo-caseworker"):
        return (
            f"/az/backoffice/cases/{world.case_reference}/",
            f"/az/backoffice/awards/{world.award_id}/",
            f"/az/staff/persons/{world.citizen_id}/",
            f"/az/backoffice/appointments/call/{world.citizen_id}/",
        )
    return ()


def crawl(persona: str, world: World) -> dict[str, str]:
    return Crawler(persona_client(persona, world), seeds(persona, world)).run()


def targets_of(persona: str, pages: dict[str, str], names: tuple[str, ...]) -> list[Target]:
    """One target per (pattern, method, field names): a page's query and each of its forms."""
    found: dict[tuple[str | None, str, tuple[str, ...]], Target] = {}

    def add(method: str, path: str, fields: list[tuple[str, str]]) -> None:
        key = (pattern_of(path), method, tuple(sorted(n for n, _ in fields)))
        if key[0] is not None and key not in found:
            found[key] = Target(persona, method, path, fields)

    queries: dict[str, dict[str, str]] = {}
    for path in pages:
        parts = urlsplit(path)
        queries.setdefault(parts.path, {}).update(parse_qsl(parts.query))
    for path, query in queries.items():
        add("get", path, [*query.items(), *((n, "") for n in names if n not in query)])
    for path, html in pages.items():
        forms, _ = forms_and_links(html, path)
        for form in forms:
            action = local_path(form.action)
            if action is not None and "/api/" not in action:
                add(form.method, urlsplit(action).path, form.fields)
    return list(found.values())


# Pages no persona reaches by links and forms from the demo, each with why; they still get the
# path sweep, and their parameters are the read names every page is sent. Remove an entry when
# a crawl reaches its page (the coverage test says so).
_AFTER = "shown only after an action the crawl does not complete: "
_DOWNLOAD = "a download, not a page (the crawl follows pages)"
NOT_CRAWLED: dict[str, str] = {
    "accounts:call_start": _AFTER + "a person's record opened at the desk to start a call",
    "accounts:call_end": _AFTER + "a desk call started",
    "accounts:citizen_code": _AFTER + "a sign-in with a real pair (the personas are signed in)",
    "appointments:attendance": _AFTER + "an appointment booked for today",
    "appointments:call_book": _AFTER + "a caller identified on the line",
    "appointments:cancel": _AFTER + "an appointment booked (a free slot chosen)",
    "appointments:reschedule": _AFTER + "an appointment booked (a free slot chosen)",
    "appointments:pickup_book": _AFTER + "a certificate ready to collect for the citizen",
    "callcentre:callback_take": "the demo's call-back queue is empty",
    "cases:appeal_lodged": _AFTER + "an appeal with valid grounds",
    "cases:confirmation": _AFTER + "an application with valid answers and uploaded documents",
    "cases:apply_contact_verify": _AFTER + "a contact code sent",
    "cases:withdraw": "the demo's applications are decided: none can be withdrawn",
    "cases:document_download": _DOWNLOAD,
    "certificates:pdf": _DOWNLOAD,
    "certificates:verify_code": "needs a certificate's code, which only its PDF and QR code carry",
    "inbox:attachment": _DOWNLOAD,
    "mailintake:attachment": _DOWNLOAD,
    "mailintake:file": "the demo has no e-mail in the intake",
    "mailintake:email": "the demo has no e-mail in the intake",
    "employers:upload_template": _DOWNLOAD,
    "employers:upload_report": _DOWNLOAD,
    "employers:upload_confirm": _AFTER + "a file of hires uploaded",
    "employers:upload_result": _AFTER + "a file of hires uploaded",
    "employers:confirm": _AFTER + "a new contract submitted with valid values",
    "employers:confirm_cancel": _AFTER + "a new contract submitted with valid values",
    "employers:contract_resume": _AFTER + "a contract suspended",
    "employers:list": "a representative of one employer is taken straight to its page",
    "employers:referral_outcome": _AFTER + "a job seeker referred to the employer's vacancy",
    "jobcentre:resume": _AFTER + "a temporary de-registration (the button is a form's)",
    "jobcentre:programme_project": "the demo has no self-employment project",
    "jobcentre:training_course": "the demo has no training course",
    "disability:sign": _AFTER + "a decision drafted with valid values (its form is shown then)",
    "disability:identity": _AFTER + "every member signed the decision (the link is shown then)",
    "inspection:dispute": _AFTER + "a dispute lodged by an employee",
    "inspection:informal_person": "the demo's informal-work list is empty",
    "notifications:staff_message_resend": _AFTER + "a message search by FİN",
    "proactive:approve": "the demo load approves its mass grant itself",
    "payroll:release": _AFTER + "a payroll approved by a second administrator",
    "payroll:download": _AFTER + "a payroll's files written (tested in meis/payments)",
    "payments:confirm": _AFTER + "an account change requested (the code's form is shown then)",
    "payroll:card_confirm": _AFTER + "a card ordered for a new recipient without an account",
    "walkin:display_now": "JSON the display's script polls (tests/browser covers it)",
}


# -- sending ---------------------------------------------------------------------------------------


def send(client: Client, method: str, path: str, fields: list[tuple[str, str]], header: str) -> int:
    headers = {name: header_safe(header) for name in HEADERS}
    if method == "get":
        query = form_body(fields)
        response = client.get(f"{path}?{query}" if query else path, **headers)  # type: ignore[arg-type]
    else:
        response = client.post(
            path,
            form_body(fields),
            content_type="application/x-www-form-urlencoded",
            **headers,  # type: ignore[arg-type]
        )
    return response.status_code


def fuzz(client: Client, target: Target) -> None:
    """The sweep (each hostile value in every field), then mixed examples."""
    for value in SWEEP:
        fields = [(name, value) for name, _ in target.fields]
        status = send(client, target.method, target.path, fields, value)
        assert status < 500, (target, value)

    choices = [
        st.one_of(st.just(value), st.sampled_from(HOSTILE), st.text(max_size=40))
        for _, value in target.fields
    ]
    # The names the code reads that the form does not show: absent, or hostile.
    shown = {name for name, _ in target.fields}
    extra = [name for name in _read_names() if name not in shown]
    absent_or_hostile = st.one_of(st.none(), st.sampled_from(HOSTILE))

    @settings(
        max_examples=EXAMPLES_PER_FORM,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(values=st.tuples(*choices), extras=st.tuples(*(absent_or_hostile for _ in extra)))
    def mixed(values: tuple[str, ...], extras: tuple[str | None, ...]) -> None:
        fields = [(name, value) for (name, _), value in zip(target.fields, values, strict=True)]
        fields += [(n, v) for n, v in zip(extra, extras, strict=True) if v is not None]
        status = send(client, target.method, target.path, fields, "")
        assert status < 500, (target, fields)

    mixed()


# -- the tests -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reached() -> dict[str, set[str]]:
    """The page patterns each persona's crawl and forms reached, kept by the test that made
    the crawl for the coverage test (each test crawls afresh: what a crawl's forms create
    is rolled back with its test)."""
    return {}


def targets_for(persona: str, world: World, reached: dict[str, set[str]]) -> list[Target]:
    targets = targets_of(persona, crawl(persona, world), _read_names())
    reached[persona] = {name for t in targets if (name := pattern_of(t.path))}
    return targets


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_form_field_or_query_parameter_makes_a_page_fail(world, reached, persona):
    targets = targets_for(persona, world, reached)
    assert targets, f"{persona} reached no page"
    for target in targets:
        # A fresh session for every form: a form may sign out or end a call.
        fuzz(persona_client(persona, world), target)


def test_every_page_is_reached_by_a_persona_or_listed_with_a_reason(world, reached):
    covered: set[str] = set()
    for persona in PERSONAS:
        if persona not in reached:
            # Each persona crawls the world as its own test found it: what one persona's forms
            # change (a decision drafted, a payroll computed) is rolled back before the next, as
            # it is between the tests that usually crawl them (under xdist some run elsewhere).
            with transaction.atomic():
                targets_for(persona, world, reached)
                transaction.set_rollback(True)
        covered |= reached[persona]
    pages = {p.name for p in all_patterns() if p.route.startswith("az/")}
    pages = {name for name in pages if not name.startswith("admin:")}
    missing = sorted(pages - covered - set(NOT_CRAWLED))
    assert not missing, f"pages no persona reaches and NOT_CRAWLED does not list: {missing}"
    stale = sorted(set(NOT_CRAWLED) & covered)
    assert not stale, f"NOT_CRAWLED lists pages a persona now reaches: {stale}"


STAFF_SIDE = re.compile(r"^az/(backoffice|staff|audit|admin)/")
SWEEPS = {
    # persona: which patterns it sweeps (a visitor is mostly sent to sign in before any
    # parameter is read, so the signed-in personas carry the sweep)
    "visitor": lambda p: not STAFF_SIDE.match(p.route),
    "citizen": lambda p: not STAFF_SIDE.match(p.route) and "employer/" not in p.route,
    "employer": lambda p: p.route.startswith("az/employer/"),
    "demo-admin": lambda p: bool(STAFF_SIDE.match(p.route)) and "/admin/" not in p.route,
    "demo-inspector": lambda p: p.route.startswith("az/backoffice/labour/"),
}


@pytest.mark.parametrize("persona", sorted(SWEEPS))
def test_no_path_parameter_makes_a_page_fail(world, persona):
    patterns = [p for p in all_patterns() if p.parameters and SWEEPS[persona](p)]
    client = persona_client(persona, world)
    for pattern in patterns:
        for value in SWEEP:
            path = hostile_path(pattern, value)
            for method in ("get", "post"):
                status = send(client, method, path, [], value)
                assert status < 500, (pattern.route, method, path[:200])


def test_the_admin_is_swept_through_one_of_its_change_pages(world):
    """The admin's pages share one view per kind: one model's pages stand for the rest."""
    client = persona_client("demo-admin", world)
    for value in SWEEP:
        for kind in ("change", "history", "delete"):
            path = f"/az/admin/registry/person/{encoded(value)}/{kind}/"
            assert send(client, "get", path, [], value) < 500, (path, value)


def test_the_read_names_include_the_ones_the_issue_found():
    assert {"q", "remove", "next", "page"} <= set(_read_names())


def test_a_hostile_path_fills_every_kind_of_parameter():
    pattern = Pattern(r"az/backoffice/calls/^(?P<reference>142-[0-9]{8}-[0-9A-F]{8})/$", "c", ())
    assert hostile_path(pattern, "a/b") == "/az/backoffice/calls/a%2Fb/"
    typed = Pattern("az/queue/<slug:centre_code>/tickets/<int:ticket_id>/", "t", ())
    assert hostile_path(typed, "\x00") == "/az/queue/%00/tickets/%00/"
