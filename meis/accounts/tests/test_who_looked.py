"""'Who looked at my data' groups one reader's looks at one thing on one day into one line,
with how many times and the reasons given; it stays paged and names roles in the reader's
language."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from meis.accounts.tests.conftest import signed_in_citizen_client, signed_in_staff_client
from meis.audit.models import AuditAction
from meis.audit.selectors import person_access_lines, person_access_log_page
from meis.audit.services import audit_record

pytestmark = pytest.mark.django_db

BAKU = datetime.timezone(datetime.timedelta(hours=4))


def _record(person):
    return reverse("accounts:staff_person", args=[person.pk])


def test_three_reads_by_one_officer_in_a_day_are_one_line(case_worker, registered_citizen):
    officer = signed_in_staff_client(case_worker)
    for _ in range(3):
        assert officer.get(_record(registered_citizen)).status_code == 200

    [line] = person_access_log_page(
        groups=person_access_lines(person=registered_citizen), person=registered_citizen
    )
    assert line.times == 3
    assert line.institution == "Baku DOST centre No. 1"
    assert line.on == timezone.localdate()
    assert len(line.purposes) == 1
    assert line.purposes[0].startswith("record view")

    with translation.override("en"):
        page = signed_in_citizen_client(registered_citizen).get("/en/my/who-looked/")
    text = page.content.decode()
    assert "3 times" in text
    assert "Case worker" in text
    assert text.count("Baku DOST centre No. 1") == 1
    assert case_worker.username not in text


def test_other_days_other_officers_and_other_things_are_lines_of_their_own(
    case_worker, operator, registered_citizen
):
    yesterday = datetime.datetime.now(tz=BAKU) - datetime.timedelta(days=1)
    with time_machine.travel(yesterday, tick=False):
        audit_record(
            action=AuditAction.PERSON_READ,
            actor=case_worker,
            actor_role="case_worker",
            actor_institution="Baku DOST centre No. 1",
            person=registered_citizen,
            obj=registered_citizen,
            purpose="MEIS-2026-000001: assigned case worker",
        )
    for purpose in ("record view: registration", "MEIS-2026-000001: assigned case worker"):
        audit_record(
            action=AuditAction.PERSON_READ,
            actor=case_worker,
            actor_role="case_worker",
            actor_institution="Baku DOST centre No. 1",
            person=registered_citizen,
            obj=registered_citizen,
            purpose=purpose,
        )
    audit_record(
        action=AuditAction.PERSON_READ,
        actor=operator,
        actor_role="call_centre_operator",
        actor_institution="Call centre 142",
        person=registered_citizen,
        obj=registered_citizen,
        purpose="caller identified",
    )
    audit_record(
        action="certificate.verify",
        actor=None,
        actor_role="verifier",
        actor_institution="Kapital Bank",
        person=registered_citizen,
        purpose="Checked the certificate (page)",
    )

    lines = person_access_log_page(
        groups=person_access_lines(person=registered_citizen), person=registered_citizen
    )

    today = [line for line in lines if line.on == timezone.localdate()]
    assert sorted((line.institution, line.times) for line in today) == [
        ("Baku DOST centre No. 1", 2),
        ("Call centre 142", 1),
        ("Kapital Bank", 1),
    ]
    officer_today = next(line for line in today if line.institution.startswith("Baku"))
    assert officer_today.purposes == (
        "record view: registration",
        "MEIS-2026-000001: assigned case worker",
    )
    assert [line.times for line in lines if line.on != timezone.localdate()] == [1]
    assert lines[-1].on == yesterday.date()  # newest first

    with translation.override("en"):
        text = signed_in_citizen_client(registered_citizen).get("/en/my/who-looked/")
    assert "Someone checking a certificate" in text.content.decode()
    assert "verifier" not in text.content.decode()


def test_the_list_is_paged(case_worker, registered_citizen):
    start = datetime.datetime(2026, 1, 1, 10, tzinfo=BAKU)
    for day in range(55):
        with time_machine.travel(start + datetime.timedelta(days=day), tick=False):
            audit_record(
                action=AuditAction.PERSON_READ,
                actor=case_worker,
                actor_role="case_worker",
                actor_institution="Baku DOST centre No. 1",
                person=registered_citizen,
                obj=registered_citizen,
                purpose="record view",
            )
    client = signed_in_citizen_client(registered_citizen)
    first = client.get("/en/my/who-looked/")
    assert len(first.context["entries"]) == 50
    assert "?page=2" in first.content.decode()
    assert len(client.get("/en/my/who-looked/?page=2").context["entries"]) == 5
    assert client.get("/en/my/who-looked/?page=banana").status_code == 200
