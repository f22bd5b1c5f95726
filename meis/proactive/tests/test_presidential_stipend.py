# mypy: disable-error-code="arg-type,misc,attr-defined,no-untyped-def,return-value"
"""The Presidential stipend granted from the veterans' registers, without an application."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings

from meis.awards.models import Award, AwardKind
from meis.awards.services import award_grant, basis_get_or_create
from meis.core import bulk
from meis.eligibility.selectors import facts_gather
from meis.notifications.models import Message, Template
from meis.notifications.seed import templates_seed
from meis.proactive.services.pipeline import run_execute, run_start
from meis.proactive.sources import PRESIDENTIAL_STIPEND
from meis.proactive.tests.factories import DisabilityDecisionFactory
from meis.registry.tests.factories import PersonFactory
from meis.rules.schemes import get_scheme
from meis.usage.models import UsageEvent
from meis.veterans.tests.factories import StipendStatusFactory

DAY = datetime.date(2020, 3, 2)
YESTERDAY = datetime.date(2020, 3, 1)
SCHEME = ["presidential_stipend"]


@pytest.fixture(autouse=True)
def _templates(db: None) -> None:
    templates_seed(Template)


def daily(on: datetime.date = DAY):
    return run_execute(run_start(on=on, schemes=SCHEME))


@override_settings(PROACTIVE_FOUR_EYES_THRESHOLD=1000)
def full(on: datetime.date = DAY):
    return run_execute(run_start(on=on, mode="full", schemes=SCHEME))


def stipends(person) -> list[Award]:
    return list(Award.objects.filter(person=person, kind=AwardKind.PRESIDENTIAL_STIPEND))


def test_a_status_recorded_yesterday_grants_the_stipend_with_its_letter(db: None) -> None:
    status = StipendStatusFactory(degree="I", person=PersonFactory(preferred_language="en"))

    daily()

    (award,) = stipends(status.person)
    assert (award.amount_qepik, award.start_on) == (40000, YESTERDAY)
    assert award.exclusivity_group == "presidential_stipend"
    letter = Message.objects.filter(person=status.person, event="proactive_award").first()
    assert letter is not None
    assert letter.language == "en"
    assert "Presidential stipend" in letter.body_text


def test_a_full_run_grants_every_status_holder_once(db: None) -> None:
    old = StipendStatusFactory(
        category="wwii_veteran", degree="", recorded_on=datetime.date(2019, 5, 9)
    )

    full()
    full(DAY + datetime.timedelta(days=1))
    daily(DAY + datetime.timedelta(days=2))

    (award,) = stipends(old.person)
    assert award.amount_qepik == 30000
    assert Message.objects.filter(person=old.person, event="proactive_award").count() >= 1
    letters = Message.objects.filter(person=old.person, event="proactive_award")
    assert letters.values("dedupe_key").distinct().count() == 1


def test_a_second_daily_run_grants_nothing_more(db: None) -> None:
    status = StipendStatusFactory()

    daily()
    run_execute(run_start(on=DAY + datetime.timedelta(days=1), schemes=SCHEME))
    full()

    assert len(stipends(status.person)) == 1


def test_several_categories_pay_one_stipend_the_highest(db: None) -> None:
    person = PersonFactory()
    StipendStatusFactory(person=person, degree="III")  # 300 AZN in 2020
    StipendStatusFactory(person=person, category="martyr_family", degree="")  # 500 AZN

    daily()

    (award,) = stipends(person)
    assert award.amount_qepik == 50000
    assert award.record["steps"]["paid_category"] == "martyr_family"


def test_the_dead_get_no_stipend(db: None) -> None:
    status = StipendStatusFactory(person=PersonFactory(died_on=datetime.date(2020, 2, 1)))

    daily()
    full()

    assert stipends(status.person) == []


def test_a_patriotic_war_hero_title_is_not_paid_before_it_existed(db: None) -> None:
    status = StipendStatusFactory(category="patriotic_war_hero", degree="")

    daily()

    assert stipends(status.person) == []


def test_the_stipend_combines_with_a_disability_pension(db: None) -> None:
    status = StipendStatusFactory(degree="I")
    DisabilityDecisionFactory(person=status.person, degree="I", decided_on=YESTERDAY)

    run_execute(run_start(on=DAY))  # the day's default run: pensions, benefits and stipends

    kinds = set(Award.objects.filter(person=status.person).values_list("kind", flat=True))
    assert AwardKind.PRESIDENTIAL_STIPEND in kinds


def test_a_held_stipend_excludes_a_second_one(db: None) -> None:
    status = StipendStatusFactory(degree="III")
    daily()
    StipendStatusFactory(person=status.person, category="national_hero", degree="", recorded_on=DAY)

    daily(DAY + datetime.timedelta(days=1))

    assert len(stipends(status.person)) == 1


def test_a_grant_counts_among_the_stipends_assigned_proactively(db: None) -> None:
    status = StipendStatusFactory()

    daily()

    assert stipends(status.person)
    assert UsageEvent.objects.filter(kind="proactive", service_code="stipend").count() == 1


# -- the degree-I disabled without a labour pension (decree No. 128 of 17 March 2014) -----------

FIRST_DEGREE_2020 = 6_000  # 60 AZN a month (the 2014 amount, carried to 2023: a [M] decision)


def held(person, kind: str, start_on: datetime.date = datetime.date(2019, 6, 1)) -> Award:
    award = award_grant(
        person=person,
        kind=kind,
        amount_qepik=20_000,
        start_on=start_on,
        basis=basis_get_or_create(scheme=kind, on=start_on),
        record={},
    )
    assert award is not None
    return award


def letters(person) -> int:
    return Message.objects.filter(person=person, event="proactive_award").count()


def test_a_degree_one_decision_yesterday_grants_the_stipend_beside_the_benefit(db: None) -> None:
    person = PersonFactory(preferred_language="en")  # no insurance record: no pension right
    DisabilityDecisionFactory(person=person, degree="I", decided_on=YESTERDAY)

    run_execute(run_start(on=DAY))  # the day's default run: pensions, benefits and stipends

    kinds = set(Award.objects.filter(person=person).values_list("kind", flat=True))
    assert kinds == {AwardKind.DISABILITY_BENEFIT, AwardKind.PRESIDENTIAL_STIPEND}
    (award,) = stipends(person)
    assert (award.amount_qepik, award.start_on) == (FIRST_DEGREE_2020, YESTERDAY)
    assert award.record["facts"]["is_first_degree_disabled_without_pension"] is True
    assert award.record["steps"]["paid_category"] == "first_degree_disabled"
    letter = Message.objects.filter(
        person=person, event="proactive_award", body_text__contains="Presidential stipend"
    ).first()
    assert letter is not None
    assert letter.language == "en"


def test_a_full_run_grants_the_degree_one_disabled_holding_the_benefit(db: None) -> None:
    decided_on = datetime.date(2019, 5, 20)
    decision = DisabilityDecisionFactory(degree="I", decided_on=decided_on)
    held(decision.person, AwardKind.DISABILITY_BENEFIT, start_on=decided_on)

    full()
    full(DAY + datetime.timedelta(days=1))

    (award,) = stipends(decision.person)
    assert (award.amount_qepik, award.start_on) == (FIRST_DEGREE_2020, decided_on)
    assert letters(decision.person) >= 1


def test_a_degree_one_person_holding_a_disability_pension_gets_no_stipend(db: None) -> None:
    decision = DisabilityDecisionFactory(degree="I", decided_on=YESTERDAY)
    held(decision.person, AwardKind.DISABILITY_PENSION, start_on=YESTERDAY)

    daily()
    full()

    assert stipends(decision.person) == []


def test_the_day_s_disability_pension_excludes_the_degree_one_stipend(db: None) -> None:
    decision = DisabilityDecisionFactory(degree="I", decided_on=YESTERDAY)
    # Any held labour pension counts, a suspended old-age pension too.
    pension = held(decision.person, AwardKind.OLD_AGE_PENSION)
    Award.objects.filter(pk=pension.pk).update(status="suspended")

    daily()

    assert stipends(decision.person) == []


def test_degree_two_is_not_the_degree_one_category(db: None) -> None:
    decision = DisabilityDecisionFactory(degree="II", decided_on=YESTERDAY)

    daily()
    full()

    assert stipends(decision.person) == []


def test_a_lapsed_or_superseded_degree_one_decision_grants_nothing(db: None) -> None:
    lapsed = DisabilityDecisionFactory(
        degree="I", decided_on=datetime.date(2018, 2, 1), reexamine_on=datetime.date(2020, 2, 1)
    )
    superseded = DisabilityDecisionFactory(degree="I", decided_on=datetime.date(2018, 2, 1))
    DisabilityDecisionFactory(person=superseded.person, degree="III", decided_on=YESTERDAY)

    daily()
    full()

    assert stipends(lapsed.person) == stipends(superseded.person) == []


def test_a_war_disabled_person_of_degree_one_gets_one_stipend_the_highest(db: None) -> None:
    status = StipendStatusFactory(degree="I", recorded_on=datetime.date(2019, 5, 9))
    DisabilityDecisionFactory(person=status.person, degree="I", decided_on=YESTERDAY)

    run_execute(run_start(on=DAY))
    full(DAY + datetime.timedelta(days=1))

    (award,) = stipends(status.person)
    assert award.amount_qepik == 40_000  # the war-disabled degree-I stipend, not 400 + 60
    assert award.record["steps"]["paid_category"] == "war_disabled"
    assert award.record["facts"]["is_first_degree_disabled_without_pension"] is True


def _source_rows(on: datetime.date) -> dict[int, dict[str, object]]:
    where, params = PRESIDENTIAL_STIPEND.full_filter(on)
    sql = PRESIDENTIAL_STIPEND.select_sql(where, (0, 10**12))
    frame = bulk.frame_read(sql, params, PRESIDENTIAL_STIPEND.columns)
    return {row["person_id"]: row for row in frame.iter_rows(named=True)}


def test_the_gatherer_and_the_source_read_the_degree_one_category_alike(db: None) -> None:
    on = DAY
    early, later = datetime.date(2018, 4, 1), datetime.date(2019, 9, 1)
    with_benefit = DisabilityDecisionFactory(degree="I", decided_on=later).person
    held(with_benefit, AwardKind.DISABILITY_BENEFIT, start_on=later)
    with_pension = StipendStatusFactory(category="wwii_veteran", degree="").person
    DisabilityDecisionFactory(person=with_pension, degree="I", decided_on=later)
    held(with_pension, AwardKind.DISABILITY_PENSION, start_on=later)
    lapsed = StipendStatusFactory(category="martyr_family", degree="").person
    DisabilityDecisionFactory(person=lapsed, degree="I", decided_on=early, reexamine_on=on)
    downgraded = StipendStatusFactory(degree="III", recorded_on=early).person
    DisabilityDecisionFactory(person=downgraded, degree="I", decided_on=early)
    DisabilityDecisionFactory(person=downgraded, degree="II", decided_on=later)
    # A later decision whose re-examination date has passed is not in force: the earlier
    # degree-I one is the latest in force.
    earlier_in_force = DisabilityDecisionFactory(degree="I", decided_on=early).person
    DisabilityDecisionFactory(
        person=earlier_in_force, degree="II", decided_on=later, reexamine_on=YESTERDAY
    )
    war_and_first = StipendStatusFactory(degree="II", recorded_on=early).person
    DisabilityDecisionFactory(person=war_and_first, degree="I", decided_on=later)
    not_yet = DisabilityDecisionFactory(degree="I", decided_on=DAY + datetime.timedelta(1)).person

    rows = _source_rows(on)

    expected = {
        with_benefit: True,
        with_pension: False,
        lapsed: False,
        downgraded: False,
        earlier_in_force: True,
        war_and_first: True,
    }
    assert not_yet.pk not in rows  # a decision after the day is not read
    assert set(rows) == {person.pk for person in expected}
    names = get_scheme("presidential_stipend").fact_names
    for person, is_first in expected.items():
        sheet = facts_gather(scheme="presidential_stipend", person=person, on=on)
        row = rows[person.pk]
        assert row["is_first_degree_disabled_without_pension"] is is_first, person
        assert {n: sheet.facts[n].value for n in names} == {n: row[n] for n in names}, person
        assert sheet.context["status_on"] == row["status_on"], person
