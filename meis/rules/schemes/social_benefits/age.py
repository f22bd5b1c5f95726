"""Age benefit (yaşa görə sosial müavinət) for people without a labour-pension right who do
not work. Until 31 Dec 2019 from 67 (men) / 62 (women); from 1 Jan 2020 from the pension age;
mothers of five or more children from 56."""

from __future__ import annotations

import polars as pl

from meis.rules import checks, money
from meis.rules.dates import add_months, month_index, scheduled_age
from meis.rules.engine import Fact, Params, Scheme
from meis.rules.schemes.social_benefits import paid_if_eligible

_SEX = Fact("sex", "choice", "Sex as recorded in the population register", ("male", "female"))
_BIRTH = Fact("birth_on", "date", "Date of birth")

scheme = Scheme(
    name="age_benefit",
    title="Age (old-age social) benefit",
    doc=__doc__ or "",
    facts=(
        _SEX,
        _BIRTH,
        Fact("children_born", "int", "Children the person has given birth to or raised"),
        Fact("has_labour_pension_right", "bool", "The person has a right to a labour pension"),
        Fact("is_working", "bool", "The person is in paid work"),
    ),
    requirements=("has_reached_benefit_age", "has_no_other_support"),
)
scheme.impossible(checks.born_after_evaluation_date)


@scheme.rule
def general_benefit_age_on__2017_01(p: Params) -> pl.Expr:
    """Date of reaching the age-benefit age (67 men, 62 women)."""
    men = add_months(pl.col("birth_on"), money.lit(p.whole("social_benefits.age_benefit_age_men")))
    women = add_months(
        pl.col("birth_on"), money.lit(p.whole("social_benefits.age_benefit_age_women"))
    )
    return pl.when(pl.col("sex") == "male").then(men).otherwise(women)


@scheme.rule
def general_benefit_age_on__2020_01(p: Params) -> pl.Expr:
    """Date of reaching the pension age in force on that date (age benefit equals pension age from 2020)."""
    birth_month = month_index(pl.col("birth_on"))
    dates = []
    for name in ("labour_pensions.retirement_age_men", "labour_pensions.retirement_age_women"):
        age, start = scheduled_age(birth_month, p.schedule(name))
        dates.append(pl.max_horizontal(add_months(pl.col("birth_on"), age), start))
    return pl.when(pl.col("sex") == "male").then(dates[0]).otherwise(dates[1])


@scheme.rule
def benefit_age_on(p: Params) -> pl.Expr:
    """Earlier of the general date and, for mothers of many children, the date of turning 56."""
    many = (pl.col("sex") == "female") & (
        pl.col("children_born") >= p.whole("social_benefits.mothers_of_many_children_count")
    )
    mothers = add_months(
        pl.col("birth_on"), money.lit(p.whole("social_benefits.age_benefit_age_mothers_of_many"))
    )
    general = pl.col("general_benefit_age_on")
    return pl.when(many).then(pl.min_horizontal(general, mothers)).otherwise(general)


@scheme.rule
def has_reached_benefit_age(p: Params) -> pl.Expr:
    """The benefit age is reached on or before the evaluation date."""
    return pl.col("benefit_age_on") <= pl.lit(p.on)


@scheme.rule
def has_no_other_support(p: Params) -> pl.Expr:
    """No labour-pension right and not working."""
    return ~pl.col("has_labour_pension_right") & ~pl.col("is_working")


@scheme.rule
def is_eligible(p: Params) -> pl.Expr:
    """Benefit age reached and no other support."""
    return pl.col("has_reached_benefit_age") & pl.col("has_no_other_support")


@scheme.rule
def amount_qepik(p: Params) -> pl.Expr:
    """Monthly age benefit."""
    return paid_if_eligible(p.money("social_benefits.age_benefit"))
