"""Each staff role's home is its work: a case worker's counts (mine and the centre's, due soon and
overdue) leading to the queue filtered accordingly, the search by reference or FİN inside the
worker's scope, the centre head's assignments, overdue cases and closures, the other roles' desks;
and the staff navigation never shows a link the role cannot open."""

from __future__ import annotations

import datetime
import re
import uuid
from typing import Any, cast

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from meis.accounts.services import staff_groups_ensure
from meis.accounts.testing import otp_verified
from meis.audit.models import AuditEvent
from meis.cases import services
from meis.cases.models import Case
from meis.cases.selectors import case_clock_reading
from meis.cases.tests.conftest import answers, pdf, staff
from meis.catalog.selectors import eservice_version_current
from meis.catalog.services import catalog_import_seed
from meis.centres.models import ServiceCentre
from meis.portal.navigation import STAFF
from meis.registry.models import Person
from meis.registry.tests.factories import IdentityDocumentFactory, PersonFactory
from meis.workcalendar.arithmetic import DeadlineStatus
from meis.workcalendar.models import CentreClosure

pytestmark = pytest.mark.django_db
SERVICE = "targeted-social-assistance"


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def version(db: None) -> Any:
    catalog_import_seed()
    return eservice_version_current(code=SERVICE)


@pytest.fixture
def centre(db: None) -> ServiceCentre:
    return ServiceCentre.objects.order_by("code")[0]


@pytest.fixture
def other_centre(db: None) -> ServiceCentre:
    return ServiceCentre.objects.order_by("code")[1]


@pytest.fixture
def worker(centre: ServiceCentre) -> User:
    return staff("w1", "case_worker", centre, ["targeted_assistance"])


def person() -> Person:
    someone = cast(Person, PersonFactory())  # factory_boy types the call as the factory
    IdentityDocumentFactory(person=someone)
    return someone


def case_with_clock(
    version: Any,
    centre: ServiceCentre,
    status: DeadlineStatus,
    *,
    applicant: Person | None = None,
    assigned_to: User | None = None,
) -> Case:
    """A submitted case whose legal clock reads `status` today (submitted that long ago)."""
    case = services.case_submit(
        person=applicant or person(),
        version=version,
        answers=answers(),
        channel="portal",
        actor=AnonymousUser(),
        centre=centre,
        contact_channel="portal",
        contact_value="",
        idempotency_key=str(uuid.uuid4()),
        documents=[("identity_card", pdf()), ("family_composition_certificate", pdf())],
    ).case
    today = timezone.localdate()
    for days_back in range(0, 120):
        case.submitted_on = today - datetime.timedelta(days=days_back)
        reading = case_clock_reading(case)
        if reading is not None and reading.status == status:
            break
    else:
        raise AssertionError(f"no submission day gives {status}")
    Case.objects.filter(pk=case.pk).update(submitted_on=case.submitted_on, assigned_to=assigned_to)
    return case


def home(user: User) -> str:
    response = otp_verified(Client(), user).get(reverse("accounts:staff_home"))
    assert response.status_code == 200
    return response.content.decode()


def counts(page: str, testid: str) -> tuple[str, str, str]:
    """The three numbers of a counts block, as shown: open, due soon, overdue."""
    block = page.split(f'data-testid="{testid}"', 1)[1].split("</dl>", 1)[0]
    values = re.findall(r'<dd class="govuk-summary-list__value">(.*?)</dd>', block, re.S)
    return tuple(re.sub(r"<span.*?</span>|<[^>]+>", "", v).strip() for v in values)  # type: ignore[return-value]


# --- Case worker -------------------------------------------------------------------------------
def test_a_case_worker_sees_their_own_and_their_centres_counts_by_deadline(
    version, centre, other_centre, worker
):
    case_with_clock(version, centre, DeadlineStatus.OVERDUE, assigned_to=worker)
    case_with_clock(version, centre, DeadlineStatus.DUE_SOON, assigned_to=worker)
    case_with_clock(version, centre, DeadlineStatus.ON_TRACK, assigned_to=worker)
    case_with_clock(version, centre, DeadlineStatus.OVERDUE)
    case_with_clock(version, centre, DeadlineStatus.ON_TRACK)
    case_with_clock(version, other_centre, DeadlineStatus.OVERDUE)  # not this worker's centre

    page = home(worker)

    assert counts(page, "counts-mine") == ("3", "1", "1")
    assert counts(page, "counts-queue") == ("5", "1", "2")


def test_the_queue_link_of_the_home_shows_only_the_workers_own_cases(version, centre, worker):
    mine = case_with_clock(version, centre, DeadlineStatus.ON_TRACK, assigned_to=worker)
    nobodys = case_with_clock(version, centre, DeadlineStatus.ON_TRACK)
    client = otp_verified(Client(), worker)
    assert f"{reverse('backoffice:queue')}?show=mine" in home(worker)

    own = client.get(reverse("backoffice:queue"), {"show": "mine"}).content.decode()
    unassigned = client.get(reverse("backoffice:queue"), {"show": "unassigned"}).content.decode()

    assert mine.reference in own
    assert nobodys.reference not in own
    assert nobodys.reference in unassigned
    assert mine.reference not in unassigned


def test_the_overdue_filter_shows_only_overdue_cases(version, centre, worker):
    late = case_with_clock(version, centre, DeadlineStatus.OVERDUE)
    soon = case_with_clock(version, centre, DeadlineStatus.DUE_SOON)

    page = (
        otp_verified(Client(), worker)
        .get(reverse("backoffice:queue"), {"show": "overdue"})
        .content.decode()
    )

    assert late.reference in page
    assert soon.reference not in page


def test_an_unknown_queue_filter_shows_the_whole_queue(version, centre, worker):
    case = case_with_clock(version, centre, DeadlineStatus.ON_TRACK)
    response = otp_verified(Client(), worker).get(reverse("backoffice:queue"), {"show": "<x>"})
    assert response.status_code == 200
    assert case.reference in response.content.decode()


def search(user: User, term: str) -> Any:
    return otp_verified(Client(), user).get(reverse("backoffice:search"), {"q": term})


def test_a_worker_finds_a_case_by_reference_and_the_read_is_audited(version, centre, worker):
    case = case_with_clock(version, centre, DeadlineStatus.ON_TRACK)

    response = search(worker, case.reference.lower())

    assert response.status_code == 200
    assert reverse("backoffice:case", kwargs={"reference": case.reference}) in (
        response.content.decode()
    )
    assert AuditEvent.objects.filter(action="case.read", actor=worker, object_id=case.pk).exists()


def test_a_reference_of_another_centre_finds_nothing_and_the_refusal_is_audited(
    version, other_centre, worker
):
    elsewhere = case_with_clock(version, other_centre, DeadlineStatus.ON_TRACK)

    response = search(worker, elsewhere.reference)

    assert response.status_code == 200
    assert (
        elsewhere.reference
        not in response.content.decode().split("search-none")[0].split("<h2", 1)[-1]
    )
    assert 'data-testid="search-none"' in response.content.decode()
    assert AuditEvent.objects.filter(
        action="access.refused", actor=worker, person=elsewhere.person
    ).exists()


def test_a_fin_finds_only_the_persons_cases_in_the_workers_scope(
    version, centre, other_centre, worker
):
    applicant = person()
    elsewhere = case_with_clock(version, other_centre, DeadlineStatus.ON_TRACK, applicant=applicant)
    services.case_withdraw(  # one application for the service at a time: the first is closed
        case=elsewhere,
        actor=staff("w2", "case_worker", other_centre, ["targeted_assistance"]),
        expected_version=elsewhere.version,
    )
    here = case_with_clock(version, centre, DeadlineStatus.ON_TRACK, applicant=applicant)

    page = search(worker, applicant.fin.lower()).content.decode()

    assert here.reference in page
    assert elsewhere.reference not in page
    event = AuditEvent.objects.get(action="person.search", actor=worker)
    assert event.person == applicant
    assert event.details["found"] == [here.reference]


def test_a_fin_with_no_case_in_scope_finds_nothing_and_is_audited_as_refused(
    version, other_centre, worker
):
    applicant = person()
    case_with_clock(version, other_centre, DeadlineStatus.ON_TRACK, applicant=applicant)

    response = search(worker, applicant.fin)

    assert 'data-testid="search-none"' in response.content.decode()
    assert AuditEvent.objects.filter(
        action="access.refused", actor=worker, person=applicant
    ).exists()


@pytest.mark.parametrize(
    ("term", "says"),
    [
        ("12", "A FİN has exactly 7 characters"),
        ("IIIIIII", "never the letters I or O"),
        ("MEIS-26-1", "This is not a case reference."),
        ("", "Enter a case reference or a FİN."),
        ("x" * 500, "at most 32 characters"),
    ],
)
def test_a_malformed_search_says_what_to_enter(worker, term, says):
    response = search(worker, term)

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert says in page
    assert "MEIS-2026-0000123" in page  # what to enter instead


def test_an_analyst_may_not_search_cases(analyst):
    assert search(analyst, "MEIS-2026-0000001").status_code == 403


# --- Centre head -------------------------------------------------------------------------------
def test_a_centre_head_sees_assignments_the_most_overdue_and_closures(version, centre, worker):
    head = staff("head", "centre_head", centre, [])
    late = case_with_clock(version, centre, DeadlineStatus.OVERDUE, assigned_to=worker)
    case_with_clock(version, centre, DeadlineStatus.ON_TRACK, assigned_to=worker)
    case_with_clock(version, centre, DeadlineStatus.DUE_SOON)
    today = timezone.localdate()
    CentreClosure.objects.create(
        centre=centre,
        starts_on=today + datetime.timedelta(days=3),
        ends_on=today + datetime.timedelta(days=4),
        reason_az="Təmir",
        reason_en="Repairs",
        reason_ru="Ремонт",
    )
    CentreClosure.objects.create(
        centre=centre,
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today - datetime.timedelta(days=29),
        reason_az="Keçmiş",
        reason_en="Long past",
        reason_ru="Прошло",
    )

    page = home(head)

    assert counts(page, "counts-queue") == ("3", "1", "1")
    assignments = page.split('data-testid="assignments"', 1)[1].split("</dl>", 1)[0]
    assert "w1" in assignments
    assert "2 open cases, 1 overdue" in assignments
    assert "1 open case, 0 overdue" in assignments  # the unassigned one
    assert late.reference in page.split('data-testid="overdue-list"', 1)[1]
    closures = page.split('data-testid="closures"', 1)[1].split("</ul>", 1)[0]
    assert "Repairs" in closures
    assert "Long past" not in closures


# --- The other roles ---------------------------------------------------------------------------
def test_a_commission_member_without_a_commission_is_told_plainly(db):
    member = staff("commission", "commission_member", None, [])
    page = home(member)
    assert "not a member of an expert commission" in page
    assert reverse("disability:worklist") not in page
    assert reverse("certificates:staff_desk") in page


def test_a_person_with_several_roles_sees_each_roles_section(centre):
    both = staff("both", "case_worker", centre, ["targeted_assistance"])
    both.groups.add(staff_groups_ensure()["call_centre_operator"])
    page = home(both)
    assert 'data-testid="home-cases"' in page
    assert 'data-testid="home-operator"' in page


def test_an_analyst_and_an_auditor_find_their_desks(analyst, auditor):
    assert reverse("proactive:report") in home(analyst)
    assert reverse("audit:search") not in home(analyst)
    assert reverse("audit:search") in home(auditor)
    assert reverse("proactive:report") not in home(auditor)


def test_an_administrator_finds_admin_message_desk_certificates_runs_and_audit(administrator):
    page = home(administrator)
    for name in (
        "admin:index",
        "notifications:staff_message_list",
        "certificates:staff_desk",
        "proactive:report",
        "audit:search",
    ):
        assert reverse(name) in page, name


# --- The staff navigation ----------------------------------------------------------------------
ROLES = [
    "case_worker",
    "centre_head",
    "call_centre_operator",
    "commission_member",
    "analyst",
    "auditor",
    "administrator",
]


@pytest.mark.parametrize("role", ROLES)
def test_every_link_a_role_is_shown_on_its_home_and_navigation_opens_for_it(role, centre):
    """No link the navigation or the home shows a role answers 403, 404 or 500 to that role."""
    user = staff(f"nav-{role}", role, centre, ["targeted_assistance"])
    client = otp_verified(Client(), user)
    response = client.get(reverse("accounts:staff_home"))
    navigation = [item.href for item in response.context["navigation"]]
    main = response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]
    links = navigation + re.findall(r'<a class="govuk-[\w-]+" href="(/en/[^"]*)"', main)

    shown = {d.url_name for d in STAFF if reverse(d.url_name) in navigation}
    assert "accounts:staff_home" in shown
    for href in links:
        assert client.get(href.replace("&amp;", "&")).status_code == 200, href


def test_the_navigation_hides_what_a_case_worker_may_not_open(worker):
    response = otp_verified(Client(), worker).get(reverse("accounts:staff_home"))
    navigation = [item.href for item in response.context["navigation"]]
    for hidden in ("proactive:report", "audit:search", "accounts:call_start"):
        assert reverse(hidden) not in navigation
        assert otp_verified(Client(), worker).get(reverse(hidden)).status_code in (302, 403)


@pytest.mark.parametrize("language", ["az", "ru"])
def test_the_home_of_every_role_renders_in_azerbaijani_and_russian(language, centre):
    user = staff(f"all-{language}", "case_worker", centre, ["targeted_assistance"])
    groups = staff_groups_ensure()
    for role in ROLES:
        user.groups.add(groups[role])
    with translation.override(language):
        response = otp_verified(Client(), user).get(reverse("accounts:staff_home"))
    assert response.status_code == 200
    assert f'lang="{language}"' in response.content.decode()
