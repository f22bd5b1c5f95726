# mypy: disable-error-code="arg-type,return-value,misc,union-attr"
"""The active programmes (docs/domain.md §8): a self-employment project from an approved
application to its last visit, and vocational training paid with a stipend."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.db import IntegrityError

from meis.audit.models import AuditEvent
from meis.awards.models import AwardEndReason, AwardKind, AwardStatus
from meis.awards.services.ending import awards_end_due
from meis.cases.models import CaseStatus
from meis.catalog.services import catalog_import_seed
from meis.employment.models import (
    EndReason,
    EnrolmentStatus,
    FollowUpOutcome,
    ProjectStatus,
    RegistrationState,
    SeekerStatus,
    SelfEmploymentProject,
)
from meis.employment.programmes import (
    ProgrammeError,
    ProgrammeRefused,
    follow_up_record,
    follow_ups_due,
    handover_add,
    handover_complete,
    priority_groups,
    project_approve,
    project_assess,
)
from meis.employment.tests.programme_factories import (
    course,
    officer,
    registered,
    self_employment_case,
    unemployment_benefit,
)
from meis.jobcentre.programmes import project_open_from_case
from meis.jobcentre.training import (
    TrainingError,
    training_daily,
    training_enrol,
    training_enrolment_drop,
)
from meis.lifeevents.models import DisabilityDecision

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _today() -> Any:
    catalog_import_seed()
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC), tick=False):
        yield


def _approved_project() -> SelfEmploymentProject:
    seeker = registered(registered_on=datetime.date(2024, 1, 10))
    assessor, approver = officer("assessor"), officer("approver")
    case = self_employment_case(seeker.person)
    project = project_open_from_case(case=case, actor=assessor)
    project_assess(project=project, score=72, is_recommended=True, note="Sound", actor=assessor)
    return project_approve(project=project, actor=approver)


# --- The self-employment programme -------------------------------------------------------------


def test_an_approved_application_becomes_a_project_awaiting_its_assessment() -> None:
    seeker = registered(registered_on=datetime.date(2025, 12, 1))
    case = self_employment_case(seeker.person)

    project = project_open_from_case(case=case, actor=officer("officer"))

    assert project.status == ProjectStatus.ASSESSMENT
    assert project.person == seeker.person
    assert project.business_idea == "A sewing workshop at home"
    assert AuditEvent.objects.filter(
        action="employment.project_open", person=seeker.person
    ).exists()


def test_a_project_opens_only_for_an_approved_self_employment_application() -> None:
    seeker = registered(registered_on=datetime.date(2025, 12, 1))
    actor = officer("officer")
    in_review = self_employment_case(seeker.person, status=CaseStatus.IN_REVIEW)
    other_service = self_employment_case(seeker.person, service="job-seeker-registration")

    with pytest.raises(ProgrammeError, match="not approved"):
        project_open_from_case(case=in_review, actor=actor)
    with pytest.raises(ProgrammeError, match="not an application"):
        project_open_from_case(case=other_service, actor=actor)


def test_one_application_opens_one_project() -> None:
    seeker = registered(registered_on=datetime.date(2025, 12, 1))
    case = self_employment_case(seeker.person)
    project_open_from_case(case=case, actor=officer("officer"))

    with pytest.raises(ProgrammeError, match="already open"):
        project_open_from_case(case=case, actor=officer("another"))


def test_an_unemployment_benefit_recipient_is_refused() -> None:
    seeker = registered(registered_on=datetime.date(2026, 1, 5))
    unemployment_benefit(seeker.person, datetime.date(2026, 2, 1))
    case = self_employment_case(seeker.person)

    with pytest.raises(ProgrammeRefused, match="unemployment-insurance benefit"):
        project_open_from_case(case=case, actor=officer("officer"))
    assert not SelfEmploymentProject.objects.exists()


def test_the_assessor_cannot_approve_the_plan_they_assessed_a_second_officer_does() -> None:
    seeker = registered(registered_on=datetime.date(2025, 12, 1))
    assessor, approver = officer("assessor"), officer("approver")
    project = project_open_from_case(case=self_employment_case(seeker.person), actor=assessor)
    project_assess(project=project, score=80, is_recommended=True, note="", actor=assessor)

    with pytest.raises(ProgrammeError, match="another officer"):
        project_approve(project=project, actor=assessor)
    approved = project_approve(project=project, actor=approver)

    assert approved.status == ProjectStatus.APPROVED
    assert (approved.approved_by, approved.approved_on) == (approver, TODAY)


def test_the_database_refuses_the_assessor_as_approver_too() -> None:
    project = _approved_project()

    with pytest.raises(IntegrityError):
        SelfEmploymentProject.objects.filter(pk=project.pk).update(approved_by=project.assessed_by)


def test_a_plan_not_recommended_is_not_approved() -> None:
    seeker = registered(registered_on=datetime.date(2025, 12, 1))
    assessor = officer("assessor")
    project = project_open_from_case(case=self_employment_case(seeker.person), actor=assessor)
    project_assess(project=project, score=35, is_recommended=False, note="Weak", actor=assessor)

    with pytest.raises(ProgrammeError, match="recommended"):
        project_approve(project=project, actor=officer("approver"))


def test_a_score_outside_0_to_100_is_refused() -> None:
    seeker = registered(registered_on=datetime.date(2025, 12, 1))
    assessor = officer("assessor")
    project = project_open_from_case(case=self_employment_case(seeker.person), actor=assessor)

    with pytest.raises(ProgrammeError, match="0 to 100"):
        project_assess(project=project, score=101, is_recommended=True, note="", actor=assessor)


def test_assets_are_handed_over_and_visits_fall_due_every_6_months_for_2_years() -> None:
    project = _approved_project()
    hands = officer("hands")

    handover_add(
        project=project,
        description="Sewing machine Juki DDL-8700",
        value_qepik=120_000,
        handed_on=TODAY,
        contract_number="SE-2026/114",
        actor=hands,
    )
    project.refresh_from_db()
    assert project.status == ProjectStatus.ASSETS_HANDED
    handover_complete(project=project, actor=hands)

    project.refresh_from_db()
    assert project.status == ProjectStatus.FOLLOW_UP
    assert project.follow_up_until == datetime.date(2028, 3, 2)
    assert [f.due_on for f in project.follow_ups.all()] == [
        datetime.date(2026, 9, 2),
        datetime.date(2027, 3, 2),
        datetime.date(2027, 9, 2),
        datetime.date(2028, 3, 2),
    ]


def test_an_asset_of_no_value_or_before_the_approval_is_refused() -> None:
    project = _approved_project()
    hands = officer("hands")
    line = {"description": "Tools", "contract_number": "C-1", "actor": hands}

    with pytest.raises(ProgrammeError, match="more than zero"):
        handover_add(project=project, value_qepik=0, handed_on=TODAY, **line)
    with pytest.raises(ProgrammeError, match="before the project was approved"):
        handover_add(project=project, value_qepik=100, handed_on=TODAY.replace(day=1), **line)


def _followed_up() -> SelfEmploymentProject:
    project = _approved_project()
    hands = officer("hands")
    handover_add(
        project=project,
        description="Oven",
        value_qepik=90_000,
        handed_on=TODAY,
        contract_number="SE-2026/7",
        actor=hands,
    )
    project.refresh_from_db()
    return handover_complete(project=project, actor=hands)


def test_the_visits_are_recorded_and_the_last_one_completes_the_project() -> None:
    project = _followed_up()
    visitor = officer("visitor")

    for follow_up in project.follow_ups.all():
        with time_machine.travel(follow_up.due_on, tick=False):
            assert follow_up in follow_ups_due(on=follow_up.due_on)
            follow_up_record(
                follow_up=follow_up,
                visited_on=follow_up.due_on,
                outcome=FollowUpOutcome.OPERATING,
                note="Working",
                actor=visitor,
            )

    project.refresh_from_db()
    assert project.status == ProjectStatus.COMPLETED
    assert project.ended_on == datetime.date(2028, 3, 2)


def test_a_business_found_stopped_stops_the_project_and_its_later_visits() -> None:
    project = _followed_up()
    first = project.follow_ups.first()

    with time_machine.travel(first.due_on, tick=False):
        follow_up_record(
            follow_up=first,
            visited_on=first.due_on,
            outcome=FollowUpOutcome.STOPPED,
            note="Closed",
            actor=officer("visitor"),
        )

    project.refresh_from_db()
    assert project.status == ProjectStatus.STOPPED
    assert project.follow_ups.count() == 1


def test_a_visit_is_not_recorded_twice_or_before_it_happened() -> None:
    project = _followed_up()
    first = project.follow_ups.first()
    visitor = officer("visitor")

    with pytest.raises(ProgrammeError, match="once it has taken place"):
        follow_up_record(
            follow_up=first,
            visited_on=datetime.date(2026, 9, 2),
            outcome="operating",
            note="",
            actor=visitor,
        )
    with time_machine.travel(first.due_on, tick=False):
        args = {"visited_on": first.due_on, "note": "", "actor": visitor}
        follow_up_record(follow_up=first, outcome=FollowUpOutcome.NOT_REACHED, **args)
        with pytest.raises(ProgrammeError, match="recorded already"):
            follow_up_record(follow_up=first, outcome=FollowUpOutcome.OPERATING, **args)


def test_the_priority_groups_come_from_the_registers() -> None:
    seeker = registered(
        registered_on=datetime.date(2024, 11, 1), birth_on=datetime.date(1962, 1, 1), sex="M"
    )
    DisabilityDecision.objects.create(
        person=seeker.person, degree="III", decided_on=datetime.date(2025, 6, 1)
    )

    groups = {g.code: g.applies for g in priority_groups(person=seeker.person, on=TODAY)}

    assert groups == {
        "targeted_assistance": False,
        "disability": True,
        "long_term_unemployed": True,  # registered 16 months ago
        "near_pension_age": True,  # a man born in 1962 reaches 65 in 2027
        "released_prisoner": None,  # no register: the person's statement only
    }


def test_someone_registered_for_less_than_12_months_is_not_long_term_unemployed() -> None:
    seeker = registered(registered_on=datetime.date(2025, 6, 1))

    groups = {g.code: g.applies for g in priority_groups(person=seeker.person, on=TODAY)}

    assert groups["long_term_unemployed"] is False
    assert groups["disability"] is False


# --- Vocational training with a stipend --------------------------------------------------------


def test_enrolling_an_unemployed_person_grants_the_stipend_the_rule_computes() -> None:
    seeker = registered(registered_on=datetime.date(2026, 1, 5))
    welding = course(starts_on=datetime.date(2026, 3, 16), ends_on=datetime.date(2026, 6, 12))

    enrolment = training_enrol(job_seeker=seeker, course=welding, actor=officer("officer"))

    award = enrolment.award
    assert award.kind == AwardKind.STIPEND
    assert award.amount_qepik == 40_000  # the minimum wage of 2025 on, 400 AZN [M]
    assert (award.start_on, award.end_on) == (welding.starts_on, welding.ends_on)
    assert award.basis.scheme == "training_stipend"
    assert award.record["steps"]["stipend_qepik"] == 40_000
    assert award.record["facts"] == {"is_registered_unemployed": True, "is_enrolled": True}


def test_a_job_seeker_who_is_not_unemployed_is_enrolled_without_a_stipend() -> None:
    seeker = registered(registered_on=datetime.date(2026, 1, 5), status=SeekerStatus.JOB_SEEKER)
    welding = course(starts_on=datetime.date(2026, 3, 16), ends_on=datetime.date(2026, 6, 12))

    enrolment = training_enrol(job_seeker=seeker, course=welding, actor=officer("officer"))

    assert enrolment.status == EnrolmentStatus.ENROLLED
    assert enrolment.award is None


def test_a_course_with_no_free_seat_refuses_the_next_person() -> None:
    welding = course(
        starts_on=datetime.date(2026, 3, 16), ends_on=datetime.date(2026, 6, 12), seats=1
    )
    actor = officer("officer")
    training_enrol(job_seeker=registered(registered_on=TODAY), course=welding, actor=actor)

    with pytest.raises(TrainingError, match="no free seat"):
        training_enrol(job_seeker=registered(registered_on=TODAY), course=welding, actor=actor)


def test_dropping_out_ends_the_stipend_on_that_day() -> None:
    seeker = registered(registered_on=datetime.date(2026, 1, 5))
    welding = course(starts_on=datetime.date(2026, 2, 16), ends_on=datetime.date(2026, 6, 12))
    enrolment = training_enrol(job_seeker=seeker, course=welding, actor=officer("officer"))

    training_enrolment_drop(enrolment=enrolment, on=TODAY, actor=officer("another"))
    awards_end_due(on=TODAY + datetime.timedelta(days=1))

    award = enrolment.award
    award.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.DROPPED
    assert award.start_on == TODAY  # enrolled after the course had started
    assert (award.end_on, award.end_reason) == (TODAY, AwardEndReason.DECISION)
    assert award.status == AwardStatus.ENDED


def test_the_end_of_the_registration_drops_the_enrolment_and_ends_the_stipend() -> None:
    seeker = registered(registered_on=datetime.date(2026, 1, 5))
    welding = course(starts_on=datetime.date(2026, 3, 2), ends_on=datetime.date(2026, 6, 12))
    enrolment = training_enrol(job_seeker=seeker, course=welding, actor=officer("officer"))
    seeker.state, seeker.ended_on = RegistrationState.ENDED, datetime.date(2026, 4, 10)
    seeker.end_reason = EndReason.EMPLOYED
    seeker.save()

    with time_machine.travel(datetime.datetime(2026, 4, 11, 9, tzinfo=datetime.UTC)):
        report = training_daily(on=datetime.date(2026, 4, 11))
        again = training_daily(on=datetime.date(2026, 4, 11))

    enrolment.refresh_from_db()
    enrolment.award.refresh_from_db()
    assert report == {"completed": 0, "dropped": 1}
    assert again == {"completed": 0, "dropped": 0}
    assert enrolment.status == EnrolmentStatus.DROPPED
    assert enrolment.award.end_on == datetime.date(2026, 4, 10)


def test_enrolments_on_a_course_that_has_ended_are_completed() -> None:
    welding = course(starts_on=datetime.date(2026, 3, 2), ends_on=datetime.date(2026, 3, 20))
    enrolment = training_enrol(
        job_seeker=registered(registered_on=TODAY), course=welding, actor=officer("officer")
    )

    report = training_daily(on=datetime.date(2026, 3, 21))

    enrolment.refresh_from_db()
    assert report["completed"] == 1
    assert (enrolment.status, enrolment.ended_on) == (EnrolmentStatus.COMPLETED, welding.ends_on)
