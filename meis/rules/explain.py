"""Plain-language explanations of a trace in az / en / ru, for decision letters, case pages and
the public calculators.

The texts are data (``explanations.yaml``); this module only picks the messages a trace calls for
and fills in its values. Money is formatted per language ("1,500.00 AZN", "1 500,00 manat",
"1 500,00 AZN") from integer qəpik, exactly.

    explain(trace, "en")  -> list of paragraphs (a line starting with "- " is a list item)
    explain_text(trace, "en") -> the paragraphs joined by newlines
    impossible(problem, "en", on=date) -> why facts refused as impossible cannot be true
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from meis.rules.errors import Impossibility, RulesError
from meis.rules.yamlfile import yaml_load

LANGUAGES = ("az", "en", "ru")
EXPLANATIONS_FILE = Path(__file__).parent / "explanations.yaml"
REFUSAL_GROUNDS = {
    "is_refused_for_data_mismatch": 1,
    "is_refused_for_income": 2,
    "is_refused_for_purchases": 3,
    "is_refused_for_vehicle": 4,
    "is_refused_for_refused_jobs": 5,
    "is_refused_for_utility_spending": 6,
    "is_refused_for_real_estate": 7,
}


@cache
def templates() -> dict[str, Any]:
    data: dict[str, Any] = yaml_load(EXPLANATIONS_FILE.read_text(encoding="utf-8"))
    return data


def message(key: str, lang: str, **values: Any) -> str:
    """One message in one language, with its placeholders filled."""
    try:
        text: str = templates()["messages"][key][lang]
    except KeyError:
        raise RulesError(f"no explanation template {key!r} in {lang!r}") from None
    return text.format(**values)


def has_message(key: str, lang: str) -> bool:
    return bool(templates()["messages"].get(key, {}).get(lang))


def step_label(scheme: str, step: str, lang: str, *, version: str | None = None) -> str:
    """What a step (or a requirement read from a fact) computes, in one language.

    ``version`` is the trace's "YYYY-MM" of the step version used; labels of versioned steps are
    keyed like their rule functions, ``name__YYYY_MM``.
    """
    key = label_key(step, version)
    try:
        text: str = templates()["steps"][scheme][key][lang]
    except KeyError:
        raise RulesError(f"no step label {scheme}.{key} in {lang!r}") from None
    return text


def label_key(step: str, version: str | None) -> str:
    return step if version is None else f"{step}__{version.replace('-', '_')}"


def title(scheme: str, lang: str) -> str:
    titles: dict[str, dict[str, str]] = templates()["titles"]
    return titles.get(scheme, {}).get(lang, scheme)


def impossible(problem: Impossibility, lang: str, *, on: date) -> str:
    """Why facts cannot all be true, and what to check, in one language; the facts it read fill
    the placeholders named after them, ``{on}`` is the evaluation date."""
    try:
        text: str = templates()["impossible"][problem.check][lang]
    except KeyError:
        raise RulesError(f"no impossible-facts message {problem.check!r} in {lang!r}") from None
    values = {name: _fact_value(name, value, lang) for name, value in problem.facts.items()}
    return text.format(on=format_date(on, lang), **values)


def _fact_value(name: str, value: Any, lang: str) -> str:
    if isinstance(value, date):
        return format_date(value, lang)
    if name.endswith("_qepik") and isinstance(value, int):
        return format_money(value, lang)
    if "months" in name.split("_") and isinstance(value, int):
        return format_months(value, lang)
    return str(value)


# -- formatting ---------------------------------------------------------------------------------


def format_money(qepik: int, lang: str) -> str:
    """Exact money from integer qəpik: en '1,500.00 AZN', az '1 500,00 manat', ru '1 500,00 AZN'."""
    fmt = templates()["formats"][lang]
    sign = "-" if qepik < 0 else ""
    whole, cents = divmod(abs(int(qepik)), 100)
    grouped = f"{whole:,}".replace(",", fmt["group"])
    amount = f"{sign}{grouped}{fmt['decimal']}{cents:02d}"
    return str(fmt["money"]).format(amount=amount)


def format_date(value: date | str, lang: str) -> str:
    day = value if isinstance(value, date) else date.fromisoformat(value)
    fmt = templates()["formats"][lang]
    names = templates()["month_names"].get(lang)
    month_name = names[day.month - 1] if names else ""
    return str(fmt["date"]).format(
        day=day.day, month=day.month, year=day.year, month_name=month_name
    )


def plural(unit: str, n: int, lang: str) -> str:
    forms: dict[str, str] = templates()["units"][unit][lang]
    return forms[_plural_form(n, lang, forms)].format(n=n)


def _plural_form(n: int, lang: str, forms: Mapping[str, str]) -> str:
    if lang == "ru":
        if n % 10 == 1 and n % 100 != 11:
            return "one"
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return "few"
        return "many"
    return "one" if n == 1 and "one" in forms else "other"


def format_months(months: int, lang: str) -> str:
    """A duration in months as years and months: '63 years 6 months', '63 il 6 ay', '63 года 6 месяцев'."""
    years, rest = divmod(int(months), 12)
    parts = []
    if years or not rest:
        parts.append(plural("year", years, lang))
    if rest:
        parts.append(plural("month", rest, lang))
    return " ".join(parts)


_AZ_ORDINAL_UNITS = {
    1: "ci",
    2: "ci",
    3: "cü",
    4: "cü",
    5: "ci",
    6: "cı",
    7: "ci",
    8: "ci",
    9: "cu",
}
_AZ_ORDINAL_TENS = {1: "cu", 2: "ci", 3: "cu", 4: "cı", 5: "ci", 6: "cı", 7: "ci", 8: "ci", 9: "cı"}


def az_ordinal(n: int) -> str:
    """Azerbaijani ordinal numeral with vowel harmony: 2020-ci, 2019-cu, 2023-cü, 2026-cı."""
    if n % 10:
        suffix = _AZ_ORDINAL_UNITS[n % 10]
    elif n % 100:
        suffix = _AZ_ORDINAL_TENS[(n // 10) % 10]
    elif n % 1000:
        suffix = "cü"  # yüz
    else:
        suffix = "ci"  # min
    return f"{n}-{suffix}"


# -- reading a trace ----------------------------------------------------------------------------


class _Trace:
    def __init__(self, trace: Mapping[str, Any]) -> None:
        self.raw = trace
        self.scheme = str(trace["scheme"])
        self.on = date.fromisoformat(str(trace["on"]))
        self.outcome = bool(trace["outcome"])
        self.amount = int(trace["amount_qepik"])
        self.facts: Mapping[str, Any] = trace["facts"]
        self.steps = {step["name"]: step["value"] for step in trace["steps"]}
        self.versions = _step_versions(self.scheme, self.on, trace["steps"])
        self.parameters = {use["name"]: use for use in trace["parameters"]}

    def step(self, name: str) -> Any:
        return self.steps[name]

    def parameter(self, name: str) -> Any:
        return self.parameters[name]["value"]


def _step_versions(scheme: str, on: date, steps: list[Mapping[str, Any]]) -> dict[str, str | None]:
    """Version ("YYYY-MM") of each step: the trace's, else the one in force on the trace's date
    (stored award records keep step values only)."""
    from meis.rules.schemes import SCHEMES

    in_force = (
        {s.name: s.version for s in SCHEMES[scheme].steps_on(on)} if scheme in SCHEMES else {}
    )
    recorded = {step["name"]: step["version"] for step in steps if step.get("version")}
    return in_force | recorded


def explain(trace: Mapping[str, Any], lang: str) -> list[str]:
    """Paragraphs explaining the outcome and the amount; a refusal lists each ground with its rule."""
    if lang not in LANGUAGES:
        raise RulesError(f"unknown language {lang!r} (known: {', '.join(LANGUAGES)})")
    t = _Trace(trace)
    explainer = _EXPLAINERS.get(t.scheme, _generic)
    return explainer(t, lang)


def explain_text(trace: Mapping[str, Any], lang: str) -> str:
    return "\n".join(explain(trace, lang))


def _old_age_pension(t: _Trace, lang: str) -> list[str]:
    m = _money(lang)
    minimum = int(t.parameter("labour_pensions.minimum_pension"))
    insurance_part = int(t.step("insurance_part_qepik"))
    values = {
        "age": format_months(int(t.step("pension_age_months")), lang),
        "pension_age_on": format_date(t.step("pension_age_on"), lang),
        "capital": m(int(t.facts["pension_capital_qepik"])),
        "period": t.parameter("labour_pensions.expected_payment_period_months"),
        "insurance_part": m(insurance_part),
        "minimum": m(minimum),
        "record": format_months(int(t.facts["insurance_record_months"]), lang),
        "required_record": format_months(
            int(t.parameter("labour_pensions.record_for_minimum_pension_months")), lang
        ),
        "amount": m(t.amount),
        "estimate": m(max(insurance_part, minimum)),
    }
    reached = bool(t.step("has_reached_pension_age"))
    lines = [
        message("pension_age_reached" if reached else "pension_age_not_reached", lang, **values)
    ]
    lines.append(message("pension_insurance_part", lang, **values))
    if t.step("has_capital_for_minimum_pension"):
        lines.append(message("pension_right_capital", lang, **values))
    elif t.step("has_record_for_minimum_pension"):
        lines.append(message("pension_right_record", lang, **values))
    else:
        lines.append(message("pension_no_right", lang, **values))
    if t.outcome:
        lines.append(message("pension_amount", lang, **values))
    elif t.step("has_pension_right"):
        lines.append(message("pension_estimate", lang, **values))
    return lines


def _targeted_assistance(t: _Trace, lang: str) -> list[str]:
    m = _money(lang)
    members = int(t.facts.get("members", 0))
    living_minimum = int(t.parameter("targeted_assistance.living_minimum"))
    purchases_count = int(t.parameter("targeted_assistance.purchases_limit_living_minima"))
    share = str(t.parameter("targeted_assistance.utility_spending_share_of_living_minimum"))
    share_percent = _percent(share)
    months = int(t.parameter("targeted_assistance.averaging_period_months"))
    utility = int(t.facts.get("utility_spending_12_months_qepik", 0))
    per_person = _round_half_up(utility, months * members) if members else 0
    values: dict[str, Any] = {
        "income": m(int(t.step("average_monthly_income_qepik"))),
        "members": plural("members", members, lang),
        "year": t.on.year,
        "year_az": az_ordinal(t.on.year),
        "need_total": m(int(t.step("need_total_qepik"))),
        "amount": m(t.amount),
        "purchases": m(int(t.facts.get("purchases_sales_12_months_qepik", 0))),
        "purchases_limit_count": purchases_count,
        "purchases_limit": m(living_minimum * purchases_count),
        "jobs_limit": t.parameter("targeted_assistance.refused_suitable_jobs_limit"),
        "utility_per_person": m(per_person),
        "utility_share": share_percent,
        "utility_limit": m(_round_half_up(living_minimum * _numerator(share), _denominator(share))),
        "real_estate_units": t.facts.get("same_purpose_real_estate_units", 0),
    }
    if t.outcome:
        return [message("assistance_amount", lang, **values)]
    lines = [message("assistance_refused", lang)]
    for refusal in t.raw["refusals"]:
        ground = REFUSAL_GROUNDS[refusal]
        rule = message("assistance_rule", lang, ground=ground, ground_az=az_ordinal(ground))
        lines.append("- " + message(refusal, lang, rule=rule, **values))
    return lines


def _disability_pension(t: _Trace, lang: str) -> list[str]:
    m = _money(lang)
    required = int(t.step("required_record_months"))
    values = {
        "age_at_onset": plural("year", int(t.step("age_at_onset_years")), lang),
        "required": format_months(required, lang),
        "required_months": required,
        "record": format_months(int(t.facts["insurance_record_months"]), lang),
        "capital": m(int(t.step("total_capital_qepik"))),
        "period": t.parameter("labour_pensions.expected_payment_period_months"),
        "divisor": t.parameter("labour_pensions.disability_record_coefficient_divisor_months"),
        "insurance_part": m(int(t.step("insurance_part_qepik"))),
        "minimum": m(int(t.parameter("labour_pensions.minimum_pension"))),
        "amount": m(t.amount),
    }
    lines = [message("disability_record", lang, **values)]
    if t.outcome:
        lines.append(message("disability_amount", lang, **values))
    else:
        lines.append(message("disability_no_right", lang, **values))
    return lines


def _unemployment_insurance(t: _Trace, lang: str) -> list[str]:
    m = _money(lang)
    values = {
        "wage": m(int(t.step("lost_average_wage_qepik"))),
        "rate": _basis_points(int(t.step("replacement_rate_basis_points"))),
        "children_rate": _basis_points(int(t.step("child_supplement_basis_points"))),
        "before": m(int(t.step("benefit_before_limits_qepik"))),
        "minimum_wage": m(int(t.parameter("labour.minimum_wage"))),
        "maximum": m(int(t.parameter("labour.average_monthly_wage_previous_year"))),
        "amount": m(t.amount),
        "record": format_months(int(t.facts["insurance_record_months"]), lang),
        "required": format_months(
            int(t.parameter("unemployment_insurance.minimum_record_months")), lang
        ),
    }
    if t.outcome:
        return [message("unemployment_amount", lang, **values)]
    lines = [message("unemployment_refused", lang)]
    for requirement in t.raw["unmet_requirements"]:
        lines.append("- " + message(requirement, lang, **values))
    return lines


def _contributions(t: _Trace, lang: str) -> list[str]:
    m = _money(lang)
    values = {
        "wage": m(int(t.facts["gross_wage_qepik"])),
        "employee_si": m(int(t.step("employee_social_insurance_qepik"))),
        "employer_si": m(int(t.step("employer_social_insurance_qepik"))),
        "employee_ui": m(int(t.step("employee_unemployment_insurance_qepik"))),
        "employer_ui": m(int(t.step("employer_unemployment_insurance_qepik"))),
        "amount": m(t.amount),
    }
    return [message("contributions_amount", lang, **values)]


def _generic(t: _Trace, lang: str) -> list[str]:
    """Any other scheme: the outcome, the unmet requirements, and every step with its value."""
    name = title(t.scheme, lang)
    if t.outcome:
        lines = [message("generic_eligible", lang, title=name, amount=format_money(t.amount, lang))]
    else:
        lines = [message("generic_not_eligible", lang, title=name)]
        for requirement in t.raw.get("unmet_requirements", []):
            rule = step_label(t.scheme, requirement, lang, version=t.versions.get(requirement))
            lines.append("- " + message("generic_unmet", lang, rule=rule))
    lines.append(message("generic_steps", lang))
    for step_name, value in t.steps.items():
        rule = step_label(t.scheme, step_name, lang, version=t.versions.get(step_name))
        lines.append(
            "- " + message("generic_step", lang, rule=rule, value=_value(step_name, value, lang))
        )
    return lines


def _money(lang: str) -> Callable[[int], str]:
    def formatted(qepik: int) -> str:
        return format_money(qepik, lang)

    return formatted


def _value(name: str, value: Any, lang: str) -> str:
    if isinstance(value, bool):
        return message("yes" if value else "no", lang)
    if name.endswith("_qepik") and isinstance(value, int):
        return format_money(value, lang)
    if name.endswith("_on") and isinstance(value, str):
        return format_date(value, lang)
    if isinstance(value, str):  # a step that names a choice (the stipend's paid category)
        choices: dict[str, dict[str, str]] = templates()["choices"]
        return choices.get(value, {}).get(lang, value)
    return str(value)


def _percent(ratio: str) -> str:
    """'0.15' → '15' (exact, trailing zeros dropped)."""
    return format((Decimal(ratio) * 100).normalize(), "f")


def _numerator(ratio: str) -> int:
    return Decimal(ratio).as_integer_ratio()[0]


def _denominator(ratio: str) -> int:
    return Decimal(ratio).as_integer_ratio()[1]


def _basis_points(value: int) -> str:
    whole, rest = divmod(value, 100)
    return str(whole) if not rest else f"{whole}.{rest:02d}".rstrip("0")


def _round_half_up(numerator: int, denominator: int) -> int:
    return (numerator * 2 + denominator) // (denominator * 2)


_EXPLAINERS: dict[str, Callable[[_Trace, str], list[str]]] = {
    "old_age_pension": _old_age_pension,
    "targeted_assistance": _targeted_assistance,
    "disability_pension": _disability_pension,
    "unemployment_insurance": _unemployment_insurance,
    "contributions": _contributions,
}
EXPLAINED_SCHEMES = frozenset(_EXPLAINERS)


# -- pre-checks: the facts, what is missing, a near miss, the legal ground ----------------------


def fact_label(scheme: str, fact: str, lang: str) -> str:
    """What a fact the scheme reads is, in one language."""
    try:
        text: str = templates()["facts"][scheme][fact][lang]
    except KeyError:
        raise RulesError(f"no fact label {scheme}.{fact} in {lang!r}") from None
    return text


def fact_value(scheme: str, fact: str, value: Any, lang: str) -> str:
    """A fact's value as a reader sees it: money, dates, durations, yes/no, a choice's name."""
    from meis.rules.schemes import SCHEMES

    kind = next((f.kind for f in SCHEMES[scheme].facts if f.name == fact), None)
    if kind == "bool" or isinstance(value, bool):
        return message("yes" if value else "no", lang)
    if kind == "money" and isinstance(value, int):
        return format_money(value, lang)
    if kind == "date" and isinstance(value, date | str):
        try:
            return format_date(value, lang)
        except ValueError:
            return str(value)
    if fact.endswith("_months") or "_months_" in fact:
        return format_months(int(value), lang) if isinstance(value, int) else str(value)
    choices: dict[str, dict[str, str]] = templates()["choices"]
    return choices.get(str(value), {}).get(lang, str(value))


def law(scheme: str, lang: str) -> str:
    """The act the scheme's rule applies (its title when none is recorded)."""
    laws: dict[str, dict[str, str]] = templates()["laws"]
    return laws.get(scheme, {}).get(lang) or title(scheme, lang)


def missing_facts(scheme: str, facts: list[str] | tuple[str, ...], lang: str) -> list[str]:
    """An incomplete pre-check: the facts the rule still needs, each named."""
    lines = [message("pre_check_missing", lang, title=title(scheme, lang))]
    return lines + ["- " + fact_label(scheme, name, lang) for name in facts]


def pre_check_explain(
    trace: Mapping[str, Any], lang: str, *, near_miss_months: int | None = None
) -> list[str]:
    """`explain` for an application's pre-check; a refusal adds a near miss and its legal ground:
    the act, and each requirement not met and each refusal ground that applies."""
    lines = explain(trace, lang)
    if trace["outcome"]:
        return lines
    t = _Trace(trace)
    if near_miss_months:
        required = int(trace["facts"]["insurance_record_months"]) + near_miss_months
        lines.append(
            message(
                "near_miss_record",
                lang,
                short=format_months(near_miss_months, lang),
                required=format_months(required, lang),
            )
        )
    for key, names in (
        ("legal_ground_unmet", trace.get("unmet_requirements", [])),
        ("legal_ground_refusal", trace.get("refusals", [])),
    ):
        if names:
            rules = "; ".join(
                step_label(t.scheme, name, lang, version=t.versions.get(name)) for name in names
            )
            lines.append(message(key, lang, law=law(t.scheme, lang), rules=rules))
    return lines
