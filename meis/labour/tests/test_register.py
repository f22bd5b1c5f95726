"""The contracts register: an employer notifies a hire, an amendment and a termination."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine

from meis.audit.models import AuditEvent
from meis.insurance.models import InsuranceAccount
from meis.labour.models import (
    Assurance,
    BatchMode,
    ContractStatus,
    ContractVersion,
    NotificationBatch,
    TerminationGround,
)
from meis.labour.services import (
    NotificationRefused,
    conclusions_register,
    contract_amend,
    contract_conclude,
    contract_terminate,
)
from meis.labour.tests.factories import EmployerFactory, draft
from meis.notifications.models import Message
from meis.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _friday_13_march_2020() -> Iterator[None]:
    with time_machine.travel(datetime.datetime(2020, 3, 13, 10, tzinfo=BAKU), tick=False):
        yield


OTP = Assurance.ONE_TIME_CODE
BAKU = ZoneInfo("Asia/Baku")


def test_a_hire_is_registered_opens_the_account_and_tells_the_employee() -> None:
    employer = EmployerFactory.create()
    worker = PersonFactory.create()

    contract = contract_conclude(
        employer=employer, draft=draft(worker.fin), actor=None, assurance=OTP
    )

    assert contract.status == ContractStatus.ACTIVE
    assert contract.number.startswith("ƏM-")
    assert not contract.is_late
    account = InsuranceAccount.objects.get(person=worker)
    assert account.opened_on == datetime.date(2020, 3, 16)
    version = ContractVersion.objects.get(contract=contract)
    assert (version.number, version.notice, version.assurance) == (1, "conclusion", OTP)
    assert Message.objects.filter(person=worker, event="contract_registered").exists()
    assert AuditEvent.objects.filter(purpose="labour.conclusions_register").exists()


def test_a_hire_notified_after_work_started_is_accepted_and_flagged_late() -> None:
    contract = contract_conclude(
        employer=EmployerFactory.create(),
        draft=draft(
            PersonFactory.create().fin,
            start_on=datetime.date(2020, 3, 2),
            concluded_on=datetime.date(2020, 3, 1),
        ),
        actor=None,
        assurance=OTP,
    )
    assert contract.is_late


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"employee_fin": "12345"}, "employee_fin", "fin_invalid"),
        ({"employee_fin": "ZZZZZZZ"}, "employee_fin", "person_unknown"),
        ({"monthly_wage_qepik": 20_000}, "monthly_wage_qepik", "below_minimum_wage"),
        ({"weekly_hours": 41}, "weekly_hours", "hours_out_of_range"),
        ({"term": "fixed"}, "fixed_end_on", "end_required"),
        ({"occupation_code": "0000"}, "occupation_code", "occupation_unknown"),
        ({"concluded_on": datetime.date(2020, 3, 20)}, "concluded_on", "concluded_after_start"),
        ({"probation_months": 4}, "probation_months", "probation_too_long"),
    ],
)
def test_a_bad_notification_is_refused_with_the_field_and_nothing_is_written(
    changes: dict[str, object], field: str, code: str
) -> None:
    worker = PersonFactory.create()
    with pytest.raises(NotificationRefused) as refused:
        contract_conclude(
            employer=EmployerFactory.create(),
            draft=draft(worker.fin, **changes),
            actor=None,
            assurance=OTP,
        )
    assert [(p.field, p.code) for p in refused.value.problems] == [(field, code)]
    assert not ContractVersion.objects.exists()


def test_part_time_wage_is_compared_pro_rata_with_the_minimum_wage() -> None:
    # 250 AZN full time since September 2019: 20 hours need 125 AZN.
    worker = PersonFactory.create()
    contract_conclude(
        employer=EmployerFactory.create(),
        draft=draft(worker.fin, weekly_hours=20, monthly_wage_qepik=12_500),
        actor=None,
        assurance=OTP,
    )


def test_dead_people_minors_and_second_main_jobs_are_refused() -> None:
    employer, other = EmployerFactory.create(), EmployerFactory.create()
    dead = PersonFactory.create(died_on=datetime.date(2020, 1, 1))
    child = PersonFactory.create(birth_on=datetime.date(2006, 1, 1))
    teen = PersonFactory.create(birth_on=datetime.date(2003, 6, 1))
    worker = PersonFactory.create()
    contract_conclude(employer=other, draft=draft(worker.fin), actor=None, assurance=OTP)

    result = conclusions_register(
        employer=employer,
        drafts=[
            draft(dead.fin),
            draft(child.fin),
            draft(teen.fin, weekly_hours=40),
            draft(worker.fin),
        ],
        actor=None,
        assurance=OTP,
        mode=BatchMode.ROW_BY_ROW,
    )

    assert [(p.row, p.code) for p in result.problems] == [
        (1, "person_deceased"),
        (2, "too_young"),
        (3, "hours_over_minor_limit"),
        (4, "second_main_job"),
    ]
    assert result.contracts == []


def test_all_or_nothing_registers_nothing_when_one_row_is_bad() -> None:
    a, b = PersonFactory.create(), PersonFactory.create()
    result = conclusions_register(
        employer=EmployerFactory.create(),
        drafts=[draft(a.fin), draft(b.fin, monthly_wage_qepik=1)],
        actor=None,
        assurance=OTP,
    )
    assert result.contracts == []
    batch = NotificationBatch.objects.get()
    assert (batch.rows, batch.registered, batch.refused) == (2, 0, 2)
    assert batch.problems[0]["row"] == 2


def test_the_same_idempotency_key_registers_once() -> None:
    employer, worker = EmployerFactory.create(), PersonFactory.create()
    first = conclusions_register(
        employer=employer,
        drafts=[draft(worker.fin)],
        actor=None,
        assurance=OTP,
        idempotency_key="k-1",
    )
    again = conclusions_register(
        employer=employer,
        drafts=[draft(worker.fin)],
        actor=None,
        assurance=OTP,
        idempotency_key="k-1",
    )
    assert [c.pk for c in again.contracts] == [c.pk for c in first.contracts]
    assert again.problems == []


def test_amendment_keeps_every_version_and_termination_ends_the_contract() -> None:
    employer, worker = EmployerFactory.create(), PersonFactory.create()
    contract = contract_conclude(
        employer=employer, draft=draft(worker.fin), actor=None, assurance=OTP
    )
    contract_amend(
        contract=contract,
        changes=draft(worker.fin, monthly_wage_qepik=180_000),
        effective_on=datetime.date(2020, 5, 1),
        actor=None,
        assurance=OTP,
    )
    reduction = TerminationGround.objects.get(code="70.b")
    with pytest.raises(NotificationRefused) as refused:
        contract_terminate(
            contract=contract,
            on=datetime.date(2020, 3, 1),
            ground=reduction,
            actor=None,
            assurance=OTP,
        )
    assert refused.value.problems[0].code == "before_start"

    contract = contract_terminate(
        contract=contract,
        on=datetime.date(2020, 9, 30),
        ground=reduction,
        actor=None,
        assurance=OTP,
    )

    assert contract.status == ContractStatus.TERMINATED
    versions = list(contract.versions.values_list("number", "notice", "monthly_wage_qepik"))
    assert versions == [
        (1, "conclusion", 150_000),
        (2, "amendment", 180_000),
        (3, "termination", 180_000),
    ]
    assert reduction.gives_unemployment_insurance


def test_a_start_before_the_rules_begin_is_a_problem_not_a_crash() -> None:
    worker = PersonFactory.create()
    with pytest.raises(NotificationRefused) as refused:
        contract_conclude(
            employer=EmployerFactory.create(),
            draft=draft(
                worker.fin,
                start_on=datetime.date(2012, 1, 5),
                concluded_on=datetime.date(2012, 1, 5),
            ),
            actor=None,
            assurance=OTP,
        )
    assert [(p.field, p.code) for p in refused.value.problems] == [
        ("start_on", "date_out_of_range")
    ]


def test_a_large_batch_tells_every_employee_in_their_language() -> None:
    # Above SET_BASED_FROM rows the messages are written as one frame: the same messages.
    workers = PersonFactory.create_batch(60, verified_phone="+994501234567")
    workers[0].preferred_language = "ru"
    workers[0].save()
    result = conclusions_register(
        employer=EmployerFactory.create(name="Xəzər MMC"),
        drafts=[draft(w.fin) for w in workers],
        actor=None,
        assurance=OTP,
    )
    assert len(result.contracts) == 60
    messages = Message.objects.filter(event="contract_registered")
    assert messages.filter(channel="portal").count() == 60
    assert messages.filter(channel="sms").count() == 60
    russian = messages.get(person=workers[0], channel="portal")
    assert "Xəzər MMC" in russian.body_text
    assert "заключение" in russian.body_text
    assert ContractVersion.objects.filter(notice="conclusion").count() == 60
