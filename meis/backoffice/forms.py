"""The one form behind every action button of the case page (each button names its action),
the staff home's case search and the caller page's certificate form."""

from __future__ import annotations

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from meis.catalog.forms import MoneyField
from meis.certificates.forms import StaffIssueForm

ACTIONS = (
    "claim",
    "assign",
    "request_information",
    "approve",
    "reject",
    "confirm",
    "return",
    "withdraw",
)


class ActionForm(forms.Form):
    CHOOSE_WORKER = _("Choose a case worker.")

    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    version = forms.IntegerField(min_value=1)
    text = forms.CharField(required=False, max_length=4000)
    reason = forms.CharField(required=False, max_length=64)
    assignee = forms.IntegerField(required=False, min_value=1)
    # Approving another amount than the rules compute (in manat, cleaned to qəpik), and why.
    amount = MoneyField(required=False, validators=[MinValueValidator(1)])
    departure_reason = forms.CharField(required=False, max_length=2000)
    # The result is collected at a centre (meis.appointments tells the applicant when ready).
    handover = forms.BooleanField(required=False)


class AwardSuspensionForm(forms.Form):
    """Suspend or resume an award, with the reason the person is told."""

    action = forms.ChoiceField(
        choices=[("suspend", _("Suspend")), ("resume", _("Resume"))], widget=forms.HiddenInput
    )
    reason = forms.CharField(
        label=_("Reason (the person is told it)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason: the person is told it.")},
    )


class CaseSearchForm(forms.Form):
    """The staff home's search: a case reference or an applicant's FİN."""

    q = forms.CharField(
        label=_("Case reference or FİN"),
        help_text=_("For example MEIS-2026-0000123, or a FİN of 7 characters."),
        max_length=32,
        error_messages={"required": _("Enter a case reference or a FİN.")},
    )


class CallerCertificateForm(StaffIssueForm):
    """The certificate desk's issue form for the caller on the line: the desk takes their FİN
    from a hidden field, so the operator never types it."""

    fin = None  # type: ignore[assignment]
    field_order = ["type_code", "language", "purpose", "recipient", "send_by_email"]
