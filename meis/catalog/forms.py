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
from django.utils.translation import gettext_lazy as _

from meis.catalog.definitions import FieldDefinition, text_in
from meis.core import identifiers


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
    }

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        if text in self.empty_values:
            return None
        try:
            amount = Decimal(str(text).replace(" ", "").replace(",", "."))
        except InvalidOperation:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        # Bounded before quantize(): `1e9999` would overflow the decimal context.
        if (
            not amount.is_finite()
            or abs(amount) >= MONEY_LIMIT_MANAT
            or amount != amount.quantize(Decimal("0.01"))
        ):
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
    validators: list[Any] = []
    if definition.min is not None:
        validators.append(MinValueValidator(definition.min))
    if definition.max is not None:
        validators.append(MaxValueValidator(definition.max))
    return validators


def form_field(definition: FieldDefinition) -> forms.Field:
    """The Django form field for one definition, labelled in the active language."""
    common: dict[str, Any] = {
        "label": text_in(definition.label),
        "help_text": text_in(definition.help) if definition.help else "",
        "required": definition.required,
    }
    kind = definition.type
    if kind in _IDENTIFIERS:
        return IdentifierField(normalize=_IDENTIFIERS[kind], **common)
    if kind == "text":
        return forms.CharField(
            max_length=definition.max or 500, min_length=definition.min, **common
        )
    if kind == "integer":
        return forms.IntegerField(min_value=definition.min, max_value=definition.max, **common)
    if kind == "money":
        return MoneyField(validators=_limits(definition), **common)
    if kind == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if kind == "email":
        return forms.EmailField(**common)
    if kind == "choice":
        choices = [(c.value, text_in(c.label)) for c in definition.choices]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if kind == "boolean":
        return forms.TypedChoiceField(
            choices=[("yes", _("Yes")), ("no", _("No"))],
            coerce=lambda answer: answer == "yes",
            empty_value=None,
            widget=forms.RadioSelect,
            **common,
        )
    raise ValueError(f"unknown field type {kind!r}")


def application_form_class(
    fields: Sequence[FieldDefinition], *, name: str = "ApplicationForm"
) -> type[forms.Form]:
    """A Form class with one field per definition, in order (build it in the user's language)."""
    attrs: dict[str, Any] = {definition.name: form_field(definition) for definition in fields}
    return type(name, (forms.Form,), attrs)
