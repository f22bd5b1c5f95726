"""Who an award's letter goes to, read set-based: the recipients' names and verified contacts,
and a minor's living parents (the birth record's mother and father).

For the letters the daily end of awards writes (`meis.awards.services.letters`); the grant
letters of a proactive run read the same columns in `meis.proactive.sources`.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from meis.core import bulk

CONTACT_SCHEMA: dict[str, pl.DataType] = {
    "person_id": pl.Int64(),
    "first_name": pl.String(),
    "last_name": pl.String(),
    "preferred_language": pl.String(),
    "verified_phone": pl.String(),
    "verified_email": pl.String(),
    "person_birth_on": pl.Date(),
    "died_on": pl.Date(),
}
_CONTACTS_SQL = """SELECT id, first_name, last_name, preferred_language, verified_phone,
    verified_email, birth_on, died_on FROM registry_person WHERE id {ids}"""

PARENT_SCHEMA: dict[str, pl.DataType] = {
    "child_id": pl.Int64(),
    "person_id": pl.Int64(),
    "first_name": pl.String(),
    "last_name": pl.String(),
    "preferred_language": pl.String(),
    "verified_phone": pl.String(),
    "verified_email": pl.String(),
}
_PARENTS_SQL = """SELECT b.child_id, g.id, g.first_name, g.last_name, g.preferred_language,
        g.verified_phone, g.verified_email
    FROM lifeevents_birth b JOIN registry_person g ON g.id IN (b.mother_id, b.father_id)
    WHERE g.died_on IS NULL AND b.child_id {ids}"""


def contacts_read(person_ids: Sequence[int]) -> pl.DataFrame:
    """One row per person: names, preferred language, verified contacts, birth and death."""
    return bulk.frame_read_ids(_CONTACTS_SQL, list(person_ids), CONTACT_SCHEMA)


def parents_read(child_ids: Sequence[int]) -> pl.DataFrame:
    """One row per (child, living parent) the birth record links."""
    parents = bulk.frame_read_ids(_PARENTS_SQL, list(child_ids), PARENT_SCHEMA)
    return parents.unique(["child_id", "person_id"], maintain_order=True)
