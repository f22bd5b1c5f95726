"""`{% load formats %}`: money, dates and yes/no written one way (`meis.core.formats`).

    {{ award.amount_qepik|money }}   {{ form_amount|manat }}
    {{ case.submitted_on|day }}      {{ event.at|day_time }}      {{ flag|yes_no }}
    {{ slot.starts_at|weekday_day }} {{ call.duration|duration }}
    {{ uses|count }}                 {{ month|month_year }}

Each filter writes in the page's active language and shows "" for a missing value.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django import template

from meis.core import formats

register = template.Library()


@register.filter
def money(qepik: int | str | None) -> str:
    return "" if qepik is None or qepik == "" else formats.money(int(qepik))


@register.filter
def manat(amount: Decimal | int | str | None) -> str:
    if amount is None or amount == "":
        return ""
    try:
        return formats.manat(amount)
    except (InvalidOperation, ValueError):
        return str(amount)


@register.filter
def day(value: datetime.date | str | None) -> str:
    on = _date(value)
    return "" if on is None else formats.day(on)


@register.filter
def day_time(value: datetime.datetime | None) -> str:
    if isinstance(value, datetime.datetime):
        return formats.day_time(value)
    return day(value)


def _date(value: object) -> datetime.date | None:
    """A date, a moment, or an ISO date as JSON keeps it; None for anything else."""
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


@register.filter
def yes_no(value: bool | None) -> str:
    return formats.yes_no(value)


@register.filter
def weekday_day(value: datetime.date | str | None) -> str:
    on = _date(value)
    return "" if on is None else formats.weekday_day(on)


@register.filter
def duration(value: datetime.timedelta | None) -> str:
    return formats.duration(value) if isinstance(value, datetime.timedelta) else ""


@register.filter
def count(value: int | str | None) -> str:
    return "" if value is None or value == "" else formats.count(int(value))


@register.filter
def month_year(value: datetime.date | None) -> str:
    return "" if value is None else formats.month_year(value)
