# mypy: disable-error-code="arg-type,return-value,misc,union-attr"
"""The officer's programme pages and the citizen's view of their programmes: a project is opened
from an approved application, assessed, approved by a second officer, its assets handed over
and its visits recorded; a course enrolment pays a stipend; every read of a person is audited."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from meis.accounts.roles import Role, Subsystem
from meis.accounts.testing import otp_verified
from meis.audit.models import AuditAction, AuditEvent
from meis.awards.models import AwardKind
from meis.catalog.services import catalog_import_seed
from meis.employment.models import (
    EnrolmentStatus,
    ProjectStatus,
    SelfEmploymentProject,
    TrainingEnrolment,
)
from meis.employment.tests.programme_factories import (
    course,
    officer,
    registered,
    self_employment_case,
    unemployment_benefit,
)
from meis.jobcentre.programmes import programme_grant
from meis.registry.models import Person

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _today() -> Any:
    catalog_import_seed()
    with time_machine.travel(NOW, tick=False):
        yield


def _client(user: User) -> Client:
    return otp_verified(Client(), user)


def _citizen_client(person: Person) -> Client:
    from meis.accounts.services import citizen_account_get_or_create

    client = Client()
    client.force_login(citizen_account_get_or_create(person=person))
    return client


def _project_page(project: SelfEmploymentProject) -> str:
    return reverse("jobcentre:programme_project", args=[project.pk])


def test_an_officer_opens_assesses_and_a_second_officer_approves_a_project() -> None:
    seeker = registered(registered_on=datetime.date(2024, 12, 1))
    case = self_employment_case(seeker.person)
    assessor, approver = _client(officer("assessor")), _client(officer("approver"))

    opened = assessor.post(reverse("jobcentre:programme_list"), {"reference": case.reference})
    project = SelfEmploymentProject.objects.get()
    assert opened["Location"] == _project_page(project)
    page = assessor.get(_project_page(project)).content.decode()
    assert "Long-term unemployed: <strong>" in page  # registered 15 months ago
    assessed = assessor.post(
        _project_page(project),
        {"action": "assess", "score": "74", "recommended": "yes", "released_prisoner": "no"},
    )
    own = assessor.get(_project_page(project)).content.decode()
    refused = assessor.post(_project_page(project), {"action": "approve"})
    approved = approver.post(_project_page(project), {"action": "approve"})

    project.refresh_from_db()
    assert assessed.status_code == 302
    assert 'data-testid="approve"' not in own  # the assessor is not offered the approval
    assert refused.status_code == 200
    assert "another officer" in refused.content.decode()
    assert approved.status_code == 302
    assert project.status == ProjectStatus.APPROVED
    assert project.approved_by.username == "approver"
    reads = AuditEvent.objects.filter(action=AuditAction.PERSON_READ, person=seeker.person)
    assert reads.filter(actor__username="assessor").exists()
    assert reads.filter(actor__username="approver").exists()


def test_assets_are_handed_over_and_the_due_visit_is_recorded_on_the_page() -> None:
    seeker = registered(registered_on=datetime.date(2025, 12, 1))
    first, second = officer("first"), officer("second")
    client = _client(first)
    client.post(
        reverse("jobcentre:programme_list"),
        {"reference": self_employment_case(seeker.person).reference},
    )
    project = SelfEmploymentProject.objects.get()
    client.post(
        _project_page(project),
        {"action": "assess", "score": "60", "recommended": "yes", "released_prisoner": "yes"},
    )
    _client(second).post(_project_page(project), {"action": "approve"})

    asset = {
        "action": "handover",
        "description": "Bakery oven",
        "value": "1200.50",
        "handed_on": "2026-03-02",
        "contract_number": "SE-2026/31",
    }
    assert client.post(_project_page(project), asset).status_code == 302
    assert client.post(_project_page(project), {"action": "handover_complete"}).status_code == 302
    project.refresh_from_db()
    assert project.handovers.get().value_qepik == 120_050
    assert project.status == ProjectStatus.FOLLOW_UP

    visit = project.follow_ups.first()
    with time_machine.travel(datetime.datetime(2026, 9, 3, 9, tzinfo=datetime.UTC)):
        client = _client(first)  # six months on: a new sign-in
        page = client.get(_project_page(project)).content.decode()
        recorded = client.post(
            _project_page(project),
            {
                "action": "follow_up",
                "follow_up": visit.pk,
                "visited_on": "2026-09-02",
                "outcome": "operating",
                "note": "Bread sold to two shops",
            },
        )
    visit.refresh_from_db()
    assert "Record the visit due on" in page
    assert recorded.status_code == 302
    assert visit.outcome == "operating"


def test_a_project_for_an_unemployment_benefit_recipient_is_refused_on_the_page() -> None:
    seeker = registered(registered_on=datetime.date(2026, 1, 5))
    unemployment_benefit(seeker.person, datetime.date(2026, 2, 1))
    case = self_employment_case(seeker.person)

    response = _client(officer("officer")).post(
        reverse("jobcentre:programme_list"), {"reference": case.reference}
    )

    assert response.status_code == 200
    assert "unemployment-insurance benefit" in response.content.decode()
    assert not SelfEmploymentProject.objects.exists()


def test_the_project_list_records_a_read_of_each_person_listed() -> None:
    seeker = registered(registered_on=datetime.date(2025, 12, 1))
    client = _client(officer("officer"))
    client.post(
        reverse("jobcentre:programme_list"),
        {"reference": self_employment_case(seeker.person).reference},
    )

    page = client.get(reverse("jobcentre:programme_list"), {"status": "assessment"})

    assert 'data-testid="projects"' in page.content.decode()
    assert AuditEvent.objects.filter(
        person=seeker.person, purpose__contains="self-employment projects"
    ).exists()


def test_an_officer_enrols_an_unemployed_person_and_the_stipend_is_granted() -> None:
    seeker = registered(registered_on=datetime.date(2026, 1, 5))
    welding = course(starts_on=datetime.date(2026, 3, 16), ends_on=datetime.date(2026, 6, 12))
    client = _client(officer("officer"))
    page = reverse("jobcentre:training_course", args=[welding.pk])

    enrolled = client.post(page, {"action": "enrol", "fin": seeker.person.fin})
    enrolment = TrainingEnrolment.objects.get()
    listed = client.get(reverse("jobcentre:training_list")).content.decode()
    shown = client.get(page).content.decode()
    own = _citizen_client(seeker.person).get(reverse("jobcentre:mine")).content.decode()
    dropped = client.post(page, {"action": "drop", "enrolment": enrolment.pk})

    enrolment.refresh_from_db()
    assert enrolled.status_code == 302
    assert enrolment.award.kind == AwardKind.STIPEND
    assert enrolment.award.amount_qepik == 40_000
    assert "1 / 10" in listed  # seats taken
    assert seeker.person.last_name in shown
    assert "Welding (MIG/MAG)" in own
    assert dropped.status_code == 302
    assert enrolment.status == EnrolmentStatus.DROPPED
    assert enrolment.award.end_on == welding.starts_on  # dropped before it started: one day
    assert AuditEvent.objects.filter(
        action=AuditAction.PERSON_READ, person=seeker.person, purpose__contains="training"
    ).exists()


def test_an_officer_adds_a_course_from_the_training_page() -> None:
    client = _client(officer("officer"))

    response = client.post(
        reverse("jobcentre:training_list"),
        {
            "title": "Cook",
            "occupation": "2512",
            "provider": "Ganja college",
            "region": "baku",
            "starts_on": "2026-04-01",
            "ends_on": "2026-03-01",
            "seats": "12",
        },
    )

    assert response.status_code == 200
    assert "cannot end before it starts" in response.content.decode()


def test_the_citizen_sees_their_own_project_and_course_and_no_one_else_s() -> None:
    mine = registered(registered_on=datetime.date(2025, 12, 1))
    theirs = registered(registered_on=datetime.date(2025, 12, 1))
    client = _client(officer("officer"))
    for seeker in (mine, theirs):
        client.post(
            reverse("jobcentre:programme_list"),
            {"reference": self_employment_case(seeker.person).reference},
        )
    mine_ref = SelfEmploymentProject.objects.get(person=mine.person).case.reference
    theirs_ref = SelfEmploymentProject.objects.get(person=theirs.person).case.reference

    page = _citizen_client(mine.person).get(reverse("jobcentre:mine")).content.decode()

    assert 'data-testid="programmes"' in page
    assert mine_ref in page
    assert theirs_ref not in page
    assert str(ProjectStatus.ASSESSMENT.label) in page


def test_a_citizen_cannot_open_the_officer_pages() -> None:
    seeker = registered(registered_on=datetime.date(2025, 12, 1))
    citizen = _citizen_client(seeker.person)

    response = citizen.get(reverse("jobcentre:programme_list"))

    assert response.status_code in (302, 403)


def test_a_case_worker_of_another_subsystem_gets_403_on_every_programme_page() -> None:
    seeker = registered(registered_on=datetime.date(2025, 12, 1))
    officer_client = _client(officer("officer"))
    officer_client.post(
        reverse("jobcentre:programme_list"),
        {"reference": self_employment_case(seeker.person).reference},
    )
    project = SelfEmploymentProject.objects.get()
    welding = course(starts_on=datetime.date(2026, 3, 16), ends_on=datetime.date(2026, 6, 12))
    pensions = officer("pension-worker", subsystems=(Subsystem.PENSIONS,))
    client = _client(pensions)

    pages = [
        reverse("jobcentre:programme_list"),
        _project_page(project),
        reverse("jobcentre:training_list"),
        reverse("jobcentre:training_course", args=[welding.pk]),
    ]

    assert [client.get(page).status_code for page in pages] == [403] * 4
    assert client.post(_project_page(project), {"action": "approve"}).status_code == 403
    assert AuditEvent.objects.filter(action=AuditAction.ACCESS_REFUSED, actor=pensions).count() >= 4
    project.refresh_from_db()
    assert project.status == ProjectStatus.ASSESSMENT


def test_a_participant_stays_readable_while_the_project_runs_after_the_registration_ends() -> None:
    seeker = registered(registered_on=datetime.date(2025, 12, 1))
    employment_officer = officer("officer")
    _client(employment_officer).post(
        reverse("jobcentre:programme_list"),
        {"reference": self_employment_case(seeker.person).reference},
    )
    profile = employment_officer.staff_profile
    roles = frozenset({Role.CASE_WORKER})
    pensions = officer("pension-worker", subsystems=(Subsystem.PENSIONS,)).staff_profile

    assert programme_grant(profile, seeker.person, roles) is not None
    assert programme_grant(pensions, seeker.person, roles) is None
    assert programme_grant(profile, registered(registered_on=TODAY).person, roles) is None
