"""The payment pages' forms: parse input only; the services decide."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class AccountForm(forms.Form):
    iban = forms.CharField(
        label=_("IBAN"),
        max_length=40,
        help_text=_("28 characters, starting with AZ, as your bank gave it. Spaces are ignored."),
        error_messages={"required": _("Enter the IBAN of your account.")},
    )


class MonthForm(forms.Form):
    month = forms.CharField(
        label=_("Month"),
        max_length=7,
        help_text=_("Year and month, for example 2026-03."),
        error_messages={"required": _("Enter the month of the payroll, for example 2026-03.")},
    )

    def clean_month(self) -> datetime.date:
        value: Any = self.cleaned_data["month"]
        try:
            year, month = (int(part) for part in str(value).strip().split("-"))
            return datetime.date(year, month, 1)
        except ValueError:
            raise forms.ValidationError(
                _("Enter the month as year and month, for example 2026-03.")
            ) from None


class StatementForm(forms.Form):
    statement = forms.FileField(
        label=_("The bank's statement"),
        help_text=_(
            "The camt.054 XML file the bank sent for this month's payment file, or the MEİS "
            "CSV statement."
        ),
        error_messages={"required": _("Choose the statement file the bank sent.")},
    )
