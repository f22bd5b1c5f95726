"""The two benchmark rules written as an OpenFisca extension (benchmark only).

Old-age pension eligibility + amount (person) and targeted social assistance (household), with
the same parameters as meis/rules, in OpenFisca's idiom: float32 AZN, numpy formulas, dated
parameters. ``build_system()`` returns the tax-benefit system.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from openfisca_core import periods
from openfisca_core.entities import build_entity
from openfisca_core.parameters import ParameterNode
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

from meis.rules.store import ParameterStore, default_store

Person = build_entity(key="person", plural="persons", label="Person", is_person=True)
Household = build_entity(
    key="household",
    plural="households",
    label="Household",
    roles=[{"key": "member", "plural": "members", "label": "Member"}],
)

MONTH = periods.DateUnit.MONTH
ETERNITY = periods.DateUnit.ETERNITY


def _values(store: ParameterStore, name: str, *, azn: bool) -> dict[str, Any]:
    parameter = store.parameter(name)
    return {
        "values": {
            p.start.isoformat(): {"value": (int(p.value) / 100 if azn else int(p.value))}  # type: ignore[arg-type]
            for p in parameter.periods
        }
    }


def _parameters(store: ParameterStore) -> ParameterNode:
    data = {
        "labour_pensions": {
            "retirement_age_men": _values(store, "labour_pensions.retirement_age_men", azn=False),
            "retirement_age_women": _values(
                store, "labour_pensions.retirement_age_women", azn=False
            ),
            "minimum_pension": _values(store, "labour_pensions.minimum_pension", azn=True),
            "expected_payment_period_months": _values(
                store, "labour_pensions.expected_payment_period_months", azn=False
            ),
            "record_for_minimum_pension_months": _values(
                store, "labour_pensions.record_for_minimum_pension_months", azn=False
            ),
        },
        "targeted_assistance": {
            "need_criterion": _values(store, "targeted_assistance.need_criterion", azn=True),
            "living_minimum": _values(store, "targeted_assistance.living_minimum", azn=True),
        },
    }
    return ParameterNode("", data=data)


class sex_is_male(Variable):
    value_type = bool
    entity = Person
    definition_period = ETERNITY


class birth(Variable):
    value_type = "Date"  # replaced below with datetime.date
    entity = Person
    definition_period = ETERNITY


class insurance_record_months(Variable):
    value_type = int
    entity = Person
    definition_period = ETERNITY


class pension_capital(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH


class income_12_months(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH


def _schedule_dates(schedule: Any, birth_dates: np.ndarray) -> np.ndarray:
    """Pension-age date per person under an age schedule (same algorithm as meis/rules/dates.py)."""
    starts = [np.datetime64(str(instant), "M") for instant in schedule["starts"]]
    ages = np.array(schedule["ages"], dtype=np.int64)
    start_months = np.array([s.astype(np.int64) for s in starts])
    thresholds = start_months[1:] - ages[:-1]
    birth_month = birth_dates.astype("datetime64[M]")
    k = np.searchsorted(thresholds, birth_month.astype(np.int64), side="right")
    reach_month = birth_month + ages[k]
    day = (birth_dates - birth_month.astype("datetime64[D]")).astype(np.int64)
    month_length = (
        (reach_month + 1).astype("datetime64[D]") - reach_month.astype("datetime64[D]")
    ).astype(np.int64)
    reach = reach_month.astype("datetime64[D]") + np.minimum(day, month_length - 1)
    start_dates = np.array(starts, dtype="datetime64[M]").astype("datetime64[D]")[k]
    return np.maximum(reach, start_dates)


def _age_schedule(node: Any) -> dict[str, list[Any]]:
    values = sorted(node.values_list, key=lambda v: v.instant_str)
    return {"starts": [v.instant_str for v in values], "ages": [v.value for v in values]}


class pension_age_on(Variable):
    value_type = "Date"
    entity = Person
    definition_period = MONTH

    def formula(person, period, parameters):  # type: ignore[no-untyped-def]
        tree = person.simulation.tax_benefit_system.parameters.labour_pensions
        births = person("birth", "ETERNITY")
        men = _schedule_dates(_age_schedule(tree.retirement_age_men), births)
        women = _schedule_dates(_age_schedule(tree.retirement_age_women), births)
        return np.where(person("sex_is_male", "ETERNITY"), men, women)


class old_age_pension_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH

    def formula(person, period, parameters):  # type: ignore[no-untyped-def]
        p = parameters(period).labour_pensions
        reached = person("pension_age_on", period) <= np.datetime64(str(period.start))
        part = person("pension_capital", period) / p.expected_payment_period_months
        record = (
            person("insurance_record_months", "ETERNITY") >= p.record_for_minimum_pension_months
        )
        return reached * ((part >= p.minimum_pension - 0.005) + record)


class old_age_pension(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH

    def formula(person, period, parameters):  # type: ignore[no-untyped-def]
        p = parameters(period).labour_pensions
        part = person("pension_capital", period) / p.expected_payment_period_months
        return person("old_age_pension_eligible", period) * np.maximum(part, p.minimum_pension)


def _household_input(name: str, kind: type) -> type:
    return type(
        name, (Variable,), {"value_type": kind, "entity": Household, "definition_period": MONTH}
    )


declaration_matches_checks = _household_input("declaration_matches_checks", bool)
purchases_sales_12_months = _household_input("purchases_sales_12_months", float)
has_vehicle = _household_input("has_vehicle", bool)
refused_suitable_jobs = _household_input("refused_suitable_jobs", int)
utility_spending_12_months = _household_input("utility_spending_12_months", float)
same_purpose_real_estate_units = _household_input("same_purpose_real_estate_units", int)


class targeted_assistance_eligible(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH

    def formula(household, period, parameters):  # type: ignore[no-untyped-def]
        p = parameters(period).targeted_assistance
        members = household.nb_persons()
        income = household.sum(household.members("income_12_months", period)) / 12
        refused = (
            ~household("declaration_matches_checks", period)
            + (income >= members * p.need_criterion)
            + (household("purchases_sales_12_months", period) > 12 * p.living_minimum)
            + household("has_vehicle", period)
            + (household("refused_suitable_jobs", period) >= 2)
            + (
                household("utility_spending_12_months", period) / 12 / members
                >= 0.15 * p.living_minimum
            )
            + (household("same_purpose_real_estate_units", period) >= 2)
        )
        return ~refused


class targeted_assistance(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH

    def formula(household, period, parameters):  # type: ignore[no-untyped-def]
        p = parameters(period).targeted_assistance
        members = household.nb_persons()
        income = household.sum(household.members("income_12_months", period)) / 12
        return household("targeted_assistance_eligible", period) * (
            members * p.need_criterion - income
        )


def build_system(store: ParameterStore | None = None) -> TaxBenefitSystem:
    import datetime

    system = TaxBenefitSystem([Person, Household])
    system.parameters = _parameters(store or default_store())
    for variable in (
        sex_is_male,
        birth,
        insurance_record_months,
        pension_capital,
        income_12_months,
        pension_age_on,
        old_age_pension_eligible,
        old_age_pension,
        declaration_matches_checks,
        purchases_sales_12_months,
        has_vehicle,
        refused_suitable_jobs,
        utility_spending_12_months,
        same_purpose_real_estate_units,
        targeted_assistance_eligible,
        targeted_assistance,
    ):
        if getattr(variable, "value_type", None) == "Date":
            variable.value_type = datetime.date
        system.add_variable(variable)
    return system
