"""Dated parameters of the appointment book, each with its source (STYLE: values are added,
never edited in place; the value in force on a date is the latest that started on or before it).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Dated:
    starts_on: datetime.date
    value: int
    unit: str
    reference: str


# After how many days a ready document nobody booked or collected is reminded (once).
PICKUP_UNCLAIMED_REMINDER_DAYS = (
    Dated(
        starts_on=datetime.date(2019, 5, 1),  # the first DOST centre opened in May 2019
        value=10,
        unit="calendar days",
        reference=(
            "[M] project choice, no legal source found: DOST service rules (Presidential Decree "
            "No. 387 of 10 Dec 2018) set no period; 10 days leaves two working weeks to come"
        ),
    ),
)


def value_on(values: tuple[Dated, ...], on: datetime.date) -> int:
    """The value in force on `on` (the earliest when `on` precedes them all)."""
    current = values[0]
    for dated in values:
        if dated.starts_on <= on:
            current = dated
    return current.value
