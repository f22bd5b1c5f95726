"""Sign-in forms: they parse and normalise input; the services decide."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from meis.core.identifiers import InvalidIdentifier, normalize_document_number, normalize_fin


class CitizenSignInForm(forms.Form):
    document_number = forms.CharField(
        label=_("Identity card number"),
        help_text=_("For example AA1234567 or AZE12345678, as printed on your card."),
        max_length=40,
        error_messages={"required": _("Enter the number of your identity card.")},
    )
    fin = forms.CharField(
        label=_("FİN (personal identification number)"),
        help_text=_("7 letters and digits, for example 5VBK5VR."),
        max_length=40,
        error_messages={"required": _("Enter your FİN.")},
    )

    def clean_document_number(self) -> str:
        try:
            return normalize_document_number(self.cleaned_data["document_number"]).number
        except InvalidIdentifier as error:
            raise forms.ValidationError(error.messages) from None

    def clean_fin(self) -> str:
        try:
            return normalize_fin(self.cleaned_data["fin"])
        except InvalidIdentifier as error:
            raise forms.ValidationError(error.messages) from None


class OneTimeCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        help_text=_("The 6 digits in the message we sent you."),
        max_length=20,
        error_messages={"required": _("Enter the 6-digit code.")},
    )

    def clean_code(self) -> str:
        code = "".join(str(self.cleaned_data["code"]).split())
        RegexValidator(r"^\d{6}$", _("The code has exactly 6 digits."))(code)
        return code


class StaffSignInForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, max_length=256)
    otp_token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=10,
        error_messages={"required": _("Enter the 6-digit code from your authenticator app.")},
    )

    def clean_otp_token(self) -> str:
        return "".join(str(self.cleaned_data["otp_token"]).split())


class CallStartForm(CitizenSignInForm):
    """An operator identifies a caller by the same two numbers a citizen signs in with."""
