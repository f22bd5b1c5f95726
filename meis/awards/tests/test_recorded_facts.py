# mypy: disable-error-code="arg-type,misc,attr-defined,no-untyped-def,return-value"
"""Recorded facts read set-based get the verdict `coerce_fact` gives each record, on either database.

The age benefit's facts are of every kind but money: a choice (sex), a date (birth), a whole
number (children) and two booleans. Each award below holds a valid record with one fact
replaced by a value a careless writer, an old import or a hand correction could have left.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from meis.awards.models import Award, AwardKind, AwardOrigin, AwardStatus
from meis.awards.selectors.recorded_facts import recorded_facts_read
from meis.awards.services import basis_get_or_create
from meis.registry.tests.factories import PersonFactory
from meis.rules.engine import coerce_fact
from meis.rules.errors import FactError
from meis.rules.schemes import get_scheme

SCHEME = get_scheme("age_benefit")
VALID = {
    "sex": "male",
    "birth_on": "1950-01-15",
    "children_born": 2,
    "has_labour_pension_right": False,
    "is_working": False,
}
MISSING = object()
ODD_VALUES: dict[str, list[Any]] = {
    "sex": ["female", "Male", "", 1, True, None, ["male"], {"sex": "male"}],
    "birth_on": [
        "1950-01-15",
        "19500115",  # ISO's basic form: date.fromisoformat reads it
        "1950-W03-1",  # an ISO week date: so does it
        19500115,  # a number, read through str() as coerce_fact does
        "1950-1-15",
        "0000-01-01",
        "1950-02-30",
        "1950-01-15T00:00",
        " 1950-01-15",
        "",
        19500115.0,
        True,
        None,
        [1950, 1, 15],
    ],
    "children_born": [0, 7, -1, 1.0, 1e2, "2", True, False, None, [2], {"n": 2}],
    "is_working": [True, False, 1, 0, "true", "false", None, [], {}],
    "has_labour_pension_right": [True, 0, "False"],
}


def records() -> list[dict[str, Any]]:
    """Every odd value in an otherwise valid record, plus records lacking facts altogether."""
    found: list[dict[str, Any]] = [{"facts": VALID}]
    for name, values in ODD_VALUES.items():
        found += [{"facts": VALID | {name: value}} for value in values]
        found.append({"facts": {k: v for k, v in VALID.items() if k != name}})
    return [*found, {"facts": {}}, {"steps": {}}, {}, {"facts": ["sex"]}, {"facts": None}]


def verdict(record: dict[str, Any]) -> dict[str, Any] | None:
    """What the row-by-row recalculation made of a record: the facts, or None (without)."""
    facts = record.get("facts") or {}
    try:
        return {f.name: coerce_fact(SCHEME.name, f, facts) for f in SCHEME.facts}
    except (FactError, TypeError):
        return None


@pytest.fixture
def awards(db: None) -> list[Award]:
    """One person's ended age benefits, one per record, each starting a day after the last."""
    person = PersonFactory(sex="M", birth_on=datetime.date(1950, 1, 15))
    basis = basis_get_or_create(scheme=SCHEME.name, on=datetime.date(2020, 1, 1))
    first = datetime.date(2020, 1, 1)
    return [
        Award.objects.create(
            person=person,
            kind=AwardKind.AGE_BENEFIT,
            amount_qepik=13_000,
            start_on=first + datetime.timedelta(days=n),
            end_on=first + datetime.timedelta(days=n),
            status=AwardStatus.ENDED,
            origin=AwardOrigin.CASE_DECISION,
            basis=basis,
            record=record,
        )
        for n, record in enumerate(records())
    ]


def test_each_recorded_fact_gets_the_verdict_coerce_fact_gives_it(awards) -> None:
    frame = recorded_facts_read(SCHEME, where="a.kind = %s", params=[AwardKind.AGE_BENEFIT])

    assert frame["award_id"].to_list() == [award.pk for award in awards]
    for row, award in zip(frame.iter_rows(named=True), awards, strict=True):
        # As Django reads the record back: PostgreSQL's jsonb has made 1e2 the number 100.
        expected = verdict(Award.objects.get(pk=award.pk).record)
        read = {f.name: row[f.name] for f in SCHEME.facts} if row["has_facts"] else None
        assert (award.record, read) == (award.record, expected)
        assert row["amount_qepik"] == 13_000


def test_a_valid_record_is_read_in_the_facts_types(awards) -> None:
    frame = recorded_facts_read(SCHEME, where="a.id = %s", params=[awards[0].pk])

    assert frame.row(0, named=True) == {
        "award_id": awards[0].pk,
        "amount_qepik": 13_000,
        "has_facts": True,
        "sex": "male",
        "birth_on": datetime.date(1950, 1, 15),
        "children_born": 2,
        "has_labour_pension_right": False,
        "is_working": False,
    }


def test_a_whole_number_beyond_64_bits_is_without_facts(awards) -> None:
    """coerce_fact accepts it; the row-by-row preparation then failed building its frame."""
    Award.objects.filter(pk=awards[0].pk).update(record={"facts": VALID | {"children_born": 2**70}})

    frame = recorded_facts_read(SCHEME, where="a.id = %s", params=[awards[0].pk])

    assert frame["has_facts"].to_list() == [False]
