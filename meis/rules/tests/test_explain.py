"""Explanations: the DOMAIN worked example in three languages; every refusal and unmet
requirement of an explained scheme has a template in every language."""

from __future__ import annotations

from datetime import date
from string import Formatter
from typing import Any

import pytest

from meis.rules.engine import Scheme, compile_scheme, evaluate_case
from meis.rules.errors import ImpossibleFacts
from meis.rules.explain import (
    EXPLAINED_SCHEMES,
    LANGUAGES,
    REFUSAL_GROUNDS,
    az_ordinal,
    explain,
    explain_text,
    format_money,
    format_months,
    has_message,
    impossible,
    label_key,
    templates,
)
from meis.rules.schemes import SCHEMES, get_scheme
from meis.rules.store import default_store
from meis.rules.tests.test_cases import _load

FAMILY: dict[str, Any] = {
    "members": 4,
    "income_12_months_qepik": 480000,
    "declaration_matches_checks": True,
    "purchases_sales_12_months_qepik": 0,
    "has_vehicle": False,
    "refused_suitable_jobs": 0,
    "utility_spending_12_months_qepik": 60000,
    "same_purpose_real_estate_units": 1,
}
REFUSING: dict[str, Any] = {
    "is_refused_for_data_mismatch": {"declaration_matches_checks": False},
    "is_refused_for_income": {"income_12_months_qepik": 768000},
    "is_refused_for_purchases": {"purchases_sales_12_months_qepik": 10_000_000},
    "is_refused_for_vehicle": {"has_vehicle": True},
    "is_refused_for_refused_jobs": {"refused_suitable_jobs": 2},
    "is_refused_for_utility_spending": {"utility_spending_12_months_qepik": 2_000_000},
    "is_refused_for_real_estate": {"same_purpose_real_estate_units": 2},
}

DOMAIN_EXAMPLE = {
    "en": "Your family's average monthly income is 400.00 AZN; the need criterion for 4 members"
    " in 2020 is 640.00 AZN; the difference, 240.00 AZN, is your monthly assistance.",
    "az": "Ailənizin orta aylıq gəliri 400,00 manat təşkil edir; 2020-ci ildə 4 nəfərlik ailə"
    " üçün ehtiyac meyarı 640,00 manat təşkil edir; fərq, 240,00 manat, sizin aylıq"
    " yardımınızdır.",
    "ru": "Среднемесячный доход вашей семьи — 400,00 AZN; критерий нуждаемости для семьи из"
    " 4 человек в 2020 году — 640,00 AZN; разница, 240,00 AZN, — ваша ежемесячная помощь.",
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_domain_example_in_every_language(lang: str) -> None:
    result = evaluate_case(get_scheme("targeted_assistance"), FAMILY, on=date(2020, 3, 1))
    assert explain_text(result.trace, lang) == DOMAIN_EXAMPLE[lang]


def test_every_refusal_ground_is_covered_by_a_test_case() -> None:
    assert set(REFUSING) == set(get_scheme("targeted_assistance").refusals) == set(REFUSAL_GROUNDS)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("refusal", sorted(REFUSING))
def test_each_refusal_is_explained_with_its_rule(refusal: str, lang: str) -> None:
    facts = FAMILY | REFUSING[refusal]
    result = evaluate_case(get_scheme("targeted_assistance"), facts, on=date(2020, 3, 1))
    assert result.trace["refusals"] == [refusal]
    lines = explain(result.trace, lang)
    assert len(lines) == 2
    ground = str(REFUSAL_GROUNDS[refusal])
    assert ground in lines[1]
    assert "37" in lines[1]  # the Cabinet decision that holds the refusal grounds


def test_every_refusal_and_requirement_has_a_template_in_every_language() -> None:
    missing = []
    for scheme in SCHEMES.values():
        if scheme.name not in EXPLAINED_SCHEMES:
            continue
        for step in (*scheme.refusals, *scheme.requirements):
            if scheme.name == "old_age_pension" or scheme.name == "disability_pension":
                continue  # explained by the record/age sentences, not per requirement
            for lang in LANGUAGES:
                if not has_message(step, lang):
                    missing.append(f"{scheme.name}.{step} [{lang}]")
    assert not missing, f"explanation templates missing: {missing}"


def test_every_message_and_title_has_all_languages() -> None:
    data = templates()
    for key, texts in data["messages"].items():
        assert set(texts) == set(LANGUAGES), key
    assert set(data["titles"]) == set(SCHEMES)
    for key, texts in data["titles"].items():
        assert set(texts) == set(LANGUAGES), key


def _label_keys(scheme: Scheme) -> set[str]:
    """Every step version, and every requirement or refusal read straight from a fact."""
    versions = {label_key(s.name, s.version) for s in scheme.steps}
    from_facts = set(scheme.requirements + scheme.refusals) - set(scheme.step_names())
    return versions | from_facts


def test_every_step_version_and_requirement_has_a_label_in_every_language() -> None:
    labels = templates()["steps"]
    missing = [
        f"{scheme.name}.{key} [{lang}]"
        for scheme in SCHEMES.values()
        for key in sorted(_label_keys(scheme))
        for lang in LANGUAGES
        if not labels.get(scheme.name, {}).get(key, {}).get(lang)
    ]
    assert not missing, f"step labels missing in explanations.yaml: {missing}"


def test_no_step_label_is_left_over_from_a_removed_step() -> None:
    labels = templates()["steps"]
    assert set(labels) == set(SCHEMES)
    for name, scheme in SCHEMES.items():
        assert set(labels[name]) == _label_keys(scheme), name


def test_generic_explanation_labels_steps_in_the_reader_s_language() -> None:
    result = evaluate_case(
        get_scheme("childbirth_benefit"), {"children_born": 2}, on=date(2024, 5, 1)
    )
    assert "- Ən azı bir uşaq doğulub: bəli" in explain(result.trace, "az")
    assert "- Родился хотя бы один ребёнок: да" in explain(result.trace, "ru")


@pytest.mark.parametrize(
    ("on", "label"),
    [
        (date(2024, 5, 1), "- Monthly benefit (a flat amount): 200.00 AZN"),
        (date(2025, 5, 1), "- Monthly benefit by the degree of loss of body functions:"),
    ],
)
def test_generic_explanation_labels_the_step_version_in_force(on: date, label: str) -> None:
    facts = {"birth_on": "2015-06-01", "disability_percent": 70}
    result = evaluate_case(get_scheme("disabled_child_benefit"), facts, on=on)
    lines = explain(result.trace, "en")
    assert any(line.startswith(label) for line in lines), lines


def test_a_trace_without_step_versions_is_labelled_with_the_version_in_force() -> None:
    facts = {"birth_on": "2015-06-01", "disability_percent": 70}
    result = evaluate_case(get_scheme("disabled_child_benefit"), facts, on=date(2025, 5, 1))
    stored = result.trace | {
        "steps": [{"name": s["name"], "value": s["value"]} for s in result.trace["steps"]]
    }
    assert explain(stored, "az") == explain(result.trace, "az")


@pytest.mark.parametrize(
    "case", [case for case in _load() if "impossible" not in case.values[0]["expect"]]
)
def test_every_case_can_be_explained_in_every_language(case: dict[str, Any]) -> None:
    result = evaluate_case(get_scheme(case["scheme"]), case["facts"], on=case["date"])
    for lang in LANGUAGES:
        lines = explain(result.trace, lang)
        assert lines
        assert all(line.strip() for line in lines)
        assert "{" not in "".join(lines)


def test_pension_not_yet_reached_gives_the_date_and_an_estimate() -> None:
    facts = {
        "sex": "male",
        "birth_on": "1960-05-10",
        "insurance_record_months": 360,
        "pension_capital_qepik": 7_200_000,
    }
    result = evaluate_case(get_scheme("old_age_pension"), facts, on=date(2020, 3, 1))
    text = explain_text(result.trace, "en")
    assert "You will reach the pension age of 65 years on 10 May 2025." in text
    assert "would be about 500.00 AZN" in text


def test_formatting() -> None:
    assert format_money(150000, "en") == "1,500.00 AZN"
    assert format_money(150000, "az") == "1 500,00 manat"
    assert format_money(-5, "ru") == "-0,05 AZN"
    assert format_months(762, "ru") == "63 года 6 месяцев"
    assert format_months(301, "en") == "25 years 1 month"
    assert format_months(0, "az") == "0 il"
    assert [az_ordinal(y) for y in (2019, 2020, 2023, 2026, 2030, 2040, 2100, 3000)] == [
        "2019-cu", "2020-ci", "2023-cü", "2026-cı", "2030-cu", "2040-cı", "2100-cü", "3000-ci",
    ]  # fmt: skip


def test_every_impossible_combination_is_explained_in_every_language() -> None:
    texts = templates()["impossible"]
    checks = {check.name: check for scheme in SCHEMES.values() for check in scheme.checks}
    assert set(texts) == set(checks)
    for name in checks:
        assert set(texts[name]) == set(LANGUAGES), name
        for scheme in SCHEMES.values():
            if name not in scheme.check_names:
                continue
            compiled = compile_scheme(scheme, date(2020, 3, 1), default_store())
            fields = {
                f for lang in LANGUAGES for _, f, _, _ in Formatter().parse(texts[name][lang])
            }
            assert fields - {None, "on"} <= set(compiled.check_facts[name]), (scheme.name, name)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "The disability is recorded as established on 15 January 2010, before the date"),
        ("az", "Əlilliyin müəyyən edilmə tarixi (15 yanvar 2010) doğum tarixindən (1 mart 2015)"),
        (
            "ru",
            "Дата установления инвалидности (15 января 2010) раньше даты рождения (1 марта 2015)",
        ),
    ],
)
def test_a_disability_before_birth_is_explained_in_the_reader_s_language(
    lang: str, text: str
) -> None:
    facts = {
        "birth_on": "2015-03-01",
        "disability_on": "2010-01-15",
        "insurance_record_months": 0,
        "pre_2006_capital_qepik": 0,
        "pension_capital_qepik": 0,
    }
    with pytest.raises(ImpossibleFacts) as refused:
        evaluate_case(get_scheme("disability_pension"), facts, on=date(2020, 3, 1))
    assert refused.value.facts == {"birth_on", "disability_on"}
    (problem,) = refused.value.problems
    assert impossible(problem, lang, on=refused.value.on).startswith(text)
