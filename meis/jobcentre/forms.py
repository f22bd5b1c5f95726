"""The registration, profile and de-registration forms (citizens); the referral form (officers)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meis.catalog.forms import COMMON_MESSAGES, IdentifierField, MoneyField
from meis.core import identifiers
from meis.employment.models import Education
from meis.employment.services import Profile
from meis.labour.models import Occupation
from meis.registry.models import Region

SKILLS_MAX_LENGTH = 1000
REASON_MAX_LENGTH = 500
DATE_MESSAGES = {**COMMON_MESSAGES, "invalid": _("Enter a real date.")}


def occupation_choices(first: str) -> list[tuple[str, str]]:
    choices = [("", first)]
    choices += [(o.code, f"{o.code} {o.title}") for o in Occupation.objects.filter(is_active=True)]
    return choices


class ProfileForm(forms.Form):
    education = forms.ChoiceField(
        label=_("Your education"),
        choices=[("", _("Choose your education")), *Education.choices],
        error_messages={**COMMON_MESSAGES, "required": _("Choose your education.")},
    )
    occupation_1 = forms.ChoiceField(
        label=_("The occupation you look for work in"),
        help_text=_("From the occupation classifier used for employment contracts."),
        error_messages={
            **COMMON_MESSAGES,
            "required": _("Choose an occupation."),
            "invalid_choice": _("Choose an occupation from the list."),
        },
    )
    occupation_2 = forms.ChoiceField(
        label=_("Another occupation (if any)"),
        required=False,
        error_messages={
            **COMMON_MESSAGES,
            "invalid_choice": _("Choose an occupation from the list."),
        },
    )
    skills = forms.CharField(
        label=_("Your skills and experience"),
        help_text=_("For example languages, driving licence, computer skills, years of work."),
        required=False,
        max_length=SKILLS_MAX_LENGTH,
        widget=forms.Textarea,
        error_messages=COMMON_MESSAGES,
    )
    desired_region = forms.ChoiceField(
        label=_("Where you want to work"),
        help_text=_("Leave empty for the region where you live."),
        required=False,
        choices=[("", _("Where I live")), *Region.choices],
        error_messages={**COMMON_MESSAGES, "invalid_choice": _("Choose a region from the list.")},
    )
    desired_salary = MoneyField(
        label=_("The lowest monthly salary you would accept (manat)"),
        required=False,
        error_messages=COMMON_MESSAGES,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, first in (
            ("occupation_1", _("Choose an occupation")),
            ("occupation_2", _("None")),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)  # noqa: S101 — declared above
            field.choices = occupation_choices(str(first))

    def clean_desired_salary(self) -> int | None:
        value = self.cleaned_data.get("desired_salary")
        if value is not None and value < 0:
            raise forms.ValidationError(_("The salary cannot be negative."))
        return value

    def profile(self) -> Profile:
        data = self.cleaned_data
        codes = [c for c in (data["occupation_1"], data.get("occupation_2")) if c]
        occupations = {o.code: o for o in Occupation.objects.filter(code__in=codes)}
        return Profile(
            education=data["education"],
            occupations=tuple(occupations[c] for c in dict.fromkeys(codes)),
            skills=data.get("skills") or "",
            desired_region=data.get("desired_region") or "",
            desired_salary_qepik=data.get("desired_salary"),
        )

    @classmethod
    def initial_from(cls, profile_source: Any) -> dict[str, Any]:
        codes = [o.code for o in profile_source.occupations.all()]
        salary = profile_source.desired_salary_qepik
        return {
            "education": profile_source.education,
            "occupation_1": codes[0] if codes else "",
            "occupation_2": codes[1] if len(codes) > 1 else "",
            "skills": profile_source.skills,
            "desired_region": profile_source.desired_region,
            "desired_salary": f"{salary / 100:.2f}" if salary is not None else "",
        }


class RegistrationForm(ProfileForm):
    is_employed_otherwise = forms.ChoiceField(
        label=_(
            "Are you an entrepreneur, the owner of a land share, a member of a family farm or a "
            "full-time student?"
        ),
        help_text=_("The law counts these as employed: they can register as job seekers only."),
        choices=[("no", _("No")), ("yes", _("Yes"))],
        widget=forms.RadioSelect,
        error_messages={**COMMON_MESSAGES, "required": _("Answer this question.")},
    )

    field_order = ["is_employed_otherwise"]


class PauseForm(forms.Form):
    until = forms.DateField(
        label=_("De-register until"),
        error_messages=DATE_MESSAGES,
        widget=forms.DateInput,
    )
    reason = forms.CharField(
        label=_("Why (for example illness, military service, travel)"),
        max_length=REASON_MAX_LENGTH,
        error_messages={**COMMON_MESSAGES, "required": _("Write the reason.")},
    )

    def clean_until(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["until"]
        return value


class FindForm(forms.Form):
    fin = IdentifierField(
        label=_("FİN of the person"),
        normalize=identifiers.normalize_fin,
        error_messages={**COMMON_MESSAGES, "required": _("Enter the FİN.")},
    )


class ReferralForm(forms.Form):
    vacancy = forms.IntegerField(
        label=_("Vacancy number"),
        min_value=1,
        max_value=2**62,
        error_messages={
            **COMMON_MESSAGES,
            "required": _("Enter the vacancy number."),
            "invalid": _("Enter the vacancy number as digits."),
            "min_value": _("Enter the vacancy number as digits."),
            "max_value": _("No vacancy has this number."),
        },
    )
    is_suitable = forms.BooleanField(
        label=_("The job is suitable for this person (it counts if they refuse it)"),
        required=False,
    )


class MissedCallForm(forms.Form):
    called_for = forms.DateField(
        label=_("The day the person was called to appear"),
        error_messages=DATE_MESSAGES,
        widget=forms.DateInput,
    )
    note = forms.CharField(
        label=_("Note (how the person was called)"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        error_messages=COMMON_MESSAGES,
    )
