"""The payment pages' forms: parse input only; the services decide."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meis.payments.models import Branch


class BranchChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.bank.name} — {obj.name}"


class AccountForm(forms.Form):
    iban = forms.CharField(
        label=_("IBAN"),
        max_length=40,
        help_text=_("28 characters, starting with AZ, as your bank gave it. Spaces are ignored."),
        error_messages={"required": _("Enter the IBAN of your account.")},
    )
    branch = BranchChoice(
        label=_("Branch of your bank"),
        queryset=Branch.objects.none(),
        required=False,
        empty_label=_("Head office or any branch"),
        help_text=_(
            "Where you collect your card or cash. It must be a branch of your IBAN's bank."
        ),
        error_messages={"invalid_choice": _("Choose a branch from the list.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        branch = self.fields["branch"]
        assert isinstance(branch, BranchChoice)  # noqa: S101 — declared above
        branch.queryset = (
            Branch.objects.select_related("bank")
            .filter(bank__is_active=True)
            .order_by("bank__name", "name", "pk")
        )


class StaffAccountForm(AccountForm):
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example the recipient's signed request of 3 March, or the bank's letter."),
        error_messages={"required": _("Give the reason for changing the account.")},
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=6,
        min_length=6,
        help_text=_("The 6 digits of the message we sent you."),
        error_messages={
            "required": _("Enter the code from the message."),
            "min_length": _("The code has 6 digits."),
            "max_length": _("The code has 6 digits."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class FinForm(forms.Form):
    fin = forms.CharField(
        label=_("FİN of the recipient"),
        max_length=7,
        help_text=_("The 7 characters of the personal identification number."),
        error_messages={"required": _("Enter the recipient's FİN.")},
    )


class CardIbanForm(forms.Form):
    iban = forms.CharField(
        label=_("IBAN of the card's account"),
        max_length=40,
        error_messages={"required": _("Enter the IBAN the bank gave for the card.")},
    )


class CardCsvForm(forms.Form):
    confirmations = forms.FileField(
        label=_("The bank's confirmations (CSV)"),
        help_text=_("UTF-8 CSV, one issued card a line, after this header line:"),
        error_messages={"required": _("Choose the CSV file the bank sent.")},
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
