# mypy: disable-error-code="no-untyped-def,misc,arg-type"
"""The unemployment benefit after a dismissal: the offer, the facts from the registers, the
amount by the 2018 and 2020 laws, and the end after 6 months or at a new contract."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from meis.awards.models import Award, AwardEndReason, AwardKind, AwardStatus
from meis.awards.services import award_grant, basis_get_or_create
from meis.awards.services.ending import awards_end_due
from meis.cases.services.awarding import award_start_on
from meis.eligibility.selectors import facts_gather
from meis.employment.benefit import (
    benefit_offers_send,
    benefits_end_on_new_contract,
    offer_dedupe_key,
)
from meis.employment.models import JobSeeker
from meis.insurance.models import Contribution
from meis.labour.models import Assurance, Contract, TerminationGround
from meis.labour.services import contract_conclude, contract_terminate
from meis.labour.tests.factories import EmployerFactory, draft
from meis.notifications.models import Message
from meis.proactive.tests.factories import InsuranceAccountFactory
from meis.registry.tests.factories import PersonFactory
from meis.rules.engine import evaluate_case
from meis.rules.schemes import get_scheme

pytestmark = pytest.mark.django_db

BAKU = ZoneInfo("Asia/Baku")
OTP = Assurance.ONE_TIME_CODE
WAGE = 60_000  # 600 AZN a month


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(10), BAKU), tick=False)


def hire(person, *, start_on: datetime.date, wage_qepik: int = WAGE) -> Contract:
    with at(start_on):
        return contract_conclude(
            employer=EmployerFactory.create(),
            draft=draft(
                person.fin, start_on=start_on, concluded_on=start_on, monthly_wage_qepik=wage_qepik
            ),
            actor=None,
            assurance=OTP,
        )


def dismiss(contract: Contract, *, on: datetime.date, ground: str) -> Contract:
    with at(on):
        return contract_terminate(
            contract=contract,
            on=on,
            ground=TerminationGround.objects.get(code=ground),
            actor=None,
            assurance=OTP,
        )


def worker(*, dismissed_on: datetime.date, ground: str = "70.b", record_months: int = 120):
    """Years in the same job at 600 AZN, paying contributions, until the dismissal."""
    person = PersonFactory(birth_on=datetime.date(1980, 1, 1), preferred_language="en")
    InsuranceAccountFactory(person=person, record_months=record_months)
    month = dismissed_on.replace(day=1)
    for _ in range(36):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
        Contribution.objects.create(person=person, month_on=month, amount_qepik=600)
    contract = hire(person, start_on=datetime.date(2014, 1, 1))
    return person, dismiss(contract, on=dismissed_on, ground=ground)


def register_unemployed(person, *, on: datetime.date) -> JobSeeker:
    return JobSeeker.objects.create(
        person=person, status="unemployed", registered_on=on, education="bachelor"
    )


def offers(person):
    return Message.objects.filter(person=person, event="unemployment_benefit_offered")


# -- the offer ---------------------------------------------------------------------------------


def test_a_worker_dismissed_for_staff_reduction_is_offered_the_benefit_once():
    person, contract = worker(dismissed_on=datetime.date(2020, 3, 13))

    assert benefit_offers_send(on=datetime.date(2020, 3, 14)) == 1
    assert benefit_offers_send(on=datetime.date(2020, 3, 15)) == 0

    letter = offers(person).get(channel="portal")
    assert letter.dedupe_key == offer_dedupe_key(contract.pk)
    assert "/en/my/employment/register/" in letter.body_text
    assert "/en/apply/unemployment-insurance-benefit/" in letter.body_text
    assert "Reduction of the number of employees" in letter.body_text
    assert not Award.objects.filter(person=person).exists()  # registration comes first


def test_a_worker_who_left_at_their_own_request_is_not_offered_the_benefit():
    person, _ = worker(dismissed_on=datetime.date(2020, 3, 13), ground="69.1")

    assert benefit_offers_send(on=datetime.date(2020, 3, 14)) == 0
    assert not offers(person).exists()


def test_a_worker_hired_again_or_dead_is_not_offered_the_benefit():
    hired, _ = worker(dismissed_on=datetime.date(2020, 3, 2))
    hire(hired, start_on=datetime.date(2020, 3, 10))
    dead, _ = worker(dismissed_on=datetime.date(2020, 3, 2))
    dead.died_on = datetime.date(2020, 3, 5)
    dead.save()

    assert benefit_offers_send(on=datetime.date(2020, 3, 14)) == 0


def test_a_dismissal_older_than_the_window_is_not_offered_again():
    worker(dismissed_on=datetime.date(2020, 1, 10))

    assert benefit_offers_send(on=datetime.date(2020, 3, 14)) == 0


# -- the facts and the amount ------------------------------------------------------------------


def test_the_dismissal_wages_and_registration_come_from_the_registers_with_their_source():
    person, _ = worker(dismissed_on=datetime.date(2020, 2, 29))
    register_unemployed(person, on=datetime.date(2020, 3, 2))

    sheet = facts_gather(
        scheme="unemployment_insurance", person=person, on=datetime.date(2020, 3, 16)
    )

    assert sheet.to_declare == ()
    assert sheet.facts["dismissal_ground"].value == "staff_reduction"
    assert sheet.facts["dismissal_ground"].register == "contracts_register"
    assert sheet.facts["wages_12_months_qepik"].value == 12 * WAGE  # March 2019 – February 2020
    assert sheet.facts["wages_12_months_qepik"].register == "contracts_register"
    assert sheet.facts["is_registered_unemployed"].value is True
    assert sheet.facts["is_registered_unemployed"].register == "employment_register"
    assert sheet.context["registered_on"] == datetime.date(2020, 3, 2)
    assert "dismissal" in [note.code for note in sheet.notes]


def test_an_expired_fixed_term_contract_reads_as_a_fixed_term_expiry():
    person, _ = worker(dismissed_on=datetime.date(2020, 2, 29), ground="73")

    sheet = facts_gather(
        scheme="unemployment_insurance", person=person, on=datetime.date(2020, 3, 16)
    )

    assert sheet.facts["dismissal_ground"].value == "fixed_term_expiry"
    assert sheet.facts["is_registered_unemployed"].value is False
    assert "not_registered_unemployed" in [note.code for note in sheet.notes]


def amount(person, on: datetime.date) -> int:
    sheet = facts_gather(scheme="unemployment_insurance", person=person, on=on)
    result = evaluate_case(get_scheme("unemployment_insurance"), sheet.values(), on=on)
    assert result.amount_qepik is not None
    return result.amount_qepik


def test_the_2018_law_pays_55_percent_of_the_lost_wage_for_ten_years_of_record():
    person, _ = worker(dismissed_on=datetime.date(2019, 6, 30))
    register_unemployed(person, on=datetime.date(2019, 7, 1))

    # 120 months of record: 5–10 years, 55 % of 600 AZN (between 180 and 544.60 AZN).
    assert amount(person, datetime.date(2019, 7, 10)) == 33_000


def test_the_2020_law_pays_half_the_lost_wage():
    person, _ = worker(dismissed_on=datetime.date(2020, 2, 29))
    register_unemployed(person, on=datetime.date(2020, 3, 2))

    assert amount(person, datetime.date(2020, 3, 16)) == 30_000  # 50 % of 600 AZN


# -- the award: its start, its end, an early end ------------------------------------------------


def test_the_benefit_starts_the_month_after_registration_or_3_months_after_a_fixed_term():
    staff_reduction = {"facts": {"dismissal_ground": "staff_reduction"}}
    fixed_term = {"facts": {"dismissal_ground": "fixed_term_expiry"}}
    registered = datetime.date(2020, 3, 16)

    start = award_start_on(
        scheme="unemployment_insurance",
        trace=staff_reduction,
        applied_on=datetime.date(2020, 4, 20),
        registered_on=registered,
    )
    later = award_start_on(
        scheme="unemployment_insurance",
        trace=fixed_term,
        applied_on=datetime.date(2020, 3, 20),
        registered_on=registered,
    )

    assert start == datetime.date(2020, 4, 1)
    assert later == datetime.date(2020, 6, 16)


def benefit(person, *, start_on: datetime.date) -> Award:
    award = award_grant(
        person=person,
        kind=AwardKind.UNEMPLOYMENT_BENEFIT,
        amount_qepik=30_000,
        start_on=start_on,
        basis=basis_get_or_create(scheme="unemployment_insurance", on=start_on),
        record={},
    )
    assert award is not None
    return award


def test_the_benefit_ends_after_6_months():
    person, _ = worker(dismissed_on=datetime.date(2020, 2, 29))

    award = benefit(person, start_on=datetime.date(2020, 4, 1))
    awards_end_due(on=datetime.date(2020, 10, 1))

    award.refresh_from_db()
    assert award.end_on == datetime.date(2020, 9, 30)
    assert (award.status, award.end_reason) == (AwardStatus.ENDED, AwardEndReason.TERM)


def test_a_new_contract_ends_the_benefit_the_day_before_it_starts_with_a_letter():
    person, _ = worker(dismissed_on=datetime.date(2020, 2, 29))
    award = benefit(person, start_on=datetime.date(2020, 4, 1))
    hire(person, start_on=datetime.date(2020, 6, 15))

    assert benefits_end_on_new_contract(on=datetime.date(2020, 6, 20)) == 1
    assert benefits_end_on_new_contract(on=datetime.date(2020, 6, 21)) == 0

    award.refresh_from_db()
    assert award.end_on == datetime.date(2020, 6, 14)
    assert (award.status, award.end_reason) == (AwardStatus.ENDED, AwardEndReason.EMPLOYED)
    letter = Message.objects.get(person=person, event="award_ended", channel="portal")
    assert "A new employment contract was registered".lower() in letter.body_text


def test_a_contract_starting_later_ends_the_benefit_when_the_day_comes():
    person, _ = worker(dismissed_on=datetime.date(2020, 2, 29))
    award = benefit(person, start_on=datetime.date(2020, 4, 1))
    hire(person, start_on=datetime.date(2020, 7, 1))

    benefits_end_on_new_contract(on=datetime.date(2020, 6, 20))
    award.refresh_from_db()
    assert (award.status, award.end_on) == (AwardStatus.ACTIVE, datetime.date(2020, 6, 30))

    awards_end_due(on=datetime.date(2020, 7, 1))
    award.refresh_from_db()
    assert (award.status, award.end_reason) == (AwardStatus.ENDED, AwardEndReason.EMPLOYED)


def test_a_job_found_before_the_benefit_starts_ends_it_on_its_first_day():
    person, _ = worker(dismissed_on=datetime.date(2020, 2, 29))
    with at(datetime.date(2020, 3, 10)):
        award = benefit(person, start_on=datetime.date(2020, 4, 1))
    hire(person, start_on=datetime.date(2020, 3, 20))

    assert benefits_end_on_new_contract(on=datetime.date(2020, 3, 20)) == 1
    assert benefits_end_on_new_contract(on=datetime.date(2020, 3, 21)) == 0

    award.refresh_from_db()
    assert (award.end_on, award.end_reason) == (datetime.date(2020, 4, 1), AwardEndReason.EMPLOYED)
