"""The employer's vacancy pages: a representative posts a vacancy, sees the job seekers referred
to it (names, never a FİN), records what happened with each, and withdraws it; a representative
of another employer reaches none of it."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser, User
from django.test import Client
from django.urls import reverse
from django.utils import translation

from meis.accounts.models import BindingGrantor
from meis.accounts.services import citizen_account_get_or_create
from meis.employers.tests.test_views import signed_in
from meis.employment.models import (
    JobSeeker,
    Referral,
    ReferralOutcome,
    Vacancy,
    VacancyStatus,
)
from meis.employment.vacancies import vacancy_post
from meis.labour.models import Occupation
from meis.labour.services import representative_bind
from meis.labour.tests.factories import EmployerFactory
from meis.registry.models import Employer, Person
from meis.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    """The messages are compared in English (the pages pick their language from the address)."""
    with translation.override("en"):
        yield


BAKU = ZoneInfo("Asia/Baku")
TODAY = datetime.date(2020, 3, 13)


@pytest.fixture(autouse=True)
def _friday_13_march_2020() -> Iterator[None]:
    with time_machine.travel(datetime.datetime(2020, 3, 13, 10, tzinfo=BAKU), tick=False):
        yield


def bound(employer: Employer) -> Person:
    person = PersonFactory.create()
    representative_bind(
        employer=employer,
        person=person,
        actor=AnonymousUser(),
        granted_as=BindingGrantor.ADMINISTRATOR,
    )
    return person


@pytest.fixture
def employer() -> Employer:
    return EmployerFactory.create(name="Xəzər Tikinti MMC")


@pytest.fixture
def representative(employer: Employer) -> Person:
    return bound(employer)


@pytest.fixture
def rep(representative: Person) -> Client:
    return signed_in(representative)


@pytest.fixture
def vacancy(employer: Employer, representative: Person) -> Vacancy:
    return vacancy_post(
        employer=employer,
        actor=citizen_account_get_or_create(person=representative),
        occupation=Occupation.objects.get(code="2411"),
        title="Baş mühasib",
        description="",
        requirements="",
        region="baku",
        workplace="Bakı",
        salary_qepik=120_000,
        weekly_hours=40,
        positions=2,
        closes_on=TODAY + datetime.timedelta(days=30),
    )


@pytest.fixture
def referral(vacancy: Vacancy, case_worker: User) -> Referral:
    seeker = JobSeeker.objects.create(
        person=PersonFactory.create(first_name="Leyla", last_name="Məmmədova"),
        status="unemployed",
        registered_on=TODAY,
        education="bachelor",
    )
    return Referral.objects.create(
        job_seeker=seeker,
        vacancy=vacancy,
        is_suitable=True,
        referred_on=TODAY,
        referred_by=case_worker,
    )


def url(name: str, employer: Employer, **kwargs: Any) -> str:
    return reverse(f"employers:{name}", kwargs={"voen": employer.voen, **kwargs})


def vacancy_form(**changes: str) -> dict[str, str]:
    values = {
        "title": "Sürücü",
        "occupation_code": "8322",
        "region": "baku",
        "workplace": "Bakı, Nizami küç. 1",
        "salary": "600",
        "weekly_hours": "40",
        "positions": "1",
        "closes_on": "2020-04-13",
        "description": "Şəhərdaxili daşımalar.",
        "requirements": "B kateqoriyalı sürücülük vəsiqəsi.",
    }
    values.update(changes)
    return values


def test_the_employer_home_links_to_the_vacancies(rep: Client, employer: Employer) -> None:
    page = rep.get(url("home", employer)).content.decode()

    assert url("vacancies", employer) in page


def test_a_representative_posts_a_vacancy_and_sees_it_in_the_list(
    rep: Client, employer: Employer
) -> None:
    response = rep.post(url("vacancy_new", employer), vacancy_form())

    vacancy = Vacancy.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("vacancy", employer, vacancy_id=vacancy.pk)
    assert (vacancy.salary_qepik, vacancy.title, vacancy.search_text[:6]) == (
        60_000,
        "Sürücü",
        "surucu",
    )
    listing = rep.get(url("vacancies", employer)).content.decode()
    assert "Sürücü" in listing


def test_a_salary_below_the_minimum_wage_is_shown_beside_the_salary(
    rep: Client, employer: Employer
) -> None:
    response = rep.post(url("vacancy_new", employer), vacancy_form(salary="100", weekly_hours="20"))

    page = response.content.decode()
    assert response.status_code == 400
    assert "at least 125.00 AZN a month" in page
    assert 'href="#id_salary"' in page  # the error summary points at the field
    assert not Vacancy.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"salary": "much"}, "salary"),
        ({"weekly_hours": "41"}, "weekly_hours"),
        ({"closes_on": "2020-03-13"}, "closes_on"),
        ({"closes_on": "2021-03-13"}, "closes_on"),
        ({"region": "mars"}, "region"),
        ({"title": ""}, "title"),
    ],
)
def test_wrong_input_is_refused_beside_its_field(
    rep: Client, employer: Employer, changes: dict[str, str], field: str
) -> None:
    response = rep.post(url("vacancy_new", employer), vacancy_form(**changes))

    assert response.status_code == 400
    assert f'href="#id_{field}"' in response.content.decode()
    assert not Vacancy.objects.exists()


def test_the_vacancy_page_lists_the_referred_by_name_without_the_fin(
    rep: Client, employer: Employer, vacancy: Vacancy, referral: Referral
) -> None:
    page = rep.get(url("vacancy", employer, vacancy_id=vacancy.pk)).content.decode()

    assert referral.job_seeker.person.full_name in page
    assert referral.job_seeker.person.fin not in page
    listing = rep.get(url("vacancies", employer)).content.decode()
    assert 'data-label="Referrals">1<' in listing
    assert 'data-label="Awaiting your answer">1<' in listing


def test_the_employer_records_a_hire(
    rep: Client, employer: Employer, vacancy: Vacancy, referral: Referral
) -> None:
    address = url("referral_outcome", employer, vacancy_id=vacancy.pk, referral_id=referral.pk)

    response = rep.post(address, {"outcome": "hired", "reason": ""})

    assert response.status_code == 302
    referral.refresh_from_db()
    vacancy.refresh_from_db()
    assert (referral.outcome, referral.outcome_on) == (ReferralOutcome.HIRED, TODAY)
    assert vacancy.positions_filled == 1
    again = rep.get(address)
    assert again.status_code == 302  # already recorded: back to the vacancy


@pytest.mark.parametrize("outcome", ["refused_by_employer", "refused_by_seeker"])
def test_a_refusal_needs_a_reason(
    rep: Client, employer: Employer, vacancy: Vacancy, referral: Referral, outcome: str
) -> None:
    address = url("referral_outcome", employer, vacancy_id=vacancy.pk, referral_id=referral.pk)

    response = rep.post(address, {"outcome": outcome, "reason": " "})
    assert response.status_code == 400
    assert 'href="#id_reason"' in response.content.decode()
    referral.refresh_from_db()
    assert referral.outcome == ReferralOutcome.PENDING

    rep.post(address, {"outcome": outcome, "reason": "Təcrübəsi azdır"})
    referral.refresh_from_db()
    assert (referral.outcome, referral.outcome_reason) == (outcome, "Təcrübəsi azdır")


def test_the_employer_records_that_the_job_seeker_did_not_come(
    rep: Client, employer: Employer, vacancy: Vacancy, referral: Referral
) -> None:
    address = url("referral_outcome", employer, vacancy_id=vacancy.pk, referral_id=referral.pk)

    rep.post(address, {"outcome": "did_not_come"})

    referral.refresh_from_db()
    assert referral.outcome == ReferralOutcome.DID_NOT_COME


def test_the_representative_withdraws_the_vacancy(
    rep: Client, employer: Employer, vacancy: Vacancy
) -> None:
    response = rep.post(url("vacancy_withdraw", employer, vacancy_id=vacancy.pk))

    assert response.status_code == 302
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.WITHDRAWN
    assert rep.get(url("vacancy_withdraw", employer, vacancy_id=vacancy.pk)).status_code == 405


def test_another_employers_representative_reaches_nothing(
    employer: Employer, vacancy: Vacancy, referral: Referral
) -> None:
    other = EmployerFactory.create(name="Başqa MMC")
    stranger = signed_in(bound(other))
    ours = {"vacancy_id": vacancy.pk}
    outcome = {"vacancy_id": vacancy.pk, "referral_id": referral.pk}

    # Through our VÖEN: not found, as if it did not exist.
    assert stranger.get(url("vacancies", employer)).status_code == 404
    assert stranger.get(url("vacancy_new", employer)).status_code == 404
    assert stranger.post(url("vacancy_new", employer), vacancy_form()).status_code == 404
    assert stranger.get(url("vacancy", employer, **ours)).status_code == 404
    assert stranger.post(url("vacancy_withdraw", employer, **ours)).status_code == 404
    assert (
        stranger.post(
            url("referral_outcome", employer, **outcome), {"outcome": "hired"}
        ).status_code
        == 404
    )
    # Through their own VÖEN with our vacancy's number: not found either.
    assert stranger.get(url("vacancy", other, **ours)).status_code == 404
    assert stranger.post(url("vacancy_withdraw", other, **ours)).status_code == 404
    assert (
        stranger.post(url("referral_outcome", other, **outcome), {"outcome": "hired"}).status_code
        == 404
    )
    vacancy.refresh_from_db()
    referral.refresh_from_db()
    assert (vacancy.status, referral.outcome) == (VacancyStatus.OPEN, ReferralOutcome.PENDING)
    assert Vacancy.objects.count() == 1


def test_a_referral_of_another_vacancy_is_not_found_under_this_one(
    rep: Client, employer: Employer, vacancy: Vacancy, referral: Referral, representative: Person
) -> None:
    second = vacancy_post(
        employer=employer,
        actor=citizen_account_get_or_create(person=representative),
        occupation=Occupation.objects.get(code="8322"),
        title="Sürücü",
        description="",
        requirements="",
        region="baku",
        workplace="Bakı",
        salary_qepik=60_000,
        weekly_hours=40,
        positions=1,
        closes_on=TODAY + datetime.timedelta(days=30),
    )
    address = url("referral_outcome", employer, vacancy_id=second.pk, referral_id=referral.pk)

    assert rep.get(address).status_code == 404
