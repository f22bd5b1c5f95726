"""Forms of the applying pages (the questions themselves come from the catalogue's form builder)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meis.cases.models import ContactChannel
from meis.centres.models import ServiceCentre


class ContactForm(forms.Form):
    centre = forms.ModelChoiceField(
        queryset=ServiceCentre.objects.all(),
        label=_("Which service centre should handle your application?"),
        error_messages={"required": _("Choose a service centre.")},
    )
    channel = forms.ChoiceField(
        choices=ContactChannel.choices,
        widget=forms.RadioSelect,
        label=_("How do you want to receive the result?"),
        error_messages={"required": _("Choose how you want to receive the result.")},
    )
    value = forms.CharField(
        required=False,
        max_length=254,
        label=_("Mobile number or e-mail address"),
        help_text=_("A new contact gets a one-time code to confirm it is yours."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("channel") in (ContactChannel.SMS, ContactChannel.EMAIL)
            and not data.get("value", "").strip()
        ):
            self.add_error("value", _("Enter the mobile number or e-mail address."))
        return data


class CodeForm(forms.Form):
    code = forms.RegexField(
        regex=r"^\s*\d{6}\s*$",
        label=_("Code"),
        error_messages={
            "required": _("Enter the code we sent."),
            "invalid": _("The code is 6 digits."),
        },
    )


class UploadForm(forms.Form):
    document = forms.CharField(max_length=64, widget=forms.HiddenInput)
    file = forms.FileField(
        label=_("Choose a file"),
        error_messages={
            "required": _("Select a file."),
            "empty": _("The selected file is empty. Choose a file that has content."),
        },
    )


class AnswerForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(
        required=False, max_length=4000, widget=forms.Textarea, label=_("Your answer")
    )
    file = forms.FileField(required=False, label=_("Attach a file (optional)"))


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
