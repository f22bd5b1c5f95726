"""The person's request for a re-examination or an appeal; the clinic's referral (Form 88).

The forms check what a form can (required, length, a NUL byte, a known choice); the services
check the rest and refuse with a message the page shows in its error summary."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from meis.catalog.forms import COMMON_MESSAGES
from meis.disability.models import ReferralKind
from meis.disability.services import SUMMARY_MAX

GROUNDS_MAX = 2000
DIAGNOSES_MAX = 200


class SelfReferralForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you ask for?"),
        help_text=_(
            "An appeal is examined by another commission and can be lodged within one month "
            "of the decision; a re-examination can be asked for at any time."
        ),
        choices=[
            (ReferralKind.REEXAMINATION.value, ReferralKind.REEXAMINATION.label),
            (ReferralKind.APPEAL.value, ReferralKind.APPEAL.label),
        ],
        widget=forms.RadioSelect,
        error_messages={
            **COMMON_MESSAGES,
            "required": _("Choose a re-examination or an appeal."),
            "invalid_choice": _("Choose a re-examination or an appeal."),
        },
    )
    grounds = forms.CharField(
        label=_("Why do you ask for it?"),
        help_text=_("For example: your health has changed, or why you disagree with the decision."),
        max_length=GROUNDS_MAX,
        widget=forms.Textarea,
        error_messages={
            **COMMON_MESSAGES,
            "required": _("Say briefly why you ask for the examination."),
        },
    )


class ReferralForm(forms.Form):
    fin = forms.CharField(
        label=_("The patient's FİN"),
        help_text=_("7 characters, for example 5ABC123."),
        max_length=32,
        error_messages={**COMMON_MESSAGES, "required": _("Enter the patient's FİN.")},
    )
    kind = forms.ChoiceField(
        label=_("Examination"),
        choices=[
            (ReferralKind.INITIAL.value, ReferralKind.INITIAL.label),
            (ReferralKind.REEXAMINATION.value, ReferralKind.REEXAMINATION.label),
        ],
        widget=forms.RadioSelect,
        error_messages={
            **COMMON_MESSAGES,
            "required": _("Choose an initial examination or a re-examination."),
            "invalid_choice": _("Choose an initial examination or a re-examination."),
        },
    )
    diagnoses = forms.CharField(
        label=_("Diagnoses (ICD-10 codes)"),
        help_text=_("Separated by commas, for example G35, G82.1."),
        max_length=DIAGNOSES_MAX,
        error_messages={
            **COMMON_MESSAGES,
            "required": _("Give at least one diagnosis code (ICD-10, for example G35)."),
        },
    )
    summary = forms.CharField(
        label=_("Clinical summary"),
        help_text=_(
            "What the commission decides on: the course of the illness, the treatment, the "
            "limitations. The commission does not see the patient's name."
        ),
        max_length=SUMMARY_MAX,
        widget=forms.Textarea,
        error_messages={
            **COMMON_MESSAGES,
            "required": _("Write the clinical summary the commission decides on."),
        },
    )
