"""The one form behind every action button of the case page (each button names its action)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

ACTIONS = ("claim", "assign", "request_information", "approve", "reject", "withdraw")


class ActionForm(forms.Form):
    CHOOSE_WORKER = _("Choose a case worker.")

    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    version = forms.IntegerField(min_value=1)
    text = forms.CharField(required=False, max_length=4000)
    reason = forms.CharField(required=False, max_length=64)
    assignee = forms.IntegerField(required=False, min_value=1)
