"""When an award ends by law: one rule, for one award and for millions.

    end_by_law(kind)            # Polars expressions `end_on` and `end_reason` over fact columns
    award_end_by_law(kind=…, start_on=…, birth_on=…, reexamine_on=…, born_on=…, died_on=…)

`award_grant` evaluates the rule on a one-row frame; the proactive sources
(`meis.proactive.sources`, each `Source.end_on`) and the end-date backfill evaluate the same
expressions over a whole frame. `end_on` is the last day the award is paid (inclusive), as the
model's `end_on`; null when the law sets no end (an old-age pension runs until death).

| kind | ends | reason |
|---|---|---|
| targeted assistance | after `targeted_assistance.assignment_months` (12) from its start (docs/domain.md §2) | term |
| disability pension, disability benefit | the eve of the re-examination date plus `disability.reexamination_grace_months` (6, calendar months, clamped to the month's end; docs/domain.md §4: a re-examination within the grace counts the gap as disability); a newer decision continues it (the daily job) | reexamination |
| disabled-child benefit | the earlier of the day before the child's 18th birthday (`social_benefits.child_age_limit`, docs/domain.md §5) and the end at re-examination with its grace | age_limit or reexamination |
| benefit for a child under 1 | the day before the child's first birthday (`social_benefits.infant_age_limit`, docs/domain.md §2, §5) | age_limit |
| unemployment-insurance benefit | after `unemployment_insurance.benefit_duration_months` (6) from its start (docs/domain.md §8); earlier, the day before a new employment contract starts (`meis.employment.benefit`) | term (employed) |
| one-off payments | the day they start | — |
| with `died_on` | no later than the last day of the month of death: an award ends from the 1st of the following month | death |

Parameters are read as in force on each award's start date (the law that granted it). Columns a
kind does not need are not read: a frame carries only what its kind's rule uses.

A rule, so no database and no clock: the columns and dates come in as arguments.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import polars as pl

from meis.awards.models import (
    ONE_OFF_KINDS,
    AwardEndReason,
    AwardKind,
)
from meis.rules.dates import add_months
from meis.rules.store import default_store

# Why the law ends each kind it ends with one reason (the disabled-child benefit has two).
LAW_REASONS: dict[str, AwardEndReason] = {
    AwardKind.TARGETED_ASSISTANCE: AwardEndReason.TERM,
    AwardKind.DISABILITY_PENSION: AwardEndReason.REEXAMINATION,
    AwardKind.DISABILITY_BENEFIT: AwardEndReason.REEXAMINATION,
    AwardKind.CHILD_UNDER_ONE_BENEFIT: AwardEndReason.AGE_LIMIT,
    AwardKind.UNEMPLOYMENT_BENEFIT: AwardEndReason.TERM,
}
TERM_MONTHS = "targeted_assistance.assignment_months"
UNEMPLOYMENT_MONTHS = "unemployment_insurance.benefit_duration_months"
REMINDER_DAYS = "targeted_assistance.renewal_reminder_days"
CHILD_AGE_LIMIT = "social_benefits.child_age_limit"
INFANT_AGE_LIMIT = "social_benefits.infant_age_limit"
REEXAMINATION_GRACE = "disability.reexamination_grace_months"

# Awards paid for a term of months from their start, and the parameter that gives it.
TERMS: dict[str, str] = {
    AwardKind.TARGETED_ASSISTANCE: TERM_MONTHS,
    AwardKind.UNEMPLOYMENT_BENEFIT: UNEMPLOYMENT_MONTHS,
}

# The fact columns the rule may read, and their types (a one-row frame is built with these).
COLUMNS: dict[str, pl.DataType] = {
    "start_on": pl.Date(),
    "birth_on": pl.Date(),
    "reexamine_on": pl.Date(),
    "born_on": pl.Date(),
    "died_on": pl.Date(),
}


@dataclass(frozen=True)
class EndByLaw:
    """The law's end of one kind of award, as two expressions over the fact columns."""

    end_on: pl.Expr  # Date, null when the law sets no end
    end_reason: pl.Expr  # String (an `AwardEndReason` value), null with no end


def end_by_law(kind: str, *, with_death: bool = False) -> EndByLaw:
    """The end date and its reason for awards of `kind`; `with_death` also reads `died_on`."""
    end, reason = _by_kind(kind)
    if with_death:
        end, reason = _capped_by_death(end, reason)
    return EndByLaw(end.alias("end_on"), reason.alias("end_reason"))


def award_end_by_law(
    *,
    kind: str,
    start_on: datetime.date,
    birth_on: datetime.date | None = None,
    reexamine_on: datetime.date | None = None,
    born_on: datetime.date | None = None,
    died_on: datetime.date | None = None,
) -> tuple[datetime.date | None, str]:
    """The rule for one award: its last day (None: no end by law) and the reason ("" if none)."""
    facts = pl.DataFrame(
        [[start_on, birth_on, reexamine_on, born_on, died_on]], schema=COLUMNS, orient="row"
    )
    rule = end_by_law(kind, with_death=True)
    end_on, reason = facts.select(rule.end_on, rule.end_reason).row(0)
    return end_on, reason or ""


def reason_at_end(kind: str) -> pl.Expr:
    """Why an award of `kind` that reached its `end_on` ended, read from `end_on` itself.

    For the daily job, over due awards (columns `end_on`, `start_on`, `birth_on`): the
    disabled-child benefit ended at the age limit when its end is that birthday's eve, else at
    re-examination. A kind without an end by law ended by the decision that set its date.
    """
    if kind == AwardKind.DISABLED_CHILD_BENEFIT:
        at_age_limit = pl.col("end_on") >= _day_before_age(CHILD_AGE_LIMIT, "birth_on")
        return (
            pl.when(at_age_limit)
            .then(_reason(AwardEndReason.AGE_LIMIT))
            .otherwise(_reason(AwardEndReason.REEXAMINATION))
        )
    return _reason(LAW_REASONS.get(kind, AwardEndReason.DECISION))


def reexamination_grace_months(on: datetime.date) -> int:
    """The months after a missed re-examination date an award still runs (in force on `on`)."""
    return int(str(default_store().value(REEXAMINATION_GRACE, on=on)))


def reminder_days(on: datetime.date) -> int:
    """How many days before its end a renewable award's family is reminded (on `on`)."""
    return int(str(default_store().value(REMINDER_DAYS, on=on)))


# -- the rule, kind by kind ------------------------------------------------------------------------


def _by_kind(kind: str) -> tuple[pl.Expr, pl.Expr]:
    none = pl.lit(None, dtype=pl.Date), pl.lit(None, dtype=pl.String)
    if kind in TERMS:
        months = _parameter_on(TERMS[kind], pl.col("start_on"))
        end = _day_before(add_months(pl.col("start_on"), months))
        return end, _reason(LAW_REASONS[kind])
    if kind in (AwardKind.DISABILITY_PENSION, AwardKind.DISABILITY_BENEFIT):
        return _at_reexamination()
    if kind == AwardKind.DISABLED_CHILD_BENEFIT:
        age_end = _day_before_age(CHILD_AGE_LIMIT, "birth_on")
        reexamination_end, _ = _at_reexamination()
        is_age_first = reexamination_end.is_null() | (age_end <= reexamination_end)
        return (
            pl.min_horizontal(age_end, reexamination_end),
            pl.when(age_end.is_null() & reexamination_end.is_null())
            .then(pl.lit(None, dtype=pl.String))
            .when(is_age_first)
            .then(_reason(AwardEndReason.AGE_LIMIT))
            .otherwise(_reason(AwardEndReason.REEXAMINATION)),
        )
    if kind == AwardKind.CHILD_UNDER_ONE_BENEFIT:
        return _day_before_age(INFANT_AGE_LIMIT, "born_on"), _reason(LAW_REASONS[kind])
    if kind in ONE_OFF_KINDS:
        return pl.col("start_on"), none[1]
    return none


def _at_reexamination() -> tuple[pl.Expr, pl.Expr]:
    """The eve of the re-examination date plus the grace (docs/domain.md §4), the grace as in
    force on the award's start; a decision without a date (indefinite) never ends."""
    grace = _parameter_on(REEXAMINATION_GRACE, pl.col("start_on"))
    end = _day_before(add_months(pl.col("reexamine_on"), grace))
    reason = pl.when(end.is_not_null()).then(_reason(AwardEndReason.REEXAMINATION))
    return end, reason.otherwise(pl.lit(None, dtype=pl.String))


def _capped_by_death(end: pl.Expr, reason: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """A death ends the award from the 1st of the following month (docs/domain.md §3, §5)."""
    death_end = pl.col("died_on").dt.month_end()
    is_death_first = death_end.is_not_null() & (end.is_null() | (death_end < end))
    return (
        pl.when(is_death_first).then(death_end).otherwise(end),
        pl.when(is_death_first).then(_reason(AwardEndReason.DEATH)).otherwise(reason),
    )


def _day_before_age(parameter: str, birth_column: str) -> pl.Expr:
    """The eve of the birthday on which the age limit `parameter` is reached."""
    months = _parameter_on(parameter, pl.col("start_on"))
    return _day_before(add_months(pl.col(birth_column), months))


def _day_before(day: pl.Expr) -> pl.Expr:
    return day - pl.duration(days=1)


def _reason(reason: AwardEndReason) -> pl.Expr:
    return pl.lit(reason.value, dtype=pl.String)


def _parameter_on(name: str, day: pl.Expr) -> pl.Expr:
    """The value of a whole-number parameter in force on each row's `day` (null before it)."""
    value: pl.Expr = pl.lit(None, dtype=pl.Int64)
    for period in default_store().parameter(name).periods:
        value = (
            pl.when(day >= period.start).then(pl.lit(period.value, dtype=pl.Int64)).otherwise(value)
        )
    return value
