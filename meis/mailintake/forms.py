"""The form a case worker fills to file an e-mail draft as a case."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from meis.accounts.forms import CitizenSignInForm


class ServiceChoiceForm(forms.Form):
    service = forms.ChoiceField(
        label=_("Service"), error_messages={"invalid_choice": _("Choose a service")}
    )

    def __init__(self, *args: Any, services: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["service"]).choices = services


class FileAsCaseForm(ServiceChoiceForm, CitizenSignInForm):
    """The person (the numbers of their identity document and their FİN) and the service."""
