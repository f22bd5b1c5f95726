"""Presidential stipend (Prezident təqaüdü, docs/domain.md §5): a monthly stipend for people
disabled by war or by the events of 20 January 1990 (by degree), members of martyrs' families,
veterans of the Second World War, National Heroes, Patriotic War Heroes, and people disabled of
degree I (81–100 % from July 2022) without a right to a labour pension.

Each category rests on its own decree; a person in several of them is paid **one** stipend, the
highest (`amount_qepik` is the largest of the category amounts, `paid_category` names it). The
stipend is paid on top of a pension or benefit: it excludes none of them, only a second stipend
(the award's exclusivity group). The statuses come from the authorities' registers
(`meis.veterans`), never from a declaration.

The degree-I category (Presidential decree No. 128 of 17 March 2014: for those who receive the
social disability benefit of group I) is the exception to "excludes none": a degree-I person who
holds a labour pension (old-age, disability or survivor's) is not in it. Its fact comes from the
registers too: the latest commission decision in force on the day is of degree I, and no labour
pension is held (`meis.proactive.sources`, `meis.eligibility.selectors`).
"""

from __future__ import annotations

import polars as pl

from meis.rules import money
from meis.rules.engine import Fact, Params, Scheme

DEGREES = ("none", "I", "II", "III")
# The categories in the order a tie is resolved (the first of equal amounts is named).
CATEGORIES = (
    "patriotic_war_hero",
    "national_hero",
    "war_disabled",
    "martyr_family",
    "wwii_veteran",
    "first_degree_disabled",
)

scheme = Scheme(
    name="presidential_stipend",
    title="Presidential stipend",
    doc=__doc__ or "",
    facts=(
        Fact(
            "war_disability_degree",
            "choice",
            "Degree of a disability caused by war or the events of 20 January 1990",
            DEGREES,
        ),
        Fact("is_martyr_family", "bool", "Family member of a martyr"),
        Fact("is_wwii_veteran", "bool", "Veteran of the Second World War"),
        Fact("is_national_hero", "bool", "National Hero"),
        Fact("is_patriotic_war_hero", "bool", "Patriotic War Hero"),
        Fact(
            "is_first_degree_disabled_without_pension",
            "bool",
            "Disabled of degree I without a right to a labour pension",
        ),
    ),
    requirements=("has_a_category",),
)


def _if(flag: pl.Expr, amount: pl.Expr) -> pl.Expr:
    return pl.when(flag).then(amount).otherwise(money.lit(0))


@scheme.rule
def has_a_category(p: Params) -> pl.Expr:
    """The registers record at least one of the stipend's categories."""
    return (
        (pl.col("war_disability_degree") != "none")
        | pl.col("is_martyr_family")
        | pl.col("is_wwii_veteran")
        | pl.col("is_national_hero")
        | pl.col("is_patriotic_war_hero")
        | pl.col("is_first_degree_disabled_without_pension")
    )


@scheme.rule
def war_disabled_qepik(p: Params) -> pl.Expr:
    """The war-disabled (and 20 January disabled) stipend for the degree, else 0."""
    degree = pl.col("war_disability_degree")
    return (
        pl.when(degree == "I")
        .then(p.money("presidential_stipends.war_disabled_degree_1"))
        .when(degree == "II")
        .then(p.money("presidential_stipends.war_disabled_degree_2"))
        .when(degree == "III")
        .then(p.money("presidential_stipends.war_disabled_degree_3"))
        .otherwise(money.lit(0))
    )


@scheme.rule
def martyr_family_qepik(p: Params) -> pl.Expr:
    """The martyr's family member's stipend, else 0."""
    return _if(pl.col("is_martyr_family"), p.money("presidential_stipends.martyr_family"))


@scheme.rule
def wwii_veteran_qepik(p: Params) -> pl.Expr:
    """The Second World War veteran's stipend, else 0."""
    return _if(pl.col("is_wwii_veteran"), p.money("presidential_stipends.wwii_veteran"))


@scheme.rule
def national_hero_qepik(p: Params) -> pl.Expr:
    """The National Hero's stipend, else 0."""
    return _if(pl.col("is_national_hero"), p.money("presidential_stipends.national_hero"))


@scheme.rule
def patriotic_war_hero_qepik(p: Params) -> pl.Expr:
    """The Patriotic War Hero's stipend (from December 2020), else 0."""
    return _if(pl.col("is_patriotic_war_hero"), p.money("presidential_stipends.patriotic_war_hero"))


@scheme.rule
def first_degree_disabled_qepik(p: Params) -> pl.Expr:
    """The stipend of a person disabled of degree I without a labour pension, else 0."""
    return _if(
        pl.col("is_first_degree_disabled_without_pension"),
        p.money("presidential_stipends.first_degree_disabled"),
    )


@scheme.rule
def amount_qepik(p: Params) -> pl.Expr:
    """One stipend, the highest of the person's categories (never their sum)."""
    return pl.max_horizontal(*(pl.col(f"{c}_qepik") for c in CATEGORIES))


@scheme.rule
def paid_category(p: Params) -> pl.Expr:
    """The category whose stipend is paid (the highest; empty when none is payable)."""
    named = pl.lit("")
    for category in reversed(CATEGORIES):
        named = (
            pl.when(
                (pl.col(f"{category}_qepik") == pl.col("amount_qepik"))
                & (pl.col("amount_qepik") > 0)
            )
            .then(pl.lit(category))
            .otherwise(named)
        )
    return named


@scheme.rule
def is_eligible(p: Params) -> pl.Expr:
    """A category is recorded and its stipend is payable on the date (a title may be newer)."""
    return pl.col("has_a_category") & (pl.col("amount_qepik") > 0)
