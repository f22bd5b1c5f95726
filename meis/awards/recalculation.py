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
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from meis.audit.services import audit_record
from meis.awards.models import (
    Award,
    AwardOrigin,
    AwardStatus,
    Recalculation,
    RecalculationItem,
    RecalculationStatus,
)
from meis.awards.services import basis_get_or_create
from meis.rules.engine import coerce_fact, evaluate_batch
from meis.rules.errors import FactError, SchemeError
from meis.rules.schemes import get_scheme

Actor = AbstractBaseUser | AnonymousUser | None
BATCH_SIZE = 5_000


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
    awards = list(
        Award.objects.filter(kind=kind, status=AwardStatus.ACTIVE, start_on__lt=effective_on)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=effective_on))
        .filter(superseded_by__isnull=True)
        .order_by("id")
        .values("id", "amount_qepik", "record")
    )
    with transaction.atomic():
        basis = basis_get_or_create(scheme=scheme.name, on=effective_on)
        recalculation = Recalculation.objects.create(
            kind=kind,
            effective_on=effective_on,
            status=RecalculationStatus.AWAITING_APPROVAL,
            started_by=user,
        )
        prepared = Prepared(recalculation=recalculation, awards=len(awards))
        rows, old_amounts = [], {}
        for award in awards:
            try:
                facts = award["record"].get("facts", {})
                rows.append(
                    {"award_id": award["id"]}
                    | {f.name: coerce_fact(scheme.name, f, facts) for f in scheme.facts}
                )
                old_amounts[award["id"]] = award["amount_qepik"]
            except FactError:
                prepared.without_facts.append(award["id"])
        items: list[RecalculationItem] = []
        if rows:
            frame = pl.DataFrame(
                rows,
                schema={"award_id": pl.Int64(), **{f.name: f.dtype for f in scheme.facts}},
                orient="row",
            )
            result = evaluate_batch(scheme, frame, on=effective_on)
            fact_names = [f.name for f in scheme.facts]
            steps = scheme.step_names()
            for row in result.iter_rows(named=True):
                award_id = row["award_id"]
                if not row[scheme.outcome]:
                    prepared.for_review.append(award_id)
                    continue
                old, new = old_amounts[award_id], int(row[scheme.amount])
                if new == old:
                    prepared.unchanged += 1
                    continue
                prepared.total_change_qepik += new - old
                record = {
                    "facts": {name: _json(row[name]) for name in fact_names},
                    "steps": {name: _json(row[name]) for name in steps},
                    "basis": basis.pk,
                }
                items.append(
                    RecalculationItem(
                        recalculation=recalculation,
                        award_id=award_id,
                        old_amount_qepik=old,
                        new_amount_qepik=new,
                        record=record,
                    )
                )
        RecalculationItem.objects.bulk_create(items, batch_size=BATCH_SIZE)
        recalculation.changes = len(items)
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


def recalculation_summary(recalculation: Recalculation) -> dict[str, Any]:
    """How many awards change and by how much per month in total (from the stored items)."""
    items = recalculation.items.values_list("old_amount_qepik", "new_amount_qepik")
    total = sum(new - old for old, new in items)
    return {
        "recalculation": recalculation.pk,
        "kind": recalculation.kind,
        "effective_on": recalculation.effective_on.isoformat(),
        "status": str(recalculation.status),
        "changes": recalculation.changes,
        "total_change_qepik": total,
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


def recalculation_apply(recalculation: Recalculation) -> tuple[int, list[int]]:
    """End the old awards the day before and insert the new ones; idempotent.

    Returns how many awards were superseded now, and the old award ids skipped because they
    were no longer active on the date, or were already superseded (by this or another batch).
    """
    effective_on = recalculation.effective_on
    day_before = effective_on - datetime.timedelta(days=1)
    applied, skipped = 0, []
    with transaction.atomic():
        items = recalculation.items.order_by("id")
        for batch in _batches(items.iterator(chunk_size=BATCH_SIZE), BATCH_SIZE):
            by_award = {item.award_id: item for item in batch}
            olds = {
                award.pk: award
                for award in Award.objects.select_for_update(of=("self",))
                .filter(
                    pk__in=by_award,
                    status=AwardStatus.ACTIVE,
                    start_on__lt=effective_on,
                    superseded_by__isnull=True,
                )
                .filter(Q(end_on__isnull=True) | Q(end_on__gte=effective_on))
            }
            skipped += [award_id for award_id in by_award if award_id not in olds]
            if not olds:
                continue
            # Leave the active set first: the exclusivity index never sees two active awards.
            Award.objects.filter(pk__in=olds).update(status=AwardStatus.ENDED, end_on=day_before)
            Award.objects.bulk_create(
                [
                    Award(
                        person_id=old.person_id,
                        household_id=old.household_id,
                        kind=old.kind,
                        exclusivity_group=old.exclusivity_group,
                        amount_qepik=by_award[old.pk].new_amount_qepik,
                        is_one_off=old.is_one_off,
                        start_on=effective_on,
                        end_on=old.end_on,
                        status=AwardStatus.ACTIVE,
                        origin=AwardOrigin.RECALCULATION,
                        origin_reference=f"recalculation-{recalculation.pk}",
                        origin_batch=recalculation.pk,
                        basis_id=by_award[old.pk].record["basis"],
                        record={
                            "facts": by_award[old.pk].record["facts"],
                            "steps": by_award[old.pk].record["steps"],
                        },
                        supersedes=old,
                    )
                    for old in olds.values()
                ],
                batch_size=BATCH_SIZE,
            )
            applied += len(olds)
    return applied, skipped


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


def _batches(items: Iterable[RecalculationItem], size: int) -> Iterable[list[RecalculationItem]]:
    batch: list[RecalculationItem] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _json(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


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
