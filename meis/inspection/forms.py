"""The dispute form (citizens), the decision form and the report filters (inspectors)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meis.catalog.forms import COMMON_MESSAGES
from meis.inspection.models import DISPUTE_TEXT_MAX_LENGTH, DisputeReason

NOTE_MAX_LENGTH = 2000
# The reports look back at most this far: the register starts in 2014 (the generator's history).
EARLIEST_REPORT_YEAR = 2014
DATE_MESSAGES = {**COMMON_MESSAGES, "invalid": _("Enter a real date.")}


class DisputeForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong?"),
        choices=DisputeReason.choices,
        widget=forms.RadioSelect,
        error_messages={**COMMON_MESSAGES, "required": _("Choose what is wrong.")},
    )
    text = forms.CharField(
        label=_("Explain what is wrong and what is right"),
        help_text=_("For example the dates you really worked, or the wage you were paid."),
        max_length=DISPUTE_TEXT_MAX_LENGTH,
        widget=forms.Textarea,
        error_messages={**COMMON_MESSAGES, "required": _("Write a short explanation.")},
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("upheld", _("Uphold: the entry is wrong")),
            ("rejected", _("Reject: the entry stands")),
        ],
        widget=forms.RadioSelect,
        error_messages={**COMMON_MESSAGES, "required": _("Choose a decision.")},
    )
    note = forms.CharField(
        label=_("Note to the person"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea,
        error_messages={**COMMON_MESSAGES, "required": _("Write a note for the person.")},
    )


class MonthForm(forms.Form):
    """A month as YYYY-MM (the browser's month input)."""

    month = forms.CharField(
        label=_("Month"),
        max_length=7,
        required=False,
        error_messages=COMMON_MESSAGES,
        help_text=_("For example 2026-03."),
    )

    def clean_month(self) -> datetime.date:
        value = self.cleaned_data.get("month") or ""
        if not value:
            return timezone.localdate().replace(day=1)
        return _month(value)


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, error_messages=DATE_MESSAGES, widget=forms.DateInput
    )
    end = forms.DateField(
        label=_("To"), required=False, error_messages=DATE_MESSAGES, widget=forms.DateInput
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        today = timezone.localdate()
        start = cleaned.get("start") or today.replace(month=1, day=1)
        end = cleaned.get("end") or today
        if start.year < EARLIEST_REPORT_YEAR:
            self.add_error("start", _("The register starts in 2014: choose a later date."))
        elif start > end:
            self.add_error("end", _("The end of the period is before its start."))
        cleaned["start"], cleaned["end"] = start, end
        return cleaned


def _month(value: str) -> datetime.date:
    try:
        month_on = datetime.datetime.strptime(value, "%Y-%m").date()  # noqa: DTZ007 — a date
    except ValueError as error:
        raise forms.ValidationError(_("Enter a month like 2026-03.")) from error
    if month_on.year < EARLIEST_REPORT_YEAR or month_on.year > timezone.localdate().year + 1:
        raise forms.ValidationError(_("Enter a month like 2026-03."))
    return month_on
