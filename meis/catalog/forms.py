"""Application forms built from a version's field definitions, validated on the server.

Identifiers are checked by `meis.core.identifiers` (one definition of every format), so the
error next to a field is the same translated message everywhere in MEİS.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from meis.catalog.definitions import FieldDefinition, text_in
from meis.core import formats, identifiers

# Every message a citizen can meet on an application form is ours, never Django's default
# ("Ensure this value is less than or equal to 100000." for an amount kept in qəpik). The error
# summary names the field (its label) before each of these.
REQUIRED = _("Answer this question.")
NULL_CHARACTERS = _("Remove the control characters (such as NUL) from this answer.")
COMMON_MESSAGES = {
    "required": REQUIRED,
    "null_characters_not_allowed": NULL_CHARACTERS,
    "max_length": _("Shorten this answer to %(limit_value)d characters or fewer."),
}


class IdentifierField(forms.CharField):
    """A text input normalised by one of `meis.core.identifiers`' functions."""

    def __init__(self, *, normalize: Callable[[object], Any], **kwargs: Any) -> None:
        self.normalize = normalize
        super().__init__(max_length=identifiers.MAX_INPUT_LENGTH, **kwargs)

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if value in self.empty_values:
            return value
        result = self.normalize(value)  # raises InvalidIdentifier, a ValidationError
        return getattr(result, "number", result)


# No amount in any social-protection form comes near a trillion manat.
MONEY_LIMIT_MANAT = Decimal("1e12")


class MoneyField(forms.CharField):
    """An amount in manat typed as `1234.56` (or `1234,56`), cleaned to integer qəpik."""

    default_error_messages = {
        "invalid": _("Enter an amount in manat, like 250 or 250.50."),
        "too_large": _("The amount is too large: check the number you typed."),
    }

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        if text in self.empty_values:
            return None
        try:
            amount = Decimal(str(text).replace(" ", "").replace(",", "."))
        except InvalidOperation:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not amount.is_finite():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        # Bounded before quantize(): `1e9999` would overflow the decimal context.
        if abs(amount) >= MONEY_LIMIT_MANAT:
            raise forms.ValidationError(self.error_messages["too_large"], code="too_large")
        if amount != amount.quantize(Decimal("0.01")):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        qepik = int(amount * 100)
        for validator in self.validators:
            validator(qepik)
        return qepik

    def run_validators(self, value: Any) -> None:
        """Limits are checked in qəpik in clean(), not on the typed text."""


_IDENTIFIERS: dict[str, Callable[[object], Any]] = {
    "fin": identifiers.normalize_fin,
    "document_number": identifiers.normalize_document_number,
    "voen": identifiers.normalize_voen,
    "phone": identifiers.normalize_mobile_phone,
    "iban": identifiers.normalize_iban,
}
_YES_NO = "yes_no"


def _limits(definition: FieldDefinition) -> list[Any]:
    """An amount's limits (in qəpik), each saying the limit in manat in the active language."""
    validators: list[Any] = []
    if definition.min is not None:
        at_least = gettext("Enter an amount of at least %(amount)s.")
        message = at_least % {"amount": formats.money(definition.min)}
        validators.append(MinValueValidator(definition.min, message=message))
    if definition.max is not None:
        at_most = gettext("Enter an amount of at most %(amount)s.")
        message = at_most % {"amount": formats.money(definition.max)}
        validators.append(MaxValueValidator(definition.max, message=message))
    return validators


def _number_messages(definition: FieldDefinition) -> dict[str, Any]:
    low, high = definition.min, definition.max
    if low is not None and high is not None:
        out_of_range = gettext("Enter a number from %(low)s to %(high)s.") % {
            "low": low,
            "high": high,
        }
        limits: dict[str, Any] = {"min_value": out_of_range, "max_value": out_of_range}
    else:
        limits = {
            "min_value": _("Enter a number of at least %(limit_value)s."),
            "max_value": _("Enter a number of at most %(limit_value)s."),
        }
    return {"invalid": _("Enter a whole number, like 3."), **limits}


def form_field(definition: FieldDefinition) -> forms.Field:
    """The Django form field for one definition, labelled in the active language."""
    common: dict[str, Any] = {
        "label": text_in(definition.label),
        "help_text": text_in(definition.help) if definition.help else "",
        "required": definition.required,
    }
    field = _field_of_kind(definition, common)
    field.error_messages = {**field.error_messages, **COMMON_MESSAGES}
    return field


def _field_of_kind(definition: FieldDefinition, common: dict[str, Any]) -> forms.Field:
    kind = definition.type
    if kind in _IDENTIFIERS:
        return IdentifierField(normalize=_IDENTIFIERS[kind], **common)
    if kind == "text":
        return forms.CharField(
            max_length=definition.max or 500,
            min_length=definition.min,
            error_messages={"min_length": _("Write at least %(limit_value)d characters.")},
            **common,
        )
    if kind == "integer":
        return forms.IntegerField(
            min_value=definition.min,
            max_value=definition.max,
            error_messages=_number_messages(definition),
            **common,
        )
    if kind == "money":
        return MoneyField(validators=_limits(definition), **common)
    if kind == "date":
        return forms.DateField(
            widget=forms.DateInput(attrs={"type": "date"}),
            error_messages={"invalid": _("Enter a real date.")},
            **common,
        )
    if kind == "email":
        return forms.EmailField(
            error_messages={"invalid": _("Enter an e-mail address like name@example.az.")},
            **common,
        )
    choose = {"invalid_choice": _("Choose one of the answers given.")}
    if kind == "choice":
        choices = [(c.value, text_in(c.label)) for c in definition.choices]
        return forms.ChoiceField(
            choices=choices, widget=forms.RadioSelect, error_messages=choose, **common
        )
    if kind == "boolean":
        return forms.TypedChoiceField(
            choices=[("yes", _("Yes")), ("no", _("No"))],
            coerce=lambda answer: answer == "yes",
            empty_value=None,
            widget=forms.RadioSelect,
            error_messages=choose,
            **common,
        )
    raise ValueError(f"unknown field type {kind!r}")


def application_form_class(
    fields: Sequence[FieldDefinition], *, name: str = "ApplicationForm"
) -> type[forms.Form]:
    """A Form class with one field per definition, in order (build it in the user's language)."""
    attrs: dict[str, Any] = {definition.name: form_field(definition) for definition in fields}
    return type(name, (forms.Form,), attrs)
