"""The commission's forms: the decision draft, the extension's reason, the sitting to call to.

The forms only parse what was typed (a malformed date or number is a field error, never a 500);
the law's checks are the service's (`services.draft_check`), whose refusal the page shows."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from meis.disability.models import Category, Cause, Sitting
from meis.disability.services import DecisionDraft
from meis.lifeevents.models import DisabilityDegree


class Checkboxes(forms.CheckboxSelectMultiple):
    """Labelled by its first box, so that the error summary links to it."""

    def id_for_label(self, id_: str, index: str | None = "0") -> str:
        return super().id_for_label(id_, index)


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class DecisionForm(forms.Form):
    established = forms.ChoiceField(
        label=_("Is disability established?"), choices=YES_NO, widget=forms.RadioSelect
    )
    degree = forms.ChoiceField(
        label=_("Degree"),
        choices=DisabilityDegree.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Under 18 the decision establishes disability of a child."),
    )
    percentage = forms.IntegerField(
        label=_("Loss of body functions (%)"), min_value=0, max_value=100, required=False
    )
    categories = forms.MultipleChoiceField(
        label=_("Life-activity categories limited"),
        choices=Category.choices,
        widget=Checkboxes,
        required=False,
    )
    cause = forms.ChoiceField(label=_("Cause"), choices=[("", "—"), *Cause.choices], required=False)
    reexamine_on = forms.DateField(
        label=_("Re-examination on"),
        required=False,
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Suggested: the longest term the law allows for the degree."),
    )
    indefinite = forms.BooleanField(label=_("Without re-examination"), required=False)
    reasoning = forms.CharField(label=_("Reasoning"), widget=forms.Textarea, required=False)

    def draft(self) -> DecisionDraft:
        data = self.cleaned_data
        reexamine_on: datetime.date | None = data.get("reexamine_on")
        return DecisionDraft(
            is_established=data["established"] == "yes",
            degree=data.get("degree") or "",
            percentage=data.get("percentage"),
            categories=list(data.get("categories") or []),
            cause=data.get("cause") or "",
            reexamine_on=reexamine_on,
            indefinite=bool(data.get("indefinite")),
            reasoning=data.get("reasoning") or "",
        )


class ExtendForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the extension"), widget=forms.Textarea)


class BookForm(forms.Form):
    sitting = forms.ChoiceField(label=_("Sitting"))

    def __init__(self, *args: object, sittings: list[Sitting], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["sitting"].choices = [  # type: ignore[attr-defined]
            (str(s.pk), f"{s.held_on:%d.%m.%Y} {s.starts_at:%H:%M} — {s.place}") for s in sittings
        ]
