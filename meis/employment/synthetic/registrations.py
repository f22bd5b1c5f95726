"""Registrations: who registers, with which status and profile; their history and referrals."""

from __future__ import annotations

import datetime

import numpy as np
import polars as pl
from django.contrib.auth import get_user_model
from django.db import connection

from meis.core import bulk
from meis.employment.models import (
    Education,
    EndReason,
    JobSeeker,
    ReferralOutcome,
    RegistrationState,
    SeekerStatus,
    StatusChange,
    VacancyStatus,
)
from meis.labour.synthetic.rows import Context
from meis.labour.synthetic.terms import SECTORS
from meis.registry.synthetic.base import EPOCH, GeneratorError, random_stream
from meis.registry.synthetic.households import REGION_SHARES

from .columns import (
    EMPLOYMENT_STREAM,
    PEOPLE,
    REFERRALS,
    SEEKERS,
    dates,
    moments,
    pick,
    years_before,
)
from .writing import next_id

UNEMPLOYED_SHARE = 0.35  # 70,000 of 200,000 registered (docs/domain.md §12) [S]
PAUSED_SHARE = 0.02  # [M]
ENDED_SHARE = 0.03  # ended registrations kept, per open one [M]
OWN_REGION_SHARE = 0.7  # wants work where they live [M]
NO_REGION_SHARE = 0.05  # any region [M]
NO_SALARY_SHARE = 0.1  # [M]
REGISTERED_WITHIN_DAYS = 540  # [M]
REFERRAL_SHARE = 0.05  # [M]
YOUNGEST, OLDEST = 16, 61  # ages of the people registered (under every pension age) [M]
OFFICER = "synthetic-employment-officer"
EDUCATION_P = {
    Education.NONE: 0.01,
    Education.GENERAL_SECONDARY: 0.09,
    Education.FULL_SECONDARY: 0.37,
    Education.VOCATIONAL: 0.12,
    Education.SPECIALISED_SECONDARY: 0.13,
    Education.BACHELOR: 0.22,
    Education.MASTER: 0.058,
    Education.DOCTORATE: 0.002,
}  # [M]
SEEKER_REASON_P = {"": 0.5, "employed": 0.35, "declared_employed": 0.15}  # [M]
END_REASON_P = {
    EndReason.EMPLOYED: 0.6,
    EndReason.CANCELLED: 0.2,
    EndReason.DID_NOT_APPEAR: 0.12,
    EndReason.REFUSED_JOBS: 0.05,
    EndReason.PENSION: 0.03,
}  # [M]
OUTCOME_P = {
    ReferralOutcome.PENDING: 0.6,
    ReferralOutcome.REFUSED_BY_EMPLOYER: 0.25,
    ReferralOutcome.REFUSED_BY_SEEKER: 0.15,
}  # [M]


def people_draw(count: int, seed: int, on: datetime.date) -> pl.DataFrame:
    """`count` people who may register: alive, aged 16–61, none registered now, none whose
    contract in force started in the last two days; with their region and the start of their
    latest contract in force (`hired_on`, null without one).

    Drawn at random among the registry's ids (about twice as many as needed, read by id, not by
    a scan of the whole registry), kept in the order drawn."""
    if count == 0:
        return pl.DataFrame(schema={"id": pl.Int64(), "region": pl.String(), "hired_on": pl.Date()})
    with connection.cursor() as cursor:
        cursor.execute("SELECT MIN(id), MAX(id) FROM registry_person")
        low, high = cursor.fetchone()
    if low is None:
        raise GeneratorError("the registry has no people; run `meis registry generate` first")
    rng = random_stream(seed, EMPLOYMENT_STREAM, PEOPLE)
    span = int(high) - int(low) + 1
    draws = rng.choice(span, size=min(span, 2 * count + 1_000), replace=False) + int(low)
    youngest = years_before(on, YOUNGEST)
    oldest = years_before(on, OLDEST + 1)
    found = _rows_of(
        "registry_person",
        "t.id, t.region, t.birth_on, t.died_on",
        "true",
        draws.tolist(),
        {"id": pl.Int64(), "region": pl.String(), "birth_on": pl.Date(), "died_on": pl.Date()},
        key="id",
    )
    registered = _rows_of(
        "employment_jobseeker",
        "t.person_id",
        "t.state IN ('active', 'paused')",
        draws.tolist(),
        {"person_id": pl.Int64()},
    )["person_id"]
    hired = (
        _rows_of(
            "labour_contract",
            "t.person_id, t.start_on",
            "t.status IN ('active', 'suspended')",
            draws.tolist(),
            {"id": pl.Int64(), "start_on": pl.Date()},
        )
        .filter(pl.col("start_on") <= on)
        .group_by("id")
        .agg(hired_on=pl.col("start_on").max())
    )
    order = pl.DataFrame({"id": draws, "draw": np.arange(draws.size)})
    eligible = (
        order.join(found, on="id")
        .join(hired, on="id", how="left")
        .filter(
            (pl.col("birth_on") <= youngest)
            & (pl.col("birth_on") > oldest)
            & (pl.col("died_on").is_null() | (pl.col("died_on") > on))
            & ~pl.col("id").is_in(registered.implode())
            & (
                pl.col("hired_on").is_null()
                | (pl.col("hired_on") < on - datetime.timedelta(days=2))
            )
        )
        .sort("draw")
        .head(count)
    )
    if eligible.height < count:
        raise GeneratorError(
            f"only {eligible.height:,} people in the registry may register; "
            f"generate a larger registry or ask for fewer job seekers"
        )
    return eligible.select("id", "region", "hired_on")


def _rows_of(
    table: str,
    columns: str,
    condition: str,
    people: list[int],
    schema: dict[str, pl.DataType],
    *,
    key: str = "person_id",
) -> pl.DataFrame:
    """`columns` of the rows of `table` about `people` (by its column `key`) that meet
    `condition`. On PostgreSQL the ids are joined as an array: a filter `key = ANY(…)` of
    400,000 ids compares every row of a small table with each of them."""
    if bulk.is_postgresql():
        return bulk.frame_read(
            f"SELECT {columns} FROM unnest(%s::bigint[]) AS p(id) "  # noqa: S608 — constant SQL
            f"JOIN {table} t ON t.{key} = p.id WHERE {condition}",
            [people],
            schema,
        )
    return bulk.frame_read_ids(
        f"SELECT {columns} FROM {table} t WHERE {condition} AND t.{key} {{ids}}",  # noqa: S608
        people,
        schema,
    )


def seekers_frame(
    people: pl.DataFrame,
    open_count: int,
    context: Context,
    seed: int,
    on: datetime.date,
    first_id: int,
) -> pl.DataFrame:
    rng = random_stream(seed, EMPLOYMENT_STREAM, SEEKERS)
    n = people.height
    today = (on - EPOCH).days
    is_open = np.arange(n) < open_count
    is_paused = is_open & (rng.random(n) < PAUSED_SHARE)
    # Someone with a contract in force registered after it started (a contract that started
    # later would have ended the registration) and is a job seeker, never unemployed.
    hired = people["hired_on"].cast(pl.Int32).fill_null(-(10**6)).to_numpy().astype(np.int64)
    is_hired = hired > -(10**6)
    registered = np.maximum(today - rng.integers(1, REGISTERED_WITHIN_DAYS + 1, n), hired + 1)
    ended = registered + (rng.random(n) * (today - registered)).astype(np.int64)
    paused_from = today - (rng.random(n) * np.minimum(60, today - registered)).astype(np.int64)
    free = max(1, int((is_open & ~is_hired).sum()))
    is_unemployed = ~is_hired & (rng.random(n) < UNEMPLOYED_SHARE * open_count / free)
    reason = pick(rng, SEEKER_REASON_P, n)
    end_reason = pick(rng, END_REASON_P, n)
    own = people["region"].to_numpy()
    drawn = pick(rng, {str(r): share for r, share in REGION_SHARES.items()}, n)
    region = np.where(rng.random(n) < OWN_REGION_SHARE, own, drawn)
    region = np.where(rng.random(n) < NO_REGION_SHARE, "", region)
    sector = rng.choice(len(SECTORS), size=n, p=context.employers.sector_p)
    occupation = context.occupations.choose(rng, sector)
    hours = np.full(n, context.pay.full_time)
    salary = context.pay.wages(
        rng,
        start_day=np.full(n, today),
        sector=sector,
        group=context.occupations.group[occupation],
        hours=hours,
    )
    salary = np.round(salary / 1000).astype(np.int64) * 1000  # whole tens of manats
    created = moments(registered, np.full(n, 10), np.zeros(n, dtype=np.int64))
    state = np.where(
        is_paused,
        RegistrationState.PAUSED.value,
        np.where(is_open, RegistrationState.ACTIVE.value, RegistrationState.ENDED.value),
    )
    return pl.DataFrame(
        {
            "id": np.arange(first_id, first_id + n),
            "person_id": people["id"],
            "status": np.where(
                is_unemployed, SeekerStatus.UNEMPLOYED.value, SeekerStatus.JOB_SEEKER.value
            ),
            "status_reason": np.where(is_unemployed, "", np.where(is_hired, "employed", reason)),
            "state": state,
            "registered_on": dates(registered),
            "paused_from": dates(paused_from, where=is_paused),
            "paused_until": dates(paused_from + 90, where=is_paused),
            "ended_on": dates(ended, where=~is_open),
            "end_reason": np.where(is_open, "", end_reason),
            "education": pick(rng, EDUCATION_P, n),
            "skills": "",
            "desired_region": region,
            "desired_salary_qepik": pl.Series(salary).set(
                pl.Series(rng.random(n) < NO_SALARY_SHARE), None
            ),
            "suitable_jobs_refused": 0,
            "calls_missed": 0,
            "version": np.where(is_open & ~is_paused, 1, 2),
            "created_at": created,
            "updated_at": created,
            # The first occupation, drawn with the salary; the links are written apart.
            "_sector": sector,
            "_occupation": occupation,
        }
    )


def occupation_links(seekers: pl.DataFrame, context: Context, seed: int) -> pl.DataFrame:
    """One to three occupations a registration, the first drawn with the desired salary."""
    rng = random_stream(seed, EMPLOYMENT_STREAM, SEEKERS, 1)
    n = seekers.height
    sector = seekers["_sector"].to_numpy()
    more = rng.choice(3, size=n, p=[0.5, 0.35, 0.15])
    second = context.occupations.choose(rng, sector)
    third = context.occupations.choose(rng, sector)
    ids = context.occupations.id
    links = pl.concat(
        [
            pl.DataFrame(
                {"jobseeker_id": seekers["id"], "occupation_id": ids[seekers["_occupation"]]}
            ),
            pl.DataFrame({"jobseeker_id": seekers["id"], "occupation_id": ids[second]}).filter(
                pl.Series(more >= 1)
            ),
            pl.DataFrame({"jobseeker_id": seekers["id"], "occupation_id": ids[third]}).filter(
                pl.Series(more >= 2)
            ),
        ]
    ).unique(maintain_order=True)
    first = next_id(JobSeeker.occupations.through)
    return links.sort("jobseeker_id", maintain_order=True).with_columns(
        id=pl.int_range(first, first + links.height, dtype=pl.Int64)
    )


def changes_frame(seekers: pl.DataFrame, first_id: int) -> pl.DataFrame:
    """Each registration's history: registered; de-registered; ended."""
    registered = seekers.select(
        job_seeker_id="id",
        kind=pl.lit(StatusChange.Kind.REGISTERED.value),
        on="registered_on",
        reason=pl.lit(""),
        occurred_at="created_at",
    )
    paused = seekers.filter(pl.col("state") == RegistrationState.PAUSED).select(
        job_seeker_id="id",
        kind=pl.lit(StatusChange.Kind.PAUSED.value),
        on="paused_from",
        reason=pl.lit(""),
        occurred_at="updated_at",
    )
    labels = {str(r): str(r.label) for r in EndReason}
    ended = seekers.filter(pl.col("state") == RegistrationState.ENDED).select(
        job_seeker_id="id",
        kind=pl.lit(StatusChange.Kind.ENDED.value),
        on="ended_on",
        reason=pl.col("end_reason").replace_strict(labels),
        occurred_at="updated_at",
    )
    changes = pl.concat([registered, paused, ended]).sort("job_seeker_id", maintain_order=True)
    return changes.with_columns(
        id=pl.int_range(first_id, first_id + changes.height, dtype=pl.Int64),
        actor_id=pl.lit(None, dtype=pl.Int64),
    )


def referrals_frame(
    seekers: pl.DataFrame, posts: pl.DataFrame, seed: int, on: datetime.date, first_id: int
) -> pl.DataFrame:
    """A few open registrations referred, each once, to an open vacancy by one officer."""
    rng = random_stream(seed, EMPLOYMENT_STREAM, REFERRALS)
    open_seekers = seekers.filter(pl.col("state") != RegistrationState.ENDED)
    open_posts = posts.filter(pl.col("status") == VacancyStatus.OPEN)
    n = round(open_seekers.height * REFERRAL_SHARE) if open_posts.height else 0
    chosen = open_seekers.sample(n, seed=int(rng.integers(2**31)), shuffle=True)
    vacancy = open_posts["id"].gather(pl.Series(rng.integers(0, max(1, open_posts.height), n)))
    today = (on - EPOCH).days
    registered = (chosen["registered_on"] - EPOCH).dt.total_days().to_numpy()
    referred = np.maximum(registered, today - rng.integers(1, 31, n))
    outcome = pick(rng, OUTCOME_P, n)
    decided = np.minimum(today - 1, referred + rng.integers(1, 8, n))
    is_pending = outcome == ReferralOutcome.PENDING
    officer = _officer_id() if n else None
    return pl.DataFrame(
        {
            "id": np.arange(first_id, first_id + n),
            "job_seeker_id": chosen["id"],
            "vacancy_id": vacancy,
            "is_suitable": rng.random(n) < 0.7,
            "referred_on": dates(referred),
            "referred_by_id": pl.Series([officer] * n, dtype=pl.Int64),
            "outcome": outcome,
            "outcome_reason": "",
            "outcome_on": dates(np.maximum(decided, referred), where=~is_pending),
            "outcome_by_id": pl.Series(
                [None if p else officer for p in is_pending], dtype=pl.Int64
            ),
        }
    )


def refusals_counted(seekers: pl.DataFrame, referrals: pl.DataFrame) -> pl.DataFrame:
    """A suitable job refused counts on the registration (one each: below every limit)."""
    counted = referrals.filter(
        (pl.col("outcome") == ReferralOutcome.REFUSED_BY_SEEKER) & pl.col("is_suitable")
    ).select(pl.col("job_seeker_id").alias("id"), refused=pl.lit(1, pl.Int64))
    return (
        seekers.join(counted, on="id", how="left", maintain_order="left")
        .with_columns(suitable_jobs_refused=pl.col("refused").fill_null(0))
        .drop("refused", "_sector", "_occupation")
    )


def _officer_id() -> int:
    """The synthetic centre officer the referrals name (an account nobody can sign in to)."""
    officer, _ = get_user_model().objects.get_or_create(
        username=OFFICER, defaults={"is_active": False, "first_name": "Sintetik"}
    )
    return int(officer.pk)
