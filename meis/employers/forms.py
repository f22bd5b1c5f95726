"""Forms of the employer pages: they parse and normalise what was typed; the register decides.

The checks of the Labour Code (the person, age and hours, minimum wage, one main job…) are the
register's (`meis.labour.validation`), shared with the upload and the API; their problems are
put back on these fields by `problems_to_form`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meis.core.identifiers import (
    InvalidIdentifier,
    normalize_document_number,
    normalize_fin,
)
from meis.labour.models import ContractTerm, Occupation, TerminationGround
from meis.labour.validation import ContractDraft, Problem
from meis.rules.store import default_store

# The largest monthly wage the form takes (a typo guard, not a rule of law).
WAGE_LIMIT_QEPIK = 10_000_000 * 100
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
# The register's checks read these parameters on the first day of work: a date before any of
# them is in force cannot be checked, so the form takes dates from when all of them are.
CHECKED_PARAMETERS = (
    "labour.minimum_wage",
    "labour.full_time_weekly_hours",
    "labour.minimum_employment_age",
    "labour.weekly_hours_under_16",
    "labour.weekly_hours_under_18",
    "labour.longest_probation_months",
)


def earliest_on() -> datetime.date:
    store = default_store()
    return max(min(p.start for p in store.parameter(n).periods) for n in CHECKED_PARAMETERS)


class WageInvalid(ValueError):
    pass


_GROUPED = re.compile(r"^\d{1,3}([ ,.]\d{3})*$")


def wage_parse(text: str) -> int:
    """Manat as typed ("1500", "1 500,00", "1500.50", "1,500.50") → exact integer qəpik.

    The decimal separator is the last point or comma when one or two digits follow it; any
    other point, comma or space groups thousands (three digits each). Never a float.
    """
    value = text.strip().replace("\u00a0", " ").replace("\u202f", " ")
    for suffix in ("azn", "manat", "₼"):
        if value.lower().endswith(suffix):
            value = value[: -len(suffix)].strip()
    if not value or len(value) > 30:
        raise WageInvalid
    whole, fraction = value, ""
    match = re.search(r"[.,](\d{1,2})$", value)
    if match:
        whole, fraction = value[: match.start()], match.group(1)
    if whole.isdigit():
        digits = whole
    elif _GROUPED.match(whole) and len({c for c in whole if not c.isdigit()}) == 1:
        digits = re.sub(r"[ ,.]", "", whole)
    else:
        raise WageInvalid
    try:
        amount = Decimal(f"{digits}.{fraction or '0'}")
    except InvalidOperation as error:
        raise WageInvalid from error
    return int(amount * 100)


def _date_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Enter the date."),
            "invalid": _("Enter a real date, for example 16.03.2026."),
        },
    )


def _check_range(value: datetime.date | None) -> datetime.date | None:
    if value is None:
        return None
    earliest = earliest_on()
    latest = timezone.localdate() + datetime.timedelta(days=366)
    if not earliest <= value <= latest:
        raise forms.ValidationError(
            _("Enter a date from %(earliest)s to %(latest)s.")
            % {"earliest": f"{earliest:%d.%m.%Y}", "latest": f"{latest:%d.%m.%Y}"}
        )
    return value


def occupation_choices() -> list[tuple[str, str]]:
    choices = [("", str(_("Choose an occupation")))]
    choices += [(o.code, f"{o.code} {o.title}") for o in Occupation.objects.filter(is_active=True)]
    return choices


class JobKind:
    MAIN = "main"
    SECONDARY = "secondary"


class TermsForm(forms.Form):
    """The terms of a contract (Labour Code Art. 43.2) a conclusion or an amendment sets."""

    occupation_code = forms.ChoiceField(
        label=_("Occupation"),
        help_text=_("From the occupation classifier: code and title."),
        error_messages={
            "required": _("Choose the occupation."),
            "invalid_choice": _("Choose an occupation from the list."),
        },
    )
    position = forms.CharField(
        label=_("Position"),
        max_length=255,
        error_messages={"required": _("Enter the position.")},
    )
    workplace = forms.CharField(
        label=_("Workplace"),
        help_text=_("The structural unit or address where the employee works."),
        max_length=255,
        error_messages={"required": _("Enter the workplace.")},
    )
    monthly_wage = forms.CharField(
        label=_("Monthly wage, manat"),
        help_text=_("Before tax, for example 1500 or 1 500,50."),
        max_length=30,
        error_messages={"required": _("Enter the monthly wage.")},
    )
    weekly_hours = forms.IntegerField(
        label=_("Working hours a week"),
        min_value=1,
        max_value=168,
        error_messages={
            "required": _("Enter the working hours a week."),
            "invalid": _("Enter the hours as a whole number, for example 40."),
            "min_value": _("The working week is at least 1 hour."),
            "max_value": _("A week has at most 168 hours."),
        },
    )
    term = forms.ChoiceField(
        label=_("Term of the contract"),
        choices=ContractTerm.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose indefinite or fixed-term."),
            "invalid_choice": _("Choose indefinite or fixed-term."),
        },
    )
    fixed_end_on = _date_field(
        _("End of the fixed term"),
        required=False,
        help_text=_("Only for a fixed-term contract."),
    )
    probation_months = forms.IntegerField(
        label=_("Probation, months"),
        min_value=0,
        max_value=12,
        initial=0,
        required=False,
        error_messages={
            "invalid": _("Enter the months as a whole number, for example 3, or 0."),
            "min_value": _("Enter 0 or more months."),
            "max_value": _("Enter at most 12 months."),
        },
    )
    job = forms.ChoiceField(
        label=_("Main or secondary job"),
        choices=[
            (JobKind.MAIN, _("Main job")),
            (JobKind.SECONDARY, _("Secondary (additional) job")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose main or secondary job."),
            "invalid_choice": _("Choose main or secondary job."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["occupation_code"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101
        field.choices = occupation_choices()

    def clean_monthly_wage(self) -> int:
        try:
            qepik = wage_parse(self.cleaned_data["monthly_wage"])
        except WageInvalid:
            raise forms.ValidationError(
                _("Enter the wage in manat, for example 1500 or 1 500,50.")
            ) from None
        if qepik <= 0:
            raise forms.ValidationError(_("Enter a wage above zero."))
        if qepik > WAGE_LIMIT_QEPIK:
            raise forms.ValidationError(_("Check the wage: it is too large."))
        return qepik

    def clean_fixed_end_on(self) -> datetime.date | None:
        return _check_range(self.cleaned_data.get("fixed_end_on"))

    def clean_probation_months(self) -> int:
        return self.cleaned_data.get("probation_months") or 0


class HireForm(TermsForm):
    """A notified conclusion: who is hired and from when, and the terms."""

    employee_fin = forms.CharField(
        label=_("Employee's FİN"),
        help_text=_("7 letters and digits, from the employee's identity card."),
        max_length=40,
        error_messages={"required": _("Enter the employee's FİN.")},
    )
    concluded_on = _date_field(_("Contract concluded on"))
    start_on = _date_field(_("First day of work"))

    field_order = [
        "employee_fin",
        "occupation_code",
        "position",
        "workplace",
        "monthly_wage",
        "weekly_hours",
        "term",
        "fixed_end_on",
        "probation_months",
        "concluded_on",
        "start_on",
        "job",
    ]

    def clean_employee_fin(self) -> str:
        try:
            return normalize_fin(self.cleaned_data["employee_fin"])
        except InvalidIdentifier as error:
            raise forms.ValidationError(error.messages) from None

    def clean_concluded_on(self) -> datetime.date | None:
        return _check_range(self.cleaned_data.get("concluded_on"))

    def clean_start_on(self) -> datetime.date | None:
        return _check_range(self.cleaned_data.get("start_on"))

    def draft(self) -> ContractDraft:
        data = self.cleaned_data
        return ContractDraft(
            employee_fin=data["employee_fin"],
            occupation_code=data["occupation_code"],
            position=data["position"],
            workplace=data["workplace"],
            monthly_wage_qepik=data["monthly_wage"],
            weekly_hours=data["weekly_hours"],
            term=data["term"],
            fixed_end_on=data["fixed_end_on"],
            probation_months=data["probation_months"],
            concluded_on=data["concluded_on"],
            start_on=data["start_on"],
            is_main_job=data["job"] == JobKind.MAIN,
        )


class AmendForm(TermsForm):
    effective_on = _date_field(_("The new terms apply from"))

    field_order = ["effective_on"]

    def clean_effective_on(self) -> datetime.date | None:
        return _check_range(self.cleaned_data.get("effective_on"))


class TerminateForm(forms.Form):
    terminated_on = _date_field(_("Last day of work"))
    ground = forms.ChoiceField(
        label=_("Ground of termination"),
        help_text=_("The article of the Labour Code the termination rests on."),
        error_messages={
            "required": _("Choose the ground."),
            "invalid_choice": _("Choose a ground from the list."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["ground"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101
        field.choices = [("", str(_("Choose a ground")))] + [
            (g.code, f"{g.article}: {g.title}")
            for g in TerminationGround.objects.filter(is_active=True)
        ]

    def clean_terminated_on(self) -> datetime.date | None:
        return _check_range(self.cleaned_data.get("terminated_on"))


class DateForm(forms.Form):
    """Suspend from, or resume on, a date."""

    effective_on = _date_field(_("From"))

    def clean_effective_on(self) -> datetime.date | None:
        return _check_range(self.cleaned_data.get("effective_on"))


class CodeForm(forms.Form):
    challenge = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)
    code = forms.CharField(
        label=_("Code"),
        help_text=_("The 6 digits in the message we have just sent you."),
        max_length=20,
        error_messages={"required": _("Enter the 6-digit code.")},
    )

    def clean_code(self) -> str:
        code = "".join(str(self.cleaned_data["code"]).split())
        if not re.fullmatch(r"\d{6}", code):
            raise forms.ValidationError(_("The code has exactly 6 digits."))
        return code


class BindForm(forms.Form):
    fin = forms.CharField(
        label=_("FİN of the representative"),
        max_length=40,
        error_messages={"required": _("Enter the FİN.")},
    )
    document_number = forms.CharField(
        label=_("Identity card number of the representative"),
        help_text=_("Both must match the registry."),
        max_length=40,
        error_messages={"required": _("Enter the identity card number.")},
    )

    def clean_fin(self) -> str:
        try:
            return normalize_fin(self.cleaned_data["fin"])
        except InvalidIdentifier as error:
            raise forms.ValidationError(error.messages) from None

    def clean_document_number(self) -> str:
        try:
            return normalize_document_number(self.cleaned_data["document_number"]).number
        except InvalidIdentifier as error:
            raise forms.ValidationError(error.messages) from None


# Where a register problem belongs on the forms ("" = above the form).
PROBLEM_FIELDS = {
    "monthly_wage_qepik": "monthly_wage",
    "is_main_job": "job",
}


def problems_to_form(form: forms.Form, problems: Iterable[Problem]) -> None:
    """Put each problem on its field, or above the form when the form has no such field."""
    for problem in problems:
        name = PROBLEM_FIELDS.get(problem.field, problem.field)
        form.add_error(name if name in form.fields else None, problem.message)
