"""Forms of the call log: they parse and check what the operator typed; the services decide."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from meis.callcentre.models import CallOutcome, CallTopic
from meis.callcentre.selectors import topics_offered
from meis.cases.models import Case
from meis.core.identifiers import InvalidIdentifier, normalize_mobile_phone

NUL = {
    "null_characters_not_allowed": _(
        "Remove the control characters (such as NUL) from this answer."
    )
}


class TopicField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: CallTopic) -> str:
        return obj.name


class CaseField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Case) -> str:
        return obj.reference


class CallLogForm(forms.Form):
    topic = TopicField(
        label=_("Topic"),
        queryset=CallTopic.objects.none(),
        required=False,
        empty_label=_("Choose the topic"),
        error_messages={"invalid_choice": _("Choose a topic from the list.")},
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=CallOutcome.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose an outcome from the list.")},
    )
    cases = CaseField(
        label=_("Applications discussed"),
        queryset=Case.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Choose only the caller's own applications."),
            "invalid_pk_value": _("Choose only the caller's own applications."),
        },
    )
    notes = forms.CharField(
        label=_("Notes"),
        help_text=_("What the caller asked and what you answered. Up to 1,000 characters."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={**NUL, "max_length": _("Notes can be at most 1,000 characters long.")},
    )

    def __init__(self, *args: Any, cases: list[Case] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(TopicField, self.fields["topic"]).queryset = topics_offered()
        cast(CaseField, self.fields["cases"]).queryset = Case.objects.filter(
            pk__in=[case.pk for case in cases or []]
        )

    def require_topic_and_outcome(self) -> bool:
        """For ending the call: both must be chosen (errors beside each field)."""
        if not self.is_valid():
            return False
        if self.cleaned_data["topic"] is None:
            self.add_error("topic", _("Choose what the call was about."))
        if not self.cleaned_data["outcome"]:
            self.add_error("outcome", _("Choose how the call ended."))
        return not self.errors


class CallbackForm(forms.Form):
    phone = forms.CharField(
        label=_("Phone to call back"),
        help_text=_("A mobile number, for example 050 123 45 67."),
        max_length=32,
        error_messages={**NUL, "required": _("Enter the number to call back.")},
    )
    callback_topic = TopicField(
        label=_("Topic"),
        queryset=CallTopic.objects.none(),
        empty_label=_("Choose the topic"),
        error_messages={
            "required": _("Choose what the call back is about."),
            "invalid_choice": _("Choose a topic from the list."),
        },
    )
    note = forms.CharField(
        label=_("What to find out and answer"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            **NUL,
            "required": _("Write what the caller is waiting to hear."),
            "max_length": _("The note can be at most 500 characters long."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(TopicField, self.fields["callback_topic"]).queryset = topics_offered()

    def clean_phone(self) -> str:
        try:
            return normalize_mobile_phone(self.cleaned_data["phone"])
        except InvalidIdentifier as error:
            raise forms.ValidationError(error.messages) from None
