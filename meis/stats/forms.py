"""The dashboard's filters: a period, a region, a centre, and the step of its series. They parse
what the analyst asked for and bound it, so that no request scans years day by day."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meis.centres.models import ServiceCentre
from meis.core.formats import day
from meis.registry.models import Region
from meis.usage.selectors import Period

EARLIEST = datetime.date(2016, 1, 1)  # e-sosial.az's e-services were counted from 2016 on
LONGEST_DAYS = 5 * 366  # a period of at most five years
LONGEST_DAILY_DAYS = 366  # a series by day covers at most a year

STEPS = [("day", _("By day")), ("week", _("By week")), ("month", _("By month"))]


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Enter the first day of the period."),
            "invalid": _("Enter the first day as a date, for example 2020-03-16."),
        },
    )
    end = forms.DateField(
        label=_("To"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Enter the last day of the period."),
            "invalid": _("Enter the last day as a date, for example 2020-03-31."),
        },
    )
    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        error_messages={"invalid_choice": _("Choose a region from the list.")},
    )
    centre = forms.ChoiceField(
        label=_("Centre"),
        required=False,
        error_messages={"invalid_choice": _("Choose a centre from the list.")},
    )
    step = forms.ChoiceField(
        label=_("Series"),
        choices=STEPS,
        required=False,
        error_messages={"invalid_choice": _("Choose by day, week or month.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = sorted(((code, str(label)) for code, label in Region.choices), key=lambda c: c[1])
        cast(forms.ChoiceField, self.fields["region"]).choices = [("", _("All regions")), *regions]
        cast(forms.ChoiceField, self.fields["centre"]).choices = [
            ("", _("All centres")),
            *sorted(((c.code, c.name) for c in ServiceCentre.objects.all()), key=lambda c: c[1]),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start is None or end is None:
            return data
        today = timezone.localdate()
        if start > end:
            self.add_error("end", _("The last day must not be before the first day."))
        elif start < EARLIEST:
            self.add_error(
                "start",
                _("Figures are kept from %(day)s. Choose a later first day.")
                % {"day": day(EARLIEST)},
            )
        elif end > today:
            self.add_error("end", _("The last day cannot be in the future."))
        elif (end - start).days + 1 > LONGEST_DAYS:
            self.add_error("end", _("Choose a period of at most five years."))
        elif not data.get("step"):
            data["step"] = default_step(start, end)
        elif data["step"] == "day" and (end - start).days + 1 > LONGEST_DAILY_DAYS:
            self.add_error(
                "step", _("A series by day covers at most a year: choose by week or month.")
            )
        return data

    def period(self) -> Period:
        data = self.cleaned_data
        return Period(
            start=data["start"], end=data["end"], region=data["region"], centre=data["centre"]
        )


def default_step(start: datetime.date, end: datetime.date) -> str:
    days = (end - start).days + 1
    return "day" if days <= 62 else "week" if days <= LONGEST_DAILY_DAYS else "month"


def default_period(today: datetime.date | None = None) -> dict[str, str]:
    """This year to today, as the form's fields would hold it."""
    today = today or timezone.localdate()
    start = today.replace(month=1, day=1)
    return {
        "start": start.isoformat(),
        "end": today.isoformat(),
        "step": default_step(start, today),
    }
