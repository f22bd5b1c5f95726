"""Appeals: within the legal period, a new case linked to the decision, decided by an officer
who took no part in it, under its own deadline; a changed outcome changes the award."""

from __future__ import annotations

import datetime
import uuid

import pytest
import time_machine

from meis.accounts.selectors import staff_profile_get
from meis.accounts.services import citizen_account_get_or_create
from meis.awards.models import Award, AwardStatus
from meis.cases import decision_selectors, services
from meis.cases.models import Case, CaseDecision, CaseEvent, CaseStatus
from meis.cases.tests.decisions.stories import (
    FAMILY_OF_FOUR,
    OLD_AGE,
    PENSION_AGE_ON,
    PENSIONER,
    PENSIONER_SHORT_RECORD,
    file,
    taken_by,
)
from meis.notifications.models import Message
from meis.workcalendar.selectors import deadline_due_on

pytestmark = pytest.mark.django_db


def at(year: int, month: int, day: int) -> time_machine.travel:
    return time_machine.travel(datetime.datetime(year, month, day, 10, tzinfo=datetime.UTC))


@pytest.fixture
def refused_pension(citizen, version, centre, pensions_worker, registers) -> Case:
    """A pension refused on 4 May 2020: the insurance register showed ten years of record."""
    registers.facts["old_age_pension"] = PENSIONER_SHORT_RECORD
    with at(2020, 5, 4):
        case = taken_by(file(citizen, centre, code=OLD_AGE), pensions_worker)
        return services.case_reject(
            case=case,
            actor=pensions_worker,
            reason="conditions_not_met",
            expected_version=case.version,
        )


def appeal(case: Case, *, by=None, grounds: str = "My work-book shows 25 years.") -> Case:
    return services.case_appeal(
        case=case,
        actor=by or citizen_account_get_or_create(person=case.person),
        grounds=grounds,
        idempotency_key=str(uuid.uuid4()),
    )


def test_the_applicant_appeals_and_gets_a_linked_case_with_its_own_deadline(refused_pension):
    with at(2020, 5, 11):
        lodged = appeal(refused_pension)

    assert lodged.appeal_of == refused_pension
    assert lodged.status == CaseStatus.SUBMITTED
    assert (lodged.centre, lodged.subsystem) == (refused_pension.centre, "pensions")
    assert lodged.decision_working_days == 15  # appeals.decision_working_days
    assert lodged.due_on == deadline_due_on(
        submitted_on=datetime.date(2020, 5, 11), working_days=15
    )
    assert refused_pension.events.filter(
        kind=CaseEvent.Kind.APPEALED, note=lodged.reference
    ).exists()
    assert Message.objects.filter(case_reference=lodged.reference, event="case_received").exists()


def test_a_second_officer_grants_the_appeal_with_arrears_from_the_day_the_right_arose(
    refused_pension, pensions_worker_2, registers
):
    with at(2020, 5, 11):
        lodged = appeal(refused_pension)
    registers.facts["old_age_pension"] = PENSIONER  # the record was corrected meanwhile
    with at(2020, 6, 2):
        lodged = taken_by(lodged, pensions_worker_2)
        lodged = services.case_approve(
            case=lodged, actor=pensions_worker_2, expected_version=lodged.version
        )

    award = Award.objects.get(person=refused_pension.person)
    assert (award.amount_qepik, award.start_on) == (20_000, PENSION_AGE_ON)
    assert award.origin_reference == lodged.reference
    assert award.record["appeal_of"] == refused_pension.reference
    decision = CaseDecision.objects.get(case=lodged)
    # January to May 2020: five months of 200 AZN.
    assert (decision.arrears_months, decision.arrears_qepik) == (5, 100_000)
    letter = Message.objects.get(case_reference=lodged.reference, event="case_award")
    assert "Ötən 5 ay üzrə ödənilməmiş məbləğ" in letter.body_text  # in the citizen's language
    assert "inzibati məhkəməyə" in letter.body_text  # an appeal's decision: a court is next
    assert refused_pension.events.filter(kind=CaseEvent.Kind.APPEAL_DECIDED).exists()


def test_the_officer_who_decided_cannot_take_or_decide_the_appeal_nor_sees_it_queued(
    refused_pension, pensions_worker, head
):
    with at(2020, 5, 11):
        lodged = appeal(refused_pension)

    with pytest.raises(services.CaseActionError, match="You took the decision"):
        taken_by(lodged, pensions_worker)
    profile = staff_profile_get(user=pensions_worker)
    assert profile is not None
    queue = decision_selectors.queue_list_for_worker(
        profile=profile, user=pensions_worker, is_head=False
    )
    assert lodged not in queue
    # Nor can the head hand it to them.
    with pytest.raises(services.CaseActionError, match="took the decision this appeal is against"):
        services.case_assign(
            case=lodged, actor=head, assignee=pensions_worker, expected_version=lodged.version
        )
    # The head (who took no part) may decide it: approving needs the rules' backing.
    lodged = services.case_assign(
        case=lodged, actor=head, assignee=head, expected_version=lodged.version
    )
    assert lodged.assigned_to == head


def test_an_appeal_after_the_period_is_refused_with_a_clear_message(refused_pension):
    # Decided on 4 May 2020: one month, to 4 June 2020 (a working day).
    with at(2020, 6, 5), pytest.raises(services.CaseActionError) as refused:
        appeal(refused_pension)

    assert "The period to appeal this decision ended on 4 June 2020" in str(refused.value)
    assert not Case.objects.filter(appeal_of=refused_pension).exists()


def test_a_period_ending_on_a_day_off_runs_to_the_next_working_day(
    citizen, version, centre, pensions_worker, registers
):
    # Decided on 20 February 2020: a month later is 20 March, Novruz; the official calendar
    # of 2020 gives 29 March (a working Sunday) as the next working day (docs/domain.md §11).
    registers.facts["old_age_pension"] = PENSIONER_SHORT_RECORD
    with at(2020, 2, 20):
        case = taken_by(file(citizen, centre, code=OLD_AGE), pensions_worker)
        case = services.case_reject(
            case=case,
            actor=pensions_worker,
            reason="conditions_not_met",
            expected_version=case.version,
        )
    assert decision_selectors.appeal_window(case, on=datetime.date(2020, 3, 20)).until == (
        datetime.date(2020, 3, 29)
    )


def test_the_last_day_to_appeal_is_still_in_time(refused_pension):
    with at(2020, 6, 4):
        assert appeal(refused_pension).appeal_of == refused_pension


def test_another_citizen_cannot_appeal(refused_pension, other_citizen):
    with at(2020, 5, 11), pytest.raises(services.CaseActionError, match="Only the applicant"):
        appeal(refused_pension, by=citizen_account_get_or_create(person=other_citizen))


def test_one_appeal_at_a_time_and_none_against_the_decision_on_an_appeal(
    refused_pension, pensions_worker_2
):
    with at(2020, 5, 11):
        lodged = appeal(refused_pension)
        with pytest.raises(services.CaseActionError, match="being considered"):
            appeal(refused_pension)
        lodged = taken_by(lodged, pensions_worker_2)
        lodged = services.case_reject(
            case=lodged,
            actor=pensions_worker_2,
            reason="conditions_not_met",
            expected_version=lodged.version,
        )
        with pytest.raises(services.CaseActionError, match="administrative court"):
            appeal(lodged)
        with pytest.raises(services.CaseActionError, match="has been decided"):
            appeal(refused_pension)


def test_the_same_request_twice_lodges_one_appeal(refused_pension):
    user = citizen_account_get_or_create(person=refused_pension.person)
    key = str(uuid.uuid4())
    with at(2020, 5, 11):
        first = services.case_appeal(
            case=refused_pension, actor=user, grounds="Wrong record.", idempotency_key=key
        )
        second = services.case_appeal(
            case=refused_pension, actor=user, grounds="Wrong record.", idempotency_key=key
        )
    assert first.pk == second.pk


def test_an_appeal_that_raises_the_amount_replaces_the_award_and_pays_the_difference(
    citizen, version, centre, worker, worker_2, registers
):
    registers.facts["targeted_assistance"] = FAMILY_OF_FOUR
    with at(2020, 3, 19):
        case = taken_by(file(citizen, centre), worker)
        case = services.case_approve(case=case, actor=worker, expected_version=case.version)
    first = Award.objects.get(person=citizen)
    # The family's income was 300 AZN a month, not 400: 640 − 300 = 340 AZN.
    registers.facts["targeted_assistance"] = {**FAMILY_OF_FOUR, "income_12_months_qepik": 360_000}
    with at(2020, 4, 6):
        lodged = taken_by(appeal(case, grounds="Our income was lower."), worker_2)
        services.case_approve(case=lodged, actor=worker_2, expected_version=lodged.version)

    first.refresh_from_db()
    second = Award.objects.get(supersedes=first)
    assert (first.status, first.end_on) == (AwardStatus.ENDED, datetime.date(2020, 3, 31))
    assert (second.amount_qepik, second.start_on) == (34_000, datetime.date(2020, 4, 1))
    decision = CaseDecision.objects.get(case=lodged)
    assert (decision.arrears_months, decision.arrears_qepik) == (1, 10_000)  # March's difference
    assert second.record["arrears"]["qepik"] == 10_000


def test_a_dismissed_appeal_leaves_the_award_as_it_was_and_points_to_a_court(
    citizen, version, centre, worker, worker_2, registers
):
    citizen.preferred_language = "en"
    citizen.save()
    registers.facts["targeted_assistance"] = FAMILY_OF_FOUR
    with at(2020, 3, 19):
        case = taken_by(file(citizen, centre), worker)
        case = services.case_approve(case=case, actor=worker, expected_version=case.version)
    with at(2020, 4, 6):
        lodged = taken_by(appeal(case, grounds="We need more."), worker_2)
        # The rules still find 240 AZN, which the family receives: no departure to confirm.
        lodged = services.case_reject(
            case=lodged,
            actor=worker_2,
            reason="appeal_decision_stands",
            expected_version=lodged.version,
        )

    assert lodged.status == CaseStatus.REJECTED
    award = Award.objects.get(person=citizen)
    assert (award.status, award.amount_qepik) == (AwardStatus.ACTIVE, 24_000)
    letter = Message.objects.get(case_reference=lodged.reference, event="case_refusal")
    assert f"the decision on {case.reference} stands" in letter.body_text
    assert "administrative court" in letter.body_text
