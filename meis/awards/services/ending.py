"""The daily end of awards by law, set-based: deaths, continued disability, due ends, reminders.

    report = awards_end_due(on=today)   # the scheduler's `awards.daily` (hourly; safe to run twice)

In one transaction, each step one statement over every award it concerns (no per-award Python,
so the cost at 10 million people is a few index look-ups and one scan of the dead):

1. **Deaths.** Every held award of a person whose death the registry records ends from the 1st
   of the following month: its last day is the last of the month of death (never before it
   starts), reason `death`. No letter: nothing more is sent to the person (the outbox refuses
   too, `meis.notifications.services.delivery`).
2. **A newer disability decision continues** a disability-based award: its end moves to the eve
   of the newest decision's re-examination date plus the grace (`disability.reexamination_grace_months`,
   docs/domain.md §4; none: it no longer ends). An award in its grace (past the re-examination
   date, before its end) is still held, so a decision then simply continues it; once it has
   ended, a newer decision is the proactive run's (a new award from the decision's date). Awards due today and
   awards of people decided in the last `RECENT_DECISION_DAYS` are looked at.
3. **Due ends.** Held awards whose last day has passed end, one UPDATE per reason (`term`,
   `reexamination`, `age_limit`, or the decision's own date), each re-checking the award is
   still held and due; a letter goes to the person, or for a minor's award to the parents the
   birth record names (none for an end older than `LETTER_WINDOW_DAYS`).
4. **Renewal reminders.** A renewable award ending within `renewal_reminder_days` gets its
   reminder once (`renewal_reminded_on` is set by the same UPDATE that selects it), linking to
   an application pre-filled from the last one.

Letters are written as one frame (`meis.notifications.services.bulk.messages_frame`, COPY on
PostgreSQL), like a proactive full run's: queued, the outbox sweep enqueues them. A second run
finds nothing to change: every step's WHERE excludes what the first one did.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.db import connection, transaction

from meis.audit.services import audit_record
from meis.awards.models import DISABILITY_KINDS, RENEWABLE_KINDS, AwardEndReason, AwardKind
from meis.awards.services.letters import ended_letters_write, reminder_letters_write
from meis.awards.services.lifecycle import (
    reason_at_end,
    reexamination_grace_months,
    reminder_days,
)
from meis.core import bulk

# A decision registered this many days after its date still continues an award before it is due.
RECENT_DECISION_DAYS = 31
# An award whose last day is older than this when it is ended (the end dates given to old awards
# by migration 0004, or a job stopped for weeks) ends without a letter: news that old misleads.
LETTER_WINDOW_DAYS = 31
_HELD = "('active', 'suspended')"


@dataclass(frozen=True)
class Dialect:
    """The few date expressions PostgreSQL and SQLite spell differently."""

    month_end: str  # the last day of the month of p.died_on
    greatest: str
    least: str
    day_before_reexamination: str  # of d.reexamine_on + {grace} months (clamped), minus a day


POSTGRESQL = Dialect(
    month_end="(date_trunc('month', p.died_on) + interval '1 month - 1 day')::date",
    greatest="GREATEST",
    least="LEAST",
    # date + interval clamps a missing day to the month's end
    day_before_reexamination="((d.reexamine_on + interval '{grace} months')::date - 1)",
)
SQLITE = Dialect(
    month_end="date(p.died_on, 'start of month', '+1 month', '-1 day')",
    greatest="MAX",
    least="MIN",
    # SQLite's '+N months' overflows into the next month: clamp to the target month's last day
    day_before_reexamination=(
        "date(MIN(date(d.reexamine_on, '+{grace} months'),"
        " date(d.reexamine_on, 'start of month', '+{grace} months', '+1 month', '-1 day')),"
        " '-1 day')"
    ),
)

_DEATHS_SQL = """
UPDATE awards_award SET status = 'ended', end_reason = 'death',
    end_on = {greatest}(awards_award.start_on,
                        {least}(COALESCE(awards_award.end_on, {month_end}), {month_end}))
FROM registry_person p
WHERE p.id = awards_award.person_id AND p.died_on IS NOT NULL AND p.died_on <= %(on)s
  AND awards_award.status IN {held} AND NOT awards_award.is_one_off
  AND (awards_award.end_on IS NULL OR awards_award.end_on >= p.died_on)
"""

# A decision of the award's kind (a child's for the disabled-child benefit, an adult's for the
# others) taken after the award started and known today.
_NEWER = """d.person_id = awards_award.person_id AND d.decided_on > awards_award.start_on
    AND d.decided_on <= %(on)s
    AND (d.degree = 'child') = (awards_award.kind = 'disabled_child_benefit')"""
_NEWEST_END = """(SELECT {day_before_reexamination} FROM lifeevents_disabilitydecision d
    WHERE {newer} ORDER BY d.decided_on DESC, d.id DESC LIMIT 1)"""
_CONTINUE_SQL = """
UPDATE awards_award SET end_on = {newest_end}
WHERE kind IN {kinds} AND status IN {held} AND end_on IS NOT NULL AND end_reason = ''
  AND (end_on < %(on)s OR person_id IN (
        SELECT person_id FROM lifeevents_disabilitydecision
        WHERE decided_on >= %(recent)s AND decided_on <= %(on)s))
  AND EXISTS (SELECT 1 FROM lifeevents_disabilitydecision d WHERE {newer})
  AND ({newest_end} IS NULL OR {newest_end} <> end_on)
"""

DUE_SCHEMA: dict[str, pl.DataType] = {
    "award_id": pl.Int64(),
    "person_id": pl.Int64(),
    "kind": pl.String(),
    "start_on": pl.Date(),
    "end_on": pl.Date(),
    "end_reason": pl.String(),
    "birth_on": pl.Date(),
}
_DUE_SQL = f"""SELECT w.id, w.person_id, w.kind, w.start_on, w.end_on, w.end_reason, p.birth_on
    FROM awards_award w JOIN registry_person p ON p.id = w.person_id
    WHERE w.status IN {_HELD} AND NOT w.is_one_off AND w.end_on IS NOT NULL
      AND w.end_on < %s"""  # noqa: S608 — constant SQL, values bound
# Parameters: the reason, the ids, the day; only what is still held and due changes.
_END_SQL = f"""UPDATE awards_award SET status = 'ended', end_reason = %s
    WHERE id {{ids}} AND status IN {_HELD} AND end_on < %s RETURNING id"""  # noqa: S608
ENDED_SCHEMA: dict[str, pl.DataType] = {"award_id": pl.Int64()}

REMINDED_SCHEMA: dict[str, pl.DataType] = {
    "award_id": pl.Int64(),
    "person_id": pl.Int64(),
    "kind": pl.String(),
    "end_on": pl.Date(),
}
_REMIND_SQL = """UPDATE awards_award SET renewal_reminded_on = %s
    WHERE kind IN {kinds} AND status = 'active' AND NOT is_one_off
      AND renewal_reminded_on IS NULL AND end_on >= %s AND end_on <= %s
    RETURNING id, person_id, kind, end_on"""


@dataclass
class EndReport:
    """What one run changed (all zero on a second run of the same day)."""

    on: datetime.date
    deaths: int = 0
    continued: int = 0
    ended: dict[str, int] = field(default_factory=dict)
    reminded: int = 0
    letters: int = 0

    @property
    def is_empty(self) -> bool:
        return not (self.deaths or self.continued or self.ended or self.reminded)

    def as_dict(self) -> dict[str, Any]:
        return {
            "on": self.on.isoformat(),
            "deaths": self.deaths,
            "continued": self.continued,
            "ended": dict(self.ended),
            "reminded": self.reminded,
            "letters": self.letters,
        }

    def __str__(self) -> str:
        ended = ", ".join(f"{reason} {n}" for reason, n in sorted(self.ended.items())) or "none"
        return (
            f"awards on {self.on}: ended by death {self.deaths}, continued by a newer decision "
            f"{self.continued}, ended {ended}, reminded {self.reminded}, letters {self.letters}"
        )


def awards_end_due(*, on: datetime.date) -> EndReport:
    """End, continue and remind what the law makes due on `on`; audited when anything changed."""
    report = EndReport(on=on)
    with transaction.atomic():
        if bulk.is_postgresql():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off; SET LOCAL jit = off")
        report.deaths = deaths_end(on=on)
        report.continued = decisions_continue(on=on)
        ended = due_end(on=on)
        report.ended = {str(r): int(n) for r, n in ended.group_by("end_reason").len().rows()}
        reminded = renewals_remind(on=on)
        report.reminded = reminded.height
        recent = ended.filter(pl.col("end_on") >= on - datetime.timedelta(days=LETTER_WINDOW_DAYS))
        report.letters = ended_letters_write(recent, on=on)
        report.letters += reminder_letters_write(reminded, on=on)
        if not report.is_empty:
            audit_record(
                action="awards.end_due",
                actor=None,
                actor_role="system",
                purpose="Daily end of awards by law (deaths, terms, re-examinations, age limits)",
                details=report.as_dict(),
            )
    return report


def _dialect() -> Dialect:
    return POSTGRESQL if bulk.is_postgresql() else SQLITE


def _in(values: frozenset[str]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in sorted(values)) + ")"


def deaths_end(*, on: datetime.date) -> int:
    """Step 1: end every held award of the dead from the month after the death."""
    dialect = _dialect()
    sql = _DEATHS_SQL.format(
        greatest=dialect.greatest, least=dialect.least, month_end=dialect.month_end, held=_HELD
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {"on": on})
        return int(cursor.rowcount)


def decisions_continue(*, on: datetime.date) -> int:
    """Step 2: a newer disability decision moves a disability-based award's end."""
    newer = _NEWER
    grace = reexamination_grace_months(on)  # an integer from the rules store, not input
    newest_end = _NEWEST_END.format(
        day_before_reexamination=_dialect().day_before_reexamination.format(grace=int(grace)),
        newer=newer,
    )
    sql = _CONTINUE_SQL.format(
        newest_end=newest_end, newer=newer, kinds=_in(DISABILITY_KINDS), held=_HELD
    )
    recent = on - datetime.timedelta(days=RECENT_DECISION_DAYS)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"on": on, "recent": recent})
        return int(cursor.rowcount)


def due_end(*, on: datetime.date) -> pl.DataFrame:
    """Step 3: end the held awards whose last day has passed; the rows ended, with the reason."""
    due = bulk.frame_read(_DUE_SQL, [on], DUE_SCHEMA)
    if due.height == 0:
        return due
    due = due.with_columns(end_reason=_reason())
    ended: list[pl.DataFrame] = []
    for (reason,), group in due.group_by("end_reason"):
        changed = _ids_update(_END_SQL, group["award_id"].to_list(), before=[reason], after=[on])
        ended.append(group.join(changed, on="award_id", how="semi"))
    return pl.concat(ended, how="vertical")


def _reason() -> pl.Expr:
    """A decision's own end keeps its reason; otherwise the law's, kind by kind."""
    by_law: pl.Expr = pl.lit(AwardEndReason.DECISION.value)
    for kind in AwardKind.values:
        by_law = pl.when(pl.col("kind") == kind).then(reason_at_end(kind)).otherwise(by_law)
    return pl.when(pl.col("end_reason") != "").then(pl.col("end_reason")).otherwise(by_law)


def _ids_update(
    sql: str, ids: list[int], *, before: list[object], after: list[object]
) -> pl.DataFrame:
    """Run an `UPDATE … WHERE id {ids} … RETURNING id` over `ids` (SQLite: 10,000 at a time)."""
    if bulk.is_postgresql():
        return bulk.frame_read(sql.format(ids="= ANY(%s)"), [*before, ids, *after], ENDED_SCHEMA)
    parts = [ids[i : i + 10_000] for i in range(0, len(ids), 10_000)]
    return pl.concat(
        [
            bulk.frame_read(
                sql.format(ids=f"IN ({', '.join(['%s'] * len(part))})"),
                [*before, *part, *after],
                ENDED_SCHEMA,
            )
            for part in parts
        ],
        how="vertical",
    )


def renewals_remind(*, on: datetime.date) -> pl.DataFrame:
    """Step 4: mark (once) and return the renewable awards ending within the reminder days."""
    until = on + datetime.timedelta(days=reminder_days(on))
    sql = _REMIND_SQL.format(kinds=_in(RENEWABLE_KINDS))
    return bulk.frame_read(sql, [on, on, until], REMINDED_SCHEMA)
