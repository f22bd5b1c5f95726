"""Reads of the employment service's register: what the registers say about a registration.

`registration_check(person, on, declared_not_employed=...)` is the one place that decides,
from the registers, whether a person may register and with which status; the registration
page shows its reasons before anything is written, and `services.job_seeker_register` calls it
again inside its transaction.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import polars as pl
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meis.awards.models import HELD_STATUSES, Award, AwardKind
from meis.core.dates import months_add
from meis.employment.models import (
    OPEN_STATES,
    JobSeeker,
    Referral,
    SeekerStatus,
    StatusChange,
    Vacancy,
    VacancyStatus,
)
from meis.labour.models import Contract, ContractStatus
from meis.registry.models import Person, Sex
from meis.rules.dates import month_index, scheduled_age
from meis.rules.store import default_store

# Awards whose recipient is a pensioner and so cannot be unemployed (Law on employment, §8).
PENSION_KINDS = (
    AwardKind.OLD_AGE_PENSION.value,
    AwardKind.DISABILITY_PENSION.value,
    AwardKind.SURVIVOR_PENSION.value,
)


@dataclass(frozen=True)
class Reason:
    """Why the registers decide as they do, and how a wrong register entry is corrected."""

    code: str
    text: str
    correction: str = ""


@dataclass(frozen=True)
class RegistrationCheck:
    """`status` is the status the person gets (None: cannot register at all, `refusals` say
    why); `reasons` say why a person is a job seeker and not unemployed."""

    status: str | None
    reasons: tuple[Reason, ...] = ()
    refusals: tuple[Reason, ...] = ()
    open_registration: JobSeeker | None = None

    @property
    def can_register(self) -> bool:
        return self.status is not None

    @property
    def reason_code(self) -> str:
        return self.reasons[0].code if self.reasons else ""


def registration_check(
    *, person: Person, on: datetime.date, declared_not_employed: bool = True
) -> RegistrationCheck:
    """The status the registers allow `person` on `on`.

    Nobody under the minimum employment age, nobody dead, and nobody already registered may
    register. The unemployed status needs, besides, no active employment contract (the contracts
    register), no pension (the awards), an age below the pension age (the pension-age schedule),
    and the person's declaration that they are not an entrepreneur, land-share owner,
    family-farm member or full-time student (no register of those is connected yet).
    """
    refusals: list[Reason] = []
    open_registration = (
        JobSeeker.objects.filter(person=person, state__in=OPEN_STATES).order_by("-pk").first()
    )
    if person.died_on is not None:
        refusals.append(Reason("dead", str(_("The population register records a death."))))
    if _age_months(person.birth_on, on) < _minimum_age_months(on):
        refusals.append(Reason("too_young", str(_too_young_text(on))))
    if open_registration is not None:
        refusals.append(
            Reason("already_registered", str(_("You are already registered with the service.")))
        )
    if refusals:
        return RegistrationCheck(
            status=None, refusals=tuple(refusals), open_registration=open_registration
        )
    contracts = tuple(contracts_active(person=person, on=on))
    reasons: list[Reason] = []
    if contracts:
        employers = ", ".join(sorted({c.employer.name for c in contracts}))
        reasons.append(
            Reason(
                "employed",
                str(
                    _("The contracts register shows an active employment contract with %(who)s.")
                    % {"who": employers}
                ),
                str(
                    _(
                        "If the contract has ended, ask the employer to notify its termination, "
                        "or dispute the entry under “My contracts”."
                    )
                ),
            )
        )
    if pension_held(person=person, on=on):
        reasons.append(
            Reason(
                "pensioner",
                str(
                    _("You receive a pension, and a pensioner cannot be registered as unemployed.")
                ),
                str(
                    _(
                        "If the pension has stopped, bring the decision to a DOST centre or "
                        "call 142 so the award is corrected."
                    )
                ),
            )
        )
    elif on >= pension_age_on(person):
        reasons.append(
            Reason(
                "pension_age",
                str(_("You have reached the pension age; the unemployed status ends at it.")),
            )
        )
    if not declared_not_employed:
        reasons.append(
            Reason(
                "declared_employed",
                str(
                    _(
                        "You said you are an entrepreneur, a land-share owner, a family-farm "
                        "member or a full-time student; the law counts these as employed."
                    )
                ),
            )
        )
    status = SeekerStatus.JOB_SEEKER if reasons else SeekerStatus.UNEMPLOYED
    return RegistrationCheck(status=status.value, reasons=tuple(reasons))


def contracts_active(*, person: Person, on: datetime.date) -> QuerySet[Contract]:
    """Contracts in force on `on`: started, not terminated (suspended ones still bind)."""
    return (
        Contract.objects.filter(
            person=person,
            status__in=(ContractStatus.ACTIVE, ContractStatus.SUSPENDED),
            start_on__lte=on,
        )
        .select_related("employer")
        .order_by("start_on")
    )


def pension_held(*, person: Person, on: datetime.date) -> bool:
    return Award.objects.filter(
        person=person, kind__in=PENSION_KINDS, status__in=HELD_STATUSES, start_on__lte=on
    ).exists()


def pension_age_on(person: Person) -> datetime.date:
    """The day `person` reaches the pension age in force then (the old-age pension's schedule,
    the same computation as the rule `old_age_pension.pension_age_on`)."""
    store = default_store()
    name = (
        "labour_pensions.retirement_age_men"
        if person.sex == Sex.MALE
        else "labour_pensions.retirement_age_women"
    )
    schedule = store.parameter(name).periods
    frame = pl.DataFrame({"birth_on": [person.birth_on]}).with_columns(
        month=month_index(pl.col("birth_on"))
    )
    age, period_start = scheduled_age(pl.col("month"), schedule)
    row = frame.select(age=age, start=period_start).row(0, named=True)
    reach = months_add(person.birth_on, int(row["age"]))
    start: datetime.date = row["start"]
    return reach if reach >= start else start


def registration_open(*, person: Person) -> JobSeeker | None:
    """The person's open registration (active or temporarily de-registered), if any."""
    return (
        JobSeeker.objects.filter(person=person, state__in=OPEN_STATES)
        .prefetch_related("occupations")
        .first()
    )


def registration_open_by_fin(*, fin: str) -> JobSeeker | None:
    return JobSeeker.objects.filter(person__fin=fin, state__in=OPEN_STATES).only("person").first()


def registrations_recent(*, region: str, limit: int = 50) -> list[JobSeeker]:
    """The newest open registrations of people living in `region` (an officer's worklist)."""
    return list(
        JobSeeker.objects.filter(state__in=OPEN_STATES, person__region=region)
        .select_related("person")
        .order_by("-registered_on", "-pk")[:limit]
    )


def registrations_of(*, person: Person) -> QuerySet[JobSeeker]:
    return JobSeeker.objects.filter(person=person).order_by("-registered_on", "-pk")


def registration_changes(*, job_seeker: JobSeeker) -> QuerySet[StatusChange]:
    return job_seeker.changes.all()


def _minimum_age_months(on: datetime.date) -> int:
    return int(str(default_store().value("labour.minimum_employment_age", on=on)))


def _too_young_text(on: datetime.date) -> str:
    years = _minimum_age_months(on) // 12
    return str(_("One may register from the age of %(years)s.") % {"years": years})


def _age_months(birth_on: datetime.date, on: datetime.date) -> int:
    months = (on.year - birth_on.year) * 12 + on.month - birth_on.month
    return months - 1 if on.day < birth_on.day else months


def vacancies_suggested(*, job_seeker: JobSeeker, limit: int = 10) -> list[Vacancy]:
    """Open vacancies for the job seeker: one of their occupations, in the region they want
    (else where they live), paying at least what they asked; best paid and soonest closing
    first, never one they were already referred to. One indexed query per page."""
    today = timezone.localdate()
    occupation_ids = [o.pk for o in job_seeker.occupations.all()]
    if not occupation_ids:
        return []
    region = job_seeker.desired_region or job_seeker.person.region
    vacancies = Vacancy.objects.filter(
        status=VacancyStatus.OPEN,
        closes_on__gte=today,
        region=region,
        occupation_id__in=occupation_ids,
    ).exclude(referrals__job_seeker=job_seeker)
    if job_seeker.desired_salary_qepik:
        vacancies = vacancies.filter(salary_qepik__gte=job_seeker.desired_salary_qepik)
    return list(
        vacancies.select_related("employer", "occupation").order_by("-salary_qepik", "closes_on")[
            :limit
        ]
    )


def referrals_of(*, job_seeker: JobSeeker) -> QuerySet[Referral]:
    return job_seeker.referrals.select_related("vacancy", "vacancy__employer").order_by(
        "-referred_on", "-pk"
    )


@dataclass(frozen=True)
class RegisterCounts:
    """The register today, for the statistics (no person): open registrations by status and
    state, and the open vacancies with their positions."""

    unemployed: int
    job_seekers: int
    paused: int
    open_vacancies: int
    open_positions: int


def register_counts(*, on: datetime.date) -> RegisterCounts:
    registrations = JobSeeker.objects.filter(state__in=OPEN_STATES).aggregate(
        unemployed=Count("pk", filter=Q(status=SeekerStatus.UNEMPLOYED)),
        job_seekers=Count("pk", filter=Q(status=SeekerStatus.JOB_SEEKER)),
        paused=Count("pk", filter=Q(state="paused")),
    )
    vacancies = Vacancy.objects.filter(status=VacancyStatus.OPEN, closes_on__gte=on).aggregate(
        count=Count("pk"), positions=Sum(F("positions") - F("positions_filled"))
    )
    return RegisterCounts(
        unemployed=registrations["unemployed"],
        job_seekers=registrations["job_seekers"],
        paused=registrations["paused"],
        open_vacancies=vacancies["count"],
        open_positions=vacancies["positions"] or 0,
    )
