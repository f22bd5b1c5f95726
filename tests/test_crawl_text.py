"""Every persona's pages, crawled from the home page: no dead link, no raw code, no English left.

For each persona (a visitor, a citizen with applications, awards, a certificate and messages,
and each staff role of the demo) a test client starts at `/<lang>/`, follows the page's links
breadth-first to depth 3 within the same language, and checks every page it reaches:

- no link answers 404 or 500 (or raises);
- `tests.rawtext.find_raw_text` finds no raw code (``identity_card``, ``case.read``,
  ``citizen-79V7533``) on any page, and on az and ru pages no English message that has a
  translation;
- the persona's destinations (its list below) were all reached by following links.

Left out: sign-out (it would end the crawl), POST-only forms, the language switch, downloads
(PDFs, attachments), and the Django admin past its index. The public pages (catalogue,
calculators, statements) are crawled by the visitor; a signed-in persona does not crawl them
again. A `?next=` is not a new page. The world is `meis demo load` on a small registry (150
people), loaded once for the module and rolled back after it: about 30 s of the module's time.
"""

from __future__ import annotations

import io
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urldefrag, urlencode, urljoin, urlsplit

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.http import HttpResponse
from django.test import Client, override_settings

from meis.accounts.services import citizen_account_get_or_create
from meis.accounts.testing import otp_verified
from meis.awards.models import Award
from meis.cases.models import Case
from meis.certificates.signing import demo_ca_ensure
from meis.demo import people
from meis.demo.employers import DEMO_VOEN
from meis.registry.models import Employer, Person
from tests.rawtext import find_raw_text, visible_text

pytestmark = [pytest.mark.slow]

DEPTH = 3
MAX_PAGES = 250  # per persona and language: a crawl that grows past this is itself a finding
SKIPPED_PATHS = (
    re.compile(r"/sign-out/"),
    re.compile(r"/i18n/"),
    re.compile(r"/dev/"),
    re.compile(r"/admin/.+"),  # the admin's index only
    re.compile(r"/pdf/?$"),  # downloads
    re.compile(r"/documents/"),
    re.compile(r"/inbox/files/"),
    re.compile(r"/api/"),
)
PUBLIC_PATHS = re.compile(r"^/\w\w/(services|calculators|accessibility|privacy)/")


@dataclass
class Crawl:
    language: str
    pages: dict[str, str] = field(default_factory=dict)  # path -> visible text
    broken: list[str] = field(default_factory=list)  # "path (status) from referrer"
    raw: dict[str, list[str]] = field(default_factory=dict)  # path -> offending fragments

    def reached(self, path: str) -> bool:
        return any(page == path or page.startswith(path) for page in self.pages)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def local_path(url: str) -> str | None:
    """The address as a path and query, without `next`; None for another site's."""
    parts = urlsplit(urldefrag(url).url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return None
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k != "next"])
    return parts.path + (f"?{query}" if query else "")


def links_in(html: str, base: str) -> Iterator[str]:
    parser = _Links()
    parser.feed(html)
    for href in parser.hrefs:
        path = local_path(urljoin(base, href))
        if path is not None:
            yield path


def crawl(client: Client, language: str, *, public: bool = False) -> Crawl:
    """Breadth-first from the home page; `public`: also through the public pages."""
    result = Crawl(language)
    queue: deque[tuple[str, int, str]] = deque([(f"/{language}/", 0, "start")])
    seen = {f"/{language}/"}

    def wanted(path: str) -> bool:
        return (
            path.startswith(f"/{language}/")
            and not any(p.search(path) for p in SKIPPED_PATHS)
            and (public or not PUBLIC_PATHS.search(path))
        )

    while queue and len(result.pages) < MAX_PAGES:
        path, depth, referrer = queue.popleft()
        try:
            response = client.get(path)
        except Exception as error:  # noqa: BLE001 — the crawl reports every failing page
            result.broken.append(f"{path} raised {type(error).__name__}: {error} (from {referrer})")
            continue
        if response.status_code in (404, 500):
            result.broken.append(f"{path} ({response.status_code}) from {referrer}")
            continue
        if response.status_code in (301, 302):
            targets = [local_path(urljoin(path, response["Location"]))]
        elif "text/html" in response.get("Content-Type", "") and response.status_code == 200:
            html = response.content.decode()
            text = visible_text(html)
            result.pages[path] = text
            if found := find_raw_text(text, language):
                result.raw[path] = found
            targets = list(links_in(html, path)) if depth < DEPTH else []
        else:
            continue
        for target in targets:
            if target is not None and target not in seen and wanted(target):
                seen.add(target)
                queue.append((target, depth + 1, path))
    return result


# Findings on pages other work is changing now, reported to it; remove an entry when its page is
# fixed. (page path pattern, fragment pattern)
# Fragments the raw-text check may find on a page, by page: none now. Add an entry only with
# the file and line that print it, and remove it when that page is fixed.
KNOWN: list[tuple[str, str]] = []


def unexpected(path: str, found: list[str]) -> list[str]:
    known = [fragment for page, fragment in KNOWN if re.search(page, path)]
    return [f for f in found if not any(re.fullmatch(k, f) for k in known)]


def assert_clean(result: Crawl, destinations: list[str]) -> None:
    language = result.language
    assert not result.broken, "broken links:\n" + "\n".join(result.broken)
    raw = {path: left for path, found in result.raw.items() if (left := unexpected(path, found))}
    assert not raw, "raw codes or English on the page:\n" + "\n".join(
        f"{path}: {found}" for path, found in raw.items()
    )
    missing = [d for d in destinations if not result.reached(f"/{language}{d}")]
    assert not missing, f"not reached by clicking: {missing}; reached: {sorted(result.pages)}"


# -- the world ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class World:
    citizen_id: int
    award_id: int
    case_reference: str


@pytest.fixture(scope="module")
def world(
    django_db_setup: None, django_db_blocker, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """The demo (`meis demo load` on 150 people) and a certificate for one of its applicants,
    loaded once for the module inside a transaction that is rolled back after it."""
    signing = tmp_path_factory.mktemp("signing")
    demo_ca_ensure(signing)
    certificates = override_settings(
        CERTIFICATE_SIGNING_P12=str(signing / "signing.p12"),
        CERTIFICATE_TRUST_ROOTS=str(signing / "ca.pem"),
        CERTIFICATE_VERIFY_BASE_URL="https://meis.example",
        MEDIA_ROOT=str(tmp_path_factory.mktemp("media")),
    )
    certificates.enable()
    with pytest.MonkeyPatch.context() as patch, django_db_blocker.unblock():
        patch.setattr(people, "DEMO_PEOPLE", 150)
        with transaction.atomic():
            call_command("demo", "load", "--force", stdout=io.StringIO())
            yield _citizen_with_everything()
            transaction.set_rollback(True)
    certificates.disable()


def _citizen_with_everything() -> World:
    """A demo applicant with an award, and a certificate issued on the portal."""
    case = (
        Case.objects.filter(person__awards__isnull=False, appeal_of__isnull=True)
        .order_by("submitted_at")
        .select_related("person")
        .first()
    )
    assert case is not None, "the demo filed no application that was granted"
    person = case.person
    award = Award.objects.filter(person=person).order_by("pk").first()
    assert award is not None
    client = Client()
    client.force_login(citizen_account_get_or_create(person=person))
    issued = client.post(
        "/az/certificates/",
        {"type_code": "pension", "language": "az", "purpose": "bank", "recipient": "Bank"},
    )
    assert issued.status_code == 200, issued.content[:300]
    return World(citizen_id=person.pk, award_id=award.pk, case_reference=case.reference)


def staff_client(username: str) -> Client:
    return otp_verified(Client(), User.objects.get(username=username))


# -- the personas -------------------------------------------------------------------------------

LANGUAGES = ["az", "en", "ru"]

ANONYMOUS = [
    "/services/",
    "/calculators/pension/",
    "/calculators/targeted-assistance/",
    "/verify/",
    "/sign-in/",
]
CITIZEN = [
    "/my/record/",
    "/applications/",
    "/my/awards/",
    "/certificates/",
    "/appointments/",
    "/centres/",
    "/inbox/",
    "/my/who-looked/",
    "/my/contracts/",
]
# What each staff role reaches from its home page and navigation today (as in the browser crawl,
# tests/browser/test_crawl.py). The commission member has the commission's worklist (the demo
# leaves a referral waiting with it) and the certificate desk; the polyclinic's doctor its
# referrals.
STAFF = {
    "demo-caseworker": ["/staff/", "/backoffice/cases/", "/backoffice/certificates/"],
    "demo-centre-head": ["/staff/", "/backoffice/cases/", "/backoffice/certificates/"],
    "demo-operator": [
        "/staff/",
        "/backoffice/calls/",
        "/backoffice/calls/call-backs/",
        "/backoffice/certificates/",
    ],
    "demo-commission": ["/staff/", "/commission/", "/backoffice/certificates/"],
    "demo-clinic": ["/staff/", "/clinic/referrals/", "/clinic/referrals/new/"],
    "demo-inspector": [
        "/staff/",
        "/backoffice/labour/",
        "/backoffice/labour/late/",
        "/backoffice/labour/terminations/",
        "/backoffice/labour/informal-work/",
    ],
    "demo-employment": [
        "/staff/",
        "/backoffice/employment/",
        "/backoffice/employment/programmes/",
        "/backoffice/employment/training/",
    ],
    "demo-analyst": ["/staff/", "/backoffice/proactive/", "/backoffice/statistics/"],
    "demo-auditor": ["/staff/", "/audit/events/"],
    "demo-admin": [
        "/staff/",
        "/admin/",
        "/backoffice/certificates/",
        "/backoffice/proactive/",
        "/audit/events/",
    ],
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_visitor_reaches_the_public_pages_and_every_page_reads_clean(world, language):
    assert_clean(crawl(Client(), language, public=True), ANONYMOUS)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_citizen_reaches_their_record_and_every_page_reads_clean(world, language):
    client = Client()
    person = Person.objects.get(pk=world.citizen_id)
    client.force_login(citizen_account_get_or_create(person=person))
    their_own = [f"/applications/{world.case_reference}/", f"/my/awards/{world.award_id}/"]
    assert_clean(crawl(client, language), CITIZEN + their_own)


# What the demo employer's representative reaches from the menu's "Employer" link.
EMPLOYER = [
    f"/employer/{DEMO_VOEN}/",
    f"/employer/{DEMO_VOEN}/history/",
    f"/employer/{DEMO_VOEN}/contracts/new/",
    f"/employer/{DEMO_VOEN}/upload/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_an_employers_representative_reaches_the_employer_pages_and_they_read_clean(
    world, language
):
    client = Client()
    representative = Employer.objects.get(voen=DEMO_VOEN).head
    assert representative is not None
    client.force_login(citizen_account_get_or_create(person=representative))
    assert_clean(crawl(client, language), EMPLOYER)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("username", sorted(STAFF))
def test_each_staff_role_reaches_its_pages_and_every_page_reads_clean(world, username, language):
    assert_clean(crawl(staff_client(username), language), STAFF[username])


class _PageWithACode:
    """A client whose every page shows a document type by its code."""

    def get(self, path: str) -> HttpResponse:
        return HttpResponse('<html lang="en"><body><p>Document: identity_card</p></body></html>')


def test_english_pages_get_the_raw_code_check_too():
    result = crawl(_PageWithACode(), "en")  # type: ignore[arg-type]

    assert result.raw == {"/en/": ["identity_card"]}


class _Tab:
    """Stands in for the browser crawl's tab, which the check itself does not use."""

    def on(self, event: str, handler: object) -> None:
        pass


def test_the_browser_crawl_checks_english_pages_for_raw_codes_too():
    from tests.browser.test_crawl import Crawler

    crawler = Crawler(_Tab(), "http://testserver", "en", "", renders_public=False)
    crawler.raw_text_check("/en/", '<html lang="en"><body><p>Document: identity_card</p></body>')

    assert crawler.findings.report() == ["/en/: raw text: 'identity_card'"]
