"""Rows: blocks of people become the frames of the registry tables, with their identifiers.

Persons (with FİN, phone and e-mail), households, memberships and identity documents (old `AZE`
and biometric `AA` cards), batch by batch. `people_frames` draws block *k* from stream
(seed, *k*), so the same seed and `as_of` give the same rows whatever the batch size.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import polars as pl

from meis.core.identifiers import FIN_ALPHABET, DocumentGeneration
from meis.registry.models import DocumentStatus

from .base import YEAR, IntArray, day_number, random_stream
from .households import REGIONS, RELATIONS
from .identifiers import (
    BIOMETRIC_CARD_PERMUTATION,
    DIGITS,
    FIN_PERMUTATION,
    OLD_CARD_PERMUTATION,
    PHONE_PERMUTATION,
    PHONE_PREFIXES,
    Counters,
    encode,
)
from .people import LANGUAGES, PeopleBlock, block_households, people_block
from .words import codes, word_lists

BIOMETRIC_FROM = datetime.date(2018, 9, 1)
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")


@dataclass
class Frames:
    """One batch of rows for the person, household, membership and identity document tables."""

    persons: pl.DataFrame
    households: pl.DataFrame
    memberships: pl.DataFrame
    documents: pl.DataFrame

    def __len__(self) -> int:
        return self.persons.height


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
            random_stream(seed, block_no), households=block_households(block_no), as_of=as_of
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
            "sex": codes(("F", "M"), block.is_male[:n].astype(np.int64)),
            "died_on": _nullable_days("died_on", block.died_day[:n]),
            "region": codes(REGIONS, block.household_region[of]),
            "address": block.household_address.gather(of),
            "phone_prefix": codes(PHONE_PREFIXES, phone_index // 10**7),
            "phone": encode(phone_index % 10**7, alphabet=DIGITS, width=7),
            "has_phone": block.has_phone[:n],
            "has_email": block.has_email[:n],
            "preferred_language": codes(LANGUAGES, block.language[:n]),
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
            "region": codes(REGIONS, block.household_region[:households]),
        }
    )
    memberships = pl.DataFrame(
        {
            "id": counters.membership + 1 + np.arange(n, dtype=np.int64),
            "household_id": counters.household + 1 + of,
            "person_id": person_id,
            "relation": codes(RELATIONS, block.relation[:n]),
            "joined_on": _date_series("joined_on", block.joined_day[:n]),
            "left_on": pl.Series("left_on", [None] * n, dtype=pl.Date),
        }
    )
    documents = _document_frame(block, counters=counters, n=n, person_id=person_id, as_of=as_of)
    counters.person += n
    counters.household += households
    counters.membership += n
    return Frames(persons, household_frame, memberships, documents)


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

    biometric = issue_day >= day_number(BIOMETRIC_FROM)
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
