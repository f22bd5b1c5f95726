"""Vacancies: an employer's representative posts one, the minimum wage for the hours and the
closing date are checked, anyone finds it with or without Azerbaijani letters, it closes at its
date or when withdrawn, and a search of any length or content is harmless."""

from __future__ import annotations

import datetime
import time
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from meis.accounts.models import BindingGrantor
from meis.accounts.services import citizen_account_get_or_create
from meis.audit.models import AuditEvent
from meis.employment import search
from meis.employment.models import JobSeeker, Vacancy, VacancyStatus
from meis.employment.search import fold, query_words, vacancy_search
from meis.employment.vacancies import (
    VacancyRefused,
    minimum_salary_qepik,
    vacancies_expire,
    vacancy_post,
    vacancy_withdraw,
)
from meis.labour.models import Occupation
from meis.labour.services import representative_bind
from meis.labour.tests.factories import EmployerFactory
from meis.registry.models import Employer
from meis.registry.tests.factories import PersonFactory
from meis.usage.models import UsageEvent, UsageKind

pytestmark = pytest.mark.django_db
BAKU = ZoneInfo("Asia/Baku")
TODAY = datetime.date(2020, 3, 13)  # minimum wage 250 AZN for a 40-hour week


@pytest.fixture(autouse=True)
def _friday_13_march_2020() -> Iterator[None]:
    with time_machine.travel(datetime.datetime(2020, 3, 13, 10, tzinfo=BAKU), tick=False):
        yield


@pytest.fixture
def employer() -> Employer:
    return EmployerFactory.create(name="Xəzər Tikinti MMC")


@pytest.fixture
def representative(employer: Employer) -> User:
    person = PersonFactory.create()
    representative_bind(
        employer=employer,
        person=person,
        actor=AnonymousUser(),
        granted_as=BindingGrantor.ADMINISTRATOR,
    )
    return citizen_account_get_or_create(person=person)


def post(employer: Employer, actor: Any, **changes: Any) -> Vacancy:
    values: dict[str, Any] = {
        "occupation": Occupation.objects.get(code="2411"),
        "title": "Baş mühasib",
        "description": "Maliyyə hesabatlarının hazırlanması.",
        "requirements": "Ali iqtisadi təhsil, 1C proqramı.",
        "region": "baku",
        "workplace": "Bakı, Nizami küç. 1",
        "salary_qepik": 120_000,
        "weekly_hours": 40,
        "positions": 1,
        "closes_on": TODAY + datetime.timedelta(days=30),
    }
    values.update(changes)
    return vacancy_post(employer=employer, actor=actor, **values)


def refused(employer: Employer, actor: Any, **changes: Any) -> dict[str, str]:
    with pytest.raises(VacancyRefused) as error:
        post(employer, actor, **changes)
    return error.value.problems


def test_a_representative_posts_a_vacancy_with_its_audit_and_usage_events(
    employer: Employer, representative: User
) -> None:
    vacancy = post(employer, representative)

    assert vacancy.status == VacancyStatus.OPEN
    assert vacancy.posted_by == representative
    assert "bas muhasib" in vacancy.search_text
    assert "muhasibler" in vacancy.search_text  # the occupation's Azerbaijani title
    assert "accountants" in vacancy.search_text
    assert "бухгалтеры" in vacancy.search_text
    event = AuditEvent.objects.get(action="employment.vacancy_post")
    assert event.object_id == str(vacancy.pk)
    assert event.actor == representative
    usage = UsageEvent.objects.get(kind=UsageKind.VACANCY_POSTED)
    assert usage.region == "baku"


def test_a_salary_below_the_minimum_wage_for_the_hours_is_refused_with_the_minimum(
    employer: Employer, representative: User
) -> None:
    problems = refused(employer, representative, salary_qepik=12_400, weekly_hours=20)

    assert problems == {
        "salary_qepik": "The salary is below the minimum wage for 20 hours a week: at least "
        "125.00 AZN a month."
    }
    assert minimum_salary_qepik(weekly_hours=20, on=TODAY) == 12_500
    assert post(employer, representative, salary_qepik=12_500, weekly_hours=20).pk
    assert not Vacancy.objects.filter(salary_qepik=12_400).exists()


def test_hours_closing_date_and_text_outside_the_limits_are_refused(
    employer: Employer, representative: User
) -> None:
    assert set(refused(employer, representative, weekly_hours=41)) == {"weekly_hours"}
    assert set(refused(employer, representative, weekly_hours=0)) == {"weekly_hours"}
    assert set(refused(employer, representative, closes_on=TODAY)) == {"closes_on"}
    far = TODAY + datetime.timedelta(days=200)
    assert refused(employer, representative, closes_on=far) == {
        "closes_on": "Enter a closing date from 14.03.2020 to 12.09.2020."
    }
    assert set(refused(employer, representative, title="Mühasib\x00")) == {"title"}
    assert set(refused(employer, representative, description="a" * 4001)) == {"description"}
    assert set(refused(employer, representative, title="  ", region="mars")) == {
        "title",
        "region",
    }
    assert not Vacancy.objects.exists()


def test_posting_for_an_employer_one_does_not_act_for_is_refused(
    employer: Employer, representative: User
) -> None:
    other = EmployerFactory.create(name="Başqa MMC")

    assert refused(other, representative) == {"": "You do not act for this employer."}
    assert refused(employer, AnonymousUser()) == {"": "You do not act for this employer."}
    assert refused(employer, None) == {"": "You do not act for this employer."}
    assert not Vacancy.objects.exists()


# --- Search ------------------------------------------------------------------------------------


def test_fold_lowers_and_drops_the_azerbaijani_letters() -> None:
    assert fold("Mühasib İŞÇİ Ağsu Gəncə Işıq ÖZÜ") == "muhasib isci agsu gence isiq ozu"
    assert fold("Бухгалтер") == "бухгалтер"


def test_a_search_without_diacritics_finds_a_vacancy_written_with_them(
    employer: Employer, representative: User
) -> None:
    vacancy = post(employer, representative, title="Mühasib")
    post(employer, representative, title="Sürücü", occupation=Occupation.objects.get(code="8322"))

    for text in ("muhasib", "Mühasib", "MÜHASİB", "muha", "бухгалт", "accountant"):
        assert [v.pk for v in vacancy_search(text=text).items] == [vacancy.pk], text
    assert vacancy_search(text="muhasib surucu").total == 0


def test_the_filters_narrow_the_results_and_the_newest_come_first(
    employer: Employer, representative: User
) -> None:
    baku = post(employer, representative, salary_qepik=100_000)
    with time_machine.travel(datetime.datetime(2020, 3, 13, 11, tzinfo=BAKU), tick=False):
        ganja = post(employer, representative, region="ganja_dashkasan", salary_qepik=60_000)
    driver = post(
        employer,
        representative,
        title="Sürücü",
        occupation=Occupation.objects.get(code="8322"),
        salary_qepik=50_000,
    )

    assert [v.pk for v in vacancy_search().items] == [ganja.pk, driver.pk, baku.pk]
    assert [v.pk for v in vacancy_search(region="ganja_dashkasan").items] == [ganja.pk]
    assert [v.pk for v in vacancy_search(occupation_code="8322").items] == [driver.pk]
    assert [v.pk for v in vacancy_search(min_salary_qepik=60_000).items] == [ganja.pk, baku.pk]
    assert vacancy_search(region="ganja_dashkasan", occupation_code="8322").total == 0


def test_pages_hold_per_page_results_and_a_page_past_the_end_is_empty(
    employer: Employer, representative: User
) -> None:
    for n in range(5):
        post(employer, representative, title=f"Mühasib {n}")

    first = vacancy_search(per_page=2)
    third = vacancy_search(per_page=2, page=3)
    assert (first.total, first.num_pages, len(first.items), first.has_next) == (5, 3, 2, True)
    assert (len(third.items), third.has_next, third.has_previous) == (1, False, True)
    assert vacancy_search(per_page=2, page=99_999).items == []


def test_closed_and_past_date_vacancies_are_not_found(
    employer: Employer, representative: User
) -> None:
    open_one = post(employer, representative)
    withdrawn = post(employer, representative)
    vacancy_withdraw(vacancy=withdrawn, actor=representative)
    past = post(employer, representative)
    Vacancy.objects.filter(pk=past.pk).update(closes_on=TODAY - datetime.timedelta(days=1))

    assert [v.pk for v in vacancy_search().items] == [open_one.pk]


def test_a_huge_or_sql_looking_query_is_harmless_and_fast(
    employer: Employer, representative: User
) -> None:
    vacancy = post(employer, representative)
    queries = [
        "muhasib " * 1250,  # 10,000 characters
        "x" * 10_000,
        "'; DROP TABLE employment_vacancy; --",
        "mühasib') OR 1=1 --",
        "muhasib & !:* | <-> (",
        "%_\\",
        "\x00\x00",
    ]
    for text in queries:
        started = time.perf_counter()
        vacancy_search(text=text)
        assert time.perf_counter() - started < 0.5, text[:40]
    assert [v.pk for v in vacancy_search(text="mühasib'); --").items] == [vacancy.pk]
    assert Vacancy.objects.count() == 1
    assert len(query_words("a b c d e f g h i j k l m")) == 10
    assert query_words("%_\\ '; --") == []


def test_search_text_uses_the_full_text_index_on_postgresql(
    employer: Employer, representative: User
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the GIN index exists on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'employment_vacancy' "
            "AND indexname = 'employment_vacancy_vector'"
        )
        assert cursor.fetchone() is not None


def test_a_common_word_pages_its_matches_newest_first(
    employer: Employer, representative: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # More matches than are ranked: the page is read newest first (on PostgreSQL in the order
    # of the "newest" index, `_newest_matching_ids`), the other filters still applied.
    monkeypatch.setattr(search, "RANK_CAP", 2)
    posted = [post(employer, representative, title=f"Xəzinədar {n}") for n in range(5)]
    post(employer, representative, title="Sürücü")
    newest_first = [v.pk for v in reversed(posted)]

    first = vacancy_search(text="xezinedar", per_page=2)
    second = vacancy_search(text="xezinedar", per_page=2, page=2)
    elsewhere = vacancy_search(text="xezinedar", region="ganja_dashkasan")

    assert first.total == 5
    assert [v.pk for v in first.items] == newest_first[:2]
    assert [v.pk for v in second.items] == newest_first[2:4]
    assert elsewhere.total == 0


# --- Closing -----------------------------------------------------------------------------------


def test_vacancies_past_their_closing_date_expire_once(
    employer: Employer, representative: User
) -> None:
    due = post(employer, representative, closes_on=TODAY + datetime.timedelta(days=1))
    later = post(employer, representative, closes_on=TODAY + datetime.timedelta(days=10))
    after = TODAY + datetime.timedelta(days=2)

    assert vacancies_expire(on=after) == 1
    assert vacancies_expire(on=after) == 0
    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.status, due.closed_on) == (VacancyStatus.EXPIRED, after)
    assert later.status == VacancyStatus.OPEN
    closed = UsageEvent.objects.get(kind=UsageKind.VACANCY_CLOSED)
    assert closed.outcome == VacancyStatus.EXPIRED


def test_a_representative_withdraws_a_vacancy_and_withdrawing_again_changes_nothing(
    employer: Employer, representative: User
) -> None:
    vacancy = post(employer, representative)

    vacancy_withdraw(vacancy=vacancy, actor=representative)
    vacancy_withdraw(vacancy=vacancy, actor=representative)

    assert (vacancy.status, vacancy.closed_on) == (VacancyStatus.WITHDRAWN, TODAY)
    assert AuditEvent.objects.filter(action="employment.vacancy_withdraw").count() == 1
    assert UsageEvent.objects.filter(kind=UsageKind.VACANCY_CLOSED).count() == 1


def test_an_expired_vacancy_cannot_be_withdrawn(employer: Employer, representative: User) -> None:
    vacancy = post(employer, representative, closes_on=TODAY + datetime.timedelta(days=1))
    vacancies_expire(on=TODAY + datetime.timedelta(days=2))

    with pytest.raises(VacancyRefused, match="already closed"):
        vacancy_withdraw(vacancy=vacancy, actor=representative)


def test_another_employers_representative_cannot_withdraw(
    employer: Employer, representative: User
) -> None:
    vacancy = post(employer, representative)
    stranger = citizen_account_get_or_create(person=PersonFactory.create())

    with pytest.raises(VacancyRefused):
        vacancy_withdraw(vacancy=vacancy, actor=stranger)
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.OPEN


# --- The public pages --------------------------------------------------------------------------


def en(name: str, *args: Any) -> str:
    """The page's address in English (the messages below are the English ones)."""
    with translation.override("en"):
        return reverse(name, args=args)


def test_anyone_finds_a_vacancy_from_the_home_page_and_opens_it(
    employer: Employer, representative: User
) -> None:
    vacancy = post(employer, representative, title="Baş mühasib")
    client = Client()

    home = client.get(en("portal:home")).content.decode()
    assert en("vacancies:search") in home
    results = client.get(en("vacancies:search"), {"q": "bas muhasib"}).content.decode()
    assert "Baş mühasib" in results
    page = client.get(en("vacancies:detail", vacancy.pk)).content.decode()
    assert "Xəzər Tikinti MMC" in page
    assert "1,200.00 AZN" in page
    assert "12 April 2020" in page


def test_the_page_links_keep_the_filters(employer: Employer, representative: User) -> None:
    for n in range(21):
        post(employer, representative, title=f"Mühasib {n}", region="ganja_dashkasan")

    page = Client().get(en("vacancies:search"), {"q": "muhasib", "region": "ganja_dashkasan"})

    assert 'href="?q=muhasib&amp;region=ganja_dashkasan&amp;page=2"' in page.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"min_salary": "a lot"}, "Enter the salary in manat as a number"),
        ({"region": "mars"}, "Choose a region from the list."),
        ({"occupation": "'; DROP"}, "Choose an occupation from the list."),
    ],
)
def test_bad_filters_are_explained_not_failed(query: dict[str, str], message: str) -> None:
    response = Client().get(en("vacancies:search"), query)

    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.parametrize("page", ["abc", "99999", "-1", "1" * 40, "\x00"])
def test_any_page_number_is_an_empty_or_first_page(
    employer: Employer, representative: User, page: str
) -> None:
    post(employer, representative)

    response = Client().get(en("vacancies:search"), {"page": page, "q": "x" * 10_000})

    assert response.status_code == 200


def test_a_closed_or_unknown_vacancy_is_not_found(employer: Employer, representative: User) -> None:
    vacancy = post(employer, representative)
    vacancy_withdraw(vacancy=vacancy, actor=representative)
    client = Client()

    assert client.get(en("vacancies:detail", vacancy.pk)).status_code == 404
    assert client.get(en("vacancies:detail", 10**30)).status_code == 404


def test_a_registered_job_seeker_is_told_an_officer_can_refer_them(
    employer: Employer, representative: User
) -> None:
    vacancy = post(employer, representative)
    seeker = PersonFactory.create()
    JobSeeker.objects.create(
        person=seeker, status="unemployed", registered_on=TODAY, education="bachelor"
    )
    client = Client()
    client.force_login(citizen_account_get_or_create(person=seeker))

    page = client.get(en("vacancies:detail", vacancy.pk)).content.decode()

    assert "You are registered as a job seeker" in page
