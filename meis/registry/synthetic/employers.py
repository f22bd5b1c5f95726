"""Employers: one for every 60 people, with valid, unique VÖENs, legal forms and regions.

Employers are drawn in blocks of their own streams (seed, `EMPLOYER_STREAM`, *k*), apart from the
people's, so the number of people decides how many there are but not who they are.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import polars as pl

from meis.registry.models import LegalForm

from .base import random_stream
from .households import REGION_SHARES, REGIONS
from .identifiers import DIGITS, VOEN_PREFIX_PERMUTATION, Counters, encode, voen_check_digits
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
    frame = pl.DataFrame(
        {
            "id": index + 1,
            "voen": encode(voen, alphabet=DIGITS, width=10),
            "surname": words.last_names.gather(rng.integers(0, words.surnames, count)),
            "first": words.first_names.gather(rng.integers(0, words.male_first, count)),
            "activity": codes(
                EMPLOYER_ACTIVITIES, rng.integers(0, len(EMPLOYER_ACTIVITIES), count)
            ),
            "suffix": codes(tuple(LEGAL_FORM_SUFFIX[f] for f in forms), form),
            "sole": sole,
            "legal_form": codes(tuple(f.value for f in forms), form),
            "region": codes(REGIONS, rng.choice(len(REGIONS), size=count, p=shares / shares.sum())),
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
    counters.employer += count
    return frame.select("id", "voen", name.alias("name"), "legal_form", "region")
