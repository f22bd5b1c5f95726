"""Reads of the DOST service centres: the list, a day's hours and regime, the status now.

A centre receives citizens on a day when the nation works (meis.workcalendar), the centre has
not closed itself (`CentreClosure`), and it has opening hours for that weekday. A working day
moved onto a weekend (29 March 2020, a Sunday) takes the centre's Monday hours.
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from meis.centres.models import OpeningHours, ServiceCentre, SpecialRegime
from meis.workcalendar.models import CentreClosure
from meis.workcalendar.selectors import is_working_day

LOOKAHEAD_DAYS = 45  # how far to search for the next opening (Novruz plus a long weekend)


def service_centre_list() -> QuerySet[ServiceCentre]:
    """Every service centre, in the order of their codes (where a person can go in person)."""
    return ServiceCentre.objects.order_by("code")


def service_centre_get(*, code: str) -> ServiceCentre | None:
    return ServiceCentre.objects.filter(code=code).first()


def centres_for_directory() -> list[ServiceCentre]:
    """Every centre with its hours, regimes and closures read in four queries."""
    return list(
        ServiceCentre.objects.order_by("code").prefetch_related(
            Prefetch("hours", queryset=OpeningHours.objects.order_by("weekday")),
            Prefetch("regimes", queryset=SpecialRegime.objects.order_by("starts_on")),
            Prefetch("closures", queryset=CentreClosure.objects.order_by("starts_on")),
        )
    )


@dataclass(frozen=True)
class DayHours:
    opens_at: datetime.time
    closes_at: datetime.time


def _hours_by_weekday(centre: ServiceCentre) -> dict[int, DayHours]:
    return {h.weekday: DayHours(h.opens_at, h.closes_at) for h in centre.hours.all()}


def centre_closure_on(*, centre: ServiceCentre, day: datetime.date) -> CentreClosure | None:
    return next((c for c in centre.closures.all() if c.starts_on <= day <= c.ends_on), None)


def centre_regime_on(*, centre: ServiceCentre, day: datetime.date) -> SpecialRegime | None:
    return next((r for r in centre.regimes.all() if r.starts_on <= day <= r.ends_on), None)


def centre_regimes_from(*, centre: ServiceCentre, day: datetime.date) -> list[SpecialRegime]:
    """The centre's special regimes that have not ended by `day`, the earliest first."""
    return list(centre.regimes.filter(ends_on__gte=day).order_by("starts_on"))


def centre_hours_on(*, centre: ServiceCentre, day: datetime.date) -> DayHours | None:
    """When the centre receives citizens on `day`; None when it is closed all day."""
    if not is_working_day(day) or centre_closure_on(centre=centre, day=day) is not None:
        return None
    hours = _hours_by_weekday(centre)
    if day.weekday() >= 5 and day.weekday() not in hours:
        return hours.get(0)  # a working day decreed onto a weekend: the usual weekday hours
    return hours.get(day.weekday())


def centre_offers(*, centre: ServiceCentre, service_code: str, day: datetime.date) -> bool:
    """Whether the centre receives citizens for the service on `day` (its regime included)."""
    if service_code not in centre.services:
        return False
    regime = centre_regime_on(centre=centre, day=day)
    return regime is None or not regime.services or service_code in regime.services


def centre_next_opening(
    *, centre: ServiceCentre, after: datetime.datetime
) -> datetime.datetime | None:
    """The first moment after `after` at which the centre opens its doors."""
    local = timezone.localtime(after)
    for offset in range(LOOKAHEAD_DAYS):
        day = local.date() + datetime.timedelta(days=offset)
        hours = centre_hours_on(centre=centre, day=day)
        if hours is None:
            continue
        opens = timezone.make_aware(datetime.datetime.combine(day, hours.opens_at))
        if opens > local:
            return opens
    return None


class CentreState(enum.StrEnum):
    OPEN = "open"
    RESTRICTED = "restricted"  # open, by appointment only or for listed services only
    CLOSED = "closed"


@dataclass(frozen=True)
class CentreStatus:
    """What the directory says about a centre at a moment, in the active language."""

    state: CentreState
    headline: str
    notice: str = ""
    regime: SpecialRegime | None = None
    closure: CentreClosure | None = None
    next_opening: datetime.datetime | None = None
    hours: list[tuple[str, str]] = field(default_factory=list)  # (weekday, "09:00–18:00")


def _time(value: datetime.time | datetime.datetime) -> str:
    return value.strftime("%H:%M")


def _day(value: datetime.date) -> str:
    # E: the month as a date writes it (genitive in Russian, lower case in Azerbaijani).
    return formats.date_format(value, "j E")


def _weekly_hours(centre: ServiceCentre) -> list[tuple[str, str]]:
    return [
        (str(h.get_weekday_display()), f"{_time(h.opens_at)}–{_time(h.closes_at)}")
        for h in centre.hours.all()
    ]


def centre_status(*, centre: ServiceCentre, at: datetime.datetime) -> CentreStatus:
    """The centre's status at the moment `at`: open until when, restricted, or closed and why.

    Give `centres_for_directory()`'s centres (their hours, regimes and closures prefetched) to
    read no more rows per centre."""
    local = timezone.localtime(at)
    day = local.date()
    hours = centre_hours_on(centre=centre, day=day)
    next_opening = centre_next_opening(centre=centre, after=local)
    weekly = _weekly_hours(centre)
    closure = centre_closure_on(centre=centre, day=day)
    if closure is not None:
        headline = _("Closed for %(reason)s until %(day)s") % {
            "reason": closure.reason,
            "day": _day(closure.ends_on),
        }
        return CentreStatus(
            CentreState.CLOSED, headline, closure=closure, next_opening=next_opening, hours=weekly
        )
    if hours is None or local.time() >= hours.closes_at:
        headline = _("Closed now")
        return CentreStatus(CentreState.CLOSED, headline, next_opening=next_opening, hours=weekly)
    regime = centre_regime_on(centre=centre, day=day)
    if local.time() < hours.opens_at:
        headline = _("Opens today at %(time)s") % {"time": _time(hours.opens_at)}
    else:
        headline = _("Open until %(time)s") % {"time": _time(hours.closes_at)}
    if regime is None:
        return CentreStatus(CentreState.OPEN, headline, next_opening=next_opening, hours=weekly)
    restriction = (
        _("restricted reception: appointments only")
        if regime.is_appointment_only
        else _("restricted reception: listed services only")
    )
    return CentreStatus(
        CentreState.RESTRICTED,
        f"{headline}; {restriction}",
        notice=regime.notice,
        regime=regime,
        next_opening=next_opening,
        hours=weekly,
    )
