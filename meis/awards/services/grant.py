"""Writes of awards: the decision basis, single grants, and the trace an award rebuilds."""

from __future__ import annotations

import datetime
import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction

from meis.awards.models import (
    EXCLUSIVITY_GROUPS,
    Award,
    AwardOrigin,
    AwardStatus,
    DecisionBasis,
)
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
    """Grant one award; None when it exists already or an exclusive active award is held.

    With `supersedes` (a decision that changes an active award, e.g. on appeal), that award ends
    the day before `start_on` and the new one replaces it, in one savepoint: the old row leaves
    the active set before the new one enters it, so the exclusivity constraint holds. None, and
    nothing changed, when `supersedes` is no longer active or was replaced already.
    """
    try:
        with transaction.atomic():
            if supersedes is not None and not _supersede(supersedes, start_on=start_on):
                return None
            return Award.objects.create(
                person=person,
                household=household,
                kind=kind,
                exclusivity_group=EXCLUSIVITY_GROUPS.get(kind, ""),
                amount_qepik=amount_qepik,
                is_one_off=is_one_off,
                start_on=start_on,
                end_on=end_on,
                status=AwardStatus.ACTIVE,
                origin=origin,
                origin_reference=origin_reference,
                basis=basis,
                record=record,
                supersedes=supersedes,
            )
    except IntegrityError:
        return None


def _supersede(award: Award, *, start_on: datetime.date) -> bool:
    """End `award` the day before `start_on` if it is active and not replaced yet."""
    ended = Award.objects.filter(
        pk=award.pk, status=AwardStatus.ACTIVE, superseded_by__isnull=True
    ).update(status=AwardStatus.ENDED, end_on=start_on - datetime.timedelta(days=1))
    return ended == 1


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
