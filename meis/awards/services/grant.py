"""Writes of awards: the decision basis, single grants, and the trace an award rebuilds.

A grant gets its end date by law (`lifecycle.award_end_by_law`) unless the decision sets one,
and is refused before the database's check when it would end before it starts. A renewal of a
fixed-term award (targeted assistance, applied for again) replaces the one held.
"""

from __future__ import annotations

import datetime
import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from meis.awards.models import (
    DISABILITY_KINDS,
    EXCLUSIVITY_GROUPS,
    HELD_STATUSES,
    RENEWABLE_KINDS,
    Award,
    AwardEndReason,
    AwardKind,
    AwardOrigin,
    AwardStatus,
    DecisionBasis,
)
from meis.awards.services.errors import AwardError
from meis.awards.services.lifecycle import award_end_by_law
from meis.lifeevents.models import DisabilityDecision, DisabilityDegree
from meis.registry.models import Household, Person
from meis.rules.engine import compile_scheme
from meis.rules.schemes import get_scheme
from meis.rules.store import default_store

_RULES_DIR = Path(__file__).resolve().parents[2] / "rules"


@cache
def rules_version() -> str:
    """A fingerprint of the rules and parameters (sources and YAML), stable across machines."""
    digest = hashlib.sha256()
    files = sorted(
        p
        for p in _RULES_DIR.rglob("*")
        if p.suffix in {".py", ".yaml"} and "tests" not in p.parts and p.is_file()
    )
    for path in files:
        digest.update(str(path.relative_to(_RULES_DIR)).encode())
        digest.update(path.read_bytes())
    return f"rules-{digest.hexdigest()[:12]}"


def basis_get_or_create(*, scheme: str, on: datetime.date) -> DecisionBasis:
    """The shared decision basis of every award decided by `scheme` on `on` with these rules."""
    compiled = compile_scheme(get_scheme(scheme), on, default_store())
    parameters = [use.as_json() for use in compiled.parameters.values()]
    basis, _ = DecisionBasis.objects.get_or_create(
        scheme=scheme,
        on=on,
        rules_version=rules_version(),
        defaults={"parameters": parameters},
    )
    return basis


def award_grant(
    *,
    person: Person,
    kind: str,
    amount_qepik: int,
    start_on: datetime.date,
    basis: DecisionBasis,
    record: dict[str, Any],
    origin: str = AwardOrigin.CASE_DECISION,
    origin_reference: str = "",
    end_on: datetime.date | None = None,
    household: Household | None = None,
    is_one_off: bool = False,
    supersedes: Award | None = None,
) -> Award | None:
    """Grant one award; None when it exists already or an exclusive award is held.

    With `supersedes` (a decision that changes an award held, e.g. on appeal), that award ends
    the day before `start_on` and the new one replaces it, in one savepoint: the old row leaves
    the held set before the new one enters it, so the exclusivity constraint holds. None, and
    nothing changed, when `supersedes` is no longer held or was replaced already.

    Without `end_on` the award ends when the law ends it: the term, the re-examination date of
    the disability decision, the child's age limit, the recipient's death. An explicit `end_on`
    is the decision's own (reason `decision`). An end before the start raises AwardError.
    """
    last_day, reason = _end(
        person=person,
        kind=kind,
        start_on=start_on,
        record=record,
        end_on=end_on,
        is_one_off=is_one_off,
    )
    try:
        with transaction.atomic():
            if supersedes is not None:
                if not _supersede(supersedes, start_on=start_on):
                    return None
                replaced: Award | None = supersedes
            else:
                replaced = _renewal_replace(person=person, kind=kind, start_on=start_on)
            return Award.objects.create(
                person=person,
                household=household,
                kind=kind,
                exclusivity_group=EXCLUSIVITY_GROUPS.get(kind, ""),
                amount_qepik=amount_qepik,
                is_one_off=is_one_off,
                start_on=start_on,
                end_on=last_day,
                end_reason=reason,
                status=AwardStatus.ACTIVE,
                origin=origin,
                origin_reference=origin_reference,
                basis=basis,
                record=record,
                supersedes=replaced,
            )
    except IntegrityError:
        return None


def _end(
    *,
    person: Person,
    kind: str,
    start_on: datetime.date,
    record: dict[str, Any],
    end_on: datetime.date | None,
    is_one_off: bool,
) -> tuple[datetime.date | None, str]:
    """The award's last day and, for a decision's own date, its reason (the law's is set when
    the award ends: `meis.awards.services.ending`)."""
    if end_on is not None:
        if end_on < start_on:
            raise AwardError(
                _(
                    "The award cannot end on %(end)s, before it starts on %(start)s. "
                    "Check the start and end dates of the decision."
                )
                % {"end": f"{end_on:%d.%m.%Y}", "start": f"{start_on:%d.%m.%Y}"}
            )
        return end_on, AwardEndReason.DECISION.value
    if is_one_off:
        return start_on, ""
    last_day, reason = award_end_by_law(
        kind=kind,
        start_on=start_on,
        birth_on=person.birth_on,
        reexamine_on=_reexamination_on(person=person, kind=kind, start_on=start_on),
        born_on=_child_born_on(kind=kind, record=record, start_on=start_on),
        died_on=person.died_on,
    )
    if last_day is not None and last_day < start_on:
        raise AwardError(
            _(
                "By law this award ends on %(end)s (%(reason)s), before the start asked for, "
                "%(start)s: it cannot be granted from that date."
            )
            % {
                "end": f"{last_day:%d.%m.%Y}",
                "reason": AwardEndReason(reason).label,
                "start": f"{start_on:%d.%m.%Y}",
            }
        )
    return last_day, ""


def _reexamination_on(
    *, person: Person, kind: str, start_on: datetime.date
) -> datetime.date | None:
    """The re-examination date of the disability decision the award rests on: the person's
    latest decision of the award's kind (a child's, or an adult's) on or before its start."""
    if kind not in DISABILITY_KINDS:
        return None
    decisions = DisabilityDecision.objects.filter(person=person, decided_on__lte=start_on)
    if kind == AwardKind.DISABLED_CHILD_BENEFIT:
        decisions = decisions.filter(degree=DisabilityDegree.CHILD)
    else:
        decisions = decisions.exclude(degree=DisabilityDegree.CHILD)
    decision = decisions.order_by("-decided_on", "-id").first()
    return decision.reexamine_on if decision is not None else None


def _child_born_on(
    *, kind: str, record: dict[str, Any], start_on: datetime.date
) -> datetime.date | None:
    """The child's birth date for the benefit for a child under 1: the decision's fact, else
    its start (the benefit is granted from the birth)."""
    if kind != AwardKind.CHILD_UNDER_ONE_BENEFIT:
        return None
    born_on = record.get("facts", {}).get("born_on")
    return datetime.date.fromisoformat(str(born_on)) if born_on else start_on


def _supersede(award: Award, *, start_on: datetime.date) -> bool:
    """End `award` the day before `start_on` if it is held and not replaced yet."""
    ended = Award.objects.filter(
        pk=award.pk, status__in=HELD_STATUSES, superseded_by__isnull=True
    ).update(status=AwardStatus.ENDED, end_on=start_on - datetime.timedelta(days=1))
    return ended == 1


def _renewal_replace(*, person: Person, kind: str, start_on: datetime.date) -> Award | None:
    """A renewal (the family applied again) ends the award it continues the day before it
    starts: `renewed`, or `term` when that award had ended by then anyway."""
    if kind not in RENEWABLE_KINDS:
        return None
    held = (
        Award.objects.select_for_update()
        .filter(person=person, kind=kind, status__in=HELD_STATUSES, start_on__lt=start_on)
        .order_by("-start_on", "-id")
        .first()
    )
    if held is None:
        return None
    eve = start_on - datetime.timedelta(days=1)
    if held.end_on is not None and held.end_on < eve:
        held.end_reason = AwardEndReason.TERM
    else:
        held.end_on, held.end_reason = eve, AwardEndReason.RENEWED
    held.status = AwardStatus.ENDED
    held.save(update_fields=["end_on", "end_reason", "status"])
    return held


def award_trace(award: Award) -> dict[str, Any]:
    """The decision's trace (the shape `meis.rules.explain` reads), from the basis and record."""
    record = award.record
    return {
        "scheme": award.basis.scheme,
        "on": award.basis.on.isoformat(),
        "rules_version": award.basis.rules_version,
        "outcome": True,
        "amount_qepik": award.amount_qepik,
        "facts": record.get("facts", {}),
        "parameters": award.basis.parameters,
        "steps": [{"name": k, "value": v} for k, v in record.get("steps", {}).items()],
        "unmet_requirements": [],
        "refusals": [],
    }
