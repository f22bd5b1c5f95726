"""Every staff page that lists or opens people's data is an audited read of it: the registry
admin's change lists (a search or not), a document or household opened there, a case worker's
queue and a centre head's most overdue cases. A list page is one insert however many rows it
shows, and each person sees the read in "who looked at my data"."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from meis.accounts.testing import otp_verified
from meis.accounts.tests.conftest import signed_in_citizen_client
from meis.audit.models import AuditAction, AuditEvent
from meis.audit.selectors import person_access_lines, person_access_log_page
from meis.backoffice.tests.test_staff_home import case_with_clock, person
from meis.cases.tests.conftest import staff
from meis.catalog.selectors import eservice_version_current
from meis.catalog.services import catalog_import_seed
from meis.centres.models import ServiceCentre
from meis.registry.models import Household, HouseholdMembership, Person, Relation
from meis.workcalendar.arithmetic import DeadlineStatus

pytestmark = pytest.mark.django_db

PEOPLE = reverse("admin:registry_person_changelist")
DOCUMENTS = reverse("admin:registry_identitydocument_changelist")
HOUSEHOLDS = reverse("admin:registry_household_changelist")


def reads_of(person: Person, purpose: str) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            person=person, action=AuditAction.PERSON_READ, purpose=purpose
        ).order_by("id")
    )


def purposes_seen_by(person: Person) -> set[str]:
    """What the person reads in "who looked at my data"."""
    lines = person_access_log_page(groups=person_access_lines(person=person), person=person)
    return {purpose for line in lines for purpose in line.purposes}


def audit_inserts(queries: CaptureQueriesContext) -> int:
    return sum(
        1 for q in queries.captured_queries if q["sql"].startswith('INSERT INTO "audit_auditevent"')
    )


# --- The registry admin -----------------------------------------------------------------------
def test_a_person_search_in_the_admin_is_a_read_the_person_sees(admin_client, administrator):
    found, other = person(), person()

    response = admin_client.get(PEOPLE, {"q": found.fin})

    assert list(response.context["cl"].result_list) == [found]
    [event] = reads_of(found, "admin search")
    assert event.actor == administrator
    assert event.actor_role == "administrator"
    assert reads_of(other, "admin search") == []
    assert "admin search" in purposes_seen_by(found)


def test_the_admins_list_of_people_is_a_read_of_each_listed_in_one_insert(admin_client):
    listed = [person() for _ in range(3)]

    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(PEOPLE)

    assert set(response.context["cl"].result_list) >= set(listed)
    assert all(len(reads_of(someone, "admin list")) == 1 for someone in listed)
    assert audit_inserts(queries) == 1


def test_a_search_that_finds_no_one_records_no_read(admin_client):
    person()

    admin_client.get(PEOPLE, {"q": "AAAAAAA"})

    assert not AuditEvent.objects.filter(action=AuditAction.PERSON_READ).exists()


def test_the_admins_document_list_is_a_read_of_each_holder(admin_client):
    holder = person()

    response = admin_client.get(DOCUMENTS, {"q": holder.fin})

    assert list(response.context["cl"].result_list) == [holder.documents.get()]
    [event] = reads_of(holder, "admin search")
    assert event.object_type == "registry.identitydocument"
    assert "admin search" in purposes_seen_by(holder)


def test_opening_a_document_in_the_admin_reads_its_holder_through_the_funnel(admin_client):
    holder = person()
    document = holder.documents.get()

    response = admin_client.get(
        reverse("admin:registry_identitydocument_change", args=[document.pk])
    )

    assert response.status_code == 200
    [event] = AuditEvent.objects.filter(person=holder, action=AuditAction.PERSON_READ)
    assert event.purpose == "admin: administration"


def test_a_case_worker_cannot_open_a_document_in_the_admin(client, case_worker):
    document = person().documents.get()
    otp_verified(client, case_worker)

    response = client.get(reverse("admin:registry_identitydocument_change", args=[document.pk]))

    assert response.status_code in (403, 404)
    assert not AuditEvent.objects.filter(action=AuditAction.PERSON_READ).exists()


@pytest.fixture
def household() -> tuple[Household, Person, Person]:
    head, child = person(), person()
    home = Household.objects.create(registry_id="HH-AUDIT-1", region=head.region, address="Bakı")
    HouseholdMembership.objects.create(
        household=home, person=head, relation=Relation.HEAD, joined_on="2010-01-01"
    )
    HouseholdMembership.objects.create(
        household=home, person=child, relation=Relation.CHILD, joined_on="2012-01-01"
    )
    return home, head, child


def test_a_household_in_the_admin_is_a_read_of_every_member(admin_client, household):
    home, head, child = household

    admin_client.get(HOUSEHOLDS, {"q": home.registry_id})
    admin_client.get(reverse("admin:registry_household_change", args=[home.pk]))

    for member in (head, child):
        assert len(reads_of(member, "admin search")) == 1
        assert len(reads_of(member, "admin")) == 1


# --- Case queues ------------------------------------------------------------------------------
@pytest.fixture
def version(db: None) -> Any:
    catalog_import_seed()
    return eservice_version_current(code="targeted-social-assistance")


@pytest.fixture
def centre(db: None) -> ServiceCentre:
    return ServiceCentre.objects.order_by("code")[0]


def test_a_case_workers_queue_is_a_read_of_each_applicant_in_one_insert(version, centre):
    worker = staff("w1", "case_worker", centre, ["targeted_assistance"])
    cases = [case_with_clock(version, centre, DeadlineStatus.ON_TRACK) for _ in range(3)]
    elsewhere = case_with_clock(
        version, ServiceCentre.objects.order_by("code")[1], DeadlineStatus.ON_TRACK
    )
    client = otp_verified(Client(), worker)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("backoffice:queue"))

    assert response.status_code == 200
    assert audit_inserts(queries) == 1
    for case in cases:
        [event] = reads_of(case.person, "case queue")
        assert (event.actor, event.object_type, event.object_id) == (
            worker,
            "cases.case",
            str(case.pk),
        )
        assert "case queue" in purposes_seen_by(case.person)
    assert reads_of(elsewhere.person, "case queue") == []


def test_the_applicant_reads_the_queue_look_on_their_who_looked_page(version, centre):
    worker = staff("w1", "case_worker", centre, ["targeted_assistance"])
    case = case_with_clock(version, centre, DeadlineStatus.ON_TRACK)
    otp_verified(Client(), worker).get(reverse("backoffice:queue"))

    with translation.override("en"):
        page = signed_in_citizen_client(case.person).get(reverse("accounts:who_looked"))

    assert "The centre&#x27;s queue of applications" in page.content.decode()


def test_an_empty_queue_records_nothing(version, centre):
    worker = staff("w1", "case_worker", centre, ["targeted_assistance"])

    otp_verified(Client(), worker).get(reverse("backoffice:queue"))

    assert not AuditEvent.objects.filter(action=AuditAction.PERSON_READ).exists()


def test_the_centre_heads_most_overdue_cases_are_a_read_of_their_applicants(version, centre):
    head = staff("head", "centre_head", centre, [])
    late = case_with_clock(version, centre, DeadlineStatus.OVERDUE)
    on_time = case_with_clock(version, centre, DeadlineStatus.ON_TRACK)

    response = otp_verified(Client(), head).get(reverse("accounts:staff_home"))

    assert late.reference in response.content.decode()
    [event] = reads_of(late.person, "centre overview")
    assert event.actor == head
    assert reads_of(on_time.person, "centre overview") == []
