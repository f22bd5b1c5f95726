"""The monthly accrual: a month of the contracts register becomes contributions, record months
and pension capital on the individual accounts — once, however often it runs."""

from __future__ import annotations

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import polars as pl
import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from meis.audit.models import AuditEvent
from meis.insurance.models import Contribution, InsuranceAccount
from meis.insurance.services import account_open, contribution_record
from meis.labour.accrual import (
    CONTRACT_SCHEMA,
    EMPLOYER_SCHEMA,
    VERSION_SCHEMA,
    AccrualError,
    Register,
    contributions_accrue,
    payroll_compute,
    run_describe,
)
from meis.labour.models import (
    AccrualRun,
    Assurance,
    Contract,
    ContractStatus,
    ContractTerm,
    Occupation,
    TerminationGround,
)
from meis.labour.services import (
    contract_amend,
    contract_conclude,
    contract_resume,
    contract_suspend,
    contract_terminate,
)
from meis.labour.tasks import labour_monthly, months_due
from meis.labour.tests.factories import EmployerFactory, draft
from meis.registry.models import EmployerSector, Person
from meis.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

BAKU = ZoneInfo("Asia/Baku")
MARCH = datetime.date(2020, 3, 1)  # 31 days
APRIL = datetime.date(2020, 4, 1)  # 30 days
AZN = 100


def hire(
    person: Person,
    *,
    wage_azn: int = 1_500,
    start_on: datetime.date = datetime.date(2019, 1, 1),
    sector: str = EmployerSector.NON_OIL_PRIVATE,
    **fields: object,
) -> Contract:
    """A contract as the register holds it, written directly (no notification, one version)."""
    occupation, _ = Occupation.objects.get_or_create(
        code="9999",
        defaults={"title_az": "Sınaq peşəsi", "title_en": "Test occupation", "title_ru": "Тест"},
    )
    return Contract.objects.create(
        employer=EmployerFactory.create(sector=sector),
        person=person,
        occupation=occupation,
        position="Mühasib",
        workplace="Bakı ofisi",
        monthly_wage_qepik=wage_azn * AZN,
        weekly_hours=40,
        term=ContractTerm.INDEFINITE,
        concluded_on=start_on,
        start_on=start_on,
        registered_at=timezone.now(),
        **fields,
    )


def ground() -> TerminationGround:
    found, _ = TerminationGround.objects.get_or_create(
        code="test-reduction",
        defaults={
            "article": "Art. 70(b)",
            "initiated_by": "employer",
            "title_az": "İşçilərin sayının ixtisarı",
            "title_en": "Staff reduction",
            "title_ru": "Сокращение",
            "gives_unemployment_insurance": True,
        },
    )
    return found


def account(person: Person, *, record_months: int = 0, capital_azn: int = 0) -> InsuranceAccount:
    return InsuranceAccount.objects.create(
        person=person,
        record_months=record_months,
        pension_capital_qepik=capital_azn * AZN,
        updated_on=datetime.date(2019, 1, 1),
    )


def contributions(person: Person) -> list[tuple[str, int]]:
    rows = Contribution.objects.filter(person=person).order_by("employer_voen")
    return [(row.employer_voen, row.amount_qepik) for row in rows]


# -- a month's wage and its contributions --------------------------------------------------------


def test_a_full_month_at_1500_azn_in_the_non_oil_private_sector_pays_136_and_239_azn() -> None:
    worker = PersonFactory.create()
    account(worker, record_months=10, capital_azn=1_000)
    contract = hire(worker)

    run = contributions_accrue(month_on=MARCH)

    # docs/domain.md §7: the employee 136 AZN, the employer 239 AZN — 375 AZN builds the pension.
    assert contributions(worker) == [(contract.employer.voen, 37_500)]
    account_after = InsuranceAccount.objects.get(person=worker)
    assert account_after.record_months == 11
    assert account_after.pension_capital_qepik == 100_000 + 33_750  # 90 % of 375 AZN
    assert account_after.updated_on == MARCH
    assert (run.contracts, run.people, run.amount_qepik) == (1, 1, 37_500)
    assert run.finished_at is not None


def test_a_state_employer_pays_the_standard_3_and_22_percent() -> None:
    worker = PersonFactory.create()
    hire(worker, sector=EmployerSector.STATE)

    contributions_accrue(month_on=MARCH)

    assert [amount for _, amount in contributions(worker)] == [4_500 + 33_000]


def test_an_oil_employer_pays_the_standard_rates_too() -> None:
    worker = PersonFactory.create()
    hire(worker, sector=EmployerSector.OIL)

    contributions_accrue(month_on=MARCH)

    assert [amount for _, amount in contributions(worker)] == [37_500]


def test_a_contract_starting_on_the_16th_of_a_30_day_month_earns_half_the_wage() -> None:
    worker = PersonFactory.create()
    hire(worker, start_on=datetime.date(2020, 4, 16))

    contributions_accrue(month_on=APRIL)

    # 750 AZN: employee 6 + 10 % of 550 = 61 AZN, employer 44 + 15 % of 550 = 126.50 AZN.
    assert [amount for _, amount in contributions(worker)] == [6_100 + 12_650]


def test_a_person_without_an_account_gets_one_opened_on_their_first_contract() -> None:
    worker = PersonFactory.create()
    hire(worker, start_on=datetime.date(2020, 4, 16))

    contributions_accrue(month_on=APRIL)

    opened = InsuranceAccount.objects.get(person=worker)
    assert opened.opened_on == datetime.date(2020, 4, 16)
    assert (opened.record_months, opened.pension_capital_qepik) == (1, 18_750 * 9 // 10)


def test_a_terminated_contract_earns_up_to_its_last_day_only() -> None:
    worker = PersonFactory.create()
    # 3 100 AZN for 10 of March's 31 days is 1 000 AZN: 86 + 164 AZN at the reduced rates.
    hire(
        worker,
        wage_azn=3_100,
        status=ContractStatus.TERMINATED,
        terminated_on=datetime.date(2020, 3, 10),
        termination_ground=ground(),
    )

    contributions_accrue(month_on=MARCH)

    assert [amount for _, amount in contributions(worker)] == [8_600 + 16_400]


def test_a_contract_terminated_before_the_month_earns_nothing_in_it() -> None:
    worker = PersonFactory.create()
    account(worker, record_months=5)
    hire(
        worker,
        status=ContractStatus.TERMINATED,
        terminated_on=datetime.date(2020, 2, 29),
        termination_ground=ground(),
    )

    run = contributions_accrue(month_on=MARCH)

    assert contributions(worker) == []
    assert InsuranceAccount.objects.get(person=worker).record_months == 5
    assert run.contracts == 0


def test_a_suspended_contract_earns_nothing_from_the_day_of_the_suspension() -> None:
    worker = PersonFactory.create()
    hire(
        worker,
        wage_azn=3_100,
        status=ContractStatus.SUSPENDED,
        suspended_from=datetime.date(2020, 3, 11),
    )

    contributions_accrue(month_on=MARCH)

    assert [amount for _, amount in contributions(worker)] == [8_600 + 16_400]


def test_a_contract_suspended_all_month_adds_no_record_month() -> None:
    worker = PersonFactory.create()
    account(worker, record_months=5)
    hire(worker, status=ContractStatus.SUSPENDED, suspended_from=datetime.date(2020, 2, 1))

    contributions_accrue(month_on=MARCH)

    assert contributions(worker) == []
    assert InsuranceAccount.objects.get(person=worker).record_months == 5


def test_two_jobs_in_one_month_add_one_record_month_and_two_contributions() -> None:
    worker = PersonFactory.create()
    account(worker, record_months=10)
    main = hire(worker, sector=EmployerSector.STATE)
    second = hire(worker, wage_azn=200, is_main_job=False)

    run = contributions_accrue(month_on=MARCH)

    # 200 AZN in the private sector: 3 % and 22 %, as the state pays on any wage.
    assert sorted(contributions(worker)) == sorted(
        [(main.employer.voen, 37_500), (second.employer.voen, 600 + 4_400)]
    )
    after = InsuranceAccount.objects.get(person=worker)
    assert after.record_months == 11
    assert after.pension_capital_qepik == 37_500 * 9 // 10 + 5_000 * 9 // 10
    assert (run.contracts, run.people) == (2, 1)


# -- once, and never twice -----------------------------------------------------------------------


def test_a_second_run_of_a_month_changes_nothing_and_says_so() -> None:
    worker = PersonFactory.create()
    contract = hire(worker)
    first = contributions_accrue(month_on=MARCH)
    asked_at = timezone.now()

    second = contributions_accrue(month_on=datetime.date(2020, 3, 20))

    assert second.pk == first.pk
    assert AccrualRun.objects.count() == 1
    assert contributions(worker) == [(contract.employer.voen, 37_500)]
    assert InsuranceAccount.objects.get(person=worker).record_months == 1
    assert "already accrued" in run_describe(second, asked_at=asked_at)
    assert AuditEvent.objects.filter(purpose__startswith="Monthly accrual").count() == 1


def test_a_month_already_recorded_for_the_employer_is_not_counted_again() -> None:
    worker = PersonFactory.create()
    contract = hire(worker)
    contribution_record(
        person=worker, month_on=MARCH, amount_qepik=30_000, employer_voen=contract.employer.voen
    )
    before = InsuranceAccount.objects.get(person=worker)

    run = contributions_accrue(month_on=MARCH)

    assert contributions(worker) == [(contract.employer.voen, 30_000)]
    after = InsuranceAccount.objects.get(person=worker)
    assert (after.record_months, after.pension_capital_qepik) == (
        before.record_months,
        before.pension_capital_qepik,
    )
    assert (run.people, run.amount_qepik) == (0, 0)


def test_a_month_recorded_from_another_payer_adds_the_capital_but_not_a_second_record_month() -> (
    None
):
    worker = PersonFactory.create()
    contract = hire(worker)
    contribution_record(person=worker, month_on=MARCH, amount_qepik=10_000)  # older data, no VÖEN

    contributions_accrue(month_on=MARCH)

    assert sorted(contributions(worker)) == [("", 10_000), (contract.employer.voen, 37_500)]
    after = InsuranceAccount.objects.get(person=worker)
    assert after.record_months == 1
    assert after.pension_capital_qepik == 9_000 + 33_750


def test_a_month_that_has_not_ended_is_refused() -> None:
    today = timezone.localdate()
    with pytest.raises(AccrualError, match="has not ended"):
        contributions_accrue(month_on=today)
    assert not AccrualRun.objects.exists()


def test_a_month_without_contracts_is_recorded_as_done() -> None:
    run = contributions_accrue(month_on=MARCH)
    assert (run.contracts, run.people, run.amount_qepik) == (0, 0, 0)
    assert AccrualRun.objects.filter(month_on=MARCH).exists()


# -- the register's history, not only its present ------------------------------------------------


def _notify_at(day: datetime.date) -> time_machine.travel:
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(10), BAKU), tick=False)


def _concluded(worker: Person, *, wage_azn: int = 3_100) -> Contract:
    with _notify_at(datetime.date(2020, 2, 28)):
        return contract_conclude(
            employer=EmployerFactory.create(),
            draft=draft(
                worker.fin,
                monthly_wage_qepik=wage_azn * AZN,
                start_on=datetime.date(2020, 3, 1),
                concluded_on=datetime.date(2020, 2, 27),
            ),
            actor=None,
            assurance=Assurance.ONE_TIME_CODE,
        )


def test_a_suspension_ended_before_the_job_runs_still_stops_the_month_it_began_in() -> None:
    worker = PersonFactory.create()
    contract = _concluded(worker)
    with _notify_at(datetime.date(2020, 3, 11)):
        contract = contract_suspend(
            contract=contract, from_on=datetime.date(2020, 3, 11), actor=None, assurance="otp"
        )
    with _notify_at(datetime.date(2020, 4, 6)):
        contract_resume(
            contract=contract, on=datetime.date(2020, 4, 6), actor=None, assurance="otp"
        )

    contributions_accrue(month_on=MARCH)  # on 16 April the contract is active again
    contributions_accrue(month_on=APRIL)

    by_month = dict(
        Contribution.objects.filter(person=worker).values_list("month_on", "amount_qepik")
    )
    assert by_month[MARCH] == 8_600 + 16_400  # 1 – 10 March: 1 000 AZN
    # 6 – 30 April, 25 of 30 days of 3 100 AZN: 2 583.33 AZN → 6 + 238.33 and 44 + 357.50 AZN.
    assert by_month[APRIL] == 24_433 + 40_150


def test_a_suspended_contract_terminated_later_earns_nothing_after_the_suspension() -> None:
    worker = PersonFactory.create()
    contract = _concluded(worker)
    with _notify_at(datetime.date(2020, 3, 11)):
        contract = contract_suspend(
            contract=contract, from_on=datetime.date(2020, 3, 11), actor=None, assurance="otp"
        )
    with _notify_at(datetime.date(2020, 4, 20)):
        contract_terminate(
            contract=contract,
            on=datetime.date(2020, 4, 20),
            ground=ground(),
            actor=None,
            assurance="otp",
        )

    contributions_accrue(month_on=MARCH)
    contributions_accrue(month_on=APRIL)

    months = list(Contribution.objects.filter(person=worker).values_list("month_on", flat=True))
    assert months == [MARCH]


def test_a_raise_from_the_16th_counts_from_the_16th_even_when_notified_later() -> None:
    worker = PersonFactory.create()
    contract = _concluded(worker, wage_azn=1_500)
    with _notify_at(datetime.date(2020, 4, 10)):
        contract_amend(
            contract=contract,
            changes=draft(
                worker.fin,
                monthly_wage_qepik=3_000 * AZN,
                start_on=datetime.date(2020, 3, 1),
                concluded_on=datetime.date(2020, 2, 27),
            ),
            effective_on=datetime.date(2020, 3, 16),
            actor=None,
            assurance="otp",
        )

    contributions_accrue(month_on=MARCH)

    # 15 days at 1 500 and 16 days at 3 000 AZN of 31: (22 500 + 48 000) ÷ 31 = 2 274.19 AZN.
    (row,) = Contribution.objects.filter(person=worker)
    # Employee 6 + 10 % of 2 074.19 = 213.42 AZN; employer 44 + 15 % of it = 355.13 AZN.
    assert row.amount_qepik == 21_342 + 35_513


# -- the arithmetic, on plain frames -------------------------------------------------------------


def test_the_prorated_wage_is_rounded_once_half_up_to_whole_qepik() -> None:
    register = Register(
        contracts=pl.DataFrame(
            {
                "contract_id": [1],
                "person_id": [7],
                "employer_id": [3],
                "monthly_wage_qepik": [100_001],
                "start_on": [datetime.date(2020, 4, 16)],
                "terminated_on": [None],
                "stopped_from": [None],
            },
            schema=CONTRACT_SCHEMA,
        ),
        versions=pl.DataFrame(schema=VERSION_SCHEMA),
        employers=pl.DataFrame(
            {"employer_id": [3], "employer_voen": ["1400057001"], "sector": ["state"]},
            schema=EMPLOYER_SCHEMA,
        ),
    )

    payroll = payroll_compute(register, month_on=APRIL)

    # 100 001 × 15 ÷ 30 = 50 000.5 qəpik → 50 001; the amounts stay integers throughout.
    assert payroll.rows["gross_wage_qepik"].to_list() == [50_001]
    assert payroll.rows["amount_qepik"].dtype == pl.Int64


# -- the scheduler, the worker and the command ---------------------------------------------------


@pytest.mark.parametrize(
    ("today", "last_accrued", "due"),
    [
        (datetime.date(2020, 4, 15), None, [datetime.date(2020, 2, 1)]),
        (datetime.date(2020, 4, 16), None, [datetime.date(2020, 3, 1)]),
        (datetime.date(2020, 4, 16), datetime.date(2020, 3, 1), []),
        (
            datetime.date(2020, 4, 16),
            datetime.date(2019, 12, 1),
            [datetime.date(2020, 1, 1), datetime.date(2020, 2, 1), datetime.date(2020, 3, 1)],
        ),
        (datetime.date(2020, 1, 20), datetime.date(2019, 11, 1), [datetime.date(2019, 12, 1)]),
    ],
)
def test_a_month_is_due_from_the_16th_of_the_next_and_missed_months_are_caught_up(
    today: datetime.date, last_accrued: datetime.date | None, due: list[datetime.date]
) -> None:
    assert months_due(today=today, last_accrued=last_accrued) == due


def test_the_scheduled_job_accrues_last_month_from_the_16th_and_only_once() -> None:
    worker = PersonFactory.create()
    hire(worker)
    with time_machine.travel(datetime.datetime(2020, 4, 15, 9, tzinfo=BAKU), tick=False):
        assert labour_monthly().startswith("2020-02")
    with time_machine.travel(datetime.datetime(2020, 4, 16, 9, tzinfo=BAKU), tick=False):
        assert labour_monthly().startswith("2020-03: contracts 1,")
        assert labour_monthly() == "no month due"

    assert list(AccrualRun.objects.order_by("month_on").values_list("month_on", flat=True)) == [
        datetime.date(2020, 2, 1),
        MARCH,
    ]
    assert InsuranceAccount.objects.get(person=worker).record_months == 2


def test_the_command_accrues_a_month_and_says_when_it_was_done_already() -> None:
    hire(PersonFactory.create())
    out = StringIO()

    call_command("labour", "accrue", "--month", "2020-03", stdout=out)
    call_command("labour", "accrue", "--month", "2020-03", stdout=out)

    first, second = out.getvalue().splitlines()
    assert first == "2020-03: contracts 1, people credited 1, social insurance 375.00 AZN"
    assert second.startswith("2020-03: already accrued at ")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [(["accrue"], "--month YYYY-MM"), (["accrue", "--month", "March"], "not a month")],
)
def test_the_command_explains_a_missing_or_malformed_month(
    arguments: list[str], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("labour", *arguments)


def test_the_command_reloads_the_classifiers() -> None:
    out = StringIO()
    call_command("labour", "classifiers", stdout=out)
    assert "occupations" in out.getvalue()
    assert "termination grounds loaded" in out.getvalue()


def test_opening_an_account_twice_opens_it_once() -> None:
    worker = PersonFactory.create()
    assert account_open(person_id=worker.pk, opened_on=datetime.date(2020, 3, 16))
    assert not account_open(person_id=worker.pk, opened_on=datetime.date(2021, 1, 1))
    assert InsuranceAccount.objects.get(person=worker).opened_on == datetime.date(2020, 3, 16)


def test_opening_gives_an_account_from_before_the_register_its_opening_day() -> None:
    worker = PersonFactory.create()
    account(worker, record_months=40)
    assert not account_open(person_id=worker.pk, opened_on=datetime.date(2020, 3, 16))
    kept = InsuranceAccount.objects.get(person=worker)
    assert (kept.opened_on, kept.record_months) == (datetime.date(2020, 3, 16), 40)


# -- contracts notified after their month was accrued ---------------------------------------------


def test_a_hire_notified_after_its_month_was_accrued_is_caught_up_once() -> None:
    colleague = PersonFactory.create()
    hire(colleague)
    with time_machine.travel(datetime.datetime(2020, 4, 16, 9, tzinfo=BAKU), tick=False):
        labour_monthly()  # March is accrued without the late hire
    latecomer = PersonFactory.create()
    with _notify_at(datetime.date(2020, 4, 20)):
        late = contract_conclude(
            employer=EmployerFactory.create(),
            draft=draft(
                latecomer.fin,
                start_on=datetime.date(2020, 3, 16),
                concluded_on=datetime.date(2020, 3, 13),
            ),
            actor=None,
            assurance=Assurance.ONE_TIME_CODE,
        )
    assert late.is_late
    assert not Contribution.objects.filter(person=latecomer).exists()

    with time_machine.travel(datetime.datetime(2020, 4, 20, 11, tzinfo=BAKU), tick=False):
        told = labour_monthly()
        again = labour_monthly()

    # 16 of March's 31 days at 1 500 AZN: 774.19 AZN. Employee 6 + 10 % of 574.19 = 63.42;
    # employer 44 + 15 % of it = 130.13 — 193.55 AZN for March, credited to the new account.
    assert contributions(latecomer) == [(late.employer.voen, 6_342 + 13_013)]
    account_after = InsuranceAccount.objects.get(person=latecomer)
    assert account_after.record_months == 1
    assert account_after.pension_capital_qepik == (6_342 + 13_013) * 9 // 10
    assert told == "2020-03 late: contracts 1, people credited 1, social insurance 193.55 AZN"
    assert again == "no month due"
    march = AccrualRun.objects.get(month_on=MARCH)
    assert (march.people, march.late_people, march.late_amount_qepik) == (1, 1, 19_355)
    assert AuditEvent.objects.filter(action="labour.contributions_accrue_late").count() == 1
    # The colleague accrued in the run is not credited twice by the catch-up.
    assert InsuranceAccount.objects.get(person=colleague).record_months == 1
