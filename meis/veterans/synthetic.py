"""Synthetic veterans' registers for an existing registry, vectorised and written with COPY.

Deterministic for a seed. About 2.9 % of the living registry holds a status (docs/domain.md §5:
299 300 Presidential-stipend holders on 1 January 2022 in a country of about 10 M): war-disabled
1.2 % (degrees I / II / III as 2 / 3 / 5 in 10), 20 January disabled 0.05 %, martyrs' families
1.55 %, and a few hundred WWII veterans, National Heroes and Patriotic War Heroes per 10 M. One
in twenty war-disabled is also a martyr's family member (the stipend pays the higher). A martyr's
family member is linked to the next person of the registry, as a stand-in for the martyr.
People who already hold a status are skipped, so a second run adds nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np
import polars as pl
from django.db import connection, transaction

from meis.core import bulk

BATCH = 500_000
EPOCH = datetime.date(1970, 1, 1)
# Shares per 100 000 people, in the order the uniform draw is cut.
SHARES = (
    ("war_disabled", 1200),
    ("january_20_disabled", 50),
    ("martyr_family", 1550),
    ("wwii_veteran", 3),
    ("national_hero", 2),
    ("patriotic_war_hero", 1),
)
AUTHORITY = {
    "war_disabled": "defence",
    "january_20_disabled": "labour",
    "martyr_family": "labour",
    "wwii_veteran": "veterans_council",
    "national_hero": "president",
    "patriotic_war_hero": "president",
}
DISABLED = ("war_disabled", "january_20_disabled")


@dataclass(frozen=True)
class VeteransResult:
    statuses: int


def veterans_generate(*, seed: int, on: datetime.date) -> VeteransResult:
    """Statuses for the living people of the registry who hold none yet."""
    low, high = _bounds()
    written = 0
    for start in range(low, high + 1, BATCH):
        with transaction.atomic():
            people = bulk.frame_read(
                """SELECT p.id FROM registry_person p
                   WHERE p.id >= %s AND p.id < %s AND p.died_on IS NULL
                     AND NOT EXISTS (SELECT 1 FROM veterans_stipendstatus s
                                     WHERE s.person_id = p.id)
                   ORDER BY p.id""",
                [start, start + BATCH],
                {"id": pl.Int64()},
            )
            statuses = statuses_frame(people["id"], seed=seed, on=on, high=high)
            bulk.frame_write("veterans_stipendstatus", statuses)
            written += statuses.height
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute('ANALYZE "veterans_stipendstatus"')
    return VeteransResult(written)


def _draw(ids: np.ndarray, seed: int, salt: int, size: int) -> np.ndarray:
    """A person's own pseudo-random number in [0, size): the same for a person and seed
    whichever batch reads them, so a second run draws nothing new for those left without."""
    mixed = (ids.astype(np.uint64) + np.uint64(seed * 1_000_003 + salt)) * np.uint64(
        0x9E3779B97F4A7C15
    )
    mixed ^= mixed >> np.uint64(29)
    mixed *= np.uint64(0xBF58476D1CE4E5B9)
    mixed ^= mixed >> np.uint64(32)
    return (mixed % np.uint64(size)).astype(np.int64)


def statuses_frame(ids: pl.Series, *, seed: int, on: datetime.date, high: int) -> pl.DataFrame:
    """The statuses of a batch of people: one draw per person, cut by `SHARES`."""
    numbers = ids.to_numpy()
    draw = _draw(numbers, seed, 1, 100_000)
    category = np.full(len(ids), "", dtype=object)
    edge = 0
    for name, share in SHARES:
        category[(draw >= edge) & (draw < edge + share)] = name
        edge += share
    people = pl.DataFrame(
        {"person_id": ids, "category": category, "u": _draw(numbers, seed, 2, 1000) / 1000}
    )
    chosen = people.filter(pl.col("category") != "")
    # A few war-disabled are also a martyr's family member: a second status.
    both = chosen.filter((pl.col("category") == "war_disabled") & (pl.col("u") < 0.05))
    rows = pl.concat([chosen, both.with_columns(category=pl.lit("martyr_family"))])
    days = _draw(rows["person_id"].to_numpy(), seed, 3, 20 * 365) + 1
    recorded = (on - EPOCH).days - days
    is_disabled = pl.col("category").is_in(DISABLED)
    return rows.select(
        "person_id",
        "category",
        degree=pl.when(is_disabled)
        .then(
            pl.when(pl.col("u") < 0.2)
            .then(pl.lit("I"))
            .when(pl.col("u") < 0.5)
            .then(pl.lit("II"))
            .otherwise(pl.lit("III"))
        )
        .otherwise(pl.lit("")),
        martyr_id=pl.when(pl.col("category") == "martyr_family")
        .then(pl.when(pl.col("person_id") < high).then(pl.col("person_id") + 1))
        .otherwise(None),
        authority=pl.col("category").replace_strict(AUTHORITY, return_dtype=pl.String),
        recorded_on=pl.Series(recorded, dtype=pl.Int32).cast(pl.Date),
        document_number=pl.format(
            "VS-{}-{}", pl.col("category").str.slice(0, 3), pl.col("person_id")
        ),
    )


def _bounds() -> tuple[int, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT MIN(id), MAX(id) FROM registry_person")
        low, high = cursor.fetchone()
    return int(low or 0), int(high or -1)
