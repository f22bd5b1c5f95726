"""One person, assessed the proactive way: `person_assess(person=…, scheme=…, on=…)`.

For a day's single event (a registry change, a call to 142, a test) where a run over a cohort
is too much: the person's facts come from the registers (`meis.eligibility.facts_gather`), the
scheme's rule decides as in a run, and an entitled person is granted through
`meis.awards.services.award_grant` with the record a run writes (the scheme's facts, the facts
another rule decided them from, every step's value; the day's decision basis), the letter of a
proactive grant and its usage event. A person who is not a candidate of the scheme's source that
day (under the pension age, no decision in the register) is not assessed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.db import transaction

from meis.awards.models import Award, AwardOrigin
from meis.awards.services import award_grant, basis_get_or_create
from meis.eligibility.selectors import facts_gather
from meis.eligibility.sheet import FactSheet
from meis.proactive.models import Outcome
from meis.proactive.services.letters import letters_queue
from meis.proactive.services.pipeline import ProactiveError, contacts_join, usage_write
from meis.proactive.sources import SOURCES, Source
from meis.registry.models import Household, Person
from meis.rules.engine import evaluate_case
from meis.rules.errors import FactError
from meis.rules.schemes import get_scheme
from meis.rules.store import default_store

NOT_A_CANDIDATE = "not_a_candidate"


@dataclass(frozen=True)
class Assessment:
    """What the rule said of one person, and the award it granted (None if it granted none)."""

    scheme: str
    outcome: str  # an `Outcome` value, or NOT_A_CANDIDATE
    sheet: FactSheet
    rule: str = ""  # the requirement or refusal that decided a refusal
    months_short: int | None = None
    amount_qepik: int = 0
    start_on: datetime.date | None = None
    award: Award | None = None
    trace: dict[str, Any] = field(default_factory=dict)


def person_assess(*, person: Person, scheme: str, on: datetime.date) -> Assessment:
    """Assess `person` for `scheme` on `on` from the registers; grant when entitled (one
    transaction: the award, its letter and its usage event)."""
    source = SOURCES.get(scheme)
    if source is None:
        known = ", ".join(sorted(SOURCES))
        raise ProactiveError(f"no proactive source for {scheme!r}; known: {known}")
    sheet = facts_gather(scheme=scheme, person=person, on=on)
    rule = get_scheme(scheme)
    try:
        result = evaluate_case(rule, sheet.values(), on=on)
    except FactError:  # a fact the registers do not hold: the source's SQL would not read them
        return Assessment(scheme, NOT_A_CANDIDATE, sheet)
    steps = {step["name"]: step["value"] for step in result.trace["steps"]}
    if source.candidate_step and not steps[source.candidate_step]:
        return Assessment(scheme, NOT_A_CANDIDATE, sheet, trace=result.trace)
    if not result.outcome:
        short = _months_short(source, on, result.trace)
        near = short is not None and short <= source.near_miss_months
        return Assessment(
            scheme,
            Outcome.NEAR_MISS.value if near else Outcome.REFUSED.value,
            sheet,
            rule=_refusing_rule(result.trace),
            months_short=short,
            trace=result.trace,
        )
    start_on = _start(source, sheet, steps, on)
    with transaction.atomic():
        award = award_grant(
            person=person,
            household=Household.objects.filter(pk=sheet.household_id).first()
            if sheet.household_id
            else None,
            kind=source.kind,
            amount_qepik=result.amount_qepik,
            start_on=start_on,
            is_one_off=source.is_one_off,
            basis=basis_get_or_create(scheme=scheme, on=on),
            record=_record(source, sheet, steps),
            origin=AwardOrigin.PROACTIVE_RUN,
            origin_reference=f"proactive-person/{scheme}",
        )
        if award is not None:
            _letter_and_usage(source, award, person, on)
    return Assessment(
        scheme,
        Outcome.GRANTED.value if award is not None else Outcome.ALREADY_HOLDS.value,
        sheet,
        amount_qepik=result.amount_qepik,
        start_on=start_on,
        award=award,
        trace=result.trace,
    )


def _months_short(source: Source, on: datetime.date, trace: dict[str, Any]) -> int | None:
    """Record months missing for the source's record requirement (as a run computes them)."""
    if not source.near_miss_months:
        return None
    step = source.required_record_step
    if step.startswith("labour_pensions."):
        required = int(str(default_store().value(step, on=on)))
    else:
        required = int(next(s["value"] for s in trace["steps"] if s["name"] == step))
    short = required - int(trace["facts"]["insurance_record_months"])
    return short if short > 0 else None


def _refusing_rule(trace: dict[str, Any]) -> str:
    """The first requirement not met, else the first refusal that applies (as a run names it)."""
    return next(iter([*trace["unmet_requirements"], *trace["refusals"]]), "")


def _start(
    source: Source, sheet: FactSheet, steps: dict[str, Any], on: datetime.date
) -> datetime.date:
    """The start a run gives the row (the pension-age day, the decision's, the birth's);
    assistance starts with the month. The end is the law's, as `award_grant` applies it."""
    if source.scheme == "targeted_assistance":
        return on.replace(day=1)
    row = {**sheet.context, **sheet.values(), **steps}
    dates = {
        name: datetime.date.fromisoformat(value) if isinstance(value, str) else value
        for name, value in row.items()
        if name.endswith("_on")
    }
    start: datetime.date = pl.DataFrame([dates]).select(start=source.start_on())["start"][0]
    return start


def _record(source: Source, sheet: FactSheet, steps: dict[str, Any]) -> dict[str, Any]:
    """The record a run writes: the scheme's facts, those another rule read, every step."""
    row = {**sheet.context, **sheet.values()}
    names = [f.name for f in get_scheme(source.scheme).facts if f.name in row]
    names += [name for name in source.derived_from if name not in names]
    return {"facts": {name: _json(row[name]) for name in names}, "steps": steps}


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


def _letter_and_usage(source: Source, award: Award, person: Person, on: datetime.date) -> None:
    """The letter and the usage event a run's grant has, for this one grant."""
    granted = pl.DataFrame(
        {
            "person_id": [person.pk],
            "household_id": [award.household_id],
            "region": [person.region],
            "award_id": [award.pk],
            "amount_qepik": [award.amount_qepik],
            "start_on": [award.start_on],
        },
        schema={
            "person_id": pl.Int64(),
            "household_id": pl.Int64(),
            "region": pl.String(),
            "award_id": pl.Int64(),
            "amount_qepik": pl.Int64(),
            "start_on": pl.Date(),
        },
    )
    granted = contacts_join(granted)
    letters_queue(source=source, granted=granted, on=on)
    usage_write(source, granted, on=on)


def person_reassess(
    *, award: Award, on: datetime.date, start_on: datetime.date, origin_reference: str
) -> Award | None:
    """Assess the holder of `award` again for its scheme on `on` (a commission changed the
    decision it rests on) and, when the rule now pays another amount, replace it from
    `start_on` with the new amount (`award_grant(supersedes=…)`, the same record a run
    writes). None when the amount is unchanged, the rule refuses (the award is left to its
    end by law) or the award was replaced meanwhile."""
    source = SOURCES[award.kind]
    person = award.person
    sheet = facts_gather(scheme=source.scheme, person=person, on=on)
    try:
        result = evaluate_case(get_scheme(source.scheme), sheet.values(), on=on)
    except FactError:
        return None
    if not result.outcome or result.amount_qepik == award.amount_qepik:
        return None
    steps = {step["name"]: step["value"] for step in result.trace["steps"]}
    with transaction.atomic():
        return award_grant(
            person=person,
            household=award.household,
            kind=award.kind,
            amount_qepik=result.amount_qepik,
            start_on=start_on,
            basis=basis_get_or_create(scheme=source.scheme, on=on),
            record=_record(source, sheet, steps),
            origin=AwardOrigin.PROACTIVE_RUN,
            origin_reference=origin_reference,
            supersedes=award,
        )
