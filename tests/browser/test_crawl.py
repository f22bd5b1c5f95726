"""Issue 21's crawl: every persona, clicking only, reaches its destinations and meets no broken
page on the way.

For each persona (anonymous, a citizen with something in every part of their portal, and one
member of staff per role) the crawl signs in once through the sign-in page, then starts at the
home page in Azerbaijani, English and Russian and follows the same-origin links (`a[href]`) it
finds on the pages it loads, breadth-first, to three clicks from the home page. It never follows
sign-out, downloads (PDF, uploaded documents, inbox files, CSV and open-data files) or the
admin's internals beyond its index; it stays in the language it started in (the language switch
is the only way out).

What it checks, and where (chosen to keep nine personas in three languages to a few minutes):

- every page it reaches answers without an error (no 404, 403 or 500), and so does every link
  met on the last pages and every skipped download (requested, not rendered);
- rendered in Chromium at 320 CSS px: no sideways scroll (WCAG 2.2 SC 1.4.10 Reflow, which axe
  does not test; a failure names the widest element) and no JavaScript error — the first two
  pages of each URL pattern (`ResolverMatch.route`) in Azerbaijani, the first in English and
  Russian; further pages of a pattern (the catalogue's forty services) are fetched instead:
  their status, text and links are checked, their layout is the same template's;
- axe-core (WCAG 2.2 AA) at 1280 px and at 320 px on the first page of each pattern, in
  Azerbaijani (the other languages change the words, not the markup axe checks);
- on every page, rendered or fetched, no raw code (`tests/rawtext.py`: snake_case and dotted
  identifiers, internal user names such as "citizen-…"), and on Azerbaijani and Russian pages
  no English message that has a translation;
- the pages every visitor sees alike (home, catalogue, calculators, certificate check, centres,
  sign-in) are rendered in the anonymous crawl only; the others fetch them on their way.

Every problem found fails the persona's test: no page is excused.

Each persona's list of destinations (`Persona.must_reach`) is kept here: a page missing from
it, or reached only in four clicks or more, fails the persona's test.
"""

from __future__ import annotations

import re
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import connection
from django.urls import Resolver404, resolve
from django.utils import translation

from meis.accounts.roles import Role
from meis.accounts.services import citizen_account_get_or_create
from meis.accounts.tests import factories
from meis.cases.models import Channel, ContactChannel
from meis.cases.services import (
    case_approve,
    case_claim,
    case_request_information,
    case_submit,
    case_withdraw,
)
from meis.catalog.selectors import eservice_version_current
from meis.certificates import services as certificates
from meis.certificates.signing import demo_ca_ensure
from meis.certificates.tests.conftest import pension_for
from tests.browser.test_case_journey import (
    _family_of_four_on_400_a_month,
    _sign_in_citizen,
    _sign_in_staff,
    small_pdf,
)
from tests.rawtext import find_raw_text, visible_text

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

LANGUAGES = ("az", "en", "ru")
AXE_LANGUAGE = "az"  # axe runs on the default language's pages (see the module's docstring)
MAX_CLICKS = 3
# Pages of one URL pattern rendered in the browser per language; the rest are fetched.
RENDERED_PER_PATTERN = 2  # in Azerbaijani; one in English and Russian
# Pages every visitor sees alike: rendered (reflow, axe) in the anonymous crawl only; the other
# personas fetch them (status, text, links) on their way to their own pages.
PUBLIC_NAMESPACES = {"portal", "catalog", "calculators", "centres"}
PUBLIC_VIEWS = {
    "certificates:verify",
    "certificates:verify_code",
    "certificates:verify_pdf",
    "accounts:citizen_sign_in",
    "accounts:staff_sign_in",
}
PHONE = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 900}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
TSA = "targeted-social-assistance"
ROOT = Path(__file__).resolve().parents[2]

# Followed by no persona: leaving, files, and what lies behind the admin's index.
NOT_FOLLOWED = (
    re.compile(r"^/[a-z]{2}/sign-out/"),
    re.compile(r"^/[a-z]{2}/admin/.+"),
    re.compile(r"/pdf/$"),
    re.compile(r"^/[a-z]{2}/documents/"),
    re.compile(r"^/[a-z]{2}/inbox/files/"),
    re.compile(r"^/(static|media)/"),
    re.compile(r"[?&]csv="),  # a statistics table as CSV
    re.compile(r"^/open-data/"),  # open-data files (validated in meis/stats/tests)
)
# Not even requested: it would sign the persona out, or change something.
NOT_REQUESTED = (re.compile(r"^/[a-z]{2}/sign-out/"), re.compile(r"^/[a-z]{2}/admin/.+"))

# The element whose right edge sticks out furthest, when the page scrolls sideways: the deepest
# such elements (none of their children sticks out), outside any region that scrolls itself.
WIDEST_JS = """
() => {
  const width = document.documentElement.clientWidth;
  const scrollsItself = (element) => {
    for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
      if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(up).overflowX)) {
        return true;
      }
    }
    return false;
  };
  const describe = (element) => {
    let name = element.tagName.toLowerCase();
    if (element.id) name += '#' + element.id;
    for (const c of element.classList) name += '.' + c;
    const text = (element.innerText || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
    return text ? `${name} "${text}"` : name;
  };
  const found = [];
  const wide = [];
  for (const element of document.body.querySelectorAll('*')) {
    const box = element.getBoundingClientRect();
    // A long word or address overflows its box without widening the box itself.
    const overflows = getComputedStyle(element).overflowX === 'visible'
      && element.scrollWidth > element.clientWidth + 1 && element.clientWidth > 0;
    const right = overflows ? box.left + element.scrollWidth : box.right;
    if (right <= width + 1) continue;
    wide.push([Math.round(right), describe(element)]);
    if (scrollsItself(element)) continue;
    const child = [...element.children].some((c) => c.getBoundingClientRect().right > width + 1);
    if (!child) found.push([Math.round(right), describe(element) + (overflows ? ' overflows' : '')]);
  }
  if (!found.length) found.push(...wide);  // e.g. a box whose padding or margin is too wide
  found.sort((a, b) => b[0] - a[0]);
  return found.slice(0, 3).map(([right, name]) => `${name} (right edge ${right} px)`);
}
"""


# -- who crawls ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Persona:
    """Someone who uses the site, and where they must be able to go (paths without the
    language prefix, "" being the home page)."""

    name: str
    must_reach: tuple[str, ...]
    role: Role | None = None
    centre_code: str | None = None
    subsystems: tuple[str, ...] = ()


ANONYMOUS = Persona(
    "anonymous",
    must_reach=(
        "services/",
        f"apply/{TSA}/",
        "calculators/",
        "calculators/pension/",
        "calculators/targeted-assistance/",
        "verify/",
        "sign-in/",
        "statistics/",
        "statistics/open-data/",
    ),
)
CITIZEN = Persona(
    "citizen",
    must_reach=(
        "my/record/",
        "applications/",
        "my/awards/",
        "certificates/",
        "appointments/",
        "centres/",
        "inbox/",
        "my/who-looked/",
    ),
    role=Role.CITIZEN,
)
STAFF = (
    Persona(
        "case worker",
        ("staff/", "backoffice/cases/", "backoffice/certificates/"),
        Role.CASE_WORKER,
        "baku-1",
        ("targeted_assistance", "pensions"),
    ),
    Persona(
        "centre head",
        ("staff/", "backoffice/cases/", "backoffice/certificates/"),
        Role.CENTRE_HEAD,
        "baku-1",
    ),
    Persona(
        "call-centre operator",
        ("staff/", "backoffice/calls/", "backoffice/calls/call-backs/", "backoffice/certificates/"),
        Role.CALL_CENTRE_OPERATOR,
    ),
    # Commission work arrives with the disability subsystem: today the role has its home and
    # the certificate desk (and the public pages).
    Persona(
        "commission member",
        ("staff/", "backoffice/certificates/"),
        Role.COMMISSION_MEMBER,
        "baku-1",
        ("disability",),
    ),
    Persona("analyst", ("staff/", "backoffice/proactive/", "backoffice/statistics/"), Role.ANALYST),
    Persona("auditor", ("staff/", "audit/events/"), Role.AUDITOR),
    Persona("administrator", ("staff/", "audit/events/", "admin/"), Role.ADMINISTRATOR),
)
PERSONAS = (ANONYMOUS, CITIZEN, *STAFF)


# -- what the pages find -----------------------------------------------------------------------


@dataclass
class Findings:
    """What went wrong, by page, and what was reached in how many clicks."""

    problems: dict[str, list[str]] = field(default_factory=dict)
    clicks: dict[str, int] = field(default_factory=dict)  # path without language → fewest
    views: dict[str, str] = field(default_factory=dict)  # path → its view's name
    pages: int = 0  # rendered in the browser
    fetched: int = 0  # further pages of a pattern, checked as the server sends them
    axe_runs: int = 0

    def add(self, where: str, problem: str) -> None:
        self.problems.setdefault(where, []).append(problem)

    def report(self) -> list[str]:
        return [
            f"{path}: {problem}" for path, problems in self.problems.items() for problem in problems
        ]

    def missing(self, persona: Persona) -> list[str]:
        return [
            f"{path or 'home'} ({self.clicks[path]} clicks)" if path in self.clicks else path
            for path in persona.must_reach
            if self.clicks.get(path, MAX_CLICKS + 1) > MAX_CLICKS
        ]


def _route(path: str, lang: str) -> tuple[str, str]:
    """The URL pattern a path resolves to, and its view's name."""
    with translation.override(lang):
        try:
            match = resolve(urlsplit(path).path)
        except Resolver404:
            return path, ""
    return match.route, match.view_name


def _is_public(view_name: str) -> bool:
    namespace, _, name = view_name.partition(":")
    return namespace in PUBLIC_NAMESPACES or view_name in PUBLIC_VIEWS


def _followed(path: str) -> bool:
    return not any(pattern.search(path) for pattern in NOT_FOLLOWED)


def _requested(path: str) -> bool:
    return not any(pattern.search(path) for pattern in NOT_REQUESTED)


def _axe(page, axe_source: str) -> list[str]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)  # not an inline <script>: the CSP refuses those
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        f"axe {violation['id']} ({violation['impact']}): {violation['help']} — "
        + ", ".join(str(node["target"][0]) for node in violation["nodes"][:5])
        for violation in result["violations"]
    ]


class Crawler:
    """One browser tab (signed in as the persona, 320 px wide) crawling one language."""

    def __init__(
        self, page, base: str, lang: str, axe_source: str, *, renders_public: bool
    ) -> None:
        self.page = page
        self.base = base
        self.lang = lang
        self.renders_public = renders_public
        self.axe_source = axe_source
        self.findings = Findings()
        self.audited: set[str] = set()  # URL patterns axe has run on
        self.errors: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def crawl(self) -> Findings:
        """Breadth-first from the home page, to MAX_CLICKS clicks; then the links not loaded."""
        start = f"/{self.lang}/"
        clicks = {start: 0}
        found_on = {start: "the address bar"}
        rendered: dict[str, int] = {}  # URL pattern → pages of it loaded in the browser
        queue = deque([start])
        while queue:
            path = queue.popleft()
            route, view_name = _route(path, self.lang)
            self.findings.views[path] = view_name
            rendered[route] = rendered.get(route, 0) + 1
            if rendered[route] <= self.render_limit(view_name):
                links = self.visit(path, route, found_on[path])
            else:
                links = self.fetch(path, found_on[path])
            for link in links:
                if link in found_on:
                    continue
                found_on[link] = path
                if clicks[path] < MAX_CLICKS and link.startswith(start) and _followed(link):
                    clicks[link] = clicks[path] + 1
                    queue.append(link)
        for path, count in clicks.items():
            self.findings.clicks[path.removeprefix(start).split("?")[0]] = count
        for link, page in found_on.items():
            if link not in clicks and link.startswith(start) and _requested(link):
                status = self.page.request.get(self.base + link).status
                if status >= 400:
                    self.findings.add(page, f"link {link} answers {status}")
        return self.findings

    def render_limit(self, view_name: str) -> int:
        """How many pages of one URL pattern are rendered in the browser."""
        if _is_public(view_name) and not self.renders_public:
            return 0
        return RENDERED_PER_PATTERN if self.lang == AXE_LANGUAGE else 1

    def fetch(self, path: str, referrer: str) -> list[str]:
        """Another page of a pattern already rendered: its status, text and links, as the
        server sends it (the same template, so no new layout to check)."""
        response = self.page.request.get(self.base + path)
        self.findings.fetched += 1
        if response.status >= 400:
            self.findings.add(path, f"answers {response.status} (linked from {referrer})")
        if "text/html" not in response.headers.get("content-type", ""):
            return []
        html = response.text()
        self.raw_text_check(path, html)
        base = response.url
        return [
            link
            for link in dict.fromkeys(
                _same_origin(urljoin(base, href), self.base) for href in _hrefs(html)
            )
            if link is not None
        ]

    def raw_text_check(self, path: str, html: str) -> None:
        for raw in find_raw_text(visible_text(html), self.lang):
            self.findings.add(path, f"raw text: {raw!r}")

    def visit(self, path: str, route: str, referrer: str) -> list[str]:
        """Load the page, check it, and return the same-origin links on it."""
        page = self.page
        self.errors.clear()
        response = page.goto(self.base + path)
        self.findings.pages += 1
        status = response.status if response is not None else 0
        if status >= 400:
            self.findings.add(path, f"answers {status} (linked from {referrer})")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            widest = "; ".join(page.evaluate(WIDEST_JS))
            self.findings.add(path, f"scrolls sideways at 320 px ({width} px wide): {widest}")
        if self.lang == AXE_LANGUAGE and route not in self.audited:
            self.audited.add(route)
            self.findings.axe_runs += 2
            for problem in _axe(page, self.axe_source):
                self.findings.add(path, f"{problem} @ 320 px")
            page.set_viewport_size(DESKTOP)
            for problem in _axe(page, self.axe_source):
                self.findings.add(path, f"{problem} @ 1280 px")
            page.set_viewport_size(PHONE)
        self.raw_text_check(path, page.content())
        for error in self.errors:
            self.findings.add(path, f"JavaScript error: {error}")
        links = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        same_origin = (_same_origin(link, self.base) for link in links)
        return [link for link in dict.fromkeys(same_origin) if link is not None]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def _hrefs(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


def _same_origin(href: str, base: str) -> str | None:
    parts = urlsplit(href)
    if f"{parts.scheme}://{parts.netloc}" != base:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


# -- the world they crawl ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def signing_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("signing")
    demo_ca_ensure(directory)
    return directory


@pytest.fixture(autouse=True)
def _signing_key(settings, signing_dir: Path, tmp_path: Path) -> None:
    settings.CERTIFICATE_SIGNING_P12 = str(signing_dir / "signing.p12")
    settings.CERTIFICATE_TRUST_ROOTS = str(signing_dir / "ca.pem")
    settings.CERTIFICATE_VERIFY_BASE_URL = "https://meis.example"
    settings.MEDIA_ROOT = str(tmp_path / "media")


@dataclass(frozen=True)
class World:
    """The seeded citizen (their document, for signing in) and their certificate's code."""

    document: Any
    certificate_code: str


def _upload(name: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, small_pdf(name), "application/pdf")


def _iban() -> str:
    from meis.cases.tests.conftest import iban

    return iban()


def world_seed() -> World:
    """A citizen of Baku DOST centre No. 1 with applications in several states (approved into
    an award, withdrawn, waiting for their information), an old-age pension, a signed certificate
    and messages in their inbox; the staff who handle them."""
    document = factories.IdentityDocumentFactory()
    citizen = document.person
    factories.registration(citizen, centre_code="baku-1")
    _family_of_four_on_400_a_month(citizen)
    for persona in STAFF:
        user = factories.staff_user(
            str(persona.role),
            centre_code=persona.centre_code,
            subsystems=persona.subsystems,
            institution="Baku DOST centre No. 1" if persona.centre_code else "Ministry of Labour",
        )
        if persona.role == Role.ADMINISTRATOR:
            user.is_staff = user.is_superuser = True
            user.save()
    worker = factories.staff_user(
        "case_worker", centre_code="baku-1", subsystems=["targeted_assistance"]
    )
    account = citizen_account_get_or_create(person=citizen)
    approved = _application(citizen, account, key="crawl-approved")
    approved = case_claim(case=approved, actor=worker, expected_version=approved.version)
    case_approve(
        case=approved,
        actor=worker,
        expected_version=approved.version,
        note="Ailənin gəliri ehtiyac meyarından aşağıdır.",
    )
    withdrawn = _application(citizen, account, key="crawl-withdrawn")
    case_withdraw(case=withdrawn, actor=account, expected_version=withdrawn.version)
    waiting = _application(citizen, account, key="crawl-waiting")
    waiting = case_claim(case=waiting, actor=worker, expected_version=waiting.version)
    case_request_information(
        case=waiting,
        actor=worker,
        text="Son üç ayın kommunal ödəniş qəbzlərini göndərin.",
        expected_version=waiting.version,
    )
    pension_for(citizen)
    return World(document=document, certificate_code=certificate_code_issue(citizen, account))


def _application(citizen: Any, account: Any, *, key: str) -> Any:
    """The citizen applies for targeted social assistance on the portal, answered in full."""
    return case_submit(
        person=citizen,
        version=eservice_version_current(code=TSA),
        answers={
            "members": "4",
            "income_12_months_qepik": "4800",
            "has_vehicle": "no",
            "contact_phone": "050 123 45 67",
            "bank_account_iban": _iban(),
        },
        channel=Channel.PORTAL,
        actor=account,
        centre=factories.centre("baku-1"),
        contact_channel=ContactChannel.PORTAL,
        contact_value="",
        idempotency_key=key,
        documents=[
            ("identity_card", _upload("identity_card.pdf")),
            ("family_composition_certificate", _upload("family.pdf")),
        ],
    ).case


def certificate_code_issue(citizen: Any, account: Any) -> str:
    """A pension certificate issued to the citizen, and its verification code (from the PDF).
    Signing runs its own asyncio loop, and Playwright's already runs in this thread."""

    def issue() -> bytes:
        try:
            return certificates.certificate_issue(
                person=citizen,
                type_code="pension",
                language="az",
                recipient="Kapital Bank",
                purpose="bank",
                actor=account,
                channel=Channel.PORTAL,
            ).pdf
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pdf = pool.submit(issue).result()
    match = re.search(rb"verify/([0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5})/", pdf)
    assert match is not None
    return match.group(1).decode()


@pytest.fixture
def world(db: None) -> World:
    return world_seed()


@pytest.fixture
def signed_in(browser, live_server, world: World) -> Iterator[Callable[[Persona], Any]]:
    """A browser tab signed in as the persona through the sign-in page."""
    from django.contrib.auth.models import User

    contexts: list[Any] = []

    def sign_in(persona: Persona) -> Any:
        context = browser.new_context(viewport=PHONE)
        contexts.append(context)
        page = context.new_page()
        if persona.role == Role.CITIZEN:
            _sign_in_citizen(page, live_server.url, world.document, world.document.person)
        elif persona.role is not None:
            user = User.objects.filter(groups__name=str(persona.role)).order_by("pk").first()
            _sign_in_staff(page, live_server.url, user)
        return page

    yield sign_in
    for context in contexts:
        context.close()


# -- the crawl -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda persona: persona.name)
def test_every_persona_reaches_its_destinations_on_pages_that_work_everywhere(
    signed_in, live_server, axe_source, persona: Persona
):
    page = signed_in(persona)
    missing: dict[str, list[str]] = {}
    problems: list[str] = []

    for lang in LANGUAGES:
        started = time.monotonic()
        crawler = Crawler(
            page, live_server.url, lang, axe_source, renders_public=persona is ANONYMOUS
        )
        findings = crawler.crawl()
        print(  # noqa: T201 — the crawl's size, for choosing what it runs (pytest -s)
            f"{persona.name} {lang}: {findings.pages} pages rendered, {findings.fetched} "
            f"fetched, {findings.axe_runs} axe runs, {time.monotonic() - started:.1f} s"
        )
        if findings.missing(persona):
            missing[lang] = findings.missing(persona)
        problems += findings.report()

    assert missing == {}, f"not reached in {MAX_CLICKS} clicks or fewer"
    assert problems == [], "\n" + "\n".join(problems)
