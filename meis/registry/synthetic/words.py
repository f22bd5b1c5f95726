"""Word lists: Azerbaijani first names, surnames, patronymics and streets, from Faker `az_AZ`.

Faker is used here, once, and never per row: rows hold integer codes into these lists and
Polars gathers the strings (`codes` does the same for a tuple of choices).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import polars as pl

from .base import IntArray

_AZ_LOWER = str.maketrans({"İ": "i", "I": "ı"})


def _az_title(text: str) -> str:
    """`HEYDƏR ƏLİYEV` → `Heydər Əliyev` (Azerbaijani dotted/dotless i handled)."""
    return re.sub(
        r"[^\W\d_]+", lambda m: m[0][0] + m[0][1:].translate(_AZ_LOWER).lower(), text.strip()
    )


def _feminine_surname(name: str) -> str:
    if name.endswith("oğlu"):
        return name[: -len("oğlu")] + "qızı"
    if name.endswith(("ov", "ev")):
        return name + "a"
    return name


@dataclass(frozen=True)
class WordLists:
    """Look-up tables; rows refer to them by integer code and Polars gathers the strings."""

    male_first: int  # how many male first names head `first_names`
    first_names: pl.Series  # male names, then female names
    surnames: int  # how many surnames (male forms) head `last_names`
    last_names: pl.Series  # male forms, then the female forms in the same order
    patronymics: pl.Series  # "<male name> oğlu" for every male name, then "<male name> qızı"
    streets: pl.Series


@cache
def word_lists() -> WordLists:
    from faker.providers.address.az_AZ import Provider as AddressProvider
    from faker.providers.person.az_AZ import Provider as PersonProvider

    def clean(*lists: object) -> list[str]:
        return sorted({str(word).strip() for words in lists for word in words})  # type: ignore[attr-defined]

    male = clean(PersonProvider.first_names_male)
    female = clean(PersonProvider.first_names_female)
    surnames = clean(PersonProvider.last_names_male, PersonProvider.last_names_unisex)
    return WordLists(
        male_first=len(male),
        first_names=pl.Series(male + female),
        surnames=len(surnames),
        last_names=pl.Series(surnames + [_feminine_surname(s) for s in surnames]),
        patronymics=pl.Series([f"{m} oğlu" for m in male] + [f"{m} qızı" for m in male]),
        streets=pl.Series(sorted({_az_title(s) for s in AddressProvider.streets})),
    )


def codes(values: tuple[str, ...], at: IntArray) -> pl.Series:
    """The strings of `values` at the integer codes `at`."""
    return pl.Series([str(v) for v in values]).gather(at)
