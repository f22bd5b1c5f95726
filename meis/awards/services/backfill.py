"""End dates for awards granted before they had one (data migration 0004), by the same rule.

Held awards of a kind the law ends (targeted assistance, disability-based awards, the benefit for
a child under 1) without an end date get the one `award_grant` would have given them: the
facts are read in one query (the recipient's birth date, the re-examination date of their
latest decision of the award's kind on or before its start), the rule (`lifecycle.end_by_law`)
runs over the frame kind by kind, and the dates are written in one statement (PostgreSQL: COPY
into a temporary table and one UPDATE). The daily job then ends those already due.

One pass over the awards concerned (about 0.7 million at 10 million people), run once.
"""

from __future__ import annotations

import polars as pl
from django.db import connection, transaction

from meis.awards.models import DISABILITY_KINDS, RENEWABLE_KINDS, AwardKind
from meis.awards.services.lifecycle import end_by_law
from meis.core import bulk

KINDS = sorted({*RENEWABLE_KINDS, *DISABILITY_KINDS, AwardKind.CHILD_UNDER_ONE_BENEFIT.value})
_SCHEMA: dict[str, pl.DataType] = {
    "award_id": pl.Int64(),
    "kind": pl.String(),
    "start_on": pl.Date(),
    "birth_on": pl.Date(),
    "reexamine_on": pl.Date(),
}
_READ_SQL = """SELECT w.id, w.kind, w.start_on, p.birth_on,
        (SELECT d.reexamine_on FROM lifeevents_disabilitydecision d
         WHERE d.person_id = w.person_id AND d.decided_on <= w.start_on
           AND (d.degree = 'child') = (w.kind = 'disabled_child_benefit')
         ORDER BY d.decided_on DESC, d.id DESC LIMIT 1)
    FROM awards_award w JOIN registry_person p ON p.id = w.person_id
    WHERE w.end_on IS NULL AND NOT w.is_one_off AND w.status IN ('active', 'suspended')
      AND w.kind IN ({kinds})"""


def end_dates_backfill() -> int:
    """Give held awards without an end date the one the law gives them; how many got one."""
    sql = _READ_SQL.format(kinds=", ".join(["%s"] * len(KINDS)))
    awards = bulk.frame_read(sql, KINDS, _SCHEMA).with_columns(born_on=pl.col("start_on"))
    parts = [
        group.select("award_id", "start_on", end_by_law(str(kind)).end_on)
        for (kind,), group in awards.group_by("kind")
    ]
    if not parts:
        return 0
    # An award the law had ended before it started (granted by mistake) ends on its first day.
    ends = (
        pl.concat(parts, how="vertical")
        .drop_nulls("end_on")
        .select("award_id", end_on=pl.max_horizontal("start_on", "end_on"))
    )
    with transaction.atomic():
        _write(ends)
    return ends.height


def _write(ends: pl.DataFrame) -> None:
    with connection.cursor() as cursor:
        if not bulk.is_postgresql():
            cursor.executemany(
                "UPDATE awards_award SET end_on = %s WHERE id = %s",
                [(end_on.isoformat(), award_id) for award_id, end_on in ends.iter_rows()],
            )
            return
        cursor.execute(
            "CREATE TEMPORARY TABLE awards_end_backfill (award_id bigint, end_on date) "
            "ON COMMIT DROP"
        )
        bulk.frame_write("awards_end_backfill", ends)
        cursor.execute(
            "UPDATE awards_award w SET end_on = b.end_on FROM awards_end_backfill b "
            "WHERE w.id = b.award_id"
        )
