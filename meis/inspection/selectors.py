"""Reads for the employee's contract pages and the labour inspection's oversight.

The citizen's reads take the person (the signed-in citizen) and answer only their own rows:
another person's contract is "not found". The oversight reports aggregate in the database
(GROUP BY, semi-joins) and return querysets the pages paginate, so they stay cheap at the
country's scale (10 M people, ~1.9 M live contracts); nothing loads a table into Python.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.http import Http404
from django.utils import timezone

from meis.awards.models import Award, AwardKind, AwardStatus
from meis.inspection.models import ContractDispute, DisputeStatus
from meis.insurance.models import Contribution, InsuranceAccount
from meis.labour.models import Contract, ContractStatus, ContractVersion
from meis.registry.models import Employer, HouseholdMembership, Person

LIVE_STATUSES = (ContractStatus.ACTIVE, ContractStatus.SUSPENDED)
WORKING_AGE_FROM = 18
WORKING_AGE_TO = 63  # inclusive: the report's "adults" are 18 to 63 years old
RECENT_WAGE_MONTHS = 3


class ContractNotFound(Http404):
    """No such contract, or not the person's: the person cannot tell which."""


class DisputeNotFound(Http404):
    pass


# --- The employee's side ---------------------------------------------------------------------


def contracts_for_person(*, person: Person) -> list[Contract]:
    """The person's contracts, newest first, each with its versions and the person's disputes."""
    return list(_with_history(Contract.objects.filter(person=person), person=person))


def contract_get_for_person(*, person: Person, contract_id: int) -> Contract:
    contract = _with_history(
        Contract.objects.filter(person=person, pk=contract_id), person=person
    ).first()
    if contract is None:
        raise ContractNotFound
    return contract


def _with_history(contracts: QuerySet[Contract], *, person: Person) -> QuerySet[Contract]:
    return contracts.select_related(
        "employer", "occupation", "termination_ground"
    ).prefetch_related(
        Prefetch(
            "versions",
            queryset=ContractVersion.objects.select_related("termination_ground").order_by(
                "number"
            ),
        ),
        Prefetch(
            "disputes",
            queryset=ContractDispute.objects.filter(person=person).order_by("-created_at", "-id"),
        ),
    )


def dispute_open_get(*, contract: Contract, person: Person) -> ContractDispute | None:
    """The person's dispute of the contract still waiting for a decision, if any."""
    return ContractDispute.objects.filter(
        contract=contract, person=person, status=DisputeStatus.OPEN
    ).first()


def insurance_opened_on(*, person: Person) -> datetime.date | None:
    """The day the person's first registered contract opened their insurance account, if any."""
    return (
        InsuranceAccount.objects.filter(person=person).values_list("opened_on", flat=True).first()
    )


# --- Disputes (inspectors) ---------------------------------------------------------------------


def disputes_queue() -> QuerySet[ContractDispute]:
    """Open disputes first, oldest first (they wait longest); then decided ones, latest first."""
    return (
        ContractDispute.objects.select_related("contract__employer")
        .annotate(is_decided=~Q(status=DisputeStatus.OPEN))
        .order_by("is_decided", F("decided_at").desc(nulls_first=True), "created_at", "id")
    )


def dispute_get(*, dispute_id: int) -> ContractDispute:
    dispute = (
        ContractDispute.objects.select_related(
            "person",
            "decided_by",
            "contract__employer",
            "contract__occupation",
            "contract__termination_ground",
        )
        .prefetch_related(
            Prefetch(
                "contract__versions",
                queryset=ContractVersion.objects.select_related("termination_ground").order_by(
                    "number"
                ),
            )
        )
        .filter(pk=dispute_id)
        .first()
    )
    if dispute is None:
        raise DisputeNotFound
    return dispute


# --- Oversight reports -------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive


def month_period(month_on: datetime.date) -> Period:
    first = month_on.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return Period(first, following - datetime.timedelta(days=1))


def late_versions(*, period: Period, employer_id: int | None = None) -> QuerySet[ContractVersion]:
    """Notifications registered in the period after the day they took effect."""
    # A range on the timestamp itself (not on its date), so an index on it can serve the filter.
    versions = ContractVersion.objects.filter(
        is_late=True,
        registered_at__gte=_day_start(period.start),
        registered_at__lt=_day_start(period.end + datetime.timedelta(days=1)),
    )
    if employer_id is not None:
        versions = versions.filter(contract__employer_id=employer_id)
    return versions.select_related("contract__employer").order_by("-registered_at", "-id")


def _day_start(on: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(on, datetime.time.min))


def late_by_employer(*, period: Period) -> QuerySet[ContractVersion, dict[str, object]]:
    """Late notifications of the period per employer, most first."""
    return (
        late_versions(period=period)
        .order_by()
        .values(
            employer_id=F("contract__employer_id"),
            employer_name=F("contract__employer__name"),
            employer_voen=F("contract__employer__voen"),
        )
        .annotate(late=Count("id"))
        .order_by("-late", "employer_name", "employer_id")
    )


def _terminated_in(period: Period) -> QuerySet[Contract]:
    return Contract.objects.filter(
        status=ContractStatus.TERMINATED,
        terminated_on__gte=period.start,
        terminated_on__lte=period.end,
    ).order_by()


def terminations_by_ground(*, period: Period) -> QuerySet[Contract, dict[str, object]]:
    return (
        _terminated_in(period)
        .values(
            ground_id=F("termination_ground_id"),
            article=F("termination_ground__article"),
            title_az=F("termination_ground__title_az"),
            title_en=F("termination_ground__title_en"),
            title_ru=F("termination_ground__title_ru"),
        )
        .annotate(terminations=Count("id"))
        .order_by("-terminations", "article")
    )


def terminations_by_employer(*, period: Period) -> QuerySet[Contract, dict[str, object]]:
    return (
        _terminated_in(period)
        .values(
            "employer_id",
            employer_name=F("employer__name"),
            employer_voen=F("employer__voen"),
        )
        .annotate(terminations=Count("id"))
        .order_by("-terminations", "employer_name", "employer_id")
    )


def _years_before(on: datetime.date, years: int) -> datetime.date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February in a year that has none
        return on.replace(year=on.year - years, day=28)


def _recent_wages_since(on: datetime.date) -> datetime.date:
    """The first day of the earliest of the last RECENT_WAGE_MONTHS months (this one included)."""
    month = on.month - (RECENT_WAGE_MONTHS - 1)
    year = on.year
    while month < 1:
        month += 12
        year -= 1
    return datetime.date(year, month, 1)


def informal_work_candidates(*, on: datetime.date) -> QuerySet[Contribution, dict[str, object]]:
    """Possible informal work: an adult (18–63) of a household with an active targeted-assistance
    award, with no live contract, whose contributions show wages from an employer in the last
    three months — one row per person and employer, with the household and the wages seen.

    One statement: the assistance households and the live contracts are semi-joins (EXISTS), the
    contributions are grouped in the database; the page paginates the result."""
    assisted_household = Award.objects.filter(
        household_id=OuterRef("household_id"),
        kind=AwardKind.TARGETED_ASSISTANCE,
        status=AwardStatus.ACTIVE,
    )
    # The people to look at: current members of assisted households, of working age, alive. A
    # few hundred thousand at the country's scale; their contributions are then read through the
    # (person, month) index, never by scanning the contributions of everyone.
    assisted_adults = (
        HouseholdMembership.objects.filter(
            left_on__isnull=True,
            person__died_on__isnull=True,
            person__birth_on__lte=_years_before(on, WORKING_AGE_FROM),
            person__birth_on__gt=_years_before(on, WORKING_AGE_TO + 1),
        )
        .filter(Exists(assisted_household))
        .values("person_id")
    )
    live_contract = Contract.objects.filter(
        person_id=OuterRef("person_id"), status__in=LIVE_STATUSES
    )
    employer_name = Employer.objects.filter(voen=OuterRef("employer_voen")).values("name")[:1]
    return (
        Contribution.objects.filter(
            person_id__in=Subquery(assisted_adults),
            month_on__gte=_recent_wages_since(on),
            month_on__lte=on,
        )
        .exclude(employer_voen="")
        .exclude(Exists(live_contract))
        .order_by()
        .values("person_id", "employer_voen")
        .annotate(
            months=Count("month_on", distinct=True),
            last_month_on=Max("month_on"),
            amount_qepik=Sum("amount_qepik"),
            fin=F("person__fin"),
            birth_on=F("person__birth_on"),
            household_registry_id=Subquery(
                HouseholdMembership.objects.filter(
                    person_id=OuterRef("person_id"), left_on__isnull=True
                ).values("household__registry_id")[:1]
            ),
            employer_name=Subquery(employer_name),
        )
        .order_by("person_id", "employer_voen")
    )


def informal_work_person_is_listed(*, person_id: int, on: datetime.date) -> bool:
    """Whether the person is on the informal-work report today (the ground to open them)."""
    return informal_work_candidates(on=on).filter(person_id=person_id).exists()


def recent_contributions(*, person: Person, on: datetime.date) -> QuerySet[Contribution]:
    return Contribution.objects.filter(
        person=person, month_on__gte=_recent_wages_since(on), month_on__lte=on
    ).order_by("-month_on", "employer_voen")


def person_contracts(*, person: Person) -> QuerySet[Contract]:
    return (
        Contract.objects.filter(person=person)
        .select_related("employer", "occupation", "termination_ground")
        .order_by("-start_on", "-id")
    )


def person_household_registry_id(*, person: Person) -> str:
    return (
        HouseholdMembership.objects.filter(person=person, left_on__isnull=True)
        .values_list("household__registry_id", flat=True)
        .first()
        or ""
    )
