"""Reads of the API: what the e-government gateway may learn of a person on a day — whether they
receive a labour pension, a social benefit or targeted assistance, their disability degree, and
whether they are registered unemployed. Only yes or no (and the degree): never amounts, kinds
of award, diagnoses or dates, which the gateway's purposes do not need."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q

from meis.awards.models import ONE_OFF_KINDS, Award, AwardKind
from meis.lifeevents.models import DisabilityDecision
from meis.registry.models import HouseholdMembership, Person

PENSION_KINDS = (
    AwardKind.OLD_AGE_PENSION,
    AwardKind.DISABILITY_PENSION,
    AwardKind.SURVIVOR_PENSION,
)
BENEFIT_KINDS = tuple(
    kind
    for kind in AwardKind
    if kind not in PENSION_KINDS
    and kind not in (AwardKind.TARGETED_ASSISTANCE, AwardKind.UNEMPLOYMENT_BENEFIT)
    and kind.value not in ONE_OFF_KINDS
)


@dataclass(frozen=True)
class PersonStatus:
    on: datetime.date
    alive: bool
    pensioner: bool
    benefit_recipient: bool
    assistance_recipient: bool
    unemployment_benefit_recipient: bool
    disability_degree: str | None
    registered_unemployed: bool | None  # None: the employment register is not connected yet


def person_status_on(*, person: Person, on: datetime.date) -> PersonStatus:
    """The person's status on `on`, as the awards and the commission decisions record it.

    An award counts on the days between its start and its end, whatever its status today (an
    award that ended later was held on an earlier day); one-off payments are not "receiving".
    Targeted assistance is the household's: a member on that day receives it.
    """
    held = Q(start_on__lte=on) & (Q(end_on__isnull=True) | Q(end_on__gte=on))
    households = HouseholdMembership.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gte=on), person=person, joined_on__lte=on
    ).values("household_id")
    kinds = set(
        Award.objects.filter(held)
        .filter(
            Q(person=person) | Q(kind=AwardKind.TARGETED_ASSISTANCE, household_id__in=households)
        )
        .values_list("kind", flat=True)
        .distinct()
    )
    decision = (
        DisabilityDecision.objects.filter(person=person, decided_on__lte=on)
        .order_by("-decided_on", "-id")
        .only("degree", "reexamine_on")
        .first()
    )
    degree = None
    if decision is not None and (decision.reexamine_on is None or decision.reexamine_on > on):
        degree = decision.degree
    return PersonStatus(
        on=on,
        alive=person.died_on is None or person.died_on > on,
        pensioner=bool(kinds & set(PENSION_KINDS)),
        benefit_recipient=bool(kinds & set(BENEFIT_KINDS)),
        assistance_recipient=AwardKind.TARGETED_ASSISTANCE in kinds,
        unemployment_benefit_recipient=AwardKind.UNEMPLOYMENT_BENEFIT in kinds,
        disability_degree=degree,
        registered_unemployed=None,
    )
