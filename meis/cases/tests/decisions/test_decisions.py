"""Decisions create awards, and a decision that departs from the rules needs a second officer.

Each story files an application, lets the rules find what the registers say (`registers`),
and decides: the award, its record, its arrears and the letter, or the refusal, are checked as
the applicant and the officers meet them. Every access rule is tested from the side of the
person refused.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine

from meis.audit.models import AuditEvent
from meis.awards.models import Award, AwardOrigin
from meis.awards.services import award_grant, basis_get_or_create, rules_version
from meis.cases import services
from meis.cases.models import CaseDecision, CaseEvent, CaseStatus, DecisionState
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

pytestmark = pytest.mark.django_db

MARCH_2020 = datetime.datetime(2020, 3, 19, 10, tzinfo=datetime.UTC)
MAY_2020 = datetime.datetime(2020, 5, 4, 10, tzinfo=datetime.UTC)


def test_approving_what_the_rules_find_grants_the_award_with_the_proactive_record(
    citizen, version, centre, worker, registers
):
    registers.facts["targeted_assistance"] = FAMILY_OF_FOUR
    with time_machine.travel(MARCH_2020):
        case = taken_by(file(citizen, centre), worker)
        case = services.case_approve(case=case, actor=worker, expected_version=case.version)

    assert case.status == CaseStatus.APPROVED
    award = Award.objects.get(person=citizen)
    assert award.kind == "targeted_assistance"
    assert award.amount_qepik == 24_000  # 4 × 160 − 400 AZN
    assert award.start_on == datetime.date(2020, 3, 1)  # the 1st of the month of application
    assert award.origin == AwardOrigin.CASE_DECISION
    assert award.origin_reference == case.reference
    # The same decision record as a proactive grant: basis (rules version, parameters) and
    # the trace's facts and steps; plus the case and the officer.
    assert award.basis.scheme == "targeted_assistance"
    assert award.basis.rules_version == rules_version()
    assert award.basis.parameters
    assert award.record["facts"]["members"] == 4
    assert award.record["steps"]["need_total_qepik"] == 64_000
    assert award.record["case"] == case.reference
    assert award.record["officers"]["decided_by"]["username"] == worker.username
    decision = CaseDecision.objects.get(case=case)
    assert decision.state == DecisionState.TAKEN
    assert decision.award == award
    assert decision.arrears_qepik == 0
    assert AuditEvent.objects.filter(action="case.approved", object_id=str(case.pk)).exists()


def test_the_award_letter_states_the_amount_and_how_it_was_computed(
    citizen, version, centre, worker, registers
):
    citizen.preferred_language = "en"
    citizen.save()
    registers.facts["targeted_assistance"] = FAMILY_OF_FOUR
    with time_machine.travel(MARCH_2020):
        case = taken_by(file(citizen, centre), worker)
        services.case_approve(case=case, actor=worker, expected_version=case.version)

    letter = Message.objects.get(case_reference=case.reference, event="case_award")
    assert "240.00 AZN a month" in letter.body_text
    assert "640.00 AZN" in letter.body_text  # the sum of the need criteria, explained
    assert "appeal until" in letter.body_text


def test_a_start_before_the_decision_month_pays_the_arrears_exactly(
    citizen, version, centre, pensions_worker, registers
):
    registers.facts["old_age_pension"] = PENSIONER
    with time_machine.travel(MAY_2020):
        case = taken_by(file(citizen, centre, code=OLD_AGE), pensions_worker)
        case = services.case_approve(
            case=case, actor=pensions_worker, expected_version=case.version
        )

    award = Award.objects.get(person=citizen)
    assert award.start_on == PENSION_AGE_ON  # the day the right arose
    decision = CaseDecision.objects.get(case=case)
    # January to April 2020, four months of 200 AZN.
    assert (decision.arrears_months, decision.arrears_qepik) == (4, 80_000)
    assert award.record["arrears"] == {"months": 4, "qepik": 80_000, "until": "2020-05-01"}
    letter = Message.objects.get(case_reference=case.reference, event="case_award")
    assert "Ötən 4 ay üzrə ödənilməmiş məbləğ" in letter.body_text  # the citizen's language


def test_another_amount_waits_for_a_second_officer_and_grants_nothing_until_then(
    citizen, version, centre, worker, registers
):
    registers.facts["targeted_assistance"] = FAMILY_OF_FOUR
    with time_machine.travel(MARCH_2020):
        case = taken_by(file(citizen, centre), worker)
    with pytest.raises(services.CaseActionError, match="Say why"):
        services.case_approve(
            case=case, actor=worker, amount_qepik=30_000, expected_version=case.version
        )

    case = services.case_approve(
        case=case,
        actor=worker,
        amount_qepik=30_000,
        departure_reason="The family pays for a disabled member's care the rules do not count.",
        expected_version=case.version,
    )

    assert case.status == CaseStatus.AWAITING_CONFIRMATION
    assert case.get_status_display() == "Being decided"
    assert not Award.objects.exists()
    assert not Message.objects.filter(case_reference=case.reference, event="case_award").exists()
    proposal = CaseDecision.objects.get(case=case)
    assert (proposal.state, proposal.departure) == (DecisionState.PROPOSED, "amount")
    assert (proposal.amount_qepik, proposal.rules_amount_qepik) == (30_000, 24_000)
    assert case.events.get(kind=CaseEvent.Kind.DECISION_PROPOSED).is_internal


def test_the_officer_who_proposed_cannot_confirm_their_own_departure(
    citizen, version, centre, worker, registers
):
    registers.facts["targeted_assistance"] = FAMILY_OF_FOUR
    case = taken_by(file(citizen, centre), worker)
    case = services.case_approve(
        case=case,
        actor=worker,
        amount_qepik=30_000,
        departure_reason="Care costs.",
        expected_version=case.version,
    )

    with pytest.raises(services.CaseActionError, match="You proposed this decision"):
        services.case_decision_confirm(case=case, actor=worker, expected_version=case.version)
    assert not Award.objects.exists()


def test_a_case_worker_of_another_subsystem_cannot_confirm(
    citizen, version, centre, worker, pensions_worker, registers
):
    registers.facts["targeted_assistance"] = FAMILY_OF_FOUR
    case = taken_by(file(citizen, centre), worker)
    case = services.case_approve(
        case=case,
        actor=worker,
        amount_qepik=30_000,
        departure_reason="Care costs.",
        expected_version=case.version,
    )

    with pytest.raises(services.CaseActionError, match="Only the head of this centre"):
        services.case_decision_confirm(
            case=case, actor=pensions_worker, expected_version=case.version
        )


def test_a_second_case_worker_confirms_and_the_award_has_the_decided_amount(
    citizen, version, centre, worker, worker_2, registers
):
    registers.facts["targeted_assistance"] = FAMILY_OF_FOUR
    with time_machine.travel(MARCH_2020):
        case = taken_by(file(citizen, centre), worker)
        case = services.case_approve(
            case=case,
            actor=worker,
            amount_qepik=30_000,
            departure_reason="Care costs the rules do not count.",
            expected_version=case.version,
        )
        case = services.case_decision_confirm(
            case=case, actor=worker_2, expected_version=case.version
        )

    assert case.status == CaseStatus.APPROVED
    award = Award.objects.get(person=citizen)
    assert award.amount_qepik == 30_000
    assert award.record["departure"] == "amount"
    assert award.record["officers"]["confirmed_by"]["username"] == worker_2.username
    assert award.record["rules"]["amount_qepik"] == 24_000
    decision = CaseDecision.objects.get(case=case)
    assert (decision.state, decision.reviewed_by) == (DecisionState.TAKEN, worker_2)
    letter = Message.objects.get(case_reference=case.reference, event="case_award")
    assert "Care costs the rules do not count." in letter.body_text


def test_the_centre_head_returns_a_departure_and_the_case_is_reviewed_again(
    citizen, version, centre, worker, head, registers
):
    registers.facts["targeted_assistance"] = FAMILY_OF_FOUR
    with time_machine.travel(MARCH_2020):
        case = taken_by(file(citizen, centre), worker)
    case = services.case_approve(
        case=case,
        actor=worker,
        amount_qepik=30_000,
        departure_reason="Care costs.",
        expected_version=case.version,
    )
    with pytest.raises(services.CaseActionError, match="Say why you return"):
        services.case_decision_return(case=case, actor=head, note="", expected_version=case.version)

    case = services.case_decision_return(
        case=case,
        actor=head,
        note="Care costs need a receipt; ask for it.",
        expected_version=case.version,
    )

    assert case.status == CaseStatus.IN_REVIEW
    assert CaseDecision.objects.get(case=case).state == DecisionState.RETURNED
    assert not Award.objects.exists()
    # The case worker can now decide as the rules find.
    case = services.case_approve(case=case, actor=worker, expected_version=case.version)
    assert Award.objects.get(person=citizen).amount_qepik == 24_000


def test_refusing_what_the_rules_find_eligible_needs_a_reason_and_a_second_officer(
    citizen, version, centre, worker, head, registers
):
    registers.facts["targeted_assistance"] = FAMILY_OF_FOUR
    case = taken_by(file(citizen, centre), worker)
    with pytest.raises(services.CaseActionError, match="departs from the rules"):
        services.case_reject(
            case=case, actor=worker, reason="tsa_vehicle", expected_version=case.version
        )

    case = services.case_reject(
        case=case,
        actor=worker,
        reason="tsa_vehicle",
        departure_reason="A neighbour saw the family's car; the register is out of date.",
        expected_version=case.version,
    )
    assert case.status == CaseStatus.AWAITING_CONFIRMATION
    case = services.case_decision_confirm(case=case, actor=head, expected_version=case.version)

    assert case.status == CaseStatus.REJECTED
    assert not Award.objects.exists()
    assert CaseDecision.objects.get(case=case).departure == "refuses_eligible"


def test_a_refusal_cites_the_rules_ground_and_explains_it(
    citizen, version, centre, worker, registers
):
    citizen.preferred_language = "en"
    citizen.save()
    registers.facts["targeted_assistance"] = {**FAMILY_OF_FOUR, "has_vehicle": True}
    with time_machine.travel(MARCH_2020):
        case = taken_by(file(citizen, centre), worker)
        case = services.case_reject(
            case=case, actor=worker, reason="tsa_vehicle", expected_version=case.version
        )

    assert case.status == CaseStatus.REJECTED
    letter = Message.objects.get(case_reference=case.reference, event="case_refusal")
    assert "The family owns or uses a vehicle" in letter.body_text  # the legal reason
    assert "refusal ground 4 of the Rules" in letter.body_text  # the rule's ground, explained
    assert "appeal until" in letter.body_text


def test_approving_what_the_rules_cannot_assess_is_refused_with_a_message(
    citizen, version, centre, worker, registers
):
    case = taken_by(file(citizen, centre), worker)  # no facts in the registers

    with pytest.raises(services.CaseActionError, match="could not assess"):
        services.case_approve(
            case=case,
            actor=worker,
            amount_qepik=10_000,
            departure_reason="I am sure.",
            expected_version=case.version,
        )
    assert not Award.objects.exists()


def test_approving_what_the_rules_refuse_needs_an_amount_and_a_reason(
    citizen, version, centre, pensions_worker, pensions_worker_2, registers
):
    registers.facts["old_age_pension"] = PENSIONER_SHORT_RECORD
    with time_machine.travel(MAY_2020):
        case = taken_by(file(citizen, centre, code=OLD_AGE), pensions_worker)
        with pytest.raises(services.CaseActionError, match="give the amount"):
            services.case_approve(case=case, actor=pensions_worker, expected_version=case.version)
        case = services.case_approve(
            case=case,
            actor=pensions_worker,
            amount_qepik=20_000,
            departure_reason="The work-book shows 26 years the insurance register lacks.",
            expected_version=case.version,
        )
        case = services.case_decision_confirm(
            case=case, actor=pensions_worker_2, expected_version=case.version
        )

    award = Award.objects.get(person=citizen)
    assert (award.amount_qepik, award.start_on) == (20_000, PENSION_AGE_ON)
    assert award.record["departure"] == "approves_refusal"


def test_an_exclusive_award_already_held_refuses_the_approval_and_changes_nothing(
    citizen, version, centre, pensions_worker, registers
):
    registers.facts["old_age_pension"] = PENSIONER
    award_grant(
        person=citizen,
        kind="age_benefit",
        amount_qepik=13_000,
        start_on=datetime.date(2019, 1, 1),
        basis=basis_get_or_create(scheme="age_benefit", on=datetime.date(2019, 1, 1)),
        record={"facts": {}, "steps": {}},
    )
    with time_machine.travel(MAY_2020):
        case = taken_by(file(citizen, centre, code=OLD_AGE), pensions_worker)
        with pytest.raises(services.CaseActionError, match="already holds"):
            services.case_approve(case=case, actor=pensions_worker, expected_version=case.version)

    case.refresh_from_db()
    assert case.status == CaseStatus.IN_REVIEW
    assert Award.objects.filter(person=citizen).count() == 1
    assert not CaseDecision.objects.filter(case=case).exists()


def test_two_officers_on_the_same_version_make_one_decision(
    citizen, version, centre, worker, head, registers
):
    registers.facts["targeted_assistance"] = FAMILY_OF_FOUR
    case = taken_by(file(citizen, centre), worker)
    stale = case.version
    services.case_approve(case=case, actor=worker, expected_version=stale)

    with pytest.raises(services.CaseActionError):
        services.case_reject(case=case, actor=head, reason="tsa_vehicle", expected_version=stale)
    assert Award.objects.count() == 1
    assert CaseDecision.objects.filter(case=case).count() == 1


def test_a_social_benefit_is_paid_back_for_three_years_at_most(
    citizen, version, centre, pensions_worker, registers
):
    # She reached the benefit age in 2009 and applies in May 2020: paid from May 2017.
    registers.facts["age_benefit"] = {
        "sex": "female",
        "birth_on": "1948-01-15",
        "children_born": 2,
        "has_labour_pension_right": False,
        "is_working": False,
    }
    with time_machine.travel(MAY_2020):
        case = taken_by(file(citizen, centre, code="age-benefit"), pensions_worker)
        services.case_approve(case=case, actor=pensions_worker, expected_version=case.version)

    award = Award.objects.get(person=citizen)
    assert award.start_on == datetime.date(2017, 5, 4)  # social_benefits.back_payment_months
    decision = CaseDecision.objects.get(case=case)
    assert (decision.arrears_months, decision.arrears_qepik) == (36, 36 * award.amount_qepik)
