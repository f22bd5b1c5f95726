"""Vacancies: employers, occupations, hours and salaries from the contracts register's model, and
Azerbaijani text with its search text."""

from __future__ import annotations

import datetime
from typing import Any

import numpy as np
import polars as pl

from meis.core import bulk
from meis.employment.models import (
    VacancyStatus,
)
from meis.employment.search import fold
from meis.labour.synthetic.rows import Context
from meis.labour.synthetic.terms import MAIN_HOURS, MAIN_HOURS_P
from meis.registry.synthetic.base import EPOCH, random_stream
from meis.registry.synthetic.households import REGION_SHARES

from .columns import EMPLOYMENT_STREAM, VACANCIES, dates, moments, pick, region_indexes

CLOSED_SHARE = 0.2  # filled or expired vacancies kept, per open one [M]
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


def vacancies_frame(
    open_count: int, context: Context, seed: int, on: datetime.date, first_id: int
) -> pl.DataFrame:
    rng = random_stream(seed, EMPLOYMENT_STREAM, VACANCIES)
    n = open_count + round(open_count * CLOSED_SHARE)
    today = (on - EPOCH).days
    is_open = np.arange(n) < open_count
    region = pick(rng, {str(r): share for r, share in REGION_SHARES.items()}, n)
    employers = context.employers
    employer = employers.choose(rng, region_indexes(region))
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
            "closes_on": dates(closes),
            "status": np.where(
                is_open,
                VacancyStatus.OPEN.value,
                np.where(is_filled, VacancyStatus.FILLED.value, VacancyStatus.EXPIRED.value),
            ),
            "search_text": _folded(searched),
            "posted_at": moments(posted, 9 + order % 9, order % 60),
            "posted_by_id": pl.Series([None] * n, dtype=pl.Int64),
            "closed_on": dates(closes, where=~is_open),
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


def _folded(texts: pl.Series) -> pl.Series:
    """`search.fold` of every text, vectorised: "İ" first, then lower case, then each other
    letter `fold` changes, found among the texts' own letters (fold works letter by letter)."""
    lower = texts.str.replace_all("İ", "i", literal=True).str.to_lowercase()
    letters = lower.str.extract_all(r"[^\x00-\x7f]").explode().drop_nulls().unique().to_list()
    changed = {letter: fold(letter) for letter in sorted(letters) if fold(letter) != letter}
    if not changed:
        return lower
    return lower.str.replace_many(list(changed), list(changed.values()))
