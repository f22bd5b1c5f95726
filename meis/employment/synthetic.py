"""Synthetic employment register: job-seeker registrations, vacancies and referrals at national
scale, for an existing synthetic registry (people and employers) and occupation classifier.

`employment_generate(job_seekers=N, vacancies=M, seed=S, on=D)` writes, as the register would
hold them on the morning of D (docs/domain.md §8, §12: about 200,000 registered, 70,000 of them
unemployed, and about 100,000 vacancies a year posted):

* **N open registrations** of living people aged 16–61 without one: about 35 % unemployed, the
  rest job seekers (with the registers' reason where the person asked to be unemployed), 2 %
  temporarily de-registered; registered in the last 18 months; 1–3 occupations each from the
  classifier (by ISCO major group, as the contracts register draws them); education; a desired
  region, mostly the person's own (the population's weights otherwise: Baku heavy); a desired
  salary from the national wages (some leave it blank). Besides, `ENDED_SHARE` of N ended
  registrations of other people, each with its date and reason, and every registration's history
  (`StatusChange`).
* **M open vacancies** of the registry's employers (by size, mostly in the region drawn at the
  population's weights), each for an occupation of the employer's sector, with the hours, a
  salary never below the minimum wage for the hours (the rules' `minimum_wage` scheme, through
  `meis.labour.synthetic.terms.Pay`), a closing date 1–90 days ahead and Azerbaijani text with
  its diacritics (the occupation's title); `search_text` is `search.fold` of it, as
  `vacancies.search_text_of` writes it. Besides, `CLOSED_SHARE` of M filled or expired ones.
* **Referrals** of `REFERRAL_SHARE` of the open registrations to an open vacancy, by a synthetic
  officer: pending, refused by the employer, or refused by the job seeker (a suitable refusal
  counted on the registration, below the limit that ends it): the daily job finds nothing to end
  in a freshly generated register.

Deterministic: every draw comes from `random_stream(seed, EMPLOYMENT_STREAM, part)`, so the same
seed, date and registry give the same rows. Set-based: numpy and Polars columns written through
`meis.core.bulk.frame_write` (binary COPY on PostgreSQL, `executemany` on SQLite) in one
transaction; ids continue after the existing rows and the sequences are moved past them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl
from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Model

from meis.core import bulk
from meis.employment.models import (
    OPEN_STATES,
    Education,
    EndReason,
    JobSeeker,
    Referral,
    ReferralOutcome,
    RegistrationState,
    SeekerStatus,
    StatusChange,
    Vacancy,
    VacancyStatus,
)
from meis.employment.search import fold
from meis.labour.models import Occupation
from meis.labour.synthetic.database import context_read
from meis.labour.synthetic.rows import Context
from meis.labour.synthetic.terms import MAIN_HOURS, MAIN_HOURS_P, SECTORS
from meis.registry.models import Employer, Person
from meis.registry.synthetic.base import EPOCH, GeneratorError, IntArray, random_stream
from meis.registry.synthetic.households import REGION_SHARES, REGIONS

EMPLOYMENT_STREAM = 1_000_000_033
SEEKERS, VACANCIES, REFERRALS, PEOPLE = range(4)
BAKU = ZoneInfo("Asia/Baku")

__all__ = ["EmploymentResult", "GeneratorError", "employment_generate"]

UNEMPLOYED_SHARE = 0.35  # 70,000 of 200,000 registered (docs/domain.md §12) [S]
PAUSED_SHARE = 0.02  # [M]
ENDED_SHARE = 0.03  # ended registrations kept, per open one [M]
OWN_REGION_SHARE = 0.7  # wants work where they live [M]
NO_REGION_SHARE = 0.05  # any region [M]
NO_SALARY_SHARE = 0.1  # [M]
REGISTERED_WITHIN_DAYS = 540  # [M]
CLOSED_SHARE = 0.2  # filled or expired vacancies kept, per open one [M]
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
# Why a person who asked to be unemployed is a job seeker (`selectors.registration_check`);
# blank: they asked to be a job seeker.
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
# Titles and texts: the occupation's Azerbaijani title with Azerbaijani words around it.
TITLE_FORMS = ("{t}", "{t}", "Baş {t}", "Kiçik {t}", "{t} (təcrübəli)", "{t} — yarımştat")
DESCRIPTIONS = (
    "{w} {t} vəzifəsinə işçi axtarır. Həftədə {h} saat iş, rəsmi əmək müqaviləsi.",
    "Şirkətimizə {t} tələb olunur. İş yeri: {w}. Sosial sığorta ödənilir.",
    "{t} vakansiyası: işə qəbul müsahibə əsasında. Həftəlik iş vaxtı {h} saat.",
    "Müəssisə {t} axtarır; nahar və nəqliyyat xərci işəgötürən tərəfindən ödənilir.",
)
REQUIREMENTS = (
    "Ali təhsil; ən azı {y} il iş təcrübəsi.",
    "Azərbaycan dilini mükəmməl bilmək, kompüter bilikləri.",
    "Peşə təhsili və məsuliyyətli olmaq.",
    "İş təcrübəsi tələb olunmur, öyrədilmə işçi yerində.",
)


@dataclass(frozen=True)
class EmploymentResult:
    open_registrations: int
    unemployed: int
    paused: int
    ended_registrations: int
    occupations: int  # registrations' occupation links
    open_vacancies: int
    closed_vacancies: int
    referrals: int


def employment_generate(
    *, job_seekers: int, vacancies: int, seed: int, on: datetime.date
) -> EmploymentResult:
    """Write `job_seekers` open registrations and `vacancies` open vacancies (with the ended
    and closed ones, histories and referrals described above) as on the morning of `on`."""
    if job_seekers < 0 or vacancies < 0:
        raise GeneratorError("the numbers of job seekers and vacancies cannot be negative")
    context = context_read(seed=seed, as_of=on, using="default")
    ended = round(job_seekers * ENDED_SHARE)
    people = _people(job_seekers + ended, seed, on)
    with transaction.atomic():
        deferred = bulk.transaction_tune(defer_references=True)
        first = {model: _next_id(model) for model in (JobSeeker, Vacancy, Referral, StatusChange)}
        seekers = _seekers(people, job_seekers, context, seed, on, first[JobSeeker])
        links = _occupation_links(seekers, context, seed)
        posts = _vacancies(vacancies, context, seed, on, first[Vacancy])
        referrals = _referrals(seekers, posts, seed, on, first[Referral])
        seekers = _refusals_counted(seekers, referrals)
        changes = _changes(seekers, first[StatusChange])
        frames: list[tuple[type[Model], pl.DataFrame]] = [
            (JobSeeker, seekers),
            (JobSeeker.occupations.through, links),
            (StatusChange, changes),
            (Vacancy, posts),
            (Referral, referrals),
        ]
        with _indexes_built_at_the_end([model for model, _ in frames]):
            for model, frame in frames:
                bulk.frame_write(model._meta.db_table, frame)
        if deferred:
            _references_verify(seekers, links, posts, referrals)
        _sequences_reset()
    _analyze()
    state = seekers["state"]
    open_posts = int((posts["status"] == VacancyStatus.OPEN).sum())
    return EmploymentResult(
        open_registrations=int(state.is_in(list(OPEN_STATES)).sum()),
        unemployed=int(((seekers["status"] == SeekerStatus.UNEMPLOYED) & (state != "ended")).sum()),
        paused=int((state == RegistrationState.PAUSED).sum()),
        ended_registrations=int((state == RegistrationState.ENDED).sum()),
        occupations=links.height,
        open_vacancies=open_posts,
        closed_vacancies=posts.height - open_posts,
        referrals=referrals.height,
    )


# --- Registrations -----------------------------------------------------------------------------


def _people(count: int, seed: int, on: datetime.date) -> pl.DataFrame:
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
    youngest = _years_before(on, YOUNGEST)
    oldest = _years_before(on, OLDEST + 1)
    found = bulk.frame_read_ids(
        "SELECT id, region, birth_on, died_on FROM registry_person WHERE id {ids}",
        draws.tolist(),
        {"id": pl.Int64(), "region": pl.String(), "birth_on": pl.Date(), "died_on": pl.Date()},
    )
    registered = bulk.frame_read_ids(
        "SELECT person_id FROM employment_jobseeker WHERE state IN ('active', 'paused') "
        "AND person_id {ids}",
        draws.tolist(),
        {"person_id": pl.Int64()},
    )["person_id"]
    hired = (
        bulk.frame_read_ids(
            "SELECT person_id, start_on FROM labour_contract "
            "WHERE status IN ('active', 'suspended') AND person_id {ids}",
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


def _seekers(
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
    reason = _pick(rng, SEEKER_REASON_P, n)
    end_reason = _pick(rng, END_REASON_P, n)
    own = people["region"].to_numpy()
    drawn = _pick(rng, {str(r): share for r, share in REGION_SHARES.items()}, n)
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
    created = _moments(registered, np.full(n, 10), np.zeros(n, dtype=np.int64))
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
            "registered_on": _dates(registered),
            "paused_from": _dates(paused_from, where=is_paused),
            "paused_until": _dates(paused_from + 90, where=is_paused),
            "ended_on": _dates(ended, where=~is_open),
            "end_reason": np.where(is_open, "", end_reason),
            "education": _pick(rng, EDUCATION_P, n),
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


def _occupation_links(seekers: pl.DataFrame, context: Context, seed: int) -> pl.DataFrame:
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
    first = _next_id(JobSeeker.occupations.through)
    return links.sort("jobseeker_id", maintain_order=True).with_columns(
        id=pl.int_range(first, first + links.height, dtype=pl.Int64)
    )


def _changes(seekers: pl.DataFrame, first_id: int) -> pl.DataFrame:
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


# --- Vacancies ---------------------------------------------------------------------------------


def _vacancies(
    open_count: int, context: Context, seed: int, on: datetime.date, first_id: int
) -> pl.DataFrame:
    rng = random_stream(seed, EMPLOYMENT_STREAM, VACANCIES)
    n = open_count + round(open_count * CLOSED_SHARE)
    today = (on - EPOCH).days
    is_open = np.arange(n) < open_count
    region = _pick(rng, {str(r): share for r, share in REGION_SHARES.items()}, n)
    employers = context.employers
    employer = employers.choose(rng, _region_indexes(region))
    sector = employers.sector[employer]
    occupation = context.occupations.choose(rng, sector)
    hours = rng.choice(MAIN_HOURS, size=n, p=MAIN_HOURS_P)
    posted = today - np.where(is_open, rng.integers(0, 60, n), rng.integers(30, 120, n))
    salary = context.pay.wages(
        rng,
        start_day=np.full(n, today),
        sector=sector,
        group=context.occupations.group[occupation],
        hours=hours,
    )
    closes = np.where(
        is_open,
        today + rng.integers(1, 91, n),
        np.minimum(posted + rng.integers(7, 31, n), today - 1),
    )
    is_filled = ~is_open & (rng.random(n) < 0.5)
    positions = np.where(rng.random(n) < 0.85, 1, rng.integers(2, 6, n))
    title_az = context.occupations.title.gather(occupation)
    workplace = employers.workplace.gather(employer).str.slice(0, 255)
    texts = pl.DataFrame(
        {
            "title": _texts(rng, TITLE_FORMS, t=title_az),
            "description": _texts(
                rng, DESCRIPTIONS, t=title_az.str.to_lowercase(), w=workplace, h=hours
            ),
            "requirements": _texts(rng, REQUIREMENTS, y=rng.integers(1, 6, n)),
            "words": _occupation_words(context).gather(occupation),
        }
    )
    searched = texts.select(
        pl.concat_str(["title", "words", "description", "requirements"], separator=" ")
    ).to_series()
    order = np.arange(n)
    return pl.DataFrame(
        {
            "id": np.arange(first_id, first_id + n),
            "employer_id": employers.id[employer],
            "occupation_id": context.occupations.id[occupation],
            "title": texts["title"],
            "description": texts["description"],
            "requirements": texts["requirements"],
            "region": region,
            "workplace": workplace,
            "salary_qepik": salary,
            "weekly_hours": hours,
            "positions": positions,
            "positions_filled": np.where(is_filled, positions, 0),
            "closes_on": _dates(closes),
            "status": np.where(
                is_open,
                VacancyStatus.OPEN.value,
                np.where(is_filled, VacancyStatus.FILLED.value, VacancyStatus.EXPIRED.value),
            ),
            "search_text": _folded(searched),
            "posted_at": _moments(posted, 9 + order % 9, order % 60),
            "posted_by_id": pl.Series([None] * n, dtype=pl.Int64),
            "closed_on": _dates(closes, where=~is_open),
            "version": np.where(is_open, 1, 2),
        }
    )


def _occupation_words(context: Context) -> pl.Series:
    """Each occupation's titles in the three languages, in `context.occupations` order."""
    titles = bulk.frame_read(
        "SELECT id, title_az, title_en, title_ru FROM labour_occupation",
        [],
        {
            "id": pl.Int64(),
            "title_az": pl.String(),
            "title_en": pl.String(),
            "title_ru": pl.String(),
        },
    )
    order = pl.DataFrame({"id": context.occupations.id})
    return (
        order.join(titles, on="id", how="left", maintain_order="left")
        .select(
            pl.concat_str(["title_az", "title_en", "title_ru"], separator=" ", ignore_nulls=True)
        )
        .to_series()
    )


# --- Referrals ---------------------------------------------------------------------------------


def _referrals(
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
    outcome = _pick(rng, OUTCOME_P, n)
    decided = np.minimum(today - 1, referred + rng.integers(1, 8, n))
    is_pending = outcome == ReferralOutcome.PENDING
    officer = _officer_id() if n else None
    return pl.DataFrame(
        {
            "id": np.arange(first_id, first_id + n),
            "job_seeker_id": chosen["id"],
            "vacancy_id": vacancy,
            "is_suitable": rng.random(n) < 0.7,
            "referred_on": _dates(referred),
            "referred_by_id": pl.Series([officer] * n, dtype=pl.Int64),
            "outcome": outcome,
            "outcome_reason": "",
            "outcome_on": _dates(np.maximum(decided, referred), where=~is_pending),
            "outcome_by_id": pl.Series(
                [None if p else officer for p in is_pending], dtype=pl.Int64
            ),
        }
    )


def _refusals_counted(seekers: pl.DataFrame, referrals: pl.DataFrame) -> pl.DataFrame:
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


# --- Helpers -----------------------------------------------------------------------------------


def _pick(rng: np.random.Generator, shares: dict[str, float] | dict[Any, float], n: int) -> Any:
    keys = np.array([str(k) for k in shares])
    p = np.array(list(shares.values()), dtype=np.float64)
    return keys[rng.choice(keys.size, size=n, p=p / p.sum())]


def _texts(rng: np.random.Generator, forms: tuple[str, ...], **values: Any) -> pl.Series:
    """One of `forms` a row, its {placeholders} filled from the columns `values`."""
    columns = {name: pl.Series(value).cast(pl.String) for name, value in values.items()}
    n = len(next(iter(columns.values())))
    form = pl.Series(rng.integers(0, len(forms), n))
    result = pl.Series([""] * n)
    for index, template in enumerate(forms):
        parts: list[pl.Expr] = []
        for literal, name in _split(template):
            parts.append(pl.lit(literal))
            if name:
                parts.append(pl.col(name))
        filled = pl.DataFrame(columns).select(pl.concat_str(parts)).to_series()
        result = pl.select(pl.when(form == index).then(filled).otherwise(result)).to_series()
    return result


def _split(template: str) -> list[tuple[str, str]]:
    """ "a {x} b" → [("a ", "x"), (" b", "")]."""
    pieces: list[tuple[str, str]] = []
    rest = template
    while "{" in rest:
        literal, _, rest = rest.partition("{")
        name, _, rest = rest.partition("}")
        pieces.append((literal, name))
    pieces.append((rest, ""))
    return pieces


def _region_indexes(region: Any) -> IntArray:
    names = [str(r) for r in REGIONS]
    return np.array(
        pl.Series(region).replace_strict(names, list(range(len(names))), return_dtype=pl.Int64)
    )


def _dates(days: IntArray, where: Any = None) -> pl.Series:
    series = pl.Series(days).cast(pl.Int32).cast(pl.Date)
    if where is None:
        return series
    return pl.select(pl.when(pl.Series(where)).then(series)).to_series()


def _moments(days: IntArray, hours: IntArray, minutes: IntArray) -> pl.Series:
    """The moments (UTC) of the given Baku wall-clock times of days since 1970."""
    local = (days * 86_400 + hours * 3_600 + minutes * 60) * 1_000_000
    return (
        pl.Series(local)
        .cast(pl.Datetime("us"))
        .dt.replace_time_zone(str(BAKU))
        .dt.convert_time_zone("UTC")
    )


def _folded(texts: pl.Series) -> pl.Series:
    """`search.fold` of every text, vectorised: "İ" first, then lower case, then each other
    letter `fold` changes, found among the texts' own letters (fold works letter by letter)."""
    lower = texts.str.replace_all("İ", "i", literal=True).str.to_lowercase()
    letters = lower.str.extract_all(r"[^\x00-\x7f]").explode().drop_nulls().unique().to_list()
    changed = {letter: fold(letter) for letter in sorted(letters) if fold(letter) != letter}
    if not changed:
        return lower
    return lower.str.replace_many(list(changed), list(changed.values()))


def _years_before(on: datetime.date, years: int) -> datetime.date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)


def _next_id(model: Any) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{model._meta.db_table}"')  # noqa: S608
        return int(cursor.fetchone()[0])


@contextmanager
def _indexes_built_at_the_end(models: list[type[Model]]) -> Iterator[None]:
    """PostgreSQL, tables that start empty: their secondary indexes (the vacancy search's GIN
    index among them) dropped and built once after the rows, in the caller's transaction.

    Maintaining a GIN index row by row costs several times one build; the definitions are
    read from the catalogue and recreated as they were, so the schema afterwards is identical
    and unique indexes check every row written. A table that has rows keeps its indexes."""
    tables = [model._meta.db_table for model in models if not model._default_manager.exists()]
    if not bulk.is_postgresql() or not tables:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
               FROM pg_index i
               WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary
                 AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)""",
            [tables],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)


def _references_verify(
    seekers: pl.DataFrame, links: pl.DataFrame, posts: pl.DataFrame, referrals: pl.DataFrame
) -> None:
    """The foreign keys `bulk.transaction_tune` left unchecked, one query per table."""
    bulk.references_verify(
        [
            (Person._meta.db_table, seekers["person_id"]),
            (
                Occupation._meta.db_table,
                pl.concat([links["occupation_id"], posts["occupation_id"]]),
            ),
            (Employer._meta.db_table, posts["employer_id"]),
            (get_user_model()._meta.db_table, referrals["referred_by_id"]),
        ]
    )


def _sequences_reset() -> None:
    models: list[type[Model]] = [
        JobSeeker,
        JobSeeker.occupations.through,
        StatusChange,
        Vacancy,
        Referral,
    ]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def _analyze() -> None:
    if not bulk.is_postgresql():
        return
    models: list[type[Model]] = [
        JobSeeker,
        JobSeeker.occupations.through,
        StatusChange,
        Vacancy,
        Referral,
    ]
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')
