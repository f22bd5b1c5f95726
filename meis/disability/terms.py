"""The law's terms for a commission decision, read from the dated parameters
(`meis/rules/parameters/disability.yaml`, docs/rules/parameters/disability.md): the percent
bands of the degrees, the longest re-examination term, the 15-year rule, the appeal period."""

from __future__ import annotations

import calendar
import datetime

from meis.lifeevents.models import DisabilityDecision, DisabilityDegree
from meis.registry.models import Person
from meis.rules.errors import ParameterError
from meis.rules.store import default_store


def _value(name: str, on: datetime.date) -> int:
    return int(str(default_store().value(f"disability.{name}", on=on)))


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


def uses_percentages(on: datetime.date) -> bool:
    """Degrees are set by the percentage of lost body functions from 1 July 2022."""
    try:
        _value("degree_3_percent_min", on)
    except ParameterError:
        return False
    return True


def degree_for_percentage(percentage: int, on: datetime.date) -> str | None:
    """The degree whose band holds `percentage` on `on`; None below degree III's band."""
    if percentage > 100:
        return None
    if percentage >= _value("degree_1_percent_min", on):
        return DisabilityDegree.FIRST
    if percentage >= _value("degree_2_percent_min", on):
        return DisabilityDegree.SECOND
    if percentage >= _value("degree_3_percent_min", on):
        return DisabilityDegree.THIRD
    return None


def longest_term_months(degree: str, on: datetime.date) -> int:
    """The longest re-examination term a commission sets for `degree`."""
    if degree == DisabilityDegree.FIRST:
        return _value("reexamination_degree_1_months", on)
    return _value("reexamination_degree_2_3_months", on)


def may_be_indefinite(person: Person, on: datetime.date) -> bool:
    """The 15-year rule: disability established for at least `indefinite_after_months` (from
    the person's first decision) may be established without a re-examination date."""
    try:
        months = _value("indefinite_after_months", on)
    except ParameterError:
        return False
    first = (
        DisabilityDecision.objects.filter(person=person)
        .order_by("decided_on")
        .values_list("decided_on", flat=True)
        .first()
    )
    return first is not None and add_months(first, months) <= on


def appeal_deadline(decided_on: datetime.date) -> datetime.date:
    """The last day an appeal against a decision of `decided_on` may be lodged."""
    return add_months(decided_on, _value("appeal_period_months", decided_on))


def suggested_reexamination(degree: str, on: datetime.date) -> datetime.date:
    return add_months(on, longest_term_months(degree, on))
