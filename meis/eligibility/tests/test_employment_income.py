# mypy: disable-error-code="no-untyped-def,misc,arg-type"
"""Targeted assistance reads the family's wages from the contracts register, and a proactive
run reads the same wages set-based."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User

from meis.core import bulk
from meis.eligibility.selectors import facts_gather
from meis.employment.models import JobSeeker, Referral, Vacancy
from meis.labour.income import employment_income_qepik, months_before
from meis.labour.models import Assurance, Occupation, TerminationGround
from meis.labour.services import (
    contract_amend,
    contract_conclude,
    contract_resume,
    contract_suspend,
    contract_terminate,
)
from meis.labour.tests.factories import EmployerFactory, draft
from meis.lifeevents.models import HouseholdMeans
from meis.proactive.sources import SOURCES
from meis.registry.models import Relation
from meis.registry.tests.factories import HouseholdMembershipFactory

pytestmark = pytest.mark.django_db

ON = datetime.date(2020, 3, 19)  # the window: March 2019 – February 2020
OTP = Assurance.ONE_TIME_CODE
BAKU = ZoneInfo("Asia/Baku")


@pytest.fixture(autouse=True)
def _registered_in_march_2020():
    with time_machine.travel(datetime.datetime(2020, 3, 13, 10, tzinfo=BAKU), tick=False):
        yield


def family(*, means_income_qepik: int | None):
    """A head and a working spouse; the means register's income, if any."""
    head = HouseholdMembershipFactory(relation=Relation.HEAD)
    spouse = HouseholdMembershipFactory(household=head.household, relation=Relation.SPOUSE)
    if means_income_qepik is not None:
        HouseholdMeans.objects.create(
            household=head.household,
            income_12_months_qepik=means_income_qepik,
            purchases_sales_12_months_qepik=0,
            has_vehicle=False,
            refused_suitable_jobs=0,
            utility_spending_12_months_qepik=0,
            same_purpose_real_estate_units=0,
            declaration_matches_checks=True,
            updated_on=datetime.date(2020, 3, 18),
        )
    return head.person, spouse.person


def hire(person, *, start_on: datetime.date, wage_qepik: int = 60_000, **changes):
    return contract_conclude(
        employer=EmployerFactory.create(),
        draft=draft(
            person.fin,
            start_on=start_on,
            concluded_on=start_on,
            monthly_wage_qepik=wage_qepik,
            **changes,
        ),
        actor=None,
        assurance=OTP,
    )


# 16–30 September 2019 is 15 of 30 days at 600 AZN, then October–February in full.
MID_SEPTEMBER_HIRE = 30_000 + 5 * 60_000


def test_a_members_wages_count_from_the_day_a_contract_started_mid_window():
    head, spouse = family(means_income_qepik=100_000)
    hire(spouse, start_on=datetime.date(2019, 9, 16))

    sheet = facts_gather(scheme="targeted_assistance", person=head, on=ON)

    assert sheet.context["employment_income_12_months_qepik"] == MID_SEPTEMBER_HIRE
    assert sheet.facts["income_12_months_qepik"].value == MID_SEPTEMBER_HIRE
    assert sheet.facts["income_12_months_qepik"].register == "contracts_register"
    assert "employment_income" in [note.code for note in sheet.notes]


def test_the_means_registers_larger_income_is_kept_and_the_wages_shown_beside_it():
    head, spouse = family(means_income_qepik=1_000_000)
    hire(spouse, start_on=datetime.date(2019, 9, 16))

    sheet = facts_gather(scheme="targeted_assistance", person=head, on=ON)

    assert sheet.facts["income_12_months_qepik"].value == 1_000_000
    assert sheet.facts["income_12_months_qepik"].register == "household_means"
    assert sheet.context["employment_income_12_months_qepik"] == MID_SEPTEMBER_HIRE


def test_a_family_without_contracts_keeps_the_means_income_and_gets_no_note():
    head, _ = family(means_income_qepik=480_000)

    sheet = facts_gather(scheme="targeted_assistance", person=head, on=ON)

    assert sheet.facts["income_12_months_qepik"].value == 480_000
    assert sheet.context["employment_income_12_months_qepik"] == 0
    assert "employment_income" not in [note.code for note in sheet.notes]


def test_without_a_means_figure_the_income_is_still_declared_and_the_wages_noted():
    head, spouse = family(means_income_qepik=None)
    hire(spouse, start_on=datetime.date(2019, 9, 16))

    sheet = facts_gather(scheme="targeted_assistance", person=head, on=ON)

    assert "income_12_months_qepik" in sheet.to_declare
    assert "employment_income" in [note.code for note in sheet.notes]


def test_an_amendment_counts_from_its_day_a_suspension_pays_nothing_and_a_termination_ends():
    _, spouse = family(means_income_qepik=0)
    contract = hire(spouse, start_on=datetime.date(2019, 1, 10))  # before the window
    raised = draft(spouse.fin, monthly_wage_qepik=90_000)
    contract = contract_amend(
        contract=contract,
        changes=raised,
        effective_on=datetime.date(2019, 6, 16),
        actor=None,
        assurance=OTP,
    )
    contract = contract_suspend(
        contract=contract, from_on=datetime.date(2019, 10, 1), actor=None, assurance=OTP
    )
    contract = contract_resume(
        contract=contract, on=datetime.date(2019, 12, 1), actor=None, assurance=OTP
    )
    contract_terminate(
        contract=contract,
        on=datetime.date(2020, 1, 10),
        ground=TerminationGround.objects.get(code="70.b"),
        actor=None,
        assurance=OTP,
    )
    from_on, to_on = months_before(ON, 12)

    wages = employment_income_qepik(person_ids=[spouse.pk], from_on=from_on, to_on=to_on)

    march_to_may = 3 * 60_000
    june = (15 * 60_000 + 15 * 90_000 + 15) // 30  # half up, once for the month
    july_to_september = 3 * 90_000
    december = 90_000
    january = (10 * 90_000 * 2 + 31) // 62  # 1–10 January, the termination day included
    assert wages == march_to_may + june + july_to_september + december + january


def test_the_proactive_run_reads_the_same_income_as_the_application():
    head, spouse = family(means_income_qepik=100_000)
    hire(spouse, start_on=datetime.date(2019, 9, 16))
    other_head, other_spouse = family(means_income_qepik=2_000_000)
    hire(other_spouse, start_on=datetime.date(2018, 1, 1), wage_qepik=123_457)
    source = SOURCES["targeted_assistance"]
    where, params = source.full_filter(ON)
    frame = bulk.frame_read(source.select_sql(where, (0, 10**12)), params, source.columns)

    candidates = source.derive(frame, ON)

    for person in (head, other_head):
        sheet = facts_gather(scheme="targeted_assistance", person=person, on=ON)
        row = candidates.filter(household_id=sheet.household_id).row(0, named=True)
        assert row["income_12_months_qepik"] == sheet.facts["income_12_months_qepik"].value
        assert (
            row["employment_income_12_months_qepik"]
            == sheet.context["employment_income_12_months_qepik"]
        )
    assert candidates["employment_income_12_months_qepik"].sort().to_list() == [
        MID_SEPTEMBER_HIRE,
        12 * 123_457,
    ]


# -- refused suitable jobs: the means register and the employment service's referrals ----------


def refused_job(person, *, on: datetime.date, is_suitable: bool = True):
    """A job the employment service offered `person` and they refused, recorded on `on`."""
    seeker = JobSeeker.objects.filter(person=person).first() or JobSeeker.objects.create(
        person=person,
        status="unemployed",
        registered_on=datetime.date(2018, 1, 1),
        education="bachelor",
    )
    vacancy = Vacancy.objects.create(
        employer=EmployerFactory.create(),
        occupation=Occupation.objects.order_by("code").first(),
        title="Mühasib",
        region="baku",
        workplace="Bakı",
        salary_qepik=60_000,
        weekly_hours=40,
        closes_on=on,
        posted_at=datetime.datetime(2018, 1, 1, tzinfo=BAKU),
    )
    officer = User.objects.get_or_create(username="centre-officer")[0]
    return Referral.objects.create(
        job_seeker=seeker,
        vacancy=vacancy,
        is_suitable=is_suitable,
        referred_on=on,
        referred_by=officer,
        outcome="refused_by_seeker",
        outcome_on=on,
    )


def test_suitable_jobs_a_member_refused_count_when_the_means_register_knows_fewer():
    head, spouse = family(means_income_qepik=100_000)
    refused_job(spouse, on=datetime.date(2019, 6, 1))
    refused_job(spouse, on=datetime.date(2020, 2, 1))
    refused_job(spouse, on=datetime.date(2020, 2, 2), is_suitable=False)  # not counted
    refused_job(spouse, on=datetime.date(2019, 3, 1))  # more than 12 months before

    sheet = facts_gather(scheme="targeted_assistance", person=head, on=ON)

    fact = sheet.facts["refused_suitable_jobs"]
    assert (fact.value, fact.register) == (2, "employment_register")


def test_the_proactive_run_counts_the_same_refused_jobs_as_the_application():
    head, spouse = family(means_income_qepik=100_000)
    refused_job(spouse, on=datetime.date(2020, 1, 15))
    refused_job(spouse, on=datetime.date(2020, 2, 15))
    other_head, _ = family(means_income_qepik=100_000)
    source = SOURCES["targeted_assistance"]
    where, params = source.full_filter(ON)
    frame = bulk.frame_read(source.select_sql(where, (0, 10**12)), params, source.columns)

    candidates = source.derive(frame, ON)

    for person, expected in ((head, 2), (other_head, 0)):
        sheet = facts_gather(scheme="targeted_assistance", person=person, on=ON)
        row = candidates.filter(household_id=sheet.household_id).row(0, named=True)
        assert row["refused_suitable_jobs"] == sheet.facts["refused_suitable_jobs"].value
        assert row["refused_suitable_jobs"] == expected
