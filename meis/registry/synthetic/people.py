"""People: the members of a block of households, before identifiers are given to them.

Ages and sexes follow each member's relation to the head (median age near 32, 49.9 % male),
names follow the family (a household surname, patronymics from the father's first name), about
1 % have died, and identity cards follow the card rules (mandatory from 15, valid 10 years).
Strings are integer codes (`words`, `households`) until the block becomes rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np
import polars as pl

from meis.registry.models import Language

from .base import YEAR, BoolArray, FloatArray, IntArray, day_number
from .households import (
    CHILD,
    GRANDCHILD,
    HEAD,
    OTHER,
    PARENT,
    SIBLING,
    SPOUSE,
    Households,
    draw_addresses,
    draw_households,
    draw_relations,
)
from .words import word_lists

BLOCK_HOUSEHOLDS = 16384
LANGUAGE_P = {Language.AZERBAIJANI: 0.9, Language.RUSSIAN: 0.08, Language.ENGLISH: 0.02}
LANGUAGES = tuple(LANGUAGE_P)


@dataclass
class PeopleBlock:
    """One block of households and their members, before identifiers are assigned.

    Strings are integer codes into `word_lists()`, `REGIONS`, `RELATIONS` and `LANGUAGES`.
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


def block_households(block_no: int) -> int:
    """Households in block `block_no`: small first blocks keep a demo of 3,000 people quick."""
    return min(BLOCK_HOUSEHOLDS, 256 << block_no)


def _ages_and_sexes(
    rng: np.random.Generator, h: Households, relation: IntArray
) -> tuple[FloatArray, BoolArray]:
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
    rng: np.random.Generator, h: Households, relation: IntArray, is_male: BoolArray
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


def people_block(rng: np.random.Generator, *, households: int, as_of: datetime.date) -> PeopleBlock:
    """`households` households and their members, as they stand on `as_of`."""
    h = draw_households(rng, households)
    relation = draw_relations(rng, h)
    age, is_male = _ages_and_sexes(rng, h, relation)
    first, patronymic, last = _names(rng, h, relation, is_male)
    region, address = draw_addresses(rng, households)
    total = relation.size
    as_of_day = day_number(as_of)
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
    age: FloatArray,
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
