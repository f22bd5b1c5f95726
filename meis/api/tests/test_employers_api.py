"""An employer's payroll system notifies hires and a termination through the API: the same checks
and problem codes as an uploaded file, an Idempotency-Key that makes a retry harmless, and no
reach into an employer the client is not bound to."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from meis.accounts.tests.conftest import signed_in_citizen_client
from meis.api import ratelimit
from meis.api.models import ApiClient, ApiClientEmployer, Scope
from meis.api.services import client_register, credential_issue, token_issue
from meis.audit.models import AuditAction, AuditEvent
from meis.labour.models import Assurance, Contract, ContractStatus, NotificationBatch
from meis.labour.tests.factories import EmployerFactory
from meis.registry.models import Employer
from meis.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
BAKU = ZoneInfo("Asia/Baku")


@pytest.fixture(autouse=True)
def _friday_13_march_2020() -> Iterator[None]:
    ratelimit.rate_limit_reset()
    with time_machine.travel(datetime.datetime(2020, 3, 13, 10, tzinfo=BAKU), tick=False):
        yield


@pytest.fixture
def employer() -> Employer:
    return EmployerFactory.create()


def payroll_client(*employers: Employer, scopes: list[str] | None = None) -> Client:
    client, _ = client_register(
        name=f"payroll-{uuid.uuid4().hex[:8]}",
        institution="Xəzər Tikinti MMC payroll",
        scopes=scopes or [Scope.EMPLOYERS_CONTRACTS.value],
    )
    for employer in employers:
        ApiClientEmployer.objects.create(client=client, employer=employer)
    return Client(HTTP_AUTHORIZATION=f"Bearer {_token(client)}")


def _token(client: ApiClient) -> str:
    issued = credential_issue(client=client)
    return token_issue(key_id=issued.key_id, secret=issued.secret, address=None).token


def hire(fin: str, **changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "employee_fin": fin,
        "occupation_code": "2512",
        "position": "Proqramçı",
        "workplace": "Bakı ofisi",
        "monthly_wage_qepik": 150_000,
        "weekly_hours": 40,
        "term": "indefinite",
        "concluded_on": "2020-03-13",
        "start_on": "2020-03-16",
        "is_main_job": True,
    }
    values.update(changes)
    return values


def notify(
    client: Client, employer: Employer, contracts: list[dict[str, Any]], key: str, **body: Any
) -> Any:
    return client.post(
        f"/api/v1/employers/{employer.voen}/contracts",
        {"contracts": contracts, **body},
        content_type="application/json",
        headers={"Idempotency-Key": key},
    )


def test_a_payroll_system_notifies_hires_and_they_are_registered(employer: Employer) -> None:
    workers = PersonFactory.create_batch(2)
    answer = notify(payroll_client(employer), employer, [hire(w.fin) for w in workers], "key-00001")

    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["registered"], body["refused"], body["problems"]) == (2, 0, [])
    assert {c["employee_fin"] for c in body["contracts"]} == {w.fin for w in workers}
    assert body["contracts"][0]["number"].startswith("ƏM-")
    contract = Contract.objects.filter(employer=employer).first()
    assert contract is not None
    assert contract.versions.get().assurance == Assurance.API_CLIENT


def test_the_same_key_again_answers_the_same_and_registers_nothing_more(
    employer: Employer,
) -> None:
    client = payroll_client(employer)
    contracts = [hire(PersonFactory.create().fin)]

    first = notify(client, employer, contracts, "key-00002")
    again = notify(client, employer, contracts, "key-00002")
    other = notify(client, employer, [hire(PersonFactory.create().fin)], "key-00002")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["batch"] == first.json()["batch"]
    assert again.json()["contracts"] == first.json()["contracts"]
    assert Contract.objects.filter(employer=employer).count() == 1
    assert other.status_code == 422
    assert other.json()["type"].endswith("idempotency-key-reused")


def test_a_post_without_an_idempotency_key_is_refused(employer: Employer) -> None:
    answer = payroll_client(employer).post(
        f"/api/v1/employers/{employer.voen}/contracts",
        {"contracts": [hire(PersonFactory.create().fin)]},
        content_type="application/json",
    )
    assert answer.status_code == 422
    assert not Contract.objects.exists()


def test_problems_come_back_as_422_with_the_codes_of_the_files(employer: Employer) -> None:
    worker = PersonFactory.create()
    contracts = [
        hire(worker.fin),
        hire("AAAA"),
        hire(PersonFactory.create().fin, monthly_wage_qepik=1000),
        hire(PersonFactory.create().fin, start_on="2010-01-04", concluded_on="2010-01-04"),
    ]

    answer = notify(payroll_client(employer), employer, contracts, "key-00003")

    assert answer.status_code == 422
    assert answer["Content-Type"] == "application/problem+json"
    errors = {(e["row"], e["field"], e["code"]) for e in answer.json()["errors"]}
    assert errors == {
        (1, "employee_fin", "fin_invalid"),
        (2, "monthly_wage_qepik", "below_minimum_wage"),
        (3, "start_on", "date_out_of_range"),
    }
    assert not Contract.objects.exists()
    assert NotificationBatch.objects.get().registered == 0


def test_row_by_row_registers_the_good_ones_and_lists_the_others(employer: Employer) -> None:
    contracts = [hire(PersonFactory.create().fin), hire("AAAA")]
    answer = notify(payroll_client(employer), employer, contracts, "key-00004", mode="row_by_row")
    assert answer.status_code == 201
    body = answer.json()
    assert (body["registered"], body["refused"]) == (1, 1)
    assert [(p["row"], p["code"]) for p in body["problems"]] == [(1, "fin_invalid")]


def test_another_employer_is_not_found_and_a_client_without_the_scope_is_forbidden(
    employer: Employer,
) -> None:
    other = EmployerFactory.create()
    client = payroll_client(employer)
    worker = PersonFactory.create()
    assert notify(client, other, [hire(worker.fin)], "key-00005").status_code == 404
    assert client.get(f"/api/v1/employers/{other.voen}/contracts").status_code == 404
    bank = payroll_client(employer, scopes=[Scope.CERTIFICATES_VERIFY.value])
    assert notify(bank, employer, [hire(worker.fin)], "key-00006").status_code == 403
    assert not Contract.objects.exists()


def test_a_termination_ends_the_contract_and_sent_again_changes_nothing(
    employer: Employer,
) -> None:
    client = payroll_client(employer)
    number = notify(client, employer, [hire(PersonFactory.create().fin)], "key-00007").json()[
        "contracts"
    ][0]["number"]
    with time_machine.travel(datetime.datetime(2020, 6, 1, 10, tzinfo=BAKU), tick=False):
        client = payroll_client(employer)  # a fresh token: the first expired in March
        path = f"/api/v1/employers/{employer.voen}/contracts/{number}/termination"
        body = {"terminated_on": "2020-05-29", "ground": _a_ground()}
        answers = [
            client.post(
                path, body, content_type="application/json", headers={"Idempotency-Key": "end-0001"}
            )
            for _ in range(2)
        ]
        before_start = client.post(
            path,
            {"terminated_on": "2020-01-01", "ground": _a_ground()},
            content_type="application/json",
            headers={"Idempotency-Key": "end-0002"},
        )
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].json()["status"] == ContractStatus.TERMINATED
    assert Contract.objects.get().versions.count() == 2
    assert before_start.status_code == 422
    assert before_start.json()["errors"][0]["code"] == "terminated"


def _a_ground() -> str:
    from meis.labour.models import TerminationGround

    ground = TerminationGround.objects.filter(is_active=True).first()
    assert ground is not None
    return ground.code


def test_the_contracts_are_listed_page_by_page(employer: Employer) -> None:
    client = payroll_client(employer)
    notify(client, employer, [hire(p.fin) for p in PersonFactory.create_batch(3)], "key-00008")
    page = client.get(f"/api/v1/employers/{employer.voen}/contracts", {"limit": 2})
    assert page.status_code == 200
    assert page.json()["count"] == 3
    assert len(page.json()["items"]) == 2


def test_each_contract_listed_is_an_audited_read_the_employee_can_see() -> None:
    employer = EmployerFactory.create()
    client = payroll_client(employer)
    workers = PersonFactory.create_batch(3)
    notify(client, employer, [hire(p.fin) for p in workers], "key-00009")

    page = client.get(f"/api/v1/employers/{employer.voen}/contracts", {"limit": 2})

    listed = {item["employee_fin"] for item in page.json()["items"]}
    reads = AuditEvent.objects.filter(
        action=AuditAction.PERSON_READ, purpose="employer.contracts_list"
    )
    assert {event.person.fin for event in reads if event.person} == listed
    assert reads.count() == 2
    assert {event.actor_institution for event in reads} == {"Xəzər Tikinti MMC payroll"}
    seen = next(w for w in workers if w.fin in listed)
    who_looked = signed_in_citizen_client(seen).get("/en/my/who-looked/").content.decode()
    assert "Xəzər Tikinti MMC payroll" in who_looked
