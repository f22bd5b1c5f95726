# mypy: disable-error-code="no-untyped-def"
"""Awards as a decision grants them (`award_grant`), for the tests of an award's life."""

from __future__ import annotations

import datetime

from meis.awards.models import Award, AwardKind
from meis.awards.services import award_grant, basis_get_or_create
from meis.registry.models import Person

SCHEMES = {
    AwardKind.TARGETED_ASSISTANCE: "targeted_assistance",
    AwardKind.OLD_AGE_PENSION: "old_age_pension",
    AwardKind.DISABILITY_PENSION: "disability_pension",
    AwardKind.DISABILITY_BENEFIT: "disability_benefit",
    AwardKind.DISABLED_CHILD_BENEFIT: "disabled_child_benefit",
    AwardKind.CHILD_UNDER_ONE_BENEFIT: "child_under_one_benefit",
}


def granted(
    person: Person,
    kind: str,
    start_on: datetime.date,
    *,
    amount_qepik: int = 24_000,
    end_on: datetime.date | None = None,
    facts: dict[str, object] | None = None,
) -> Award:
    """An award granted on an application (`award_grant`, its end date by law unless given)."""
    award = award_grant(
        person=person,
        kind=kind,
        amount_qepik=amount_qepik,
        start_on=start_on,
        basis=basis_get_or_create(scheme=SCHEMES[AwardKind(kind)], on=start_on),
        record={"facts": facts or {}, "steps": {}},
        end_on=end_on,
    )
    assert award is not None, "the grant was refused (exclusive award held?)"
    return award
