"""Forms of E-Arayış: choose a certificate, check one, revoke one."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from meis.certificates import codes
from meis.certificates.definitions import OFFERED

LANGUAGE_CHOICES = [("az", "Azərbaycanca"), ("en", "English"), ("ru", "Русский")]
PURPOSE_CHOICES = [
    ("employer", _("To an employer")),
    ("bank", _("To a bank")),
    ("embassy", _("To an embassy")),
    ("other", _("Elsewhere")),
]


def _type_choices() -> list[tuple[str, str]]:
    lang = (get_language() or "az")[:2]
    lang = lang if lang in ("az", "en", "ru") else "az"
    return [(t.code, t.title[lang]) for t in OFFERED]


class IssueForm(forms.Form):
    type_code = forms.ChoiceField(label=_("Certificate"), choices=_type_choices)
    language = forms.ChoiceField(
        label=_("Language of the certificate"), choices=LANGUAGE_CHOICES, widget=forms.RadioSelect
    )
    purpose = forms.ChoiceField(
        label=_("Where will you present it?"), choices=PURPOSE_CHOICES, widget=forms.RadioSelect
    )
    recipient = forms.CharField(
        label=_("Name of the organisation (optional)"), max_length=200, required=False
    )

    send_by_email = forms.BooleanField(label=_("Also e-mail the PDF to me"), required=False)

    def email_offer(self, verified_email: str | None) -> None:
        """Offer the e-mail with the address it goes to; without one, the page explains why
        there is no such option (`has_no_email`)."""
        if verified_email:
            self.fields["send_by_email"].help_text = _(
                "We send the signed PDF to your confirmed e-mail address %(email)s."
            ) % {"email": verified_email}
        else:
            del self.fields["send_by_email"]
            self.has_no_email = True

    has_no_email = False


class StaffIssueForm(IssueForm):
    field_order = ["type_code", "language", "purpose", "recipient", "fin", "send_by_email"]
    fin = forms.CharField(label=_("FİN of the identified person"), max_length=7, min_length=7)
    send_by_email = forms.BooleanField(
        label=_("E-mail the signed PDF to the person"),
        help_text=_(
            "For a caller, who cannot be handed the PDF. It goes to the person’s confirmed "
            "e-mail address; if they have none, the certificate is still issued and you are told."
        ),
        required=False,
    )


class OrganisationForm(forms.Form):
    """Who is checking: an organisation that arrived by the QR code declares itself here."""

    organisation = forms.CharField(
        label=_("Your organisation (optional; the holder will see it)"),
        max_length=200,
        required=False,
    )


class CheckForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("It is printed under the QR code, for example ABCDE-FGHIJ-KLMNO."),
    )
    organisation = OrganisationForm.base_fields["organisation"]

    def clean_code(self) -> str:
        """The code as printed (groups of five), or an error that says what a code looks like:
        a malformed one never reaches an address (a "/" in it broke the redirect)."""
        canonical = codes.code_normalise(self.cleaned_data["code"])
        if canonical is None:
            raise forms.ValidationError(
                _(
                    "Enter the code as printed under the QR code: 15 letters and digits, "
                    "for example ABCDE-FGHIJ-KLMNO."
                )
            )
        return codes.code_format(canonical)


class PdfCheckForm(forms.Form):
    file = forms.FileField(label=_("Certificate PDF"))
    organisation = OrganisationForm.base_fields["organisation"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The check page shows this form under CheckForm: its ids must differ (the names may not).
        kwargs.setdefault("auto_id", "pdf_%s")
        super().__init__(*args, **kwargs)


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you revoking it? (optional)"),
        help_text=_("Only you and ministry staff see the reason."),
        max_length=255,
        required=False,
    )


class StaffRevokeForm(forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=40)
    reason = forms.CharField(label=_("Reason"), max_length=255)


MONTHS_OFFERED = 36
DEFAULT_MONTHS = 12


def _months(today: datetime.date) -> list[datetime.date]:
    """The month of `today` and the 35 before it, newest first."""
    index = today.year * 12 + today.month - 1
    return [
        datetime.date((index - back) // 12, (index - back) % 12 + 1, 1)
        for back in range(MONTHS_OFFERED)
    ]


class PeriodIssueForm(IssueForm):
    """A certificate over months the person chooses (payments received): from, to, and the rest
    of the usual choices; the type is in the address."""

    field_order = ["first_month", "last_month", "language", "purpose", "recipient"]
    first_month = forms.ChoiceField(label=_("From the month"))
    last_month = forms.ChoiceField(label=_("To the month"))

    def __init__(self, *args: Any, today: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["type_code"]
        months = _months(today)
        choices = [(f"{m:%Y-%m}", f"{m:%m.%Y}") for m in months]
        # By default the last twelve months: eleven before the month of issue, and it.
        default = (months[DEFAULT_MONTHS - 1], months[0])
        for name, initial in zip(("first_month", "last_month"), default, strict=True):
            field = cast(forms.ChoiceField, self.fields[name])
            field.choices = choices
            field.initial = f"{initial:%Y-%m}"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, last = cleaned.get("first_month"), cleaned.get("last_month")
        if first and last:
            cleaned["period"] = (
                datetime.date.fromisoformat(f"{first}-01"),
                datetime.date.fromisoformat(f"{last}-01"),
            )
            if cleaned["period"][0] > cleaned["period"][1]:
                self.add_error(
                    "last_month",
                    _("The last month cannot be before the first: choose %(first)s or later.")
                    % {"first": f"{cleaned['period'][0]:%m.%Y}"},
                )
        return cleaned
