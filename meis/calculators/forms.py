"""The calculators' questions. Every bad input becomes a translated form error, never a 500.

Money is typed in AZN (a dot or a comma before the qəpik, spaces allowed) and turned into
integer qəpik exactly; bounds keep the numbers well inside the rules' Int64 arithmetic.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

MAX_AZN = Decimal("10000000")
YES_NO = (("yes", _("Yes")), ("no", _("No")))


def _required(message: Any) -> dict[str, Any]:
    return {"required": message, "invalid_choice": message}


class MoneyField(forms.Field):
    """An amount in AZN with at most two decimals, from 0 to 10 000 000; cleans to qəpik (int)."""

    def __init__(self, *, label: Any, missing: Any, help_text: Any = "") -> None:
        super().__init__(label=label, help_text=help_text, error_messages={"required": missing})

    def to_python(self, value: Any) -> int | None:
        text = str(value or "").strip().replace(" ", "").replace("\u00a0", "")
        text = text.removesuffix("AZN").removesuffix("azn").replace(",", ".")
        if not text:
            return None
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValidationError(
                _("Enter an amount in manat, like 400 or 400.50"), code="invalid"
            ) from None
        if not amount.is_finite():
            raise ValidationError(_("Enter an amount in manat, like 400 or 400.50"), code="invalid")
        if amount < 0:
            raise ValidationError(_("The amount cannot be negative"), code="min_value")
        if amount > MAX_AZN:
            raise ValidationError(_("The amount must be 10,000,000 AZN or less"), code="max_value")
        qepik = amount * 100
        if qepik != qepik.to_integral_value():
            raise ValidationError(_("Enter the amount with at most 2 decimals"), code="invalid")
        return int(qepik)


def _whole(label: Any, missing: Any, *, low: int, high: int) -> forms.IntegerField:
    out_of_range = format_lazy(_("Enter a number from {low} to {high}"), low=low, high=high)
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        error_messages={
            "required": missing,
            "invalid": _("Enter a whole number"),
            "min_value": out_of_range,
            "max_value": out_of_range,
        },
    )


def _yes_no(label: Any, message: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=YES_NO, widget=forms.RadioSelect, error_messages=_required(message)
    )


class PensionForm(forms.Form):
    # The answer that shows an impossibility the rules refuse (meis.rules checks), by check.
    impossible_fields: ClassVar[dict[str, str]] = {
        "born_after_evaluation_date": "birth_day",
        "insurance_record_longer_than_life": "record_years",
    }
    sex = forms.ChoiceField(
        label=_("Sex"),
        choices=(("female", _("Female")), ("male", _("Male"))),
        widget=forms.RadioSelect,
        error_messages=_required(_("Select your sex")),
    )
    birth_day = _whole(_("Day"), _("Date of birth must include a day"), low=1, high=31)
    birth_month = _whole(_("Month"), _("Date of birth must include a month"), low=1, high=12)
    birth_year = _whole(_("Year"), _("Date of birth must include a year"), low=1900, high=2100)
    record_years = _whole(_("Years"), _("Enter the years of your insurance record"), low=0, high=80)
    record_months = _whole(
        _("Months"), _("Enter the months of your insurance record (0 to 11)"), low=0, high=11
    )
    capital = MoneyField(
        label=_("Pension capital (AZN)"),
        missing=_("Enter your pension capital, or 0 if you do not know it"),
        help_text=_("The amount on your insurance sub-account, in manat. Enter 0 if unknown."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        parts = [data.get(f"birth_{p}") for p in ("year", "month", "day")]
        if all(isinstance(p, int) for p in parts):
            try:
                born = date(*parts)  # type: ignore[arg-type]
            except ValueError:
                self.add_error("birth_day", _("Date of birth must be a real date"))
                return data
            if born > timezone.localdate():
                self.add_error("birth_day", _("Date of birth must be in the past"))
            else:
                data["birth_on"] = born
        years, months = data.get("record_years"), data.get("record_months")
        if isinstance(years, int) and isinstance(months, int):
            data["insurance_record_months"] = years * 12 + months
        return data

    def facts(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "sex": data["sex"],
            "birth_on": data["birth_on"],
            "insurance_record_months": data["insurance_record_months"],
            "pension_capital_qepik": data["capital"],
        }


class AssistanceForm(forms.Form):
    impossible_fields: ClassVar[dict[str, str]] = {"family_without_members": "members"}
    members = _whole(
        _("Number of family members"), _("Enter the number of family members"), low=1, high=30
    )
    average_income = MoneyField(
        label=_("Average monthly income over the past 12 months (AZN)"),
        missing=_("Enter the family's average monthly income, or 0"),
        help_text=_(
            "All the family's income over the past 12 months, divided by 12, in manat. "
            "Enter 0 if there was none."
        ),
    )
    purchases = MoneyField(
        label=_("Purchases and sales in the past 12 months (AZN)"),
        missing=_("Enter the value of purchases and sales, or 0"),
        help_text=_("The total value of property the family bought or sold, in manat."),
    )
    utility_spending = MoneyField(
        label=_("Monthly utility and communication spending (AZN)"),
        missing=_("Enter the monthly utility and communication spending, or 0"),
        help_text=_("Electricity, gas, water, telephone and internet, per month, in manat."),
    )
    has_vehicle = _yes_no(
        _("Does the family own or use a car or another vehicle?"),
        _("Select yes if the family owns or uses a vehicle"),
    )
    refused_jobs = _yes_no(
        _(
            "Has a family member who can work but does not refused two or more suitable jobs "
            "offered by the employment service?"
        ),
        _("Select yes if a family member refused suitable jobs"),
    )
    has_second_property = _yes_no(
        _(
            "Does the family have two or more homes (or other property of the same purpose) at different addresses?"
        ),
        _("Select yes if the family has property of the same purpose at different addresses"),
    )

    def facts(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "members": data["members"],
            "income_12_months_qepik": data["average_income"] * 12,
            "declaration_matches_checks": True,
            "purchases_sales_12_months_qepik": data["purchases"],
            "has_vehicle": data["has_vehicle"] == "yes",
            "refused_suitable_jobs": 2 if data["refused_jobs"] == "yes" else 0,
            "utility_spending_12_months_qepik": data["utility_spending"] * 12,
            "same_purpose_real_estate_units": 2 if data["has_second_property"] == "yes" else 1,
        }
