"""The synthetic employment register writes what it says: the counts and statuses asked for,
salaries at least the minimum wage for the hours, folded search text, and the same rows for the
same seed."""

from __future__ import annotations

import datetime
from typing import Any

import polars as pl
import pytest
from django.core.management import call_command
from django.db.models import Count, QuerySet

from meis.employment.models import (
    OPEN_STATES,
    JobSeeker,
    Referral,
    ReferralOutcome,
    SeekerStatus,
    StatusChange,
    Vacancy,
    VacancyStatus,
)
from meis.employment.search import fold
from meis.employment.services import statuses_end
from meis.employment.synthetic import EmploymentResult, GeneratorError, employment_generate
from meis.labour.models import Contract, ContractStatus
from meis.labour.synthetic import contracts_generate
from meis.registry.synthetic import registry_generate
from meis.rules.engine import evaluate_batch
from meis.rules.schemes import get_scheme

pytestmark = pytest.mark.django_db
ON = datetime.date(2020, 3, 13)


def generate(*, seed: int = 1, job_seekers: int = 300, vacancies: int = 200) -> EmploymentResult:
    return employment_generate(job_seekers=job_seekers, vacancies=vacancies, seed=seed, on=ON)


@pytest.fixture
def country(db: None) -> None:
    registry_generate(people=3_000, seed=1, as_of=ON)


def rows(queryset: QuerySet[Any], *fields: str) -> list[tuple[Any, ...]]:
    return list(queryset.order_by("pk").values_list(*fields))


def test_it_writes_the_open_registrations_and_vacancies_asked_for(country):
    result = generate()
    open_ones = JobSeeker.objects.filter(state__in=OPEN_STATES)
    assert open_ones.count() == result.open_registrations == 300
    assert JobSeeker.objects.filter(state="ended").count() == result.ended_registrations == 9
    assert open_ones.filter(status="unemployed").count() == result.unemployed
    assert 0.25 < result.unemployed / 300 < 0.45
    assert Vacancy.objects.filter(status=VacancyStatus.OPEN).count() == result.open_vacancies
    assert result.open_vacancies == 200
    assert Vacancy.objects.exclude(status=VacancyStatus.OPEN).count() == 40
    assert Referral.objects.count() == result.referrals == 15


def test_registrations_are_of_living_adults_once_each_with_one_to_three_occupations(country):
    generate()
    seekers = JobSeeker.objects.select_related("person").annotate(n=Count("occupations"))
    assert seekers.filter(person__died_on__isnull=False).count() == 0
    people = [s.person_id for s in seekers]
    assert len(people) == len(set(people))
    for seeker in seekers:
        assert 1 <= seeker.n <= 3
        assert 16 <= (ON - seeker.person.birth_on).days / 365.25 < 62
        assert seeker.registered_on < ON
        if seeker.state == "ended":
            assert seeker.end_reason
            assert seeker.ended_on is not None
            assert seeker.registered_on <= seeker.ended_on < ON
        if seeker.state == "paused":
            assert seeker.paused_from is not None
            assert seeker.paused_until is not None
            assert seeker.paused_from <= ON <= seeker.paused_until
    assert StatusChange.objects.filter(kind="registered").count() == seekers.count()
    assert StatusChange.objects.filter(kind="ended").count() == 9


def test_every_vacancy_pays_at_least_the_minimum_wage_for_its_hours(country):
    generate()
    terms = pl.DataFrame(
        rows(Vacancy.objects.all(), "id", "salary_qepik", "weekly_hours"),
        schema=["id", "monthly_wage_qepik", "weekly_hours"],
        orient="row",
    )
    checked = evaluate_batch(get_scheme("minimum_wage"), terms, on=ON)
    assert checked["is_compliant"].all()
    assert set(terms["weekly_hours"]) <= set(range(1, 41))


def test_open_vacancies_close_in_1_to_90_days_and_their_text_is_searchable_folded(country):
    generate()
    open_ones = Vacancy.objects.filter(status=VacancyStatus.OPEN).select_related("occupation")
    for vacancy in open_ones:
        assert 1 <= (vacancy.closes_on - ON).days <= 90
        assert vacancy.search_text == fold(
            " ".join(
                [
                    vacancy.title,
                    vacancy.occupation.title_az,
                    vacancy.occupation.title_en,
                    vacancy.occupation.title_ru,
                    vacancy.description,
                    vacancy.requirements,
                ]
            )
        )
    assert open_ones.filter(description__regex="[əşçğıöü]").count() == open_ones.count()


def test_referrals_point_at_open_vacancies_and_a_fresh_register_has_nothing_to_end(country):
    generate()
    for referral in Referral.objects.select_related("vacancy", "job_seeker"):
        assert referral.vacancy.status == VacancyStatus.OPEN
        assert referral.job_seeker.is_open
        assert referral.referred_on >= referral.job_seeker.registered_on
        assert (referral.outcome == ReferralOutcome.PENDING) == (referral.outcome_on is None)
    assert statuses_end(on=ON) == {}


def test_the_same_seed_gives_the_same_register_and_another_seed_another(country):
    generate(seed=7)
    fields = ("person_id", "status", "state", "registered_on", "desired_salary_qepik")
    first = rows(JobSeeker.objects.all(), *fields)
    posts = rows(Vacancy.objects.all(), "employer_id", "title", "salary_qepik", "closes_on")
    JobSeeker.occupations.through.objects.all().delete()
    Referral.objects.all().delete()
    StatusChange.objects.all().delete()
    JobSeeker.objects.all().delete()
    Vacancy.objects.all().delete()
    generate(seed=7)
    assert rows(JobSeeker.objects.all(), *fields) == first
    assert rows(Vacancy.objects.all(), "employer_id", "title", "salary_qepik", "closes_on") == posts
    JobSeeker.occupations.through.objects.all().delete()
    Referral.objects.all().delete()
    StatusChange.objects.all().delete()
    JobSeeker.objects.all().delete()
    generate(seed=8)
    assert rows(JobSeeker.objects.all(), *fields) != first


def test_people_with_a_contract_in_force_are_job_seekers_registered_after_it_started(country):
    contracts_generate(seed=1, as_of=ON)
    generate(job_seekers=600)
    hired = {
        person: start
        for person, start in Contract.objects.filter(
            status__in=(ContractStatus.ACTIVE, ContractStatus.SUSPENDED)
        ).values_list("person_id", "start_on")
    }
    employed = [s for s in JobSeeker.objects.all() if s.person_id in hired]
    assert employed
    for seeker in employed:
        assert seeker.status == SeekerStatus.JOB_SEEKER
        assert seeker.status_reason == "employed"
        assert seeker.registered_on > hired[seeker.person_id]
    assert statuses_end(on=ON) == {}


def test_people_already_registered_are_not_registered_again(country):
    generate(job_seekers=200, vacancies=10)
    generate(job_seekers=200, vacancies=10, seed=2)
    open_people = JobSeeker.objects.filter(state__in=OPEN_STATES).values_list("person_id")
    assert open_people.count() == 400 == len(set(open_people))


def test_a_registry_too_small_for_the_numbers_is_refused(country):
    with pytest.raises(GeneratorError, match="may register"):
        generate(job_seekers=50_000)


def test_the_command_reports_what_it_wrote(country, capsys):
    call_command(
        "employment", "synthetic", "--job-seekers", "50", "--vacancies", "20", "--on", str(ON)
    )
    out = capsys.readouterr().out
    assert "50 open registrations" in out
    assert "20 open vacancies" in out
