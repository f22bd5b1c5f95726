"""Application forms built from definitions, and the handlers' pre-checks."""

from datetime import date

import pytest
from django.utils import translation
from django.utils.translation import gettext

from meis.catalog.definitions import DefinitionError, field_definition_parse
from meis.catalog.forms import application_form_class
from meis.catalog.handlers import (
    DecisionOutcome,
    PreCheckOutcome,
    handler_resolve,
    instant_certificate,
    manual_review,
    targeted_assistance,
)
from meis.catalog.selectors import eservice_version_current, version_fields


def _fields(*raw):
    return [field_definition_parse(r, f"fields[{i}]") for i, r in enumerate(raw)]


LABEL = {"az": "Sahə", "en": "Field", "ru": "Поле"}


def test_a_bad_fin_gets_the_translated_identifier_message_next_to_the_field():
    form_class = application_form_class(_fields({"name": "fin", "type": "fin", "label": LABEL}))
    with translation.override("ru"):
        form = form_class(data={"fin": "12345"})
        assert not form.is_valid()
        expected = gettext("A FİN has exactly 7 characters; you entered %(count)d.") % {"count": 5}
        assert form.errors["fin"] == [expected]


def test_identifiers_are_normalised():
    form_class = application_form_class(
        _fields(
            {"name": "fin", "type": "fin", "label": LABEL},
            {"name": "phone", "type": "phone", "label": LABEL},
            {"name": "card", "type": "document_number", "label": LABEL},
        )
    )
    form = form_class(data={"fin": " 5abc1d2 ", "phone": "050 123 45 67", "card": "aa 1234567"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"fin": "5ABC1D2", "phone": "+994501234567", "card": "AA1234567"}


def test_a_bad_voen_and_a_bad_iban_are_refused():
    form_class = application_form_class(
        _fields(
            {"name": "voen", "type": "voen", "label": LABEL},
            {"name": "iban", "type": "iban", "label": LABEL},
        )
    )
    form = form_class(data={"voen": "1234567891", "iban": "AZ00NABZ00000000137010001944"})
    assert not form.is_valid()
    assert set(form.errors) == {"voen", "iban"}


def test_money_is_cleaned_to_qepik_and_its_limits_are_in_qepik():
    form_class = application_form_class(
        _fields({"name": "income_qepik", "type": "money", "label": LABEL, "min": 0, "max": 100_000})
    )
    assert form_class(data={"income_qepik": "250,50"}).is_valid()
    form = form_class(data={"income_qepik": "250,50"})
    form.is_valid()
    assert form.cleaned_data["income_qepik"] == 25050
    assert not form_class(data={"income_qepik": "1000.01"}).is_valid()
    assert not form_class(data={"income_qepik": "12.345"}).is_valid()
    assert not form_class(data={"income_qepik": "lots"}).is_valid()


@pytest.mark.parametrize("typed", ["1e9999", "-1e9999", "NaN", "Infinity", "9" * 30])
def test_an_absurd_amount_is_a_form_error_not_a_crash(typed):
    form_class = application_form_class(
        _fields({"name": "income_qepik", "type": "money", "label": LABEL})
    )
    form = form_class(data={"income_qepik": typed})
    assert not form.is_valid()
    assert "income_qepik" in form.errors


def test_integer_choice_and_boolean_fields_validate_on_the_server():
    form_class = application_form_class(
        _fields(
            {"name": "members", "type": "integer", "label": LABEL, "min": 1, "max": 30},
            {
                "name": "term",
                "type": "choice",
                "label": LABEL,
                "choices": [{"value": "fixed", "label": LABEL}],
            },
            {"name": "has_vehicle", "type": "boolean", "label": LABEL},
        )
    )
    form = form_class(data={"members": "0", "term": "forever"})
    assert not form.is_valid()
    assert set(form.errors) == {"members", "term", "has_vehicle"}
    form = form_class(data={"members": "4", "term": "fixed", "has_vehicle": "no"})
    assert form.is_valid()
    assert form.cleaned_data == {"members": 4, "term": "fixed", "has_vehicle": False}


def test_labels_follow_the_active_language():
    form_class_az = None
    with translation.override("az"):
        form_class_az = application_form_class(
            _fields({"name": "x", "type": "text", "label": LABEL})
        )
    assert form_class_az().fields["x"].label == "Sahə"


def test_a_field_definition_with_an_unknown_type_is_refused():
    with pytest.raises(DefinitionError, match=r"fields\[0\] \(x\): type must be one of"):
        _fields({"name": "x", "type": "colour", "label": LABEL})


@pytest.mark.django_db
def test_the_targeted_assistance_form_builds_from_its_version(seeded):
    fields = version_fields(eservice_version_current(code="targeted-social-assistance"))
    form = application_form_class(fields)(data={"members": "0"})
    assert not form.is_valid()
    assert "members" in form.errors


@pytest.mark.django_db
def test_the_targeted_assistance_form_asks_only_what_the_registers_may_not_know(seeded):
    fields = version_fields(eservice_version_current(code="targeted-social-assistance"))
    form = application_form_class(fields)(data={})
    assert not form.is_valid()
    # The family and its means come from the registers; declaring them is optional. The phone
    # is asked once, at the contact step, not among the questions.
    assert set(form.errors) == {"bank_account_iban"}


FAMILY_OF_FOUR_2020 = {
    "members": 4,
    "income_12_months_qepik": 400 * 12 * 100,
    "declaration_matches_checks": True,
    "purchases_sales_12_months_qepik": 0,
    "has_vehicle": False,
    "refused_suitable_jobs": 0,
    "utility_spending_12_months_qepik": 0,
    "same_purpose_real_estate_units": 1,
}


def test_targeted_assistance_pre_check_explains_the_domain_example():
    # docs/domain.md §2: 4 persons, income 400 AZN/month in 2020 → 4 × 160 − 400 = 240 AZN.
    pre_check = targeted_assistance.evaluate(FAMILY_OF_FOUR_2020, on=date(2020, 3, 19))
    assert pre_check.outcome == PreCheckOutcome.ELIGIBLE
    assert pre_check.amount_qepik == 24000
    assert pre_check.trace["scheme"] == "targeted_assistance"
    decision = targeted_assistance.decide(FAMILY_OF_FOUR_2020, on=date(2020, 3, 19))
    assert not decision.is_final


def test_targeted_assistance_pre_check_names_the_refusal_ground():
    facts = FAMILY_OF_FOUR_2020 | {"has_vehicle": True}
    pre_check = targeted_assistance.evaluate(facts, on=date(2020, 3, 19))
    assert pre_check.outcome == PreCheckOutcome.NOT_ELIGIBLE
    assert "is_refused_for_vehicle" in pre_check.reasons


def test_missing_facts_make_the_pre_check_incomplete_not_a_crash():
    with translation.override("en"):
        pre_check = targeted_assistance.evaluate({"members": 4}, on=date(2020, 3, 19))
    assert pre_check.outcome == PreCheckOutcome.INCOMPLETE
    assert "These facts are missing" in pre_check.explanation
    assert "declaration_matches_checks" in pre_check.missing


def test_manual_review_leaves_the_decision_to_a_case_worker():
    assert manual_review.evaluate({}, on=date(2020, 3, 19)).outcome == PreCheckOutcome.MANUAL
    assert not manual_review.decide({}, on=date(2020, 3, 19)).is_final


def test_the_certificate_handler_decides_at_once():
    pre_check = instant_certificate.evaluate({}, on=date(2020, 3, 19))
    assert pre_check.outcome == PreCheckOutcome.ELIGIBLE
    decision = instant_certificate.decide({}, on=date(2020, 3, 19))
    assert decision.is_final
    assert decision.outcome == DecisionOutcome.APPROVE


@pytest.mark.django_db
def test_every_seed_service_names_a_usable_handler(seeded):
    from meis.catalog.models import EService

    for path in EService.objects.values_list("handler", flat=True):
        handler_resolve(path)


def _django_default_messages() -> set[str]:
    """Every message Django's own form fields and validators give, in English."""
    from django import forms
    from django.core import validators

    fields = [forms.CharField, forms.IntegerField, forms.DateField, forms.EmailField]
    fields += [forms.ChoiceField, forms.TypedChoiceField, forms.DecimalField, forms.Field]
    messages = {str(m) for f in fields for m in f().error_messages.values()}
    for validator in (
        validators.MaxValueValidator(1),
        validators.MinValueValidator(1),
        validators.MaxLengthValidator(1),
        validators.MinLengthValidator(1),
        validators.ProhibitNullCharactersValidator(),
        validators.EmailValidator(),
    ):
        messages.add(str(validator.message))
    return messages


EVERY_KIND = (
    {"name": "fin", "type": "fin", "label": LABEL},
    {"name": "text", "type": "text", "label": LABEL, "max": 20, "min": 2},
    {"name": "members", "type": "integer", "label": LABEL, "min": 1, "max": 30},
    {"name": "size", "type": "integer", "label": LABEL, "max": 30},
    {"name": "income_qepik", "type": "money", "label": LABEL, "min": 100, "max": 100_000},
    {"name": "born_on", "type": "date", "label": LABEL},
    {"name": "email", "type": "email", "label": LABEL},
    {"name": "term", "type": "choice", "label": LABEL, "choices": [{"value": "a", "label": LABEL}]},
    {"name": "has_vehicle", "type": "boolean", "label": LABEL},
)
GARBAGE = [
    {},
    {name["name"]: "\x00" for name in EVERY_KIND},
    {name["name"]: "9" * 5000 for name in EVERY_KIND},
    {name["name"]: "-1" for name in EVERY_KIND},
    {name["name"]: "ﷺ%(x)s{0}<script>" for name in EVERY_KIND},
    {"text": "a", "members": "31", "size": "1e3", "income_qepik": "1e15", "born_on": "2026-02-30"},
]


@pytest.mark.parametrize("data", GARBAGE)
def test_no_django_default_message_reaches_a_citizen_whatever_they_type(data):
    form_class = application_form_class(_fields(*EVERY_KIND))
    with translation.override("en"):
        form = form_class(data=data)
        assert not form.is_valid()
        shown = {message for errors in form.errors.values() for message in errors}
    assert shown
    assert not shown & _django_default_messages(), shown


def test_a_huge_amount_is_too_large_not_a_bad_format():
    form_class = application_form_class(
        _fields({"name": "income_qepik", "type": "money", "label": LABEL})
    )
    with translation.override("en"):
        form = form_class(data={"income_qepik": "9" * 30})
        assert not form.is_valid()
        assert form.errors["income_qepik"] == [
            "The amount is too large: check the number you typed."
        ]


def test_an_amount_s_limits_are_said_in_manat_in_the_page_s_language():
    with translation.override("en"):
        form_class = application_form_class(
            _fields({"name": "income_qepik", "type": "money", "label": LABEL, "max": 1_000_000_00})
        )
        form = form_class(data={"income_qepik": "1000000.01"})
        assert not form.is_valid()
        assert form.errors["income_qepik"] == ["Enter an amount of at most 1,000,000.00 AZN."]
