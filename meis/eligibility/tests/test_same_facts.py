# mypy: disable-error-code="no-untyped-def,misc"
"""One source of facts: for a synthetic country, the proactive pipeline's set-based SQL
(`meis.proactive.sources`) and `facts_gather` give the same facts for the same person.

Hypothesis picks the people among each scheme's candidates; the country is generated once per
scheme with `meis registry generate` and the life-event facts (`meis.lifeevents.synthetic`).
"""

from __future__ import annotations

import datetime

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meis.awards.models import AwardKind
from meis.awards.services import award_grant, basis_get_or_create
from meis.core import bulk
from meis.eligibility.selectors import facts_gather
from meis.insurance.models import Contribution
from meis.lifeevents.synthetic import facts_generate
from meis.proactive.sources import SOURCES, Source
from meis.registry.models import HouseholdMembership, Person
from meis.registry.synthetic import registry_generate
from meis.rules.schemes import get_scheme
from meis.veterans.synthetic import veterans_generate

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2020, 3, 1)
# A week after the registry's day: the commission decisions it drew (up to 6 days ahead) are
# all in the past, as a full run on that day reads them.
ON = AS_OF + datetime.timedelta(days=7)
PEOPLE = 2_500
# Sources whose rows are one event each: their facts are the facts on that event's day.
EVENT_DAY = {"childbirth_benefit": "born_on", "child_under_one_benefit": "born_on"}


def candidates(source: Source) -> pl.DataFrame:
    """Every candidate of a full run on ON, read as the pipeline reads a chunk."""
    where, params = source.full_filter(ON)
    sql = source.select_sql(where, (0, 10**12))
    frame = bulk.frame_read(sql, params, source.columns)
    return source.derive(frame, ON) if source.derive is not None else frame


def some_households_assisted() -> None:
    """Every third household of a mother with a recent birth holds targeted assistance."""
    basis = basis_get_or_create(scheme="targeted_assistance", on=AS_OF)
    heads = HouseholdMembership.objects.filter(
        household__memberships__person__births_as_mother__isnull=False, relation="head"
    ).select_related("person", "household")
    for number, membership in enumerate(heads.distinct().order_by("household_id")):
        if number % 3 == 0:
            award_grant(
                person=membership.person,
                household=membership.household,
                kind=AwardKind.TARGETED_ASSISTANCE,
                amount_qepik=10_000,
                start_on=AS_OF.replace(day=1),
                basis=basis,
                record={},
            )


def some_older_people_working() -> None:
    """Every fifth person over 55 paid a contribution last month (the synthetic country has
    accounts but no monthly contributions): the age benefit's `is_working`."""
    born_by = AS_OF.replace(year=AS_OF.year - 55)
    people = Person.objects.filter(birth_on__lte=born_by).order_by("pk")[::5]
    Contribution.objects.bulk_create(
        Contribution(person=person, month_on=datetime.date(2020, 2, 1), amount_qepik=5_000)
        for person in people
    )


@pytest.fixture(params=sorted(SOURCES))
def country(request, db):
    registry_generate(people=PEOPLE, seed=29, as_of=AS_OF)
    facts_generate(seed=29, on=AS_OF)
    veterans_generate(seed=29, on=AS_OF)
    some_older_people_working()
    if request.param == "child_under_one_benefit":
        some_households_assisted()
    source = SOURCES[request.param]
    frame = candidates(source)
    assert frame.height > 0, f"the synthetic country has no {source.scheme} candidates"
    return source, frame


def test_the_synthetic_country_has_candidates_for_every_source(country):
    source, frame = country
    assert frame.height > 0


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_the_registers_and_the_proactive_sql_give_the_same_facts(country, data):
    source, frame = country
    row = frame.row(data.draw(st.integers(0, frame.height - 1), label="row"), named=True)
    on = row[EVENT_DAY[source.scheme]] if source.scheme in EVENT_DAY else ON
    person = Person.objects.get(pk=row["person_id"])

    sheet = facts_gather(scheme=source.scheme, person=person, on=on)

    names = [f.name for f in get_scheme(source.scheme).facts if f.name in frame.columns]
    assert names, source.scheme
    gathered = {name: sheet.facts[name].value for name in names if name in sheet.facts}
    assert gathered == {name: row[name] for name in names}
    assert all(sheet.facts[name].register for name in names)
