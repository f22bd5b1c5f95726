"""The request path's SQL, pinned per key page (issue 24): what a page reads is read once.

A citizen's case page, the home page (signed in and anonymous) and a case worker's queue each
make a fixed, small number of queries: the signed-in user's roles, person, session generation
and unread count come in one query per request (`meis.accounts.access`), the case with what its
page would otherwise ask separately, the timeline's events and messages in one, and a session
that has not changed is not written back.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meis.cases.models import ApplicationDraft
from meis.cases.tests.test_services import submit

pytestmark = pytest.mark.django_db


def _case_page(case: Any) -> str:
    return reverse("cases:case_detail", kwargs={"reference": case.reference})


def test_a_citizens_case_page_reads_in_at_most_six_queries(
    citizen, version, centre, citizen_client, django_assert_max_num_queries
):
    case = submit(citizen, version, centre).case
    client = citizen_client(citizen)
    with django_assert_max_num_queries(6):
        response = client.get(_case_page(case))
    assert response.status_code == 200
    assert case.reference in response.content.decode()


def test_the_case_page_reads_the_case_and_the_person_once(citizen, version, centre, citizen_client):
    case = submit(citizen, version, centre).case
    client = citizen_client(citizen)
    with CaptureQueriesContext(connection) as queries:
        client.get(_case_page(case))
    statements = [query["sql"] for query in queries.captured_queries]
    assert len(statements) == len(set(statements)), "a statement ran twice"
    assert sum('FROM "cases_case"' in sql for sql in statements) == 1
    # The person comes with the signed-in user, in the same statement (UserAndPersonBackend).
    (user_read,) = [sql for sql in statements if sql.startswith('SELECT "auth_user"."id"')]
    assert '"registry_person"."fin"' in user_read
    assert not [sql for sql in statements if sql.startswith('SELECT "registry_person"')]


def test_a_signed_in_citizens_home_page_reads_in_at_most_four_queries(
    citizen, citizen_client, django_assert_max_num_queries
):
    client = citizen_client(citizen)
    with django_assert_max_num_queries(4):
        response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    assert reverse("accounts:my_record") in response.content.decode()


def test_an_anonymous_visitors_home_page_reads_in_at_most_four_queries(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        response = client.get(reverse("portal:home"))
    assert response.status_code == 200


def test_an_unchanged_session_is_not_written_back(citizen, version, centre, citizen_client):
    case = submit(citizen, version, centre).case
    client = citizen_client(citizen)
    with CaptureQueriesContext(connection) as queries:
        client.get(_case_page(case))
    assert not [q for q in queries.captured_queries if "UPDATE" in q["sql"]]


def _queue_queries(client: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("backoffice:queue"))
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_the_queue_page_makes_as_many_queries_for_30_cases_as_for_3(
    version, centre, worker, staff_client
):
    from meis.registry.tests.factories import IdentityDocumentFactory, PersonFactory

    def applicants(count: int) -> None:
        for _ in range(count):
            person = PersonFactory()
            IdentityDocumentFactory(person=person)
            submit(person, version, centre)

    client = staff_client(worker)
    applicants(3)
    client.get(reverse("backoffice:queue"))  # the first read of the day: the calendar
    three = _queue_queries(client)
    applicants(27)
    thirty = _queue_queries(client)
    assert thirty == three


# --- The 8-request application (issue 24: bench/load.py's flow) ------------------------------
def _flow_steps(centre: Any) -> list[tuple[str, str, str, dict[str, Any]]]:
    from meis.cases.tests.conftest import SERVICE, answers, pdf

    def url(name: str) -> str:
        return reverse(name, kwargs={"code": SERVICE})

    return [
        ("start", "post", url("cases:apply"), {}),
        ("questions", "post", url("cases:apply_questions"), answers()),
        (
            "upload",
            "post",
            url("cases:apply_documents"),
            {"document": "identity_card", "file": pdf("card.pdf")},
        ),
        (
            "upload",
            "post",
            url("cases:apply_documents"),
            {"document": "family_composition_certificate", "file": pdf("family.pdf")},
        ),
        ("continue", "post", url("cases:apply_documents"), {"continue": "1"}),
        (
            "contact",
            "post",
            url("cases:apply_contact"),
            {"centre": centre.pk, "channel": "portal", "value": ""},
        ),
        ("check", "get", url("cases:apply_check"), {}),
    ]


def test_each_apply_page_reads_the_service_version_once(citizen, version, centre, citizen_client):
    """The apply pages hand the version they checked to the page and its draft: one read of
    the catalogue per request, the service and its definition with it."""
    client = citizen_client(citizen)
    for name, method, path, data in _flow_steps(centre):
        with CaptureQueriesContext(connection) as queries:
            response = getattr(client, method)(path, data)
        assert response.status_code in (200, 302), name
        versions = [q for q in queries.captured_queries if '"catalog_eserviceversion"' in q["sql"]]
        reads = [q for q in versions if q["sql"].startswith('SELECT "catalog_eserviceversion"')]
        assert len(reads) == 1, (name, [q["sql"][:120] for q in versions])
        assert not [q for q in queries.captured_queries if 'FROM "catalog_eservice" ' in q["sql"]]


# Statements that are not the pages' own reads and writes: transaction control, the reference
# number (a sequence on PostgreSQL, a counter row on SQLite) and the legal calendar's first read
# of the day (kept by the process afterwards).
_NOT_THE_PAGES = ("SAVEPOINT", "RELEASE SAVEPOINT", "BEGIN", "COMMIT", "SELECT nextval(")
_NOT_THE_PAGES_TABLES = ('"cases_referencecounter"', '"workcalendar_calendarday"')


def _pages_own(queries: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if not q["sql"].startswith(_NOT_THE_PAGES)
        and not any(table in q["sql"] for table in _NOT_THE_PAGES_TABLES)
    ]


def test_the_whole_application_reads_and_writes_in_at_most_70_statements(
    citizen, version, centre, citizen_client
):
    """The 8 requests together (before issue 24's work on them: 111). A page that starts
    reading something twice shows here."""
    client = citizen_client(citizen)
    total = 0
    for name, method, path, data in _flow_steps(centre):
        with CaptureQueriesContext(connection) as queries:
            response = getattr(client, method)(path, data)
        assert response.status_code in (200, 302), name
        total += len(_pages_own(queries))
    key = str(ApplicationDraft.objects.get(person=citizen).key)
    check = reverse("cases:apply_check", kwargs={"code": version.service.code})
    with CaptureQueriesContext(connection) as queries:
        response = client.post(check, {"key": key})
    assert response.status_code == 302
    submit_statements = _pages_own(queries)
    total += len(submit_statements)
    assert total <= 70, total
    # The citizen's audit event names no institution: no staff profile is looked for.
    assert not [
        sql for sql in submit_statements if sql.startswith('SELECT "accounts_staffprofile"')
    ]
    # The draft's person is the one loaded with the user; the submit only locks its row.
    assert sum('FROM "registry_person"' in sql for sql in submit_statements) == 1
