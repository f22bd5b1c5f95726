"""The auditor's search form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meis.core.identifiers import InvalidIdentifier, normalize_fin


class AuditSearchForm(forms.Form):
    fin = forms.CharField(label=_("Person's FİN"), required=False, max_length=40)
    actor = forms.CharField(label=_("Staff username"), required=False, max_length=150)
    occurred_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    occurred_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_fin(self) -> str:
        value: str = self.cleaned_data["fin"]
        if not value:
            return ""
        try:
            return normalize_fin(value)
        except InvalidIdentifier as error:
            raise forms.ValidationError(error.messages) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("occurred_from"), data.get("occurred_to")
        if start and end and end < start:
            self.add_error("occurred_to", _("The end date must be on or after the start date."))
        return data
