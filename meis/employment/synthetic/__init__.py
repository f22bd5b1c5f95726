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
from dataclasses import dataclass

import polars as pl
from django.db import transaction
from django.db.models import Model

from meis.core import bulk
from meis.employment.models import (
    OPEN_STATES,
    JobSeeker,
    Referral,
    RegistrationState,
    SeekerStatus,
    StatusChange,
    Vacancy,
    VacancyStatus,
)
from meis.labour.synthetic.database import context_read
from meis.registry.synthetic.base import GeneratorError

from .registrations import (
    ENDED_SHARE,
    changes_frame,
    occupation_links,
    people_draw,
    referrals_frame,
    refusals_counted,
    seekers_frame,
)
from .vacancies import vacancies_frame
from .writing import analyze, indexes_built_at_the_end, next_id, references_verify, sequences_reset

__all__ = ["EmploymentResult", "GeneratorError", "employment_generate"]


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
    people = people_draw(job_seekers + ended, seed, on)
    with transaction.atomic():
        deferred = bulk.transaction_tune(defer_references=True)
        first = {model: next_id(model) for model in (JobSeeker, Vacancy, Referral, StatusChange)}
        seekers = seekers_frame(people, job_seekers, context, seed, on, first[JobSeeker])
        links = occupation_links(seekers, context, seed)
        posts = vacancies_frame(vacancies, context, seed, on, first[Vacancy])
        referrals = referrals_frame(seekers, posts, seed, on, first[Referral])
        seekers = refusals_counted(seekers, referrals)
        changes = changes_frame(seekers, first[StatusChange])
        frames: list[tuple[type[Model], pl.DataFrame]] = [
            (JobSeeker, seekers),
            (JobSeeker.occupations.through, links),
            (StatusChange, changes),
            (Vacancy, posts),
            (Referral, referrals),
        ]
        with indexes_built_at_the_end([model for model, _ in frames]):
            for model, frame in frames:
                bulk.frame_write(model._meta.db_table, frame)
        if deferred:
            references_verify(seekers, links, posts, referrals)
        sequences_reset()
    analyze()
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
