"""Writes of vacancies (vakansiya): an employer posts and withdraws them; the hourly job closes
the ones past their closing date.

    vacancy = vacancy_post(employer=..., actor=..., occupation=..., title=..., ...)
    vacancy_withdraw(vacancy=..., actor=...)
    vacancies_expire(on=...)             # employment_daily_run calls it; idempotent

A vacancy is refused with `VacancyRefused`, whose `problems` map each field to a translated
sentence saying what to correct: a salary below the minimum wage for the hours (the
`minimum_wage` rules scheme on the posting day, the same check as a contract's), hours outside
1–40, a closing date that is not in the next `LONGEST_OPEN_DAYS` days, text too long or with a
NUL byte. An employer the actor does not act for is refused too, whoever checked it before.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from meis.audit.services import audit_record
from meis.employment.models import Vacancy, VacancyStatus
from meis.employment.search import fold
from meis.labour.models import Occupation
from meis.labour.selectors import employers_of_actor
from meis.registry.models import Employer, Region
from meis.rules.engine import evaluate_case
from meis.rules.errors import ParameterError
from meis.rules.schemes import get_scheme
from meis.usage.models import UsageKind
from meis.usage.services import usage_record

Actor = User | AnonymousUser
# PROJECT DECISION: a vacancy stays open at most about six months; a job still vacant after
# that is posted again (the register keeps no stale offers that nobody checks any more).
LONGEST_OPEN_DAYS = 183
MAX_WEEKLY_HOURS = 40
MAX_POSITIONS = 999
# The largest salary the register takes (a typo guard, as for contracts).
MAX_SALARY_QEPIK = 10_000_000 * 100
LIMITS = {
    "title": 200,
    "description": 4000,
    "requirements": 2000,
    "workplace": 255,
}


class VacancyRefused(Exception):
    """The vacancy cannot be posted or changed; `problems` maps a field ("" for the whole
    vacancy) to a translated sentence."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(problems.values()))
        self.problems = problems


def vacancy_post(
    *,
    employer: Employer,
    actor: Actor | None,
    occupation: Occupation,
    title: str,
    description: str,
    requirements: str,
    region: str,
    workplace: str,
    salary_qepik: int,
    weekly_hours: int,
    positions: int,
    closes_on: datetime.date,
    request: HttpRequest | None = None,
    client_institution: str = "",
) -> Vacancy:
    """Post a vacancy for `employer`. `actor` is the employer's head or representative; an API
    client bound to the employer posts with `actor=None` and its `client_institution` (the API
    checked the binding)."""
    if not client_institution and not _acts_for(actor, employer):
        raise VacancyRefused({"": _("You do not act for this employer.")})
    today = timezone.localdate()
    texts = {
        "title": title,
        "description": description,
        "requirements": requirements,
        "workplace": workplace,
    }
    problems = _texts_check(texts)
    problems.update(_terms_check(region, salary_qepik, weekly_hours, positions, today))
    problems.update(_closing_check(closes_on, today))
    if not occupation.is_active:
        problems["occupation"] = _("Choose an occupation from the list.")
    if problems:
        raise VacancyRefused(problems)
    texts = {name: value.strip() for name, value in texts.items()}
    now = timezone.now()
    with transaction.atomic():
        vacancy = Vacancy.objects.create(
            employer=employer,
            occupation=occupation,
            region=region,
            salary_qepik=salary_qepik,
            weekly_hours=weekly_hours,
            positions=positions,
            closes_on=closes_on,
            search_text=search_text_of(occupation=occupation, **texts),
            posted_at=now,
            posted_by=actor if isinstance(actor, User) else None,
            **texts,
        )
        _audit("employment.vacancy_post", actor, vacancy, request, client_institution)
        usage_record(
            kind=UsageKind.VACANCY_POSTED,
            occurred_at=now,
            channel="api" if client_institution else "portal",
            region=region,
            source=f"vacancy_posted:{vacancy.pk}",
        )
    return vacancy


def vacancy_withdraw(
    *,
    vacancy: Vacancy,
    actor: Actor | None,
    request: HttpRequest | None = None,
    client_institution: str = "",
) -> Vacancy:
    """The employer takes an open vacancy down. Withdrawing it again changes nothing; a filled
    or expired vacancy is refused (it is already closed)."""
    if not client_institution and not _acts_for(actor, vacancy.employer):
        raise VacancyRefused({"": _("You do not act for this employer.")})
    today = timezone.localdate()
    with transaction.atomic():
        changed = Vacancy.objects.filter(pk=vacancy.pk, status=VacancyStatus.OPEN).update(
            status=VacancyStatus.WITHDRAWN, closed_on=today, version=vacancy.version + 1
        )
        vacancy.refresh_from_db()
        if not changed:
            if vacancy.status == VacancyStatus.WITHDRAWN:
                return vacancy
            raise VacancyRefused({"": _("This vacancy is already closed.")})
        _audit("employment.vacancy_withdraw", actor, vacancy, request, client_institution)
        usage_record(
            kind=UsageKind.VACANCY_CLOSED,
            occurred_at=timezone.now(),
            region=vacancy.region,
            outcome=VacancyStatus.WITHDRAWN,
            source=f"vacancy_closed:{vacancy.pk}",
        )
    return vacancy


def vacancies_expire(*, on: datetime.date) -> int:
    """Close every open vacancy whose closing date is before `on` (one UPDATE); the number
    closed. Run again, it finds nothing to close."""
    with transaction.atomic():
        due = Vacancy.objects.filter(status=VacancyStatus.OPEN, closes_on__lt=on)
        rows = list(due.values_list("pk", "region"))
        if not rows:
            return 0
        closed = Vacancy.objects.filter(
            pk__in=[pk for pk, _region in rows], status=VacancyStatus.OPEN
        ).update(status=VacancyStatus.EXPIRED, closed_on=on)
        now = timezone.now()
        for pk, region in rows:
            usage_record(
                kind=UsageKind.VACANCY_CLOSED,
                occurred_at=now,
                region=region,
                outcome=VacancyStatus.EXPIRED,
                source=f"vacancy_closed:{pk}",
            )
    return closed


def search_text_of(
    *, occupation: Occupation, title: str, description: str, requirements: str, **_other: Any
) -> str:
    """What the search reads: title, occupation (az, en, ru), description and requirements,
    folded (`search.fold`)."""
    parts = (
        title,
        occupation.title_az,
        occupation.title_en,
        occupation.title_ru,
        description,
        requirements,
    )
    return fold(" ".join(part for part in parts if part))


def minimum_salary_qepik(*, weekly_hours: int, on: datetime.date) -> int:
    """The minimum monthly wage for `weekly_hours` on `on` (the `minimum_wage` scheme)."""
    result = evaluate_case(
        get_scheme("minimum_wage"),
        {"monthly_wage_qepik": 0, "weekly_hours": weekly_hours},
        on=on,
    )
    steps = {step["name"]: step["value"] for step in result.trace["steps"]}
    return int(steps["required_wage_qepik"])


def _acts_for(actor: Actor | None, employer: Employer) -> bool:
    if actor is None:
        return False
    return employers_of_actor(actor=actor).filter(pk=employer.pk).exists()


def _texts_check(texts: dict[str, str]) -> dict[str, str]:
    problems = {}
    for name, value in texts.items():
        if "\x00" in value:
            problems[name] = _("The text contains a character that cannot be stored.")
        elif len(value.strip()) > LIMITS[name]:
            problems[name] = _("Write at most %(limit)s characters.") % {
                "limit": f"{LIMITS[name]:,}".replace(",", " ")
            }
    if "title" not in problems and not texts["title"].strip():
        problems["title"] = _("Enter the title of the job.")
    if "workplace" not in problems and not texts["workplace"].strip():
        problems["workplace"] = _("Enter the place of work.")
    return problems


def _terms_check(
    region: str, salary_qepik: int, weekly_hours: int, positions: int, today: datetime.date
) -> dict[str, str]:
    problems = {}
    if region not in Region.values:
        problems["region"] = _("Choose a region from the list.")
    if not 1 <= positions <= MAX_POSITIONS:
        problems["positions"] = _("Enter from 1 to %(most)s positions.") % {"most": MAX_POSITIONS}
    if not 1 <= weekly_hours <= MAX_WEEKLY_HOURS:
        problems["weekly_hours"] = _("Enter from 1 to %(most)s working hours a week.") % {
            "most": MAX_WEEKLY_HOURS
        }
    if not 0 < salary_qepik <= MAX_SALARY_QEPIK:
        problems["salary_qepik"] = _("Enter the monthly salary in manat, for example 450.")
    elif "weekly_hours" not in problems:
        problem = _minimum_wage_problem(salary_qepik, weekly_hours, today)
        if problem:
            problems["salary_qepik"] = problem
    return problems


def _minimum_wage_problem(salary_qepik: int, weekly_hours: int, on: datetime.date) -> str:
    try:
        required = minimum_salary_qepik(weekly_hours=weekly_hours, on=on)
    except ParameterError:
        return _("The minimum wage for today is not known to the register. Contact the ministry.")
    if salary_qepik >= required:
        return ""
    return _(
        "The salary is below the minimum wage for %(hours)s hours a week: at least "
        "%(amount)s AZN a month."
    ) % {"hours": weekly_hours, "amount": f"{required // 100}.{required % 100:02d}"}


def _closing_check(closes_on: datetime.date, today: datetime.date) -> dict[str, str]:
    latest = today + datetime.timedelta(days=LONGEST_OPEN_DAYS)
    if today < closes_on <= latest:
        return {}
    return {
        "closes_on": _("Enter a closing date from %(first)s to %(last)s.")
        % {
            "first": f"{today + datetime.timedelta(days=1):%d.%m.%Y}",
            "last": f"{latest:%d.%m.%Y}",
        }
    }


def _audit(
    action: str,
    actor: Actor | None,
    vacancy: Vacancy,
    request: HttpRequest | None,
    client_institution: str,
) -> None:
    audit_record(
        action=action,
        actor=actor,
        actor_role="api_client" if client_institution else "employer",
        actor_institution=client_institution,
        obj=vacancy,
        request=request,
        details={"employer": vacancy.employer.voen, "status": vacancy.status},
    )
