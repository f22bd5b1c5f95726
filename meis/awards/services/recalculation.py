"""Recalculation: new amounts from a date after a parameter change, as a reviewed batch.

    prepared = recalculation_prepare(kind=…, effective_on=…, actor=admin)   # nothing paid changes
    recalculation_approve(recalculation=prepared.recalculation, actor=other_admin)  # applies it
    recalculation_reject(recalculation=…, actor=admin)                     # writes no award

Which facts: each award is re-evaluated with the facts its own decision recorded
(`Award.record["facts"]`), with the rules and parameters in force on `effective_on`. A
parameter recalculation (indexation, a new minimum pension) changes what the parameter changes
and nothing else: the facts that justified the award (for an old-age pension, the pension
capital on the assignment date) stay the legal basis of the amount. New contributions or a
corrected record are a different recalculation, on their own legal ground, with their own
decision. It also works for awards decided on an application, whose facts the registry may not
hold, and it costs no registry read.

Which awards: those of the kind that are active on `effective_on` and started before it (an
award starting on or after that date was decided with the parameters of its own date). An
award the rule would now refuse (e.g. a pension capital above the old minimum but below the
new one) is not withdrawn by a recalculation: it is left unchanged and counted as "for review".

Applying ends each old award the day before `effective_on` (status ended, kept) and inserts
the new award from `effective_on` that `supersedes` it, in one transaction: the old row leaves
the active set before the new one enters it, so the exclusivity constraint holds at every
statement. Applying twice creates nothing: an award already superseded is skipped, and the
unique (person, kind, start_on) constraint is the last guard.

How: set-based, as the proactive full run (a yearly indexation touches most of a kind's
awards: 737,932 old-age pensions in a registry of 10 million). Preparing reads the candidates
with their recorded facts in one query (`meis.awards.selectors.recorded_facts`), evaluates them in one
batch and writes the items with COPY; applying keeps the old awards still to replace in a
temporary table, ends them with one UPDATE and inserts their successors with one INSERT.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection, transaction
from django.db.models import F, Sum
from django.utils import timezone

from meis.audit.services import audit_record
from meis.awards.models import Recalculation, RecalculationItem, RecalculationStatus
from meis.awards.selectors.recorded_facts import recorded_facts_read
from meis.awards.services.grant import basis_get_or_create
from meis.core import bulk
from meis.rules.engine import Scheme, evaluate_batch
from meis.rules.errors import SchemeError
from meis.rules.schemes import get_scheme

Actor = AbstractBaseUser | AnonymousUser | None

# The awards `a` a recalculation from a date may replace (the docstring's "Which awards"):
# active on the date, started before it, not replaced already. Parameters: the date, twice.
_REPLACEABLE = """a.status = 'active' AND a.start_on < %s
    AND (a.end_on IS NULL OR a.end_on >= %s)
    AND NOT EXISTS (SELECT 1 FROM awards_award n WHERE n.supersedes_id = a.id)"""


class RecalculationError(Exception):
    """A recalculation cannot be prepared, approved or rejected; the message says why."""


@dataclass
class Prepared:
    """What `recalculation_prepare` found: the stored batch and what it left aside."""

    recalculation: Recalculation
    awards: int = 0  # active awards of the kind evaluated
    unchanged: int = 0
    for_review: list[int] = field(default_factory=list)  # award ids the rule would now refuse
    without_facts: list[int] = field(default_factory=list)  # records lacking the rule's facts
    total_change_qepik: int = 0  # sum over items of (new − old), per month


# -- preparing -----------------------------------------------------------------------------------


def recalculation_prepare(*, kind: str, effective_on: datetime.date, actor: Actor) -> Prepared:
    """Evaluate every active award of `kind` on `effective_on`; store one item per change."""
    user = _administrator(actor, doing="prepare a recalculation")
    try:
        scheme = get_scheme(kind)
    except SchemeError:
        raise RecalculationError(f"No rule computes awards of kind {kind!r}.") from None
    candidates = recorded_facts_read(
        scheme, where=f"a.kind = %s AND {_REPLACEABLE}", params=[kind, effective_on, effective_on]
    ).rename({"amount_qepik": "old_amount_qepik"})
    with transaction.atomic():
        basis = basis_get_or_create(scheme=scheme.name, on=effective_on)
        recalculation = Recalculation.objects.create(
            kind=kind,
            effective_on=effective_on,
            status=RecalculationStatus.AWAITING_APPROVAL,
            started_by=user,
        )
        prepared = Prepared(recalculation=recalculation, awards=candidates.height)
        changed = _changes_find(prepared, scheme, candidates, on=effective_on)
        _items_write(recalculation, scheme, changed, basis_id=basis.pk)
        recalculation.changes = changed.height
        recalculation.save(update_fields=["changes"])
        audit_record(
            action="awards.recalculation_prepare",
            actor=user,
            actor_role="administrator",
            obj=recalculation,
            purpose="Recalculation of awards after a parameter change",
            details=_details(prepared),
        )
    return prepared


def _changes_find(
    prepared: Prepared, scheme: Scheme, candidates: pl.DataFrame, *, on: datetime.date
) -> pl.DataFrame:
    """The evaluated awards whose amount changes; the others are counted in `prepared`.

    A record the rule cannot read is left aside (without facts), an award the rule would now
    refuse is left for review, and one whose amount stays is only counted.
    """
    has_facts = pl.col("has_facts")
    prepared.without_facts = candidates.filter(~has_facts)["award_id"].to_list()
    facts = candidates.filter(has_facts).drop("has_facts")
    if facts.height == 0:
        return facts.with_columns(new_amount_qepik=pl.lit(0, dtype=pl.Int64))
    result = evaluate_batch(scheme, facts, on=on)
    is_granted = pl.col(scheme.outcome).fill_null(False)
    prepared.for_review = result.filter(~is_granted)["award_id"].to_list()
    granted = result.filter(is_granted).with_columns(
        new_amount_qepik=pl.col(scheme.amount).cast(pl.Int64)
    )
    changed = granted.filter(pl.col("new_amount_qepik") != pl.col("old_amount_qepik"))
    prepared.unchanged = granted.height - changed.height
    change = changed["new_amount_qepik"] - changed["old_amount_qepik"]
    prepared.total_change_qepik = int(change.sum())
    return changed


def _items_write(
    recalculation: Recalculation, scheme: Scheme, changed: pl.DataFrame, *, basis_id: int
) -> None:
    """One item per change, its record the new decision's: facts, steps and basis (as JSON)."""
    if changed.height == 0:
        return
    record = pl.concat_str(
        pl.lit('{"facts":'),
        pl.struct([fact.name for fact in scheme.facts]).struct.json_encode(),
        pl.lit(',"steps":'),
        pl.struct(scheme.step_names()).struct.json_encode(),
        pl.lit(f',"basis":{basis_id}}}'),
    )
    items = changed.select(
        recalculation_id=pl.lit(recalculation.pk, dtype=pl.Int64),
        award_id="award_id",
        old_amount_qepik="old_amount_qepik",
        new_amount_qepik="new_amount_qepik",
        record=record,
    )
    bulk.frame_write(RecalculationItem._meta.db_table, items)


def recalculation_summary(recalculation: Recalculation) -> dict[str, Any]:
    """How many awards change and by how much per month in total (from the stored items)."""
    change = Sum(F("new_amount_qepik") - F("old_amount_qepik"))
    total = recalculation.items.aggregate(total=change)["total"] or 0
    return {
        "recalculation": recalculation.pk,
        "kind": recalculation.kind,
        "effective_on": recalculation.effective_on.isoformat(),
        "status": str(recalculation.status),
        "changes": recalculation.changes,
        "total_change_qepik": int(total),
    }


# -- approving, applying, rejecting --------------------------------------------------------------


def recalculation_approve(*, recalculation: Recalculation, actor: Actor) -> Recalculation:
    """A second administrator (not the preparer) approves; the batch is applied; audited.

    Approving an applied recalculation again changes nothing and returns it.
    """
    user = _administrator(actor, doing="approve a recalculation")
    with transaction.atomic():
        locked = Recalculation.objects.select_for_update().get(pk=recalculation.pk)
        if locked.status == RecalculationStatus.APPLIED:
            return locked
        if locked.status != RecalculationStatus.AWAITING_APPROVAL:
            raise RecalculationError("This recalculation is not waiting for approval.")
        if user is not None and locked.started_by_id == user.pk:
            raise RecalculationError(
                "A second administrator must approve: you prepared this recalculation."
            )
        applied, skipped = recalculation_apply(locked)
        locked.status, locked.approved_by = RecalculationStatus.APPLIED, user
        locked.applied_at = timezone.now()
        locked.save(update_fields=["status", "approved_by", "applied_at"])
        audit_record(
            action="awards.recalculation_approve",
            actor=user,
            actor_role="administrator",
            obj=locked,
            purpose="Four-eyes approval of a recalculation of awards",
            details={
                "recalculation": locked.pk,
                "kind": locked.kind,
                "effective_on": locked.effective_on.isoformat(),
                "changes": locked.changes,
                "applied": applied,
                "skipped": skipped,
            },
        )
    return locked


# The items' old awards that may still be replaced, with the end date the new award inherits
# (the UPDATE below overwrites it). On PostgreSQL they are locked as they are kept, in one
# statement: an award another transaction ends meanwhile (superseding one ends it too) is
# re-checked after the wait and left out, and none can change between keeping and replacing.
# SQLite needs no lock: the transaction is IMMEDIATE (settings), it holds the write lock already.
_OLDS_KEEP_SQL = """
CREATE TEMPORARY TABLE recalculation_olds AS
SELECT a.id AS award_id, a.end_on AS end_on, a.end_reason AS end_reason
FROM awards_recalculationitem i JOIN awards_award a ON a.id = i.award_id
WHERE i.recalculation_id = %s AND {replaceable}
ORDER BY a.id{lock}
"""
_LOCK_POSTGRESQL = " FOR UPDATE OF a"  # in id order: two batches over one award wait, not deadlock

# A temporary table has no statistics until analysed, and the joins below run over all its rows.
_OLDS_ANALYZE_SQL = "ANALYZE recalculation_olds"

# First out of the active set: the exclusivity index never sees the old and the new award active.
_OLDS_END_SQL = """
UPDATE awards_award SET status = 'ended', end_on = %s, end_reason = 'recalculated'
WHERE id IN (SELECT award_id FROM recalculation_olds)
"""

# The new awards: the old award's person, kind and terms (its end, a decision's reason for it,
# a renewal reminder already sent), the item's amount and record. The item's record is the new
# decision's facts and steps plus its basis, which has its own column.
_NEWS_INSERT_SQL = """
INSERT INTO awards_award (
    person_id, household_id, kind, exclusivity_group, amount_qepik, is_one_off, start_on, end_on,
    end_reason, renewal_reminded_on, status, origin, origin_reference, origin_batch, basis_id,
    record, supersedes_id, created_at
)
SELECT a.person_id, a.household_id, a.kind, a.exclusivity_group, i.new_amount_qepik,
    a.is_one_off, %s, o.end_on, o.end_reason, a.renewal_reminded_on, 'active', 'recalculation',
    %s, %s, %s, {record}, a.id, %s
FROM recalculation_olds o
JOIN awards_award a ON a.id = o.award_id
JOIN awards_recalculationitem i ON i.award_id = o.award_id AND i.recalculation_id = %s
"""
_RECORD_POSTGRESQL = "i.record - 'basis'"
_RECORD_SQLITE = "json_remove(i.record, '$.basis')"

# The items whose award was not replaced now (ended, superseded, or replaced by an earlier apply).
_SKIPPED_SQL = """
SELECT i.award_id FROM awards_recalculationitem i
WHERE i.recalculation_id = %s
  AND NOT EXISTS (SELECT 1 FROM recalculation_olds o WHERE o.award_id = i.award_id)
ORDER BY i.id
"""
_OLDS_DROP_SQL = "DROP TABLE recalculation_olds"


def recalculation_apply(recalculation: Recalculation) -> tuple[int, list[int]]:
    """End the old awards the day before and insert the new ones; idempotent.

    Returns how many awards were superseded now, and the old award ids skipped because they
    were no longer active on the date, or were already superseded (by this or another batch).
    """
    basis_id = _basis_of(recalculation)
    if basis_id is None:
        return 0, []  # nothing changes
    effective_on = recalculation.effective_on
    with transaction.atomic(), connection.cursor() as cursor:
        _olds_keep(cursor, recalculation)
        cursor.execute(_OLDS_END_SQL, [effective_on - datetime.timedelta(days=1)])
        applied = _news_insert(cursor, recalculation, basis_id=basis_id)
        cursor.execute(_SKIPPED_SQL, [recalculation.pk])
        skipped = [int(award_id) for (award_id,) in cursor.fetchall()]
        cursor.execute(_OLDS_DROP_SQL)
    return applied, skipped


def _basis_of(recalculation: Recalculation) -> int | None:
    """The decision basis the items were computed with (one per batch), None without items."""
    record = recalculation.items.values_list("record", flat=True).first()
    return None if record is None else int(record["basis"])


def _olds_keep(cursor: Any, recalculation: Recalculation) -> None:
    is_postgresql = bulk.is_postgresql()
    sql = _OLDS_KEEP_SQL.format(
        replaceable=_REPLACEABLE, lock=_LOCK_POSTGRESQL if is_postgresql else ""
    )
    effective_on = recalculation.effective_on
    cursor.execute(sql, [recalculation.pk, effective_on, effective_on])
    if is_postgresql:
        cursor.execute(_OLDS_ANALYZE_SQL)


def _news_insert(cursor: Any, recalculation: Recalculation, *, basis_id: int) -> int:
    record = _RECORD_POSTGRESQL if bulk.is_postgresql() else _RECORD_SQLITE
    created_at = connection.ops.adapt_datetimefield_value(timezone.now())
    cursor.execute(
        _NEWS_INSERT_SQL.format(record=record),
        [
            recalculation.effective_on,  # start_on
            f"recalculation-{recalculation.pk}",  # origin_reference
            recalculation.pk,  # origin_batch
            basis_id,
            created_at,
            recalculation.pk,  # the items of
        ],
    )
    return int(cursor.rowcount)


def recalculation_reject(*, recalculation: Recalculation, actor: Actor) -> Recalculation:
    """An administrator rejects a waiting recalculation: no award is written; audited."""
    user = _administrator(actor, doing="reject a recalculation")
    with transaction.atomic():
        locked = Recalculation.objects.select_for_update().get(pk=recalculation.pk)
        if locked.status != RecalculationStatus.AWAITING_APPROVAL:
            raise RecalculationError("This recalculation is not waiting for approval.")
        locked.status = RecalculationStatus.REJECTED
        locked.save(update_fields=["status"])
        audit_record(
            action="awards.recalculation_reject",
            actor=user,
            actor_role="administrator",
            obj=locked,
            purpose="Rejection of a recalculation of awards",
            details={"recalculation": locked.pk, "changes": locked.changes},
        )
    return locked


# -- helpers -------------------------------------------------------------------------------------


def _administrator(actor: Actor, *, doing: str) -> Any:
    from meis.accounts.access import actor_roles
    from meis.accounts.roles import Role

    if actor is None or not actor.is_authenticated:
        raise RecalculationError(f"Only an administrator may {doing}.")
    if Role.ADMINISTRATOR not in actor_roles(actor):  # type: ignore[arg-type]
        raise RecalculationError(f"Only an administrator may {doing}.")
    return actor


def _details(prepared: Prepared) -> dict[str, Any]:
    recalculation = prepared.recalculation
    return {
        "recalculation": recalculation.pk,
        "kind": recalculation.kind,
        "effective_on": recalculation.effective_on.isoformat(),
        "awards": prepared.awards,
        "changes": recalculation.changes,
        "unchanged": prepared.unchanged,
        "for_review": len(prepared.for_review),
        "without_facts": len(prepared.without_facts),
        "total_change_qepik": prepared.total_change_qepik,
    }
