"""Reads from the registry.

Every look-up by identifier normalises its input through `meis.core.identifiers` first: malformed
input raises `InvalidIdentifier` (a `ValidationError`, shown to the user, never a 500) before any
query runs, and well-formed input hits a unique index — there is no path to a full scan.
"""

from __future__ import annotations

import calendar
import datetime

from django.db.models import Case, Q, QuerySet, Value, When

from meis.core.identifiers import normalize_document_number, normalize_fin

from .models import (
    DocumentStatus,
    Household,
    HouseholdMembership,
    IdentityDocument,
    Person,
    Relation,
    Sex,
)


def person_get_by_fin(*, fin: str) -> Person | None:
    """The person with this FİN, or None. Raises InvalidIdentifier for a malformed FİN."""
    return Person.objects.filter(fin=normalize_fin(fin)).first()


def person_get_by_document(*, document_number: str) -> Person | None:
    """The holder of this identity document (any status), or None."""
    number = normalize_document_number(document_number).number
    return Person.objects.filter(documents__number=number).first()


def document_valid_q(*, on: datetime.date) -> Q:
    """Documents that prove identity on `on`: status valid and not past their expiry date."""
    return Q(status=DocumentStatus.VALID) & (Q(expires_on__isnull=True) | Q(expires_on__gte=on))


def person_get_by_fin_and_document(
    *, fin: str, document_number: str, on: datetime.date | None = None
) -> Person | None:
    """The living person with this FİN who holds this document, valid on `on` (default today).

    This is what citizen sign-in asks: None when the pair does not match, the document is lost,
    replaced or expired, or the person has died — the caller cannot tell which, by design.
    """
    normalized_fin = normalize_fin(fin)
    number = normalize_document_number(document_number).number
    on = on or datetime.date.today()  # noqa: DTZ011 — a civil date in the server's zone
    document = (
        IdentityDocument.objects.filter(document_valid_q(on=on), number=number)
        .select_related("person")
        .first()
    )
    if document is None or document.person.fin != normalized_fin:
        return None
    if document.person.died_on is not None:
        return None
    return document.person


def household_members(*, household: Household) -> QuerySet[HouseholdMembership]:
    """The current members of a household, the head first, with their person rows."""
    return (
        HouseholdMembership.objects.filter(household=household, left_on__isnull=True)
        .select_related("person")
        .order_by(
            Case(When(relation=Relation.HEAD, then=Value(0)), default=Value(1)),
            "person__birth_on",
            "id",
        )
    )


def _birth_range_reaching_age(
    on: datetime.date, *, years: int, months: int
) -> tuple[datetime.date, datetime.date] | None:
    """The birth dates whose `years`/`months` anniversary falls on `on`, as an inclusive range.

    An anniversary that does not exist (born 31 January, one month later) falls on the last day
    of the month, so on the last day of a month a range of birth days reaches the age at once.
    """
    total = on.year * 12 + (on.month - 1) - (years * 12 + months)
    year, month = divmod(total, 12)
    month += 1
    days_in_target = calendar.monthrange(year, month)[1]
    days_in_on = calendar.monthrange(on.year, on.month)[1]
    if on.day < days_in_on:
        if on.day > days_in_target:
            return None
        return datetime.date(year, month, on.day), datetime.date(year, month, on.day)
    if days_in_on > days_in_target:
        return None
    return datetime.date(year, month, days_in_on), datetime.date(year, month, days_in_target)


def persons_reaching_age_on(
    *, on: datetime.date, years: int, months: int = 0, sex: Sex | str | None = None
) -> QuerySet[Person]:
    """Living people whose age reaches `years` years and `months` months exactly on `on`.

    One range query on the (birth_on, sex) index — set-based, for the proactive pipeline.
    """
    if years < 0 or months < 0:
        raise ValueError("years and months must not be negative")
    birth_range = _birth_range_reaching_age(on, years=years, months=months)
    if birth_range is None:
        return Person.objects.none()
    filters = Q(birth_on__range=birth_range, died_on__isnull=True)
    if sex is not None:
        filters &= Q(sex=Sex(sex))
    return Person.objects.filter(filters).order_by("birth_on", "id")
