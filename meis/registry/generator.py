"""Synthetic country: a deterministic, vectorised generator of registry data.

`registry_generate(people=N, seed=S)` writes N people in households, their identity documents and
N/60 employers. Design (see also `meis registry generate --help`):

* **Deterministic.** People are made in blocks of households (`block_households`); block *k* draws
  from `numpy.random.Generator(PCG64(SeedSequence([seed, k])))`, so the same seed and `as_of`
  give the same rows whatever the batch size.
* **Unique identifiers by construction.** A FİN, a document number, a phone number and a VÖEN are
  each the image of a running index under a fixed keyed bijection (a Feistel network with cycle
  walking over the identifier's space), so no set of seen values is kept and no retry is needed.
  The keys do not depend on the seed, so `append=True` (which continues every index after the
  rows already present) can never produce a duplicate.
* **Vectorised.** Faker `az_AZ` supplies word lists once; every per-row value is a numpy or Polars
  column operation.
* **Bounded memory.** Blocks are written batch by batch: PostgreSQL through `COPY … FROM STDIN`
  (psycopg 3), SQLite through `executemany` in one transaction per batch.

The demography is a rough picture of Azerbaijan in 2020 (DOMAIN.md §12): about 10 million people,
median age near 32, 49.9 % male, households of 1–9 people with a mean near 4.3.
"""

from __future__ import annotations

import datetime
import re
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import numpy.typing as npt
import polars as pl
from django.core.management.color import no_style
from django.db import connections, transaction

from meis.core.identifiers import FIN_ALPHABET, VOEN_WEIGHTS, DocumentGeneration

from .models import (
    DocumentStatus,
    Employer,
    Household,
    HouseholdMembership,
    IdentityDocument,
    Language,
    LegalForm,
    Person,
    Region,
    Relation,
)

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
StrArray = npt.NDArray[np.str_]

BLOCK_HOUSEHOLDS = 16384
DEFAULT_BATCH_SIZE = 100_000
PEOPLE_PER_EMPLOYER = 60
BIOMETRIC_FROM = datetime.date(2018, 9, 1)
EPOCH = datetime.date(1970, 1, 1)

# --- Demography (approximate; DOMAIN.md §12) ------------------------------------------------
HOUSEHOLD_SIZE_P = np.array([0.08, 0.12, 0.15, 0.22, 0.19, 0.12, 0.07, 0.03, 0.02])
# Population shares of the economic regions (State Statistical Committee, 2020, rounded).
REGION_SHARES: dict[Region, float] = {
    Region.BAKU: 22.9,
    Region.ABSHERON_KHIZI: 5.8,
    Region.NAKHCHIVAN: 4.6,
    Region.GANJA_DASHKASAN: 4.3,
    Region.GAZAKH_TOVUZ: 6.8,
    Region.SHEKI_ZAGATALA: 6.2,
    Region.LANKARAN_ASTARA: 9.2,
    Region.GUBA_KHACHMAZ: 5.6,
    Region.CENTRAL_ARAN: 7.0,
    Region.MIL_MUGAN: 5.0,
    Region.SHIRVAN_SALYAN: 5.1,
    Region.MOUNTAINOUS_SHIRVAN: 3.0,
    Region.KARABAKH: 8.4,
    Region.EAST_ZANGEZUR: 3.4,
}
REGION_TOWNS: dict[Region, tuple[str, ...]] = {
    Region.BAKU: ("Bakı", "Binəqədi", "Xətai", "Nəsimi", "Səbail", "Yasamal", "Suraxanı"),
    Region.ABSHERON_KHIZI: ("Sumqayıt", "Xırdalan", "Xızı"),
    Region.NAKHCHIVAN: ("Naxçıvan", "Ordubad", "Şərur", "Culfa", "Babək"),
    Region.GANJA_DASHKASAN: ("Gəncə", "Daşkəsən", "Göygöl"),
    Region.GAZAKH_TOVUZ: ("Qazax", "Tovuz", "Ağstafa", "Şəmkir", "Gədəbəy"),
    Region.SHEKI_ZAGATALA: ("Şəki", "Zaqatala", "Qax", "Balakən", "Oğuz", "Qəbələ"),
    Region.LANKARAN_ASTARA: ("Lənkəran", "Astara", "Masallı", "Lerik", "Cəlilabad", "Yardımlı"),
    Region.GUBA_KHACHMAZ: ("Quba", "Xaçmaz", "Qusar", "Şabran", "Siyəzən"),
    Region.CENTRAL_ARAN: ("Mingəçevir", "Yevlax", "Ağdaş", "Göyçay", "Kürdəmir", "Ucar"),
    Region.MIL_MUGAN: ("İmişli", "Saatlı", "Sabirabad", "Beyləqan"),
    Region.SHIRVAN_SALYAN: ("Şirvan", "Salyan", "Neftçala", "Biləsuvar", "Hacıqabul"),
    Region.MOUNTAINOUS_SHIRVAN: ("Şamaxı", "İsmayıllı", "Ağsu", "Qobustan"),
    Region.KARABAKH: ("Xankəndi", "Ağcabədi", "Bərdə", "Tərtər", "Ağdam", "Füzuli", "Şuşa"),
    Region.EAST_ZANGEZUR: ("Cəbrayıl", "Qubadlı", "Laçın", "Kəlbəcər", "Zəngilan"),
}
LANGUAGE_P = {Language.AZERBAIJANI: 0.9, Language.RUSSIAN: 0.08, Language.ENGLISH: 0.02}
# Mobile prefixes with 7 subscriber digits (DOMAIN.md §1); 99x has a longer prefix, left out.
PHONE_PREFIXES = ("50", "51", "55", "70", "77", "10", "60")
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")
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


class GeneratorError(Exception):
    """The generator cannot go on (identifier space exhausted, bad arguments)."""


# --- Keyed bijections -----------------------------------------------------------------------
@dataclass(frozen=True)
class Permutation:
    """A bijection of [0, size) onto itself: a 4-round Feistel network with cycle walking."""

    size: int
    key: int
    half_bits: int = field(init=False)

    def __post_init__(self) -> None:
        bits = max(2, (self.size - 1).bit_length())
        object.__setattr__(self, "half_bits", (bits + 1) // 2)

    def _rounds(self, x: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
        h = np.uint64(self.half_bits)
        mask = np.uint64((1 << self.half_bits) - 1)
        left, right = x >> h, x & mask
        for round_no in range(4):
            k = np.uint64((self.key * (round_no + 1) * 0x9E3779B1) & 0xFFFFFFFF)
            mixed = ((right ^ k) * np.uint64(0x85EBCA6B)) & np.uint64(0xFFFFFFFFFF)
            mixed ^= mixed >> np.uint64(13)
            mixed = (mixed * np.uint64(0xC2B2AE35)) >> np.uint64(7)
            left, right = right, left ^ (mixed & mask)
        return (left << h) | right

    def __call__(self, index: IntArray) -> IntArray:
        if index.size and (int(index.min()) < 0 or int(index.max()) >= self.size):
            raise GeneratorError(f"identifier space of {self.size:,} values is exhausted")
        y = self._rounds(index.astype(np.uint64))
        outside = y >= np.uint64(self.size)
        while outside.any():
            y[outside] = self._rounds(y[outside])
            outside = y >= np.uint64(self.size)
        return y.astype(np.int64)


FIN_SPACE = len(FIN_ALPHABET) ** 7
FIN_PERMUTATION = Permutation(FIN_SPACE, key=0x5EED_F1A)
OLD_CARD_PERMUTATION = Permutation(10**8, key=0xA2E_0001)
BIOMETRIC_CARD_PERMUTATION = Permutation(10**7, key=0xAA_0002)
PHONE_PERMUTATION = Permutation(len(PHONE_PREFIXES) * 10**7, key=0x994)
# VÖEN: the first 7 digits (TT + 5 serial digits, TT 01..99); the 8th is chosen for the checksum.
VOEN_PREFIX_PERMUTATION = Permutation(99 * 10**5, key=0x40E)


DIGITS = "0123456789"


def encode(values: IntArray, *, alphabet: str, width: int, prefix: str = "") -> pl.Series:
    """Fixed-width strings of `values` in base len(alphabet), after a constant prefix.

    Built as one ASCII buffer in numpy and split by Polars: no Python object per row.
    """
    n, size = values.size, len(prefix) + width
    letters = np.frombuffer(alphabet.encode("ascii"), dtype=np.uint8)
    buffer = np.empty((n, size + 1), dtype=np.uint8)
    buffer[:, size] = ord("\n")
    if prefix:
        buffer[:, : len(prefix)] = np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)
    rest = values.astype(np.int64)
    for position in range(size - 1, len(prefix) - 1, -1):
        buffer[:, position] = letters[rest % letters.size]
        rest = rest // letters.size
    text = buffer.tobytes().decode("ascii")
    return pl.Series([text]).str.split("\n").explode().slice(0, n)


def voen_check_digits(first_eight: IntArray) -> IntArray:
    """Vectorised `meis.core.identifiers.voen_check_digit`: -1 where the remainder is 10."""
    digits = np.stack([(first_eight // 10 ** (7 - i)) % 10 for i in range(8)], axis=1)
    remainder = (digits @ np.array(VOEN_WEIGHTS, dtype=np.int64)) % 11
    return np.where(remainder == 10, -1, remainder)


# --- Word lists (Faker is used here, once, and never per row) -------------------------------
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


# --- People ---------------------------------------------------------------------------------
RELATIONS = tuple(Relation)
HEAD, SPOUSE, CHILD, PARENT, SIBLING, GRANDCHILD, OTHER = (
    RELATIONS.index(r)
    for r in (
        Relation.HEAD,
        Relation.SPOUSE,
        Relation.CHILD,
        Relation.PARENT,
        Relation.SIBLING,
        Relation.GRANDCHILD,
        Relation.OTHER,
    )
)
REGIONS = tuple(REGION_SHARES)
LANGUAGES = tuple(LANGUAGE_P)


@dataclass
class PeopleBlock:
    """One block of households and their members, before identifiers are assigned.

    Strings are integer codes into `word_lists()` and the tuples above.
    """

    household_region: IntArray
    household_address: pl.Series
    household_of: IntArray  # per person: index of its household within the block
    relation: IntArray
    is_male: BoolArray
    birth_day: IntArray  # days since 1970-01-01
    died_day: IntArray  # -1 = alive
    first_name: IntArray
    patronymic: IntArray
    last_name: IntArray
    language: IntArray
    has_phone: BoolArray
    has_email: BoolArray
    joined_day: IntArray
    # Documents: current card issue day (-1 = none), previous card issue day (-1 = none).
    card_day: IntArray
    previous_card_day: IntArray
    previous_card_lost: BoolArray

    def __len__(self) -> int:
        return int(self.household_of.size)


def _rng(seed: int, *stream: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, *stream])))


def _days(date: datetime.date) -> int:
    return (date - EPOCH).days


YEAR = 365.2425


def _head_ages(rng: np.random.Generator, size: IntArray) -> npt.NDArray[np.float64]:
    """Age of the head of household: younger for families with children, older when alone."""
    n = size.size
    family = 26 + rng.gamma(shape=4.5, scale=5.6, size=n)
    alone = np.where(rng.random(n) < 0.55, 62 + rng.gamma(2.0, 6.0, n), 22 + rng.gamma(2, 6, n))
    return np.clip(np.where(size == 1, alone, family), 18, 99)


@dataclass
class _Households:
    size: IntArray
    start: IntArray
    hh: IntArray  # per person: household index
    slot: IntArray  # per person: position in the household, 0 = head
    head_age: npt.NDArray[np.float64]
    head_male: BoolArray
    has_spouse: BoolArray


def _households(rng: np.random.Generator, households: int) -> _Households:
    size = rng.choice(np.arange(1, 10), size=households, p=HOUSEHOLD_SIZE_P)
    start = np.concatenate([[0], np.cumsum(size)[:-1]])
    hh = np.repeat(np.arange(households), size)
    head_age = _head_ages(rng, size)
    has_spouse = (size >= 2) & (rng.random(households) < 0.82)
    # Couples are mostly headed by the husband; lone parents and the old living alone are
    # mostly women.
    male_p = np.where(has_spouse, 0.85, np.where(size == 1, 0.45, 0.4))
    return _Households(
        size=size,
        start=start,
        hh=hh,
        slot=np.arange(hh.size) - start[hh],
        head_age=head_age,
        head_male=rng.random(households) < male_p,
        has_spouse=has_spouse,
    )


def _relations(rng: np.random.Generator, h: _Households) -> IntArray:
    n_households = h.size.size
    has_parent = (h.size >= 4) & (h.head_age < 62) & (rng.random(n_households) < 0.3)
    grand = (h.size >= 4) & (h.head_age >= 52) & (rng.random(n_households) < 0.6)
    hh, slot = h.hh, h.slot
    relation = np.full(hh.size, CHILD, dtype=np.int64)
    relation[slot == 0] = HEAD
    relation[(slot == 1) & h.has_spouse[hh]] = SPOUSE
    last_slot = slot == h.size[hh] - 1
    relation[last_slot & has_parent[hh] & (slot >= 2)] = PARENT
    relation[(slot >= 3) & grand[hh] & (relation == CHILD)] = GRANDCHILD
    lone_second = (slot == 1) & ~h.has_spouse[hh] & (h.head_age[hh] < 36)
    relation[lone_second] = np.where(rng.random(int(lone_second.sum())) < 0.6, SIBLING, OTHER)
    return relation


def _ages_and_sexes(
    rng: np.random.Generator, h: _Households, relation: IntArray
) -> tuple[npt.NDArray[np.float64], BoolArray]:
    total = relation.size
    hh = h.hh
    r = rng.random(total)
    head_a = h.head_age[hh]
    gap = np.where(h.head_male[hh], -1, 1) * rng.normal(3.5, 3.0, total)
    spouse_age = np.clip(head_a + gap, 18, 99)
    mother_age = np.where(h.has_spouse[hh] & h.head_male[hh], spouse_age, head_a)
    child_low = np.clip(mother_age - 42, 0, None)
    child_high = np.clip(mother_age - 20, 0.05, None)
    child_age = child_low + r * np.clip(child_high - child_low, 0, None)
    age = np.select(
        [relation == HEAD, relation == SPOUSE, relation == CHILD, relation == GRANDCHILD],
        [head_a, spouse_age, child_age, r * np.clip(head_a - 42, 0.05, 20)],
        default=np.clip(head_a + rng.normal(0, 5, total), 15, 99),
    )
    age = np.where(relation == PARENT, np.clip(head_a + 21 + r * 14, 0, 100), age)
    is_male = np.select(
        [relation == HEAD, relation == SPOUSE, relation == PARENT],
        [h.head_male[hh], ~h.head_male[hh], r < 0.3],
        default=rng.random(total) < 0.515,  # about 112 boys per 100 girls at birth
    )
    return age, is_male


def _names(
    rng: np.random.Generator, h: _Households, relation: IntArray, is_male: BoolArray
) -> tuple[IntArray, IntArray, IntArray]:
    """Codes of first name, patronymic and last name (see `WordLists`)."""
    words = word_lists()
    total, n_households = relation.size, h.size.size
    males, females = words.male_first, len(words.first_names) - words.male_first
    first = np.where(
        is_male, rng.integers(0, males, total), males + rng.integers(0, females, total)
    )
    # A family surname per household; wives and mothers keep theirs half the time.
    family = rng.integers(0, words.surnames, n_households)[h.hh]
    maiden = rng.integers(0, words.surnames, total)
    own = np.isin(relation, [SPOUSE, PARENT]) & ~is_male & (rng.random(total) < 0.5)
    surname = np.where(own | (relation == OTHER), maiden, family)
    last = surname + np.where(is_male, 0, words.surnames)
    # Patronymic: the father's first name + oğlu (son) / qızı (daughter).
    head_father = rng.integers(0, males, n_households)
    spouse_first = first[np.minimum(h.start + 1, total - 1)]
    family_father = np.where(
        h.head_male, first[h.start], np.where(h.has_spouse, spouse_first, head_father)
    )
    father = np.select(
        [relation == CHILD, (relation == HEAD) | (relation == SIBLING)],
        [family_father[h.hh], head_father[h.hh]],
        default=rng.integers(0, males, total),
    )
    patronymic = father + np.where(is_male, 0, males)
    return first, patronymic, last


def _addresses(rng: np.random.Generator, households: int) -> tuple[IntArray, pl.Series]:
    shares = np.array(list(REGION_SHARES.values()))
    region = rng.choice(len(REGIONS), size=households, p=shares / shares.sum())
    towns = [town for r in REGIONS for town in REGION_TOWNS[r]]
    first_town = np.cumsum([0] + [len(REGION_TOWNS[r]) for r in REGIONS])
    count = np.diff(first_town)[region]
    town = first_town[region] + (rng.random(households) * count).astype(np.int64)
    street = rng.integers(0, len(word_lists().streets), households)
    frame = pl.DataFrame(
        {
            "town": pl.Series(towns).gather(town),
            "street": word_lists().streets.gather(street),
            "b": rng.integers(1, 180, households),
            "f": rng.integers(1, 120, households),
            "x": rng.random(households) < 0.6,
        }
    )
    address = frame.select(
        pl.concat_str(
            pl.col("town"),
            pl.lit(", "),
            pl.col("street"),
            pl.lit(" küç., ev "),
            pl.col("b").cast(pl.String),
            pl.when(pl.col("x"))
            .then(pl.lit(", mənzil ") + pl.col("f").cast(pl.String))
            .otherwise(pl.lit("")),
        ).alias("address")
    ).to_series()
    return region, address


def people_block(rng: np.random.Generator, *, households: int, as_of: datetime.date) -> PeopleBlock:
    h = _households(rng, households)
    relation = _relations(rng, h)
    age, is_male = _ages_and_sexes(rng, h, relation)
    first, patronymic, last = _names(rng, h, relation, is_male)
    region, address = _addresses(rng, households)
    total = relation.size
    as_of_day = _days(as_of)
    age_days = np.floor(age * YEAR).astype(np.int64)
    birth_day = as_of_day - age_days

    # Life events: about 1 % have died, mostly the old.
    weight = np.exp(age / 12.0)
    died = rng.random(total) < 0.01 * weight * total / weight.sum()
    days_dead = (rng.random(total) * np.minimum(age_days, 5 * 365)).astype(np.int64)
    alive_adult = (age >= 18) & ~died
    moved_in = as_of_day - (rng.random(total) * 25 * YEAR).astype(np.int64)
    joined_day = np.where(
        np.isin(relation, [CHILD, GRANDCHILD]),
        birth_day,
        np.maximum(birth_day + int(18 * YEAR), moved_in),
    )
    card_day, previous_card_day, previous_lost = _cards(
        rng, age=age, birth_day=birth_day, as_of_day=as_of_day
    )
    return PeopleBlock(
        household_region=region,
        household_address=address,
        household_of=h.hh,
        relation=relation,
        is_male=is_male,
        birth_day=birth_day,
        died_day=np.where(died, as_of_day - days_dead, -1),
        first_name=first,
        patronymic=patronymic,
        last_name=last,
        language=rng.choice(len(LANGUAGES), size=total, p=np.array(list(LANGUAGE_P.values()))),
        has_phone=alive_adult & (rng.random(total) < 0.85),
        has_email=alive_adult & (rng.random(total) < 0.22),
        joined_day=np.minimum(np.maximum(joined_day, birth_day), as_of_day),
        card_day=card_day,
        previous_card_day=previous_card_day,
        previous_card_lost=previous_lost,
    )


def _cards(
    rng: np.random.Generator,
    *,
    age: npt.NDArray[np.float64],
    birth_day: IntArray,
    as_of_day: int,
) -> tuple[IntArray, IntArray, BoolArray]:
    """Issue days of the current and the previous identity card (-1 where there is none).

    Cards are mandatory from 15 and valid 10 years; about 4 % of holders let theirs expire, and
    most people over 65 still carry the unlimited card they got at 55 or later.
    """
    total = age.size
    r = rng.random(total)
    fifteen = birth_day + 15 * 365 + 4  # on or after the 15th birthday, leap days or not
    ten_years = int(10 * YEAR)
    recent = as_of_day - (r * ten_years).astype(np.int64)
    lapsed = as_of_day - ten_years - 1 - (r * 4 * YEAR).astype(np.int64)
    late_life = birth_day + ((55 + r * np.clip(age - 55, 0, None)) * YEAR).astype(np.int64)
    kind = rng.random(total)
    card = np.where(kind < 0.04, lapsed, np.where((age >= 65) & (kind < 0.64), late_life, recent))
    card = np.clip(card, fifteen, as_of_day)
    card = np.where(age >= 15, card, -1)
    previous = card - ten_years
    has_previous = (card >= 0) & (previous >= fifteen) & (rng.random(total) < 0.25)
    previous = np.where(has_previous, previous, -1)
    lost = has_previous & (rng.random(total) < 0.08)
    return card, previous, lost


# --- From blocks to rows --------------------------------------------------------------------
@dataclass
class Counters:
    """Where each running index starts: after the rows already in the database."""

    person: int = 0
    household: int = 0
    membership: int = 0
    document: int = 0
    old_card: int = 0
    biometric_card: int = 0
    employer: int = 0


@dataclass
class Frames:
    persons: pl.DataFrame
    households: pl.DataFrame
    memberships: pl.DataFrame
    documents: pl.DataFrame

    def __len__(self) -> int:
        return self.persons.height


def _date_series(name: str, days: IntArray) -> pl.Series:
    return pl.Series(name, days, dtype=pl.Int32).cast(pl.Date)


def _nullable_days(name: str, days: IntArray) -> pl.Series:
    """Dates from day numbers, null where the number is negative."""
    return (
        pl.DataFrame({"d": days})
        .select(
            pl.when(pl.col("d") >= 0).then(pl.col("d")).cast(pl.Int32).cast(pl.Date).alias(name)
        )
        .to_series()
    )


def block_frames(
    block: PeopleBlock, *, counters: Counters, limit: int, as_of: datetime.date
) -> Frames:
    """Rows for the first `limit` people of `block`, with identifiers from `counters`.

    Advances `counters` past the rows returned.
    """
    words = word_lists()
    n = min(limit, len(block))
    households = int(block.household_of[n - 1]) + 1 if n else 0
    person_index = counters.person + np.arange(n, dtype=np.int64)
    person_id = person_index + 1
    of = block.household_of[:n]
    phone_index = PHONE_PERMUTATION(person_index)
    persons = pl.DataFrame(
        {
            "id": person_id,
            "fin": encode(FIN_PERMUTATION(person_index), alphabet=FIN_ALPHABET, width=7),
            "last_name": words.last_names.gather(block.last_name[:n]),
            "first_name": words.first_names.gather(block.first_name[:n]),
            "patronymic": words.patronymics.gather(block.patronymic[:n]),
            "birth_on": _date_series("birth_on", block.birth_day[:n]),
            "sex": _codes(("F", "M"), block.is_male[:n].astype(np.int64)),
            "died_on": _nullable_days("died_on", block.died_day[:n]),
            "region": _codes(REGIONS, block.household_region[of]),
            "address": block.household_address.gather(of),
            "phone_prefix": _codes(PHONE_PREFIXES, phone_index // 10**7),
            "phone": encode(phone_index % 10**7, alphabet=DIGITS, width=7),
            "has_phone": block.has_phone[:n],
            "has_email": block.has_email[:n],
            "preferred_language": _codes(LANGUAGES, block.language[:n]),
        }
    ).with_columns(
        verified_phone=pl.when(pl.col("has_phone")).then(
            pl.concat_str(pl.lit("+994"), pl.col("phone_prefix"), pl.col("phone"))
        ),
        verified_email=pl.when(pl.col("has_email")).then(
            pl.concat_str(
                _ascii(pl.col("first_name")),
                pl.lit("."),
                _ascii(pl.col("last_name")),
                pl.col("id").cast(pl.String),
                pl.lit("@"),
                pl.lit(EMAIL_DOMAINS[0]),
            )
        ),
    )
    persons = persons.select(
        "id", "fin", "last_name", "first_name", "patronymic", "birth_on", "sex", "died_on",
        "region", "address", "verified_phone", "verified_email", "preferred_language",
    )  # fmt: skip
    household_ids = counters.household + 1 + np.arange(households, dtype=np.int64)
    household_frame = pl.DataFrame(
        {
            "id": household_ids,
            "registry_id": encode(household_ids, alphabet=DIGITS, width=10, prefix="HH"),
            "address": block.household_address[:households],
            "region": _codes(REGIONS, block.household_region[:households]),
        }
    )
    memberships = pl.DataFrame(
        {
            "id": counters.membership + 1 + np.arange(n, dtype=np.int64),
            "household_id": counters.household + 1 + of,
            "person_id": person_id,
            "relation": _codes(RELATIONS, block.relation[:n]),
            "joined_on": _date_series("joined_on", block.joined_day[:n]),
            "left_on": pl.Series("left_on", [None] * n, dtype=pl.Date),
        }
    )
    documents = _document_frame(block, counters=counters, n=n, person_id=person_id, as_of=as_of)
    counters.person += n
    counters.household += households
    counters.membership += n
    return Frames(persons, household_frame, memberships, documents)


def _codes(values: tuple[str, ...], codes: IntArray) -> pl.Series:
    return pl.Series([str(v) for v in values]).gather(codes)


def _ascii(column: pl.Expr) -> pl.Expr:
    return column.str.replace_many(
        ["Ə", "ə", "İ", "ı", "Ö", "ö", "Ü", "ü", "Ğ", "ğ", "Ş", "ş", "Ç", "ç", " ", "-"],
        ["e", "e", "i", "i", "o", "o", "u", "u", "g", "g", "sh", "sh", "ch", "ch", "", ""],
    ).str.to_lowercase()


def _document_frame(
    block: PeopleBlock, *, counters: Counters, n: int, person_id: IntArray, as_of: datetime.date
) -> pl.DataFrame:
    current = block.card_day[:n]
    previous = block.previous_card_day[:n]
    has_current = current >= 0
    has_previous = previous >= 0
    # Previous cards first, then current ones: ids grow with the issue date within a person.
    issue_day = np.concatenate([previous[has_previous], current[has_current]])
    owner = np.concatenate([person_id[has_previous], person_id[has_current]])
    lost = np.concatenate(
        [block.previous_card_lost[:n][has_previous], np.zeros(int(has_current.sum()), bool)]
    )
    is_previous = np.arange(issue_day.size) < int(has_previous.sum())
    order = np.lexsort((~is_previous, owner))
    issue_day, owner = issue_day[order], owner[order]
    lost, is_previous = lost[order], is_previous[order]
    birth_day = block.birth_day[:n][owner - person_id[0]] if n else owner

    biometric = issue_day >= _days(BIOMETRIC_FROM)
    old_index = counters.old_card + np.cumsum(~biometric) - 1
    bio_index = counters.biometric_card + np.cumsum(biometric) - 1
    old_number = OLD_CARD_PERMUTATION(old_index[~biometric])
    bio_number = BIOMETRIC_CARD_PERMUTATION(bio_index[biometric])
    number = np.zeros(issue_day.size, dtype=np.int64)
    number[~biometric] = old_number
    number[biometric] = bio_number
    age_at_issue = (issue_day - birth_day) / YEAR
    frame = pl.DataFrame(
        {
            "id": counters.document + 1 + np.arange(issue_day.size, dtype=np.int64),
            "person_id": owner,
            "biometric": biometric,
            "n": number,
            "issued_on": _date_series("issued_on", issue_day),
            "unlimited": age_at_issue >= 55,
            "is_previous": is_previous,
            "lost": lost,
        }
    )
    is_bio = pl.col("biometric")
    frame = frame.with_columns(
        generation=pl.when(is_bio)
        .then(pl.lit(DocumentGeneration.BIOMETRIC_ID_CARD.value))
        .otherwise(pl.lit(DocumentGeneration.OLD_ID_CARD.value)),
        number=pl.when(is_bio)
        .then(pl.concat_str(pl.lit("AA"), pl.col("n").cast(pl.String).str.zfill(7)))
        .otherwise(pl.concat_str(pl.lit("AZE"), pl.col("n").cast(pl.String).str.zfill(8))),
        expires_on=pl.when(~pl.col("unlimited")).then(pl.col("issued_on").dt.offset_by("10y")),
    )
    frame = frame.with_columns(
        status=pl.when(pl.col("lost"))
        .then(pl.lit(DocumentStatus.LOST.value))
        .when(pl.col("is_previous"))
        .then(pl.lit(DocumentStatus.REPLACED.value))
        .when(pl.col("expires_on") < as_of)
        .then(pl.lit(DocumentStatus.EXPIRED.value))
        .otherwise(pl.lit(DocumentStatus.VALID.value))
    ).select("id", "person_id", "generation", "number", "issued_on", "expires_on", "status")
    counters.document += issue_day.size
    counters.old_card += int((~biometric).sum())
    counters.biometric_card += int(biometric.sum())
    return frame


def block_households(block_no: int) -> int:
    """Households in block `block_no`: small first blocks keep a demo of 3,000 people quick."""
    return min(BLOCK_HOUSEHOLDS, 256 << block_no)


def people_frames(
    *, people: int, seed: int, as_of: datetime.date, counters: Counters, batch_size: int
) -> Iterator[Frames]:
    """Frames of about `batch_size` people each, `people` in all."""
    remaining = people
    block_no = 0
    pending: list[Frames] = []
    pending_rows = 0
    while remaining > 0:
        block = people_block(
            _rng(seed, block_no), households=block_households(block_no), as_of=as_of
        )
        frames = block_frames(block, counters=counters, limit=remaining, as_of=as_of)
        remaining -= len(frames)
        block_no += 1
        pending.append(frames)
        pending_rows += len(frames)
        if pending_rows >= batch_size or remaining == 0:
            yield Frames(
                pl.concat([f.persons for f in pending]),
                pl.concat([f.households for f in pending]),
                pl.concat([f.memberships for f in pending]),
                pl.concat([f.documents for f in pending]),
            )
            pending, pending_rows = [], 0


# --- Employers ------------------------------------------------------------------------------
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
            "activity": _codes(
                EMPLOYER_ACTIVITIES, rng.integers(0, len(EMPLOYER_ACTIVITIES), count)
            ),
            "suffix": _codes(tuple(LEGAL_FORM_SUFFIX[f] for f in forms), form),
            "sole": sole,
            "legal_form": _codes(tuple(f.value for f in forms), form),
            "region": _codes(
                REGIONS, rng.choice(len(REGIONS), size=count, p=shares / shares.sum())
            ),
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


EMPLOYER_STREAM = 1_000_000_007
EMPLOYER_BLOCK = 8192


def employer_frames(*, people: int, seed: int, counters: Counters) -> Iterator[pl.DataFrame]:
    """One employer for every `PEOPLE_PER_EMPLOYER` people, in deterministic blocks."""
    total = max(1, people // PEOPLE_PER_EMPLOYER)
    done = 0
    block_no = 0
    while done < total:
        count = min(EMPLOYER_BLOCK, total - done)
        yield employer_frame(_rng(seed, EMPLOYER_STREAM, block_no), count=count, counters=counters)
        done += count
        block_no += 1


@dataclass
class Writer:
    """Writes frames into the registry tables of one database connection."""

    using: str
    created_at: datetime.datetime

    @property
    def vendor(self) -> str:
        return str(connections[self.using].vendor)

    def _stamp(self, frame: pl.DataFrame, *, timestamps: bool) -> pl.DataFrame:
        if not timestamps:
            return frame
        if self.vendor == "postgresql":
            stamp = self.created_at.isoformat()
        else:
            stamp = self.created_at.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
        return frame.with_columns(created_at=pl.lit(stamp), updated_at=pl.lit(stamp))

    def write(self, table: str, frame: pl.DataFrame, *, timestamps: bool = True) -> None:
        frame = self._stamp(frame, timestamps=timestamps)
        if frame.height == 0:
            return
        columns = ", ".join(f'"{c}"' for c in frame.columns)
        connection = connections[self.using]
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                data = frame.write_csv(include_header=False, null_value="")
                sql = f'COPY "{table}" ({columns}) FROM STDIN (FORMAT csv)'
                with cursor.cursor.copy(sql) as copy:
                    copy.write(data)
            else:
                placeholders = ", ".join(["%s"] * frame.width)
                rows = frame.with_columns(pl.col(pl.Date).cast(pl.String)).rows()
                cursor.executemany(
                    f'INSERT INTO "{table}" ({columns}) VALUES ({placeholders})',  # noqa: S608
                    rows,
                )

    def write_people(self, frames: Frames) -> None:
        with transaction.atomic(using=self.using):
            self.write_parents(frames)
            self.write_children(frames)

    def write_parents(self, frames: Frames) -> None:
        with transaction.atomic(using=self.using):
            self.write(Person._meta.db_table, frames.persons)
            self.write(Household._meta.db_table, frames.households)

    def write_children(self, frames: Frames) -> None:
        with transaction.atomic(using=self.using):
            self.write(IdentityDocument._meta.db_table, frames.documents)
            self.write(HouseholdMembership._meta.db_table, frames.memberships, timestamps=False)

    def write_employers(self, frame: pl.DataFrame) -> None:
        with transaction.atomic(using=self.using):
            self.write(Employer._meta.db_table, frame)

    def finish(self) -> None:
        """Move the id sequences past the ids written; refresh the planner's statistics."""
        connection = connections[self.using]
        models = [Person, Household, IdentityDocument, HouseholdMembership, Employer]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
            if self.vendor == "postgresql":
                for model in models:
                    cursor.execute(f'ANALYZE "{model._meta.db_table}"')


BULK_TABLES = (
    Person._meta.db_table,
    Household._meta.db_table,
    IdentityDocument._meta.db_table,
    HouseholdMembership._meta.db_table,
    Employer._meta.db_table,
)


@contextmanager
def constraints_deferred_to_the_end(*, using: str) -> Iterator[None]:
    """PostgreSQL bulk load into empty tables: build indexes and check foreign keys once, at the end.

    Inserting into a B-tree row by row (random FİNs, document numbers) and checking a foreign key
    per row by trigger cost far more than one sorted index build and one set-based validation —
    the technique pg_restore uses. Secondary indexes, unique and foreign-key constraints of the
    registry tables are dropped here and recreated from their exact catalogue definitions on
    exit, so the schema afterwards is identical; rebuilding is part of the measured load time.
    Primary keys and check constraints stay. Only for tables that start empty.
    """
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype
            FROM pg_constraint c
            WHERE c.conrelid::regclass::text = ANY(%s) AND c.contype IN ('f', 'u')
            ORDER BY c.contype
            """,
            [list(BULK_TABLES)],
        )
        constraints = cursor.fetchall()  # foreign keys ('f') sort before unique ('u')
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            """,
            [list(BULK_TABLES)],
        )
        indexes = cursor.fetchall()
        for table, name, _definition, _kind in constraints:
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for _name, definition in indexes:
                cursor.execute(definition)
            for table, name, definition, _kind in reversed(constraints):  # unique, then FKs
                cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')


def counters_after_existing(*, using: str) -> Counters:
    """Running indexes that continue after the rows already in the database (for --append)."""

    def next_after(
        model: type[Person]
        | type[Household]
        | type[HouseholdMembership]
        | type[IdentityDocument]
        | type[Employer],
    ) -> int:
        last = model.objects.using(using).order_by("-id").values_list("id", flat=True).first()
        return int(last or 0)

    documents = IdentityDocument.objects.using(using)
    return Counters(
        person=next_after(Person),
        household=next_after(Household),
        membership=next_after(HouseholdMembership),
        document=next_after(IdentityDocument),
        old_card=documents.filter(generation=DocumentGeneration.OLD_ID_CARD).count(),
        biometric_card=documents.filter(generation=DocumentGeneration.BIOMETRIC_ID_CARD).count(),
        employer=next_after(Employer),
    )


def _write_pipelined(
    writer: Writer, batches: Iterator[Frames], *, progress: Callable[[int], object] | None
) -> None:
    """Overlap generation, parent rows and child rows on PostgreSQL (three threads).

    Batch k's persons and households commit on one connection while batch k-1's documents and
    memberships commit on another and batch k+1 is generated; a child batch starts only after
    its parents committed, so every foreign key is satisfied. At most two batches are in flight.
    """

    def parents_then_children(parent: Future[None], frames: Frames) -> int:
        parent.result()
        writer.write_children(frames)
        return len(frames)

    def report(done: Future[int]) -> None:
        people = done.result()
        if progress:
            progress(people)

    in_flight: deque[Future[int]] = deque()
    parents = ThreadPoolExecutor(1, thread_name_prefix="registry-parents")
    children = ThreadPoolExecutor(1, thread_name_prefix="registry-children")
    try:
        for frames in batches:
            parent = parents.submit(writer.write_parents, frames)
            in_flight.append(children.submit(parents_then_children, parent, frames))
            while len(in_flight) > 2:
                report(in_flight.popleft())
        while in_flight:
            report(in_flight.popleft())
    finally:
        for pool in (parents, children):
            # Each worker closes its own thread's connection before the pool shuts down.
            pool.submit(connections.close_all).result()
            pool.shutdown(cancel_futures=True)


@dataclass(frozen=True)
class GenerateResult:
    people: int
    households: int
    documents: int
    employers: int


def registry_generate(
    *,
    people: int,
    seed: int,
    as_of: datetime.date,
    batch_size: int = DEFAULT_BATCH_SIZE,
    append: bool = False,
    using: str = "default",
    progress: Callable[[int], object] | None = None,
) -> GenerateResult:
    """Generate `people` synthetic people (with households and documents) and employers.

    Refuses (GeneratorError) to write into a registry that already has people unless `append`,
    which continues every identifier after the existing rows. `progress(n)` is called after each
    batch with the number of people written.
    """
    if people <= 0:
        raise GeneratorError("the number of people must be positive")
    if batch_size <= 0:
        raise GeneratorError("the batch size must be positive")
    existing = Person.objects.using(using).exists()
    if existing and not append:
        raise GeneratorError(
            "the registry already holds people; generate into an empty database, "
            "or pass --append to add more after them"
        )
    counters = counters_after_existing(using=using) if existing else Counters()
    start = Counters(**counters.__dict__)
    writer = Writer(using=using, created_at=datetime.datetime.now(tz=datetime.UTC))
    batches = people_frames(
        people=people, seed=seed, as_of=as_of, counters=counters, batch_size=batch_size
    )
    connection = connections[using]
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        bulk = constraints_deferred_to_the_end(using=using) if not existing else nullcontext()
        with bulk:
            _write_pipelined(writer, batches, progress=progress)
            for frame in employer_frames(people=people, seed=seed, counters=counters):
                writer.write_employers(frame)
    else:
        for frames in batches:
            writer.write_people(frames)
            if progress:
                progress(len(frames))
        for frame in employer_frames(people=people, seed=seed, counters=counters):
            writer.write_employers(frame)
    writer.finish()
    return GenerateResult(
        people=counters.person - start.person,
        households=counters.household - start.household,
        documents=counters.document - start.document,
        employers=counters.employer - start.employer,
    )
