"""Households: their sizes, heads, spouses and other members' relations, regions and addresses.

The demography is a rough picture of Azerbaijan in 2020 (docs/domain.md §12): households of 1–9
people with a mean near 4.3, spread over the economic regions by their population shares.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from meis.registry.models import Region, Relation

from .base import BoolArray, FloatArray, IntArray
from .words import word_lists

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
REGIONS = tuple(REGION_SHARES)

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


def _head_ages(rng: np.random.Generator, size: IntArray) -> FloatArray:
    """Age of the head of household: younger for families with children, older when alone."""
    n = size.size
    family = 26 + rng.gamma(shape=4.5, scale=5.6, size=n)
    alone = np.where(rng.random(n) < 0.55, 62 + rng.gamma(2.0, 6.0, n), 22 + rng.gamma(2, 6, n))
    return np.clip(np.where(size == 1, alone, family), 18, 99)


@dataclass
class Households:
    """The households of one block: one entry per household, or per person where noted."""

    size: IntArray
    start: IntArray
    hh: IntArray  # per person: household index
    slot: IntArray  # per person: position in the household, 0 = head
    head_age: FloatArray
    head_male: BoolArray
    has_spouse: BoolArray


def draw_households(rng: np.random.Generator, households: int) -> Households:
    size = rng.choice(np.arange(1, 10), size=households, p=HOUSEHOLD_SIZE_P)
    start = np.concatenate([[0], np.cumsum(size)[:-1]])
    hh = np.repeat(np.arange(households), size)
    head_age = _head_ages(rng, size)
    has_spouse = (size >= 2) & (rng.random(households) < 0.82)
    # Couples are mostly headed by the husband; lone parents and the old living alone are
    # mostly women.
    male_p = np.where(has_spouse, 0.85, np.where(size == 1, 0.45, 0.4))
    return Households(
        size=size,
        start=start,
        hh=hh,
        slot=np.arange(hh.size) - start[hh],
        head_age=head_age,
        head_male=rng.random(households) < male_p,
        has_spouse=has_spouse,
    )


def draw_relations(rng: np.random.Generator, h: Households) -> IntArray:
    """Each member's relation to the head, as an index into `RELATIONS`."""
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


def draw_addresses(rng: np.random.Generator, households: int) -> tuple[IntArray, pl.Series]:
    """Each household's region (an index into `REGIONS`) and street address in one of its towns."""
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
