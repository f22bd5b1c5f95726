"""The rules handlers' pre-check: eligible with the amount, refused with the legal ground and a
near miss named, incomplete only for missing facts — in az, en and ru."""

from datetime import date

import pytest
from django.utils import translation

from meis.catalog.handlers import (
    RECORD_REQUIREMENTS,
    PreCheckOutcome,
    RulesHandler,
    disability_pension,
    old_age_pension,
    targeted_assistance,
    unemployment_insurance,
)

ON = date(2020, 3, 19)
RETIRED_MAN = {
    "sex": "male",
    "birth_on": "1955-09-02",  # 64 years 6 months, the pension age then, on 2 March 2020
    "insurance_record_months": 320,
    "pension_capital_qepik": 100_000,
}
DISABLED_AT_40 = {  # 100 months of record required (60 up to 30, then 4 a year)
    "birth_on": "1980-01-01",
    "disability_on": "2020-03-01",
    "insurance_record_months": 150,
    "pre_2006_capital_qepik": 0,
    "pension_capital_qepik": 100_000,
}
DISMISSED = {
    "dismissal_ground": "liquidation",
    "is_registered_unemployed": True,
    "insurance_record_months": 120,
    "record_months_last_24": 24,
    "record_months_last_36": 36,
    "wages_12_months_qepik": 960_000,
    "dependent_children": 0,
}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_an_eligible_pre_check_has_the_amount_and_its_explanation_in_every_language():
    result = old_age_pension.evaluate(RETIRED_MAN, on=ON)

    assert result.outcome == PreCheckOutcome.ELIGIBLE
    assert result.amount_qepik == 20_000
    assert set(result.explanations) == {"az", "en", "ru"}
    assert result.explanation == result.explanations["en"]
    assert "200,00 manat" in result.explanations["az"]


def test_the_explanation_follows_the_active_language():
    with translation.override("ru"):
        result = old_age_pension.evaluate(RETIRED_MAN, on=ON)

    assert result.explanation == result.explanations["ru"]


def test_a_refusal_for_age_is_not_a_near_miss_however_short_the_record():
    facts = RETIRED_MAN | {"birth_on": "1970-01-01", "insurance_record_months": 298}

    result = old_age_pension.evaluate(facts, on=ON)

    assert result.reasons == ("has_reached_pension_age", "has_pension_right")
    assert result.near_miss_months is None


def test_a_record_short_beyond_the_window_is_a_plain_refusal():
    window = RECORD_REQUIREMENTS["old_age_pension"].near_miss_months
    facts = RETIRED_MAN | {"insurance_record_months": 300 - window - 1}

    result = old_age_pension.evaluate(facts, on=ON)

    assert result.outcome == PreCheckOutcome.NOT_ELIGIBLE
    assert result.near_miss_months is None
    assert "near miss" not in result.explanation


@pytest.mark.parametrize(
    ("handler", "facts", "short"),
    [
        (old_age_pension, RETIRED_MAN | {"insurance_record_months": 276}, 24),
        (disability_pension, DISABLED_AT_40 | {"insurance_record_months": 88}, 12),
        (
            unemployment_insurance,
            DISMISSED
            | {
                "insurance_record_months": 11,
                "record_months_last_24": 11,
                "record_months_last_36": 11,
            },
            1,
        ),
    ],
)
def test_a_refusal_for_the_record_alone_within_its_window_names_the_near_miss(
    handler: RulesHandler, facts: dict[str, object], short: int
) -> None:
    result = handler.evaluate(facts, on=ON)

    assert result.outcome == PreCheckOutcome.NOT_ELIGIBLE
    assert result.near_miss_months == short
    assert "A near miss" in result.explanation
    assert "Legal ground:" in result.explanation


def test_an_incomplete_pre_check_names_every_missing_fact_not_only_the_first():
    result = old_age_pension.evaluate({"sex": "male"}, on=ON)

    assert result.outcome == PreCheckOutcome.INCOMPLETE
    assert result.missing == ("birth_on", "insurance_record_months", "pension_capital_qepik")
    assert "- Date of birth" in result.explanation
    assert "- Pension capital on the insurance sub-account" in result.explanation
    assert "Doğum tarixi" in result.explanations["az"]


def test_a_malformed_fact_makes_the_pre_check_incomplete_with_the_reason():
    result = targeted_assistance.evaluate(
        {
            "members": 4,
            "income_12_months_qepik": "a lot",
            "declaration_matches_checks": True,
            "purchases_sales_12_months_qepik": 0,
            "has_vehicle": False,
            "refused_suitable_jobs": 0,
            "utility_spending_12_months_qepik": 0,
            "same_purpose_real_estate_units": 1,
        },
        on=ON,
    )

    assert result.outcome == PreCheckOutcome.INCOMPLETE
    assert "income_12_months_qepik" in result.explanation


@pytest.mark.parametrize("lang", ["az", "en", "ru"])
def test_every_fact_of_every_scheme_has_a_label_and_every_handler_a_law(lang: str) -> None:
    from meis.catalog import handlers
    from meis.rules.explain import fact_label, law, title
    from meis.rules.schemes import SCHEMES

    for scheme in SCHEMES.values():
        for fact in scheme.facts:
            assert fact_label(scheme.name, fact.name, lang)
    rules_handlers = [h for h in vars(handlers).values() if isinstance(h, RulesHandler)]
    assert len(rules_handlers) == 10
    for handler in rules_handlers:
        assert law(handler.scheme, lang) != title(handler.scheme, lang)


def test_impossible_facts_are_incomplete_and_say_why_in_each_language():
    facts = DISABLED_AT_40 | {"birth_on": "2021-01-01"}  # born after the disability

    result = disability_pension.evaluate(facts, on=ON)

    assert result.outcome == PreCheckOutcome.INCOMPLETE
    assert result.reasons == ("birth_on", "disability_on")
    assert "a disability cannot begin before birth" in result.explanation
    assert "инвалидность не может начаться до рождения" in result.explanations["ru"]
