"""Employers: one for every 60 people, with valid, unique VÖENs and SUNs, legal forms, sectors,
regions, legal addresses and an e-mail for notices.

Employers are drawn in blocks of their own streams (seed, `EMPLOYER_STREAM`, *k*), apart from the
people's, so the number of people decides how many there are but not who they are. Columns added
later (sector, SUN, address, e-mail) draw after the earlier ones, so a seed's VÖENs, names, forms
and regions stay what they were.

The sector decides the social-insurance formula (docs/domain.md §7). State and public legal
entities are the state sector; about half the companies in energy (`Energetika`) are the oil and
gas sector [M]; everyone else is non-oil private. How many *contracts* each sector holds is the
contracts generator's business (`meis.labour.synthetic`): it weights employers by size.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import polars as pl

from meis.registry.models import EmployerSector, LegalForm

from .base import IntArray, random_stream
from .households import REGION_SHARES, REGION_TOWNS, REGIONS
from .identifiers import (
    DIGITS,
    VOEN_PREFIX_PERMUTATION,
    Counters,
    Permutation,
    encode,
    voen_check_digits,
)
from .words import codes, word_lists

PEOPLE_PER_EMPLOYER = 60
EMPLOYER_STREAM = 1_000_000_007
EMPLOYER_BLOCK = 8192
EMPLOYER_ACTIVITIES = (
    "İnşaat", "Ticarət", "Aqro", "Servis", "Logistika", "Texnologiya", "Tekstil", "Qida",
    "Energetika", "Turizm", "Tikinti", "Nəqliyyat", "Səhiyyə", "Təhsil", "Kommunikasiya",
)  # fmt: skip
LEGAL_FORM_P = {
    LegalForm.LLC: 0.55,
    LegalForm.SOLE_PROPRIETOR: 0.25,
    LegalForm.OJSC: 0.04,
    LegalForm.CJSC: 0.04,
    LegalForm.STATE: 0.06,
    LegalForm.PUBLIC_LEGAL_ENTITY: 0.02,
    LegalForm.NON_PROFIT: 0.04,
}
LEGAL_FORM_SUFFIX = {
    LegalForm.LLC: " MMC",
    LegalForm.SOLE_PROPRIETOR: "",
    LegalForm.OJSC: " ASC",
    LegalForm.CJSC: " QSC",
    LegalForm.STATE: " Dövlət Müəssisəsi",
    LegalForm.PUBLIC_LEGAL_ENTITY: " PHŞ",
    LegalForm.NON_PROFIT: " İctimai Birliyi",
}
STATE_FORMS = (LegalForm.STATE, LegalForm.PUBLIC_LEGAL_ENTITY)
COMPANY_FORMS = (LegalForm.LLC, LegalForm.OJSC, LegalForm.CJSC)
OIL_ACTIVITY = "Energetika"
OIL_SHARE_OF_ENERGY_COMPANIES = 0.5  # [M]
SECTORS = tuple(EmployerSector)
# SUN: ten digits, the first not 0, keyed by the employer's running index (unique, no retries).
SUN_PERMUTATION = Permutation(9 * 10**9, key=0x5C7)


def employer_frames(*, people: int, seed: int, counters: Counters) -> Iterator[pl.DataFrame]:
    """One employer for every `PEOPLE_PER_EMPLOYER` people, in deterministic blocks."""
    total = max(1, people // PEOPLE_PER_EMPLOYER)
    done = 0
    block_no = 0
    while done < total:
        count = min(EMPLOYER_BLOCK, total - done)
        yield employer_frame(
            random_stream(seed, EMPLOYER_STREAM, block_no), count=count, counters=counters
        )
        done += count
        block_no += 1


def employer_frame(rng: np.random.Generator, *, count: int, counters: Counters) -> pl.DataFrame:
    """`count` employers with valid, unique VÖENs (unique because their first 7 digits are)."""
    words = word_lists()
    index = counters.employer + np.arange(count, dtype=np.int64)
    prefix7 = 10**5 + VOEN_PREFIX_PERMUTATION(index)  # territorial code TT from 01 to 99
    eighth = rng.integers(0, 10, count)
    check = voen_check_digits(prefix7 * 10 + eighth)
    # The 8th digit has weight 3, invertible mod 11: at most one of its 10 values gives a
    # remainder of 10, so the next value always gives a valid check digit.
    eighth = np.where(check < 0, (eighth + 1) % 10, eighth)
    check = voen_check_digits(prefix7 * 10 + eighth)
    forms = tuple(LEGAL_FORM_P)
    form = rng.choice(len(forms), size=count, p=np.array(list(LEGAL_FORM_P.values())))
    sole = form == forms.index(LegalForm.SOLE_PROPRIETOR)
    voen = (prefix7 * 10 + eighth) * 100 + check * 10 + np.where(sole, 2, 1)
    shares = np.array(list(REGION_SHARES.values()))
    # Drawn in the order the columns were first written: a seed's employers stay the same.
    surname = rng.integers(0, words.surnames, count)
    first = rng.integers(0, words.male_first, count)
    activity = rng.integers(0, len(EMPLOYER_ACTIVITIES), count)
    region = rng.choice(len(REGIONS), size=count, p=shares / shares.sum())
    frame = pl.DataFrame(
        {
            "id": index + 1,
            "voen": encode(voen, alphabet=DIGITS, width=10),
            "surname": words.last_names.gather(surname),
            "first": words.first_names.gather(first),
            "activity": codes(EMPLOYER_ACTIVITIES, activity),
            "suffix": codes(tuple(LEGAL_FORM_SUFFIX[f] for f in forms), form),
            "sole": sole,
            "legal_form": codes(tuple(f.value for f in forms), form),
            "region": codes(REGIONS, region),
            "sector": codes(tuple(s.value for s in SECTORS), _sectors(rng, forms, form, activity)),
            # Sığortaedənin uçot nömrəsi: ten digits, unique by construction (its real format
            # is not in docs/domain.md, open question 3).
            "sun": encode(10**9 + SUN_PERMUTATION(index), alphabet=DIGITS, width=10),
            "address": _addresses(rng, region),
        }
    )
    name = (
        pl.when(pl.col("sole"))
        .then(
            pl.concat_str(
                pl.lit("Fərdi sahibkar "), pl.col("surname"), pl.lit(" "), pl.col("first")
            )
        )
        .otherwise(
            pl.concat_str(pl.col("surname"), pl.lit(" "), pl.col("activity"), pl.col("suffix"))
        )
    )
    email = pl.concat_str(pl.lit("info."), pl.col("voen"), pl.lit("@example.org"))
    counters.employer += count
    return frame.select(
        "id",
        "voen",
        "sun",
        name.alias("name"),
        "legal_form",
        "sector",
        "region",
        "address",
        email.alias("email"),
    )


def _sectors(
    rng: np.random.Generator, forms: tuple[LegalForm, ...], form: IntArray, activity: IntArray
) -> IntArray:
    """Index into `SECTORS`: state and public legal entities are the state sector; companies in
    energy are oil and gas about half the time [M]; everyone else is non-oil private."""
    state = np.isin(form, [forms.index(f) for f in STATE_FORMS])
    company = np.isin(form, [forms.index(f) for f in COMPANY_FORMS])
    energy = activity == EMPLOYER_ACTIVITIES.index(OIL_ACTIVITY)
    oil = company & energy & (rng.random(form.size) < OIL_SHARE_OF_ENERGY_COMPANIES)
    return np.select(
        [state, oil],
        [SECTORS.index(EmployerSector.STATE), SECTORS.index(EmployerSector.OIL)],
        default=SECTORS.index(EmployerSector.NON_OIL_PRIVATE),
    )


def _addresses(rng: np.random.Generator, region: IntArray) -> pl.Series:
    """A legal address in one of the towns of the employer's region (as households', no flat)."""
    towns = [town for r in REGIONS for town in REGION_TOWNS[r]]
    first_town = np.cumsum([0] + [len(REGION_TOWNS[r]) for r in REGIONS])
    town = first_town[region] + (rng.random(region.size) * np.diff(first_town)[region]).astype(
        np.int64
    )
    street = rng.integers(0, len(word_lists().streets), region.size)
    building = rng.integers(1, 200, region.size)
    return (
        pl.DataFrame(
            {
                "town": pl.Series(towns).gather(town),
                "street": word_lists().streets.gather(street),
                "building": building,
            }
        )
        .select(
            pl.concat_str(
                pl.col("town"),
                pl.lit(", "),
                pl.col("street"),
                pl.lit(" küç., "),
                pl.col("building").cast(pl.String),
            )
        )
        .to_series()
    )
