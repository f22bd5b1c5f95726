"""The one form behind every action button of the case page (each button names its action)."""

from __future__ import annotations

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from meis.catalog.forms import MoneyField

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
