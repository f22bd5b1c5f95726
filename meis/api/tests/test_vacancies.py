"""Vacancies through the API: anyone searches the open vacancies; an employer's system posts and
withdraws its own, with an Idempotency-Key that makes a retry harmless, and reaches no other
employer's."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import translation

from meis.api import ratelimit
from meis.api.models import ApiClient, ApiClientEmployer, ApiVacancyCall, Scope
from meis.api.services import client_register, credential_issue, token_issue
from meis.employment.models import Vacancy, VacancyStatus
from meis.labour.tests.factories import EmployerFactory
from meis.registry.models import Employer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    """The messages are compared in English (the pages pick their language from the address)."""
    with translation.override("en"):
        yield


BAKU = ZoneInfo("Asia/Baku")


@pytest.fixture(autouse=True)
def _friday_13_march_2020() -> Iterator[None]:
    ratelimit.rate_limit_reset()
    with time_machine.travel(datetime.datetime(2020, 3, 13, 10, tzinfo=BAKU), tick=False):
        yield


@pytest.fixture
def employer() -> Employer:
    return EmployerFactory.create(name="Xəzər Tikinti MMC")


def hr_system(*employers: Employer, scopes: list[str] | None = None) -> Client:
    client, _ = client_register(
        name=f"hr-{uuid.uuid4().hex[:8]}",
        institution="Xəzər Tikinti MMC HR",
        scopes=scopes or [Scope.EMPLOYERS_CONTRACTS.value],
    )
    for employer in employers:
        ApiClientEmployer.objects.create(client=client, employer=employer)
    return Client(HTTP_AUTHORIZATION=f"Bearer {_token(client)}")


def _token(client: ApiClient) -> str:
    issued = credential_issue(client=client)
    return token_issue(key_id=issued.key_id, secret=issued.secret, address=None).token


def vacancy(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": "Baş mühasib",
        "occupation_code": "2411",
        "region": "baku",
        "workplace": "Bakı, Nizami küç. 1",
        "salary_qepik": 120_000,
        "weekly_hours": 40,
        "positions": 1,
        "closes_on": "2020-04-13",
        "requirements": "1C proqramı",
    }
    values.update(changes)
    return values


def post(client: Client, employer: Employer, body: dict[str, Any], key: str | None = None) -> Any:
    return client.post(
        f"/api/v1/employers/{employer.voen}/vacancies",
        body,
        content_type="application/json",
        headers={"Idempotency-Key": key or uuid.uuid4().hex, "Accept-Language": "en"},
    )


def test_an_employers_system_posts_a_vacancy_and_anyone_finds_it(employer: Employer) -> None:
    answer = post(hr_system(employer), employer, vacancy())

    assert answer.status_code == 201, answer.json()
    posted = answer.json()
    assert (posted["employer_voen"], posted["status"]) == (employer.voen, "open")
    found = Client().get("/api/v1/vacancies", {"q": "muhasib", "region": "baku"}).json()
    assert found["total"] == 1
    assert found["items"][0]["id"] == posted["id"]
    one = Client().get(f"/api/v1/vacancies/{posted['id']}")
    assert one.json()["title"] == "Baş mühasib"


def test_the_same_idempotency_key_posts_once(employer: Employer) -> None:
    system = hr_system(employer)
    key = f"key-{uuid.uuid4()}"

    first = post(system, employer, vacancy(), key)
    again = post(system, employer, vacancy(), key)
    other = post(system, employer, vacancy(title="Sürücü"), key)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert other.status_code == 422
    assert other.json()["type"].endswith("idempotency-key-reused")
    assert Vacancy.objects.count() == 1
    # Kept in the database with the vacancy, not in a cache that may be flushed.
    assert ApiVacancyCall.objects.get(idempotency_key=key).vacancy_id == first.json()["id"]


def test_a_wage_below_the_minimum_for_the_hours_is_refused_and_the_key_can_be_reused(
    employer: Employer,
) -> None:
    system = hr_system(employer)
    key = f"key-{uuid.uuid4()}"

    refused = post(system, employer, vacancy(salary_qepik=10_000, weekly_hours=20), key)

    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {
            "field": "body.salary_qepik",
            "message": "The salary is below the minimum wage for 20 hours a week: at least "
            "125.00 AZN a month.",
        }
    ]
    assert post(system, employer, vacancy(), key).status_code == 201


@pytest.mark.parametrize(
    "changes",
    [
        {"weekly_hours": 41},
        {"closes_on": "2020-03-13"},
        {"region": "mars"},
        {"occupation_code": "0000"},
        {"title": "x\x00"},
    ],
)
def test_a_wrong_vacancy_is_refused(employer: Employer, changes: dict[str, Any]) -> None:
    assert post(hr_system(employer), employer, vacancy(**changes)).status_code == 422
    assert not Vacancy.objects.exists()


def test_a_client_reaches_no_employer_it_is_not_bound_to(employer: Employer) -> None:
    other = EmployerFactory.create(name="Başqa MMC")
    ours = post(hr_system(employer), employer, vacancy()).json()
    stranger = hr_system(other)

    assert post(stranger, employer, vacancy()).status_code == 404
    withdraw = f"/api/v1/employers/{employer.voen}/vacancies/{ours['id']}/withdraw"
    assert stranger.post(withdraw).status_code == 404
    through_own = f"/api/v1/employers/{other.voen}/vacancies/{ours['id']}/withdraw"
    assert stranger.post(through_own).status_code == 404
    assert Vacancy.objects.get().status == VacancyStatus.OPEN


def test_posting_needs_the_scope_and_a_token(employer: Employer) -> None:
    without = hr_system(employer, scopes=[Scope.CERTIFICATES_VERIFY.value])

    assert post(without, employer, vacancy()).status_code == 403
    assert post(Client(), employer, vacancy()).status_code == 401


def test_the_system_withdraws_its_vacancy_and_the_search_no_longer_shows_it(
    employer: Employer,
) -> None:
    system = hr_system(employer)
    posted = post(system, employer, vacancy()).json()
    address = f"/api/v1/employers/{employer.voen}/vacancies/{posted['id']}/withdraw"

    first = system.post(address)
    again = system.post(address)

    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json()["status"] == "withdrawn"
    assert Client().get(f"/api/v1/vacancies/{posted['id']}").status_code == 404
    assert Client().get("/api/v1/vacancies").json()["total"] == 0


@pytest.mark.parametrize(
    "query",
    [
        {"q": "x" * 10_000},
        {"q": "'; DROP TABLE employment_vacancy; --"},
        {"page": 99_999},
        {"page": "abc"},
        {"region": "mars"},
        {"min_salary_qepik": "much"},
        {"per_page": 1000},
    ],
)
def test_any_search_is_answered_without_a_server_error(
    employer: Employer, query: dict[str, Any]
) -> None:
    post(hr_system(employer), employer, vacancy())

    answer = Client().get("/api/v1/vacancies", query)

    assert answer.status_code in {200, 422}
    assert Vacancy.objects.count() == 1


def test_the_search_pages_and_filters(employer: Employer) -> None:
    system = hr_system(employer)
    for n in range(3):
        post(system, employer, vacancy(title=f"Mühasib {n}", salary_qepik=100_000 + n))
    post(
        system, employer, vacancy(title="Sürücü", occupation_code="8322", region="ganja_dashkasan")
    )

    first = Client().get("/api/v1/vacancies", {"per_page": 2}).json()
    rich = Client().get("/api/v1/vacancies", {"min_salary_qepik": 100_001}).json()
    drivers = Client().get("/api/v1/vacancies", {"occupation": "8322"}).json()

    assert (first["total"], len(first["items"])) == (4, 2)
    assert rich["total"] == 3  # 100 001, 100 002 and the 120 000 driver
    assert [v["title"] for v in drivers["items"]] == ["Sürücü"]
