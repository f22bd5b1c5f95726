# mypy: disable-error-code="no-untyped-def"
"""The synthetic facts generator: children get disability decisions of their own."""

from __future__ import annotations

import datetime

from meis.insurance.models import InsuranceAccount
from meis.lifeevents.models import DisabilityDecision
from meis.lifeevents.synthetic import facts_generate
from meis.registry.tests.factories import PersonFactory

ON = datetime.date(2020, 3, 2)


def some_people() -> None:
    for n in range(20):
        PersonFactory(birth_on=datetime.date(1960 + n, 1, 1 + n))
        PersonFactory(birth_on=datetime.date(2005 + n % 14, 2, 1 + n))


def decisions() -> list[tuple[int, str, datetime.date, int | None]]:
    return list(
        DisabilityDecision.objects.order_by("person_id").values_list(
            "person_id", "degree", "decided_on", "percentage"
        )
    )


def test_children_get_decisions_established_before_18_and_adults_degrees(db: None) -> None:
    some_people()

    result = facts_generate(seed=1, on=ON)

    adult_from = ON.replace(year=ON.year - 18)
    rows = DisabilityDecision.objects.select_related("person")
    children = [d for d in rows if d.person.birth_on > adult_from]
    adults = [d for d in rows if d.person.birth_on <= adult_from]
    assert children
    assert {d.degree for d in children} == {"child"}
    assert {d.degree for d in adults} <= {"I", "II", "III"}
    assert all(31 <= (d.percentage or 0) <= 100 for d in children)
    assert all(d.reexamine_on and d.reexamine_on > d.decided_on for d in children)
    assert result.disability_decisions == len(children) + len(adults)


def test_a_seed_gives_the_same_decisions_every_time(db: None) -> None:
    some_people()
    facts_generate(seed=1, on=ON)
    first = decisions()
    DisabilityDecision.objects.all().delete()
    InsuranceAccount.objects.all().delete()  # the generator skips people who have an account

    facts_generate(seed=1, on=ON)

    assert decisions() == first
