"""Where each scheme's candidates come from: set-based SQL over the registry and life events.

A `Source` knows, for one scheme, the SELECT that yields one row per candidate (its id columns,
region and the scheme's facts; names and contacts are read afterwards for the grants only), the WHERE of an incremental day (today's
pension-age cohort, yesterday's disability decisions, yesterday's births) and of a full-run
chunk (an id range), and how the rule's result turns into an award's start and end.

A full-run chunk's id range is written into every table the SELECT touches (the `{bounds}`
placeholders: the account joined, the awards looked up, the memberships counted), not only the
driving one: PostgreSQL does not carry a range through a join, and without it each chunk would
scan all accounts or count every household's members again.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import polars as pl

from meis.awards.models import AwardKind
from meis.awards.services.lifecycle import end_by_law
from meis.eligibility.selectors import REFUSED_JOBS, refused_jobs_by_household
from meis.labour import income
from meis.rules.engine import evaluate_batch
from meis.rules.schemes import get_scheme
from meis.rules.store import default_store

# Read after the rules, for the grants only (a letter needs them; a refusal does not).
CONTACTS_SQL = """SELECT id, first_name, last_name, preferred_language, verified_phone,
    verified_email FROM registry_person WHERE id {ids}"""
CONTACT_SCHEMA: dict[str, pl.DataType] = {
    "person_id": pl.Int64(),
    "first_name": pl.String(),
    "last_name": pl.String(),
    "preferred_language": pl.String(),
    "verified_phone": pl.String(),
    "verified_email": pl.String(),
}
ID_SCHEMA: dict[str, pl.DataType] = {
    "person_id": pl.Int64(),
    "household_id": pl.Int64(),
    "region": pl.String(),
}
_ACCOUNT = "LEFT JOIN insurance_insuranceaccount a ON a.person_id = p.id {bounds[a.person_id]}"


@dataclass(frozen=True)
class Source:
    scheme: str
    kind: AwardKind
    select: str  # with a {where} placeholder and {bounds[column]} ones (see `select_sql`)
    schema: dict[str, pl.DataType]  # the scheme's fact columns in the SELECT
    chunk_table: str  # full runs cut this table's id range into chunks
    chunk_column: str  # the SELECT's column holding that id
    incremental: Callable[[datetime.date], tuple[str, list[object]]]
    start_on: Callable[[], pl.Expr]
    # The award's last day, over the candidates' columns and `start_on` (`_end_by_law`: the
    # rule award_grant applies); the default, no end, is the law's for pensions and age benefit.
    end_on: Callable[[], pl.Expr] = field(default=lambda: pl.lit(None, dtype=pl.Date))
    is_one_off: bool = False
    full_filter: Callable[[datetime.date], tuple[str, list[object]]] = field(
        default=lambda on: ("1 = 1", [])
    )
    # The refusing requirement and the record still missing: a "near miss" when few months.
    near_miss_months: int = 0
    required_record_step: str = ""
    # The four-eyes planning count: `full_filter` over this FROM alone (an upper bound of the
    # candidates without the joins); empty counts the whole SELECT.
    count_from: str = ""
    # The rule step a row must pass to be a candidate at all (a full run's id range also reads
    # people who have not reached the age yet); empty keeps every row read.
    candidate_step: str = ""
    # Facts decided by another scheme's rule before this one runs (a labour-pension right), or
    # read set-based for the chunk from another register (the family's wages in the contracts
    # register), and the columns kept in the award's record with the scheme's facts.
    derive: Callable[[pl.DataFrame, datetime.date], pl.DataFrame] | None = None
    derived_from: tuple[str, ...] = ()
    # The award is a child's: its letter goes to the child's parents (see `meis.proactive.services.letters`).
    is_for_a_child: bool = False

    @property
    def columns(self) -> dict[str, pl.DataType]:
        return {**ID_SCHEMA, **self.schema}

    def count_sql(self, where: str) -> str:
        """At least as many as the SELECT's rows for `where`: the four-eyes upper bound."""
        if self.count_from:
            return f"SELECT COUNT(*) FROM {self.count_from} WHERE {where}"  # noqa: S608
        return f"SELECT COUNT(*) FROM ({self.select_sql(where)}) c"  # noqa: S608

    def select_sql(self, where: str, id_range: tuple[int, int] | None = None) -> str:
        """The SELECT with `where`; with an id range, each `{bounds[column]}` limits that column."""
        return self.select.format(where=where, bounds=_Bounds(id_range))


class _Bounds:
    """`{bounds[a.person_id]}` → ` AND a.person_id >= low AND a.person_id < high` (or nothing)."""

    def __init__(self, id_range: tuple[int, int] | None) -> None:
        self.id_range = id_range

    def __getitem__(self, column: str) -> str:
        if self.id_range is None:
            return ""
        low, high = (int(v) for v in self.id_range)
        return f" AND {column} >= {low} AND {column} < {high}"


def _end_by_law(kind: AwardKind) -> Callable[[], pl.Expr]:
    """A source's `end_on`: the awards' own end-date rule (`meis.awards.services.lifecycle`),
    the one `award_grant` applies, over the candidates' columns and their `start_on`."""
    return lambda: end_by_law(kind).end_on


# -- old-age pension: today's pension-age cohort -----------------------------------------------


@lru_cache(maxsize=64)
def pension_cohort_births(
    on: datetime.date,
) -> dict[str, tuple[tuple[datetime.date, datetime.date], ...]]:
    """Birth-date ranges, per sex ("M"/"F"), of the people who reach pension age exactly on `on`.

    Asks the old-age pension rule itself (its enacted retirement-age schedule) for every birth
    date 50–75 years back, so the SQL cohort and the rule can never disagree.
    """
    first = (
        on.replace(year=on.year - 75)
        if not (on.month == 2 and on.day == 29)
        else on.replace(year=on.year - 75, day=28)
    )
    days = pl.date_range(first, on, interval="1d", eager=True)
    ranges: dict[str, tuple[tuple[datetime.date, datetime.date], ...]] = {}
    for code, sex in (("M", "male"), ("F", "female")):
        facts = pl.DataFrame(
            {
                "sex": [sex] * len(days),
                "birth_on": days,
                "insurance_record_months": [0] * len(days),
                "pension_capital_qepik": [0] * len(days),
            }
        )
        result = evaluate_batch(get_scheme("old_age_pension"), facts, on=on)
        births = result.filter(pl.col("pension_age_on") == on)["birth_on"].to_list()
        ranges[code] = _as_ranges(births)
    return ranges


def _as_ranges(days: list[datetime.date]) -> tuple[tuple[datetime.date, datetime.date], ...]:
    out: list[tuple[datetime.date, datetime.date]] = []
    for day in sorted(days):
        if out and (day - out[-1][1]).days == 1:
            out[-1] = (out[-1][0], day)
        else:
            out.append((day, day))
    return tuple(out)


def _old_age_incremental(on: datetime.date) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    for sex, ranges in pension_cohort_births(on).items():
        for first, last in ranges:
            clauses.append("(p.sex = %s AND p.birth_on BETWEEN %s AND %s)")
            params += [sex, first, last]
    return ("(" + " OR ".join(clauses) + ")" if clauses else "1 = 0"), params


def _old_age_full(on: datetime.date) -> tuple[str, list[object]]:
    # Nobody reaches pension age before 55: the rest of the registry is not a candidate.
    youngest = on.replace(year=on.year - 55, day=min(on.day, 28))
    return "p.birth_on <= %s", [youngest]


OLD_AGE = Source(
    scheme="old_age_pension",
    kind=AwardKind.OLD_AGE_PENSION,
    select=f"""SELECT p.id AS person_id, NULL AS household_id, p.region,
        CASE WHEN p.sex = 'M' THEN 'male' ELSE 'female' END AS sex, p.birth_on,
        COALESCE(a.record_months, 0) AS insurance_record_months,
        COALESCE(a.pension_capital_qepik, 0) AS pension_capital_qepik
    FROM registry_person p {_ACCOUNT}
    WHERE p.died_on IS NULL AND {{where}} {{bounds[p.id]}}
      AND NOT EXISTS (SELECT 1 FROM awards_award w
                      WHERE w.person_id = p.id AND w.kind = 'old_age_pension'
                      {{bounds[w.person_id]}})""",  # noqa: S608 — constant SQL, values bound
    schema={
        "sex": pl.String(),
        "birth_on": pl.Date(),
        "insurance_record_months": pl.Int64(),
        "pension_capital_qepik": pl.Int64(),
    },
    chunk_table="registry_person",
    chunk_column="p.id",
    incremental=_old_age_incremental,
    full_filter=_old_age_full,
    count_from="registry_person p",
    candidate_step="has_reached_pension_age",
    start_on=lambda: pl.col("pension_age_on"),
    near_miss_months=24,
    required_record_step="labour_pensions.record_for_minimum_pension_months",
)

# -- disability pension: yesterday's commission decisions --------------------------------------


def _yesterday(column: str) -> Callable[[datetime.date], tuple[str, list[object]]]:
    def where(on: datetime.date) -> tuple[str, list[object]]:
        return f"{column} = %s", [on - datetime.timedelta(days=1)]

    return where


DISABILITY = Source(
    scheme="disability_pension",
    kind=AwardKind.DISABILITY_PENSION,
    select="""SELECT p.id AS person_id, NULL AS household_id, p.region,
        p.birth_on, d.decided_on AS disability_on, d.reexamine_on,
        COALESCE(a.record_months, 0) AS insurance_record_months,
        COALESCE(a.pre_2006_capital_qepik, 0) AS pre_2006_capital_qepik,
        COALESCE(a.pension_capital_qepik, 0) AS pension_capital_qepik
    FROM lifeevents_disabilitydecision d JOIN registry_person p ON p.id = d.person_id
    LEFT JOIN insurance_insuranceaccount a ON a.person_id = p.id
    WHERE p.died_on IS NULL AND d.degree <> 'child' AND {where} {bounds[d.id]}
      AND NOT EXISTS (SELECT 1 FROM awards_award w WHERE w.person_id = p.id
                      AND w.kind = 'disability_pension' AND w.start_on = d.decided_on)""",  # noqa: S608 — constant SQL, values bound
    schema={
        "birth_on": pl.Date(),
        "disability_on": pl.Date(),
        "reexamine_on": pl.Date(),
        "insurance_record_months": pl.Int64(),
        "pre_2006_capital_qepik": pl.Int64(),
        "pension_capital_qepik": pl.Int64(),
    },
    chunk_table="lifeevents_disabilitydecision",
    chunk_column="d.id",
    incremental=_yesterday("d.decided_on"),
    start_on=lambda: pl.col("disability_on"),
    end_on=_end_by_law(AwardKind.DISABILITY_PENSION),
    near_miss_months=12,
    required_record_step="required_record_months",
)

# -- age benefit: today's benefit-age cohort without a labour-pension right --------------------


@lru_cache(maxsize=64)
def benefit_age_cohort_births(
    on: datetime.date,
) -> dict[str, tuple[tuple[datetime.date, datetime.date], ...]]:
    """Birth-date ranges, per sex, of the people who reach the age-benefit age exactly on `on`.

    Asks the age-benefit rule itself (since 2020 the pension age; before, 67 / 62), like
    `pension_cohort_births`. Mothers of many children reach it earlier, at 56: they are not in
    this cohort (the registry's births do not go back far enough to count their children).
    """
    first = on.replace(year=on.year - 75, day=min(on.day, 28))
    days = pl.date_range(first, on, interval="1d", eager=True)
    ranges: dict[str, tuple[tuple[datetime.date, datetime.date], ...]] = {}
    for code, sex in (("M", "male"), ("F", "female")):
        facts = pl.DataFrame(
            {
                "sex": [sex] * len(days),
                "birth_on": days,
                "children_born": [0] * len(days),
                "has_labour_pension_right": [False] * len(days),
                "is_working": [False] * len(days),
            }
        )
        result = evaluate_batch(get_scheme("age_benefit"), facts, on=on)
        births = result.filter(pl.col("benefit_age_on") == on)["birth_on"].to_list()
        ranges[code] = _as_ranges(births)
    return ranges


def _recent_month(on: datetime.date) -> datetime.date:
    """The first day of the month before `on`'s: a contribution since then means paid work."""
    return (on.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def _age_benefit_incremental(on: datetime.date) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = [_recent_month(on)]  # the SELECT's is_working comes first
    for sex, ranges in benefit_age_cohort_births(on).items():
        for first, last in ranges:
            clauses.append("(p.sex = %s AND p.birth_on BETWEEN %s AND %s)")
            params += [sex, first, last]
    return ("(" + " OR ".join(clauses) + ")" if clauses else "1 = 0"), params


def _age_benefit_full(on: datetime.date) -> tuple[str, list[object]]:
    youngest = on.replace(year=on.year - 55, day=min(on.day, 28))
    return "p.birth_on <= %s", [_recent_month(on), youngest]


def _old_age_pension_right(frame: pl.DataFrame, on: datetime.date) -> pl.DataFrame:
    """`has_labour_pension_right`: the old-age pension rule's own `has_pension_right`."""
    pension = evaluate_batch(
        get_scheme("old_age_pension"),
        frame.select("sex", "birth_on", "insurance_record_months", "pension_capital_qepik"),
        on=on,
        keep=["has_pension_right"],
    )
    return frame.with_columns(has_labour_pension_right=pension["has_pension_right"])


AGE_BENEFIT = Source(
    scheme="age_benefit",
    kind=AwardKind.AGE_BENEFIT,
    select=f"""SELECT p.id AS person_id, NULL AS household_id, p.region,
        CASE WHEN p.sex = 'M' THEN 'male' ELSE 'female' END AS sex, p.birth_on,
        CASE WHEN EXISTS (SELECT 1 FROM insurance_contribution c
                          WHERE c.person_id = p.id AND c.month_on >= %s)
             THEN 1 ELSE 0 END AS is_working,
        (SELECT COUNT(*) FROM lifeevents_birth b WHERE b.mother_id = p.id) AS children_born,
        COALESCE(a.record_months, 0) AS insurance_record_months,
        COALESCE(a.pension_capital_qepik, 0) AS pension_capital_qepik
    FROM registry_person p {_ACCOUNT}
    WHERE p.died_on IS NULL AND {{where}} {{bounds[p.id]}}
      AND NOT EXISTS (SELECT 1 FROM awards_award w
                      WHERE w.person_id = p.id AND w.kind = 'age_benefit'
                      {{bounds[w.person_id]}})""",  # noqa: S608 — constant SQL, values bound
    schema={
        "sex": pl.String(),
        "birth_on": pl.Date(),
        "is_working": pl.Boolean(),
        "children_born": pl.Int64(),
        "insurance_record_months": pl.Int64(),
        "pension_capital_qepik": pl.Int64(),
    },
    chunk_table="registry_person",
    chunk_column="p.id",
    incremental=_age_benefit_incremental,
    full_filter=_age_benefit_full,
    start_on=lambda: pl.col("benefit_age_on"),
    candidate_step="has_reached_benefit_age",
    derive=_old_age_pension_right,
    derived_from=("insurance_record_months", "pension_capital_qepik"),
)

# -- disability benefits: yesterday's decisions, adults without the record, and children -------

_DECISIONS = """SELECT p.id AS person_id, {household} AS household_id, p.region, p.birth_on,
        d.decided_on AS disability_on, d.reexamine_on, {facts}
    FROM lifeevents_disabilitydecision d JOIN registry_person p ON p.id = d.person_id {join}
    WHERE p.died_on IS NULL AND d.degree {degree} AND {{where}} {{bounds[d.id]}}
      AND NOT EXISTS (SELECT 1 FROM awards_award w WHERE w.person_id = p.id
                      AND w.kind = '{kind}' AND w.start_on = d.decided_on)"""  # noqa: S608 — constant SQL, values bound


def _disability_pension_right(frame: pl.DataFrame, on: datetime.date) -> pl.DataFrame:
    """`has_labour_pension_right`: the disability pension rule's own record requirement."""
    pension = evaluate_batch(
        get_scheme("disability_pension"),
        frame.select(
            "birth_on",
            "disability_on",
            "insurance_record_months",
            "pre_2006_capital_qepik",
            "pension_capital_qepik",
        ),
        on=on,
        keep=["has_required_record"],
    )
    return frame.with_columns(has_labour_pension_right=pension["has_required_record"])


DISABILITY_BENEFIT = Source(
    scheme="disability_benefit",
    kind=AwardKind.DISABILITY_BENEFIT,
    select=_DECISIONS.format(
        household="NULL",
        facts="""d.degree AS disability_degree,
        COALESCE(a.record_months, 0) AS insurance_record_months,
        COALESCE(a.pre_2006_capital_qepik, 0) AS pre_2006_capital_qepik,
        COALESCE(a.pension_capital_qepik, 0) AS pension_capital_qepik""",
        join="LEFT JOIN insurance_insuranceaccount a ON a.person_id = p.id",
        degree="<> 'child'",
        kind="disability_benefit",
    ),
    schema={
        "birth_on": pl.Date(),
        "disability_on": pl.Date(),
        "reexamine_on": pl.Date(),
        "disability_degree": pl.String(),
        "insurance_record_months": pl.Int64(),
        "pre_2006_capital_qepik": pl.Int64(),
        "pension_capital_qepik": pl.Int64(),
    },
    chunk_table="lifeevents_disabilitydecision",
    chunk_column="d.id",
    incremental=_yesterday("d.decided_on"),
    start_on=lambda: pl.col("disability_on"),
    end_on=_end_by_law(AwardKind.DISABILITY_BENEFIT),
    derive=_disability_pension_right,
    derived_from=("birth_on", "disability_on", "insurance_record_months"),
)

DISABLED_CHILD = Source(
    scheme="disabled_child_benefit",
    kind=AwardKind.DISABLED_CHILD_BENEFIT,
    select=_DECISIONS.format(
        household="m.household_id",
        facts="COALESCE(d.percentage, 0) AS disability_percent",
        join="""LEFT JOIN registry_householdmembership m
            ON m.person_id = p.id AND m.left_on IS NULL""",
        degree="= 'child'",
        kind="disabled_child_benefit",
    ),
    schema={
        "birth_on": pl.Date(),
        "disability_on": pl.Date(),
        "reexamine_on": pl.Date(),
        "disability_percent": pl.Int64(),
    },
    chunk_table="lifeevents_disabilitydecision",
    chunk_column="d.id",
    incremental=_yesterday("d.decided_on"),
    start_on=lambda: pl.col("disability_on"),
    end_on=_end_by_law(AwardKind.DISABLED_CHILD_BENEFIT),
    derived_from=("disability_on",),
    is_for_a_child=True,
)

# -- who reads a child's letter -----------------------------------------------------------------

_ADDRESSEE_COLUMNS = """g.id AS person_id, g.first_name, g.last_name, g.preferred_language,
        g.verified_phone, g.verified_email"""
# The child's living mother and father, as the birth record links them.
PARENTS_SQL = f"""SELECT b.child_id, {_ADDRESSEE_COLUMNS}
    FROM lifeevents_birth b JOIN registry_person g ON g.id IN (b.mother_id, b.father_id)
    WHERE g.died_on IS NULL AND b.child_id {{ids}}"""  # noqa: S608 — constant SQL, values bound
# The living members of the child's current household (the letter picks one adult of them).
HOUSEHOLD_SQL = f"""SELECT m.person_id AS child_id, {_ADDRESSEE_COLUMNS}, g.birth_on,
        CASE WHEN a.relation = 'head' THEN 1 ELSE 0 END AS is_head
    FROM registry_householdmembership m
    JOIN registry_householdmembership a
      ON a.household_id = m.household_id AND a.left_on IS NULL AND a.person_id <> m.person_id
    JOIN registry_person g ON g.id = a.person_id
    WHERE m.left_on IS NULL AND g.died_on IS NULL AND m.person_id {{ids}}"""  # noqa: S608 — constant SQL, values bound
ADDRESSEE_SCHEMA: dict[str, pl.DataType] = {
    "child_id": pl.Int64(),
    "person_id": pl.Int64(),
    "first_name": pl.String(),
    "last_name": pl.String(),
    "preferred_language": pl.String(),
    "verified_phone": pl.String(),
    "verified_email": pl.String(),
}
HOUSEHOLD_SCHEMA: dict[str, pl.DataType] = {
    **ADDRESSEE_SCHEMA,
    "birth_on": pl.Date(),
    "is_head": pl.Boolean(),
}

# -- births: the childbirth benefit and the benefit for a child under 1 ------------------------


def _births_full(on: datetime.date) -> tuple[str, list[object]]:
    """A full run's births: those whose benefit is still payable, back-payment limit included.

    An unclaimed social benefit is paid back for at most `social_benefits.back_payment_months`
    (3 years): a birth older than that gives no grant, however long the registry's history.
    """
    months = int(str(default_store().value("social_benefits.back_payment_months", on=on)))
    earliest = _months_before(on, months)
    return "b.born_on >= %s AND b.born_on <= %s", [earliest, on]


def _months_before(on: datetime.date, months: int) -> datetime.date:
    """The same day `months` months earlier (the month's last day when it is shorter)."""
    index = on.year * 12 + on.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(on.day, last))


_BIRTHS = """SELECT b.mother_id AS person_id, {household} AS household_id, p.region,
        b.born_on, COUNT(*) AS {count} {extra}
    FROM lifeevents_birth b JOIN registry_person p ON p.id = b.mother_id {join}
    WHERE {{where}} {{bounds[b.mother_id]}}
    GROUP BY b.mother_id, p.region, b.born_on {group}"""  # noqa: S608 — constant SQL, values bound

CHILDBIRTH = Source(
    scheme="childbirth_benefit",
    kind=AwardKind.CHILDBIRTH_BENEFIT,
    select=_BIRTHS.format(household="NULL", count="children_born", extra="", join="", group=""),
    schema={"born_on": pl.Date(), "children_born": pl.Int64()},
    chunk_table="registry_person",
    chunk_column="b.mother_id",
    incremental=_yesterday("b.born_on"),
    full_filter=_births_full,
    start_on=lambda: pl.col("born_on"),
    end_on=_end_by_law(AwardKind.CHILDBIRTH_BENEFIT),
    is_one_off=True,
)

CHILD_UNDER_ONE = Source(
    scheme="child_under_one_benefit",
    kind=AwardKind.CHILD_UNDER_ONE_BENEFIT,
    select=_BIRTHS.format(
        household="m.household_id",
        count="children_under_one",
        extra=""", CASE WHEN EXISTS (SELECT 1 FROM awards_award w
            WHERE w.household_id = m.household_id AND w.kind = 'targeted_assistance'
              AND w.status = 'active') THEN 1 ELSE 0 END AS is_receiving_targeted_assistance""",
        join="""LEFT JOIN registry_householdmembership m
            ON m.person_id = b.mother_id AND m.left_on IS NULL""",
        group=", m.household_id",
    ),
    schema={
        "born_on": pl.Date(),
        "children_under_one": pl.Int64(),
        "is_receiving_targeted_assistance": pl.Boolean(),
    },
    chunk_table="registry_person",
    chunk_column="b.mother_id",
    incremental=_yesterday("b.born_on"),
    full_filter=_births_full,
    start_on=lambda: pl.col("born_on"),
    end_on=_end_by_law(AwardKind.CHILD_UNDER_ONE_BENEFIT),
)

# -- targeted assistance: households whose means changed yesterday -----------------------------

EMPLOYMENT_INCOME = "employment_income_12_months_qepik"


def _employment_income(frame: pl.DataFrame, on: datetime.date) -> pl.DataFrame:
    """The members' wages from the contracts register, set-based over the chunk's households,
    by the function the application's facts use (`meis.labour.income`); the larger of them and
    the means register's income is the income counted (see `eligibility.selectors`)."""
    from_on, to_on = income.months_before(on, 12)
    wages = income.household_employment_income(
        household_ids=frame["household_id"].to_list(), from_on=from_on, to_on=to_on
    ).rename({"employment_income_qepik": EMPLOYMENT_INCOME})
    return (
        frame.drop(EMPLOYMENT_INCOME, strict=False)
        .join(wages, on="household_id", how="left", maintain_order="left")
        .with_columns(
            pl.col(EMPLOYMENT_INCOME).fill_null(0),
            income_12_months_qepik=pl.max_horizontal(
                "income_12_months_qepik", pl.col(EMPLOYMENT_INCOME).fill_null(0)
            ),
        )
    )


def _refused_jobs(frame: pl.DataFrame, on: datetime.date) -> pl.DataFrame:
    """The suitable jobs the members refused by the employment register's referrals, set-based
    over the chunk's households (`eligibility.selectors.refused_jobs_by_household`, the count
    the application's facts use); the larger of it and the means register's count is counted."""
    refused = refused_jobs_by_household(household_ids=frame["household_id"].to_list(), on=on)
    return (
        frame.join(refused, on="household_id", how="left", maintain_order="left")
        .with_columns(
            pl.max_horizontal(REFUSED_JOBS, pl.col("employment_refused_jobs").fill_null(0))
            .cast(pl.Int64)
            .alias(REFUSED_JOBS)
        )
        .drop("employment_refused_jobs")
    )


def _household_registers(frame: pl.DataFrame, on: datetime.date) -> pl.DataFrame:
    """What the contracts and employment registers add to the means register's facts."""
    return _refused_jobs(_employment_income(frame, on), on)


TARGETED = Source(
    scheme="targeted_assistance",
    kind=AwardKind.TARGETED_ASSISTANCE,
    select="""SELECT g.head_id AS person_id, h.id AS household_id, h.region,
        g.members, hm.income_12_months_qepik, hm.declaration_matches_checks,
        hm.purchases_sales_12_months_qepik, hm.has_vehicle, hm.refused_suitable_jobs,
        hm.utility_spending_12_months_qepik, hm.same_purpose_real_estate_units
    FROM registry_household h
    JOIN lifeevents_householdmeans hm ON hm.household_id = h.id
    JOIN (SELECT household_id, COUNT(*) AS members,
                 MAX(CASE WHEN relation = 'head' THEN person_id END) AS head_id
          FROM registry_householdmembership WHERE left_on IS NULL {bounds[household_id]}
          GROUP BY household_id) g ON g.household_id = h.id
    WHERE g.head_id IS NOT NULL AND {where} {bounds[h.id]}
      AND NOT EXISTS (SELECT 1 FROM awards_award w WHERE w.household_id = h.id
                      AND w.kind = 'targeted_assistance' AND w.status = 'active'
                      {bounds[w.household_id]})""",  # noqa: S608 — constant SQL, values bound
    schema={
        "members": pl.Int64(),
        "income_12_months_qepik": pl.Int64(),
        "declaration_matches_checks": pl.Boolean(),
        "purchases_sales_12_months_qepik": pl.Int64(),
        "has_vehicle": pl.Boolean(),
        "refused_suitable_jobs": pl.Int64(),
        "utility_spending_12_months_qepik": pl.Int64(),
        "same_purpose_real_estate_units": pl.Int64(),
    },
    chunk_table="registry_household",
    chunk_column="h.id",
    count_from="lifeevents_householdmeans hm",
    incremental=_yesterday("hm.updated_on"),
    start_on=lambda: pl.lit(None, dtype=pl.Date),  # set to the run's month by the pipeline
    end_on=_end_by_law(AwardKind.TARGETED_ASSISTANCE),
    derive=_household_registers,
    derived_from=(EMPLOYMENT_INCOME,),
)

# -- Presidential stipends: the veterans' registers and degree-I decisions, one per person -----

_DISABLED_BY_WAR = "('war_disabled', 'january_20_disabled')"
_FIRST_DEGREE = "first_degree_disabled"  # the decision rows' category in the union below
_LABOUR_PENSIONS = "('old_age_pension', 'disability_pension', 'survivor_pension')"
_HELD = "('active', 'suspended')"

# A degree-I decision row `c` stands for the category "disabled of degree I without a labour
# pension" on the day (%s × 4): it is the person's latest decision in force on the day (decided by
# then, its re-examination date not reached; no later such decision, of any degree) and the person
# holds no labour pension. `eligibility.selectors.presidential_stipend` reads the same.
_FIRST_DEGREE_ROW = f"""(c.category <> '{_FIRST_DEGREE}' OR (
        c.on_day <= %s AND (c.reexamine_on IS NULL OR c.reexamine_on > %s)
        AND NOT EXISTS (SELECT 1 FROM lifeevents_disabilitydecision l
                        WHERE l.person_id = c.person_id AND l.decided_on <= %s
                          AND (l.reexamine_on IS NULL OR l.reexamine_on > %s)
                          AND (l.decided_on > c.on_day
                               OR (l.decided_on = c.on_day AND l.id > c.row_id)))
        AND NOT EXISTS (SELECT 1 FROM awards_award k WHERE k.person_id = c.person_id
                        AND k.kind IN {_LABOUR_PENSIONS} AND k.status IN {_HELD})))"""  # noqa: S608 — constant SQL, values bound


def _stipend_full(on: datetime.date) -> tuple[str, list[object]]:
    """Every status, and the degree-I decisions that make the category on the day."""
    return _FIRST_DEGREE_ROW, [on] * 4


def _stipend_incremental(on: datetime.date) -> tuple[str, list[object]]:
    """People with a status recorded yesterday or a degree-I decision taken yesterday, with all
    their statuses and their degree-I category on the day (the highest is paid)."""
    yesterday = on - datetime.timedelta(days=1)
    return (
        f"""c.person_id IN (SELECT r.person_id FROM veterans_stipendstatus r
                           WHERE r.recorded_on = %s
                           UNION SELECT e.person_id FROM lifeevents_disabilitydecision e
                           WHERE e.decided_on = %s AND e.degree = 'I')
            AND {_FIRST_DEGREE_ROW}""",  # noqa: S608 — constant SQL, values bound
        [yesterday, yesterday, *[on] * 4],
    )


# The candidates' rows: each veterans' status, and each degree-I decision (a decision row's
# category is `_FIRST_DEGREE`; the day's WHERE keeps only the one that makes the category).
_STIPEND_ROWS = f"""(SELECT s.person_id, s.id AS row_id, s.category, s.degree,
            s.recorded_on AS on_day, CAST(NULL AS DATE) AS reexamine_on
        FROM veterans_stipendstatus s WHERE 1 = 1 {{bounds[s.person_id]}}
        UNION ALL
        SELECT d.person_id, d.id, '{_FIRST_DEGREE}', d.degree, d.decided_on, d.reexamine_on
        FROM lifeevents_disabilitydecision d WHERE d.degree = 'I' {{bounds[d.person_id]}}) c"""  # noqa: S608 — constant SQL

# One row per person: the categories as facts (a degree "I" < "II" < "III", so MIN is the
# best), the latest date of a status or of the degree-I decision kept as the start. A held
# stipend keeps the person out; the award's exclusivity group stops a second one even if two
# runs overlap. The people are looked up by id for the chunk's few status rows (no bound on
# `p.id`): bounded, the planner merge-joins the chunk's whole id range of the registry, about
# 35 people read per candidate (twice the database's time for the read at 10 M). The names and
# contacts the letters need come with them, instead of a second look-up of the granted.
PRESIDENTIAL_STIPEND = Source(
    scheme="presidential_stipend",
    kind=AwardKind.PRESIDENTIAL_STIPEND,
    select=f"""SELECT p.id AS person_id, NULL AS household_id, p.region,
        p.first_name, p.last_name, p.preferred_language, p.verified_phone, p.verified_email,
        COALESCE(MIN(CASE WHEN c.category IN {_DISABLED_BY_WAR} THEN c.degree END), 'none')
            AS war_disability_degree,
        MAX(CASE WHEN c.category = 'martyr_family' THEN 1 ELSE 0 END) AS is_martyr_family,
        MAX(CASE WHEN c.category = 'wwii_veteran' THEN 1 ELSE 0 END) AS is_wwii_veteran,
        MAX(CASE WHEN c.category = 'national_hero' THEN 1 ELSE 0 END) AS is_national_hero,
        MAX(CASE WHEN c.category = 'patriotic_war_hero' THEN 1 ELSE 0 END)
            AS is_patriotic_war_hero,
        MAX(CASE WHEN c.category = '{_FIRST_DEGREE}' THEN 1 ELSE 0 END)
            AS is_first_degree_disabled_without_pension,
        MAX(c.on_day) AS status_on
    FROM {_STIPEND_ROWS} JOIN registry_person p ON p.id = c.person_id
    WHERE p.died_on IS NULL AND {{where}}
      AND NOT EXISTS (SELECT 1 FROM awards_award w WHERE w.person_id = c.person_id
                      AND w.kind = 'presidential_stipend'
                      AND w.status IN {_HELD} {{bounds[w.person_id]}})
    GROUP BY p.id""",  # noqa: S608 — constant SQL, values bound
    schema={
        # The letters' names and contacts, read with the person (see `contacts_join`).
        **{name: dtype for name, dtype in CONTACT_SCHEMA.items() if name != "person_id"},
        "war_disability_degree": pl.String(),
        "is_martyr_family": pl.Boolean(),
        "is_wwii_veteran": pl.Boolean(),
        "is_national_hero": pl.Boolean(),
        "is_patriotic_war_hero": pl.Boolean(),
        "is_first_degree_disabled_without_pension": pl.Boolean(),
        "status_on": pl.Date(),
    },
    chunk_table="registry_person",
    chunk_column="c.person_id",
    incremental=_stipend_incremental,
    full_filter=_stipend_full,
    # The four-eyes upper bound: every status and degree-I decision row the day's WHERE keeps.
    count_from=_STIPEND_ROWS.format(bounds=_Bounds(None)),
    start_on=lambda: pl.col("status_on"),
    derived_from=("status_on",),
)

SOURCES: dict[str, Source] = {
    s.scheme: s
    for s in (
        OLD_AGE,
        AGE_BENEFIT,
        DISABILITY,
        DISABILITY_BENEFIT,
        DISABLED_CHILD,
        CHILDBIRTH,
        CHILD_UNDER_ONE,
        TARGETED,
        PRESIDENTIAL_STIPEND,
    )
}
# The pensions before the benefits that stand in for them: a person whose record gives a
# pension right gets the pension; the benefit's rule refuses them for that same right.
INCREMENTAL_DEFAULT = (
    "old_age_pension",
    "age_benefit",
    "disability_pension",
    "disability_benefit",
    "disabled_child_benefit",
    "childbirth_benefit",
    "child_under_one_benefit",
    "presidential_stipend",
)
# A full run without --scheme (the demo's): the benchmarked pair, and the age benefit after the
# pension (the pension's refusals for lack of record are its candidates) and disabled children.
# The disability pension and benefit follow each day's decisions (incremental runs).
FULL_DEFAULT = (
    "old_age_pension",
    "age_benefit",
    "targeted_assistance",
    "disabled_child_benefit",
)
