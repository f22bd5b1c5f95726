# mypy: disable-error-code="arg-type,misc,attr-defined,no-untyped-def,return-value"
"""Awards end by law: a term, a re-examination date, an age limit, a death. Each story grants an
award as a decision would, moves the calendar on and runs the daily job as the scheduler does."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import translation

from meis.audit.models import AuditEvent
from meis.awards.models import Award, AwardEndReason, AwardKind, AwardStatus
from meis.awards.services import AwardError, awards_end_due
from meis.awards.services.backfill import end_dates_backfill
from meis.awards.tasks import awards_daily
from meis.awards.tests.factories import granted
from meis.core.scheduler import jobs_registered
from meis.lifeevents.models import Birth
from meis.notifications.models import Message, Status, Template
from meis.notifications.seed import templates_seed
from meis.notifications.services.delivery import outbox_deliver_due
from meis.notifications.tests.test_outbox import queue_decision
from meis.proactive.tests.factories import DisabilityDecisionFactory
from meis.registry.tests.factories import PersonFactory

MARCH_2020 = datetime.date(2020, 3, 1)


@pytest.fixture(autouse=True)
def _templates(db: None) -> None:
    templates_seed(Template)


def letters(person, event: str) -> list[Message]:
    return list(Message.objects.filter(person=person, event=event).order_by("channel"))


def run_on(day: datetime.date) -> str:
    """The scheduler's job on `day` (it reads the clock, as in production)."""
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(6)), tick=False):
        return awards_daily()


def test_the_scheduler_runs_the_daily_end_of_awards_every_hour() -> None:
    job = next(job for job in jobs_registered() if job.name == "awards.daily")

    assert job.interval == datetime.timedelta(hours=1)


# -- targeted assistance: twelve months, a reminder, the end -------------------------------------


def test_targeted_assistance_is_granted_for_twelve_months(db: None) -> None:
    award = granted(PersonFactory(), AwardKind.TARGETED_ASSISTANCE, MARCH_2020)

    assert award.end_on == datetime.date(2021, 2, 28)  # docs/domain.md §2: for 1 year


def test_the_renewal_reminder_goes_thirty_days_before_the_end_and_only_once(db: None) -> None:
    family_head = PersonFactory(preferred_language="en", verified_email="head@example.az")
    award = granted(family_head, AwardKind.TARGETED_ASSISTANCE, MARCH_2020)

    run_on(datetime.date(2021, 1, 28))  # 31 days before the last day: too early
    assert letters(family_head, "award_renewal_reminder") == []

    run_on(datetime.date(2021, 1, 29))
    reminders = letters(family_head, "award_renewal_reminder")
    assert [m.channel for m in reminders] == ["email", "portal", "sms"]
    assert "assigned until 28 February 2021" in reminders[0].body_text
    assert "/en/apply/targeted-social-assistance/" in reminders[0].body_text

    run_on(datetime.date(2021, 1, 29))
    run_on(datetime.date(2021, 2, 10))
    assert len(letters(family_head, "award_renewal_reminder")) == 3
    award.refresh_from_db()
    assert award.renewal_reminded_on == datetime.date(2021, 1, 29)


def test_twelve_months_later_the_assistance_ends_after_its_last_day_with_a_letter(
    db: None,
) -> None:
    family_head = PersonFactory(preferred_language="en")
    award = granted(family_head, AwardKind.TARGETED_ASSISTANCE, MARCH_2020)

    run_on(datetime.date(2021, 2, 28))
    award.refresh_from_db()
    assert award.status == AwardStatus.ACTIVE  # paid for its last day

    run_on(datetime.date(2021, 3, 1))
    award.refresh_from_db()
    assert (award.status, award.end_reason) == (AwardStatus.ENDED, AwardEndReason.TERM)
    [portal, sms] = letters(family_head, "award_ended")
    assert "last day paid: 28 February 2021" in sms.body_text
    assert "the period it was granted for ended" in portal.body_text


def test_applying_again_replaces_the_assistance_held_from_the_new_start(db: None) -> None:
    family_head = PersonFactory()
    first = granted(family_head, AwardKind.TARGETED_ASSISTANCE, MARCH_2020)

    renewal = granted(family_head, AwardKind.TARGETED_ASSISTANCE, datetime.date(2021, 2, 1))

    first.refresh_from_db()
    assert (first.status, first.end_reason) == (AwardStatus.ENDED, AwardEndReason.RENEWED)
    assert first.end_on == datetime.date(2021, 1, 31)
    assert renewal.supersedes == first
    assert renewal.end_on == datetime.date(2022, 1, 31)


# -- disability: the re-examination date, unless a newer decision continues it ------------------


def adult_with_decision(reexamine_on: datetime.date | None = datetime.date(2021, 3, 1)):
    person = PersonFactory(birth_on=datetime.date(1980, 1, 1), preferred_language="en")
    DisabilityDecisionFactory(
        person=person, degree="II", decided_on=MARCH_2020, reexamine_on=reexamine_on
    )
    return person


def test_a_disability_benefit_ends_six_months_after_a_missed_reexamination(db: None) -> None:
    person = adult_with_decision()  # re-examination on 1 March 2021
    award = granted(person, AwardKind.DISABILITY_BENEFIT, MARCH_2020)
    assert award.end_on == datetime.date(2021, 8, 31)  # docs/domain.md §4: six months' grace
    assert award.end_reason == ""

    run_on(datetime.date(2021, 3, 1))  # the date has passed: the grace keeps it held
    run_on(datetime.date(2021, 8, 31))
    award.refresh_from_db()
    assert award.status == AwardStatus.ACTIVE
    assert letters(person, "award_ended") == []

    run_on(datetime.date(2021, 9, 1))

    award.refresh_from_db()
    assert (award.status, award.end_reason) == (AwardStatus.ENDED, AwardEndReason.REEXAMINATION)
    assert award.end_on == datetime.date(2021, 8, 31)
    body = letters(person, "award_ended")[0].body_text
    assert "re-examination did not take place within the grace period" in body


def test_the_grace_ends_on_the_last_day_of_a_shorter_month(db: None) -> None:
    person = adult_with_decision(reexamine_on=datetime.date(2020, 8, 31))
    award = granted(person, AwardKind.DISABILITY_PENSION, MARCH_2020)
    assert award.end_on == datetime.date(2021, 2, 27)  # 31 August + 6 months = 28 February


def test_a_reexamination_within_the_grace_continues_the_award_without_a_gap(db: None) -> None:
    person = adult_with_decision()
    award = granted(person, AwardKind.DISABILITY_BENEFIT, MARCH_2020)
    run_on(datetime.date(2021, 5, 1))  # in the grace
    DisabilityDecisionFactory(
        person=person,
        degree="II",
        decided_on=datetime.date(2021, 5, 10),
        reexamine_on=datetime.date(2022, 8, 31),
    )

    run_on(datetime.date(2021, 5, 11))
    run_on(datetime.date(2021, 9, 1))

    award.refresh_from_db()
    assert (award.status, award.start_on) == (AwardStatus.ACTIVE, MARCH_2020)
    assert award.end_on == datetime.date(2023, 2, 27)  # the new date + 6 months, clamped, eve
    assert Award.objects.filter(person=person).count() == 1
    assert letters(person, "award_ended") == []


def test_a_death_within_the_grace_ends_the_award_by_death(db: None) -> None:
    person = adult_with_decision()
    award = granted(person, AwardKind.DISABILITY_BENEFIT, MARCH_2020)
    person.died_on = datetime.date(2021, 4, 17)
    person.save(update_fields=["died_on"])

    run_on(datetime.date(2021, 4, 18))

    award.refresh_from_db()
    assert (award.status, award.end_reason) == (AwardStatus.ENDED, AwardEndReason.DEATH)
    assert award.end_on == datetime.date(2021, 4, 30)


def test_a_newer_decision_continues_the_disability_benefit(db: None) -> None:
    person = adult_with_decision()
    award = granted(person, AwardKind.DISABILITY_BENEFIT, MARCH_2020)
    DisabilityDecisionFactory(
        person=person,
        degree="II",
        decided_on=datetime.date(2021, 2, 20),
        reexamine_on=datetime.date(2023, 2, 20),
    )

    run_on(datetime.date(2021, 3, 1))

    award.refresh_from_db()
    assert award.status == AwardStatus.ACTIVE
    assert award.end_on == datetime.date(2023, 8, 19)  # the new date + the grace, its eve
    assert letters(person, "award_ended") == []


def test_a_decision_without_reexamination_makes_the_award_run_on(db: None) -> None:
    person = adult_with_decision()
    award = granted(person, AwardKind.DISABILITY_PENSION, MARCH_2020)
    DisabilityDecisionFactory(
        person=person, degree="I", decided_on=datetime.date(2021, 2, 1), reexamine_on=None
    )

    run_on(datetime.date(2021, 2, 2))  # decided yesterday: continued before it falls due

    award.refresh_from_db()
    assert (award.status, award.end_on) == (AwardStatus.ACTIVE, None)


def test_an_indefinite_disability_gives_an_award_without_an_end(db: None) -> None:
    award = granted(adult_with_decision(None), AwardKind.DISABILITY_PENSION, MARCH_2020)

    assert award.end_on is None


# -- children: the age limit ---------------------------------------------------------------------


def test_a_disabled_childs_benefit_ends_at_eighteen(db: None) -> None:
    child = PersonFactory(birth_on=datetime.date(2005, 6, 10), preferred_language="en")
    DisabilityDecisionFactory(
        person=child, degree="child", decided_on=MARCH_2020, reexamine_on=datetime.date(2024, 3, 1)
    )
    award = granted(child, AwardKind.DISABLED_CHILD_BENEFIT, MARCH_2020)
    assert award.end_on == datetime.date(2023, 6, 9)  # the eve of the 18th birthday

    run_on(datetime.date(2023, 6, 10))

    award.refresh_from_db()
    assert (award.status, award.end_reason) == (AwardStatus.ENDED, AwardEndReason.AGE_LIMIT)
    assert "age limit" in letters(child, "award_ended")[0].body_text  # now an adult: to them


def test_a_minors_benefit_ended_by_reexamination_is_told_to_the_parents(db: None) -> None:
    mother = PersonFactory(preferred_language="en", first_name="Leyla", last_name="Əliyeva")
    child = PersonFactory(birth_on=datetime.date(2012, 5, 1), first_name="Murad")
    Birth.objects.create(child=child, mother=mother, born_on=child.birth_on)
    DisabilityDecisionFactory(
        person=child, degree="child", decided_on=MARCH_2020, reexamine_on=datetime.date(2021, 3, 1)
    )
    award = granted(child, AwardKind.DISABLED_CHILD_BENEFIT, MARCH_2020)

    run_on(datetime.date(2021, 9, 1))  # after the grace

    award.refresh_from_db()
    assert award.end_reason == AwardEndReason.REEXAMINATION
    assert letters(child, "award_ended") == []
    [portal, sms] = letters(mother, "award_ended_child")
    assert portal.subject.startswith("Disabled child benefit for Murad")
    assert portal.dedupe_key == f"award:{award.pk}:ended:to:{mother.pk}"


def test_the_benefit_for_a_child_under_one_ends_the_day_before_the_first_birthday(
    db: None,
) -> None:
    award = granted(
        PersonFactory(),
        AwardKind.CHILD_UNDER_ONE_BENEFIT,
        datetime.date(2020, 2, 29),
        facts={"born_on": "2020-02-29"},
    )

    assert award.end_on == datetime.date(2021, 2, 27)  # 29 February: the birthday is the 28th


# -- death ----------------------------------------------------------------------------------------


def test_a_death_ends_every_award_from_the_next_month_and_nothing_is_sent_to_the_dead(
    db: None, smtp_server
) -> None:
    pensioner = PersonFactory(birth_on=datetime.date(1950, 1, 1), verified_email="p@example.az")
    pension = granted(pensioner, AwardKind.OLD_AGE_PENSION, MARCH_2020)
    assistance = granted(pensioner, AwardKind.TARGETED_ASSISTANCE, MARCH_2020)
    [waiting_email] = [
        m for m in queue_decision(pensioner, dedupe_key="before-death") if m.channel == "email"
    ]
    pensioner.died_on = datetime.date(2020, 5, 17)
    pensioner.save(update_fields=["died_on"])
    messages_before = Message.objects.filter(person=pensioner).count()

    run_on(datetime.date(2020, 5, 18))
    outbox_deliver_due()

    for award in (pension, assistance):
        award.refresh_from_db()
        assert (award.status, award.end_reason) == (AwardStatus.ENDED, AwardEndReason.DEATH)
        assert award.end_on == datetime.date(2020, 5, 31)
    assert Message.objects.filter(person=pensioner).count() == messages_before
    waiting_email.refresh_from_db()
    assert waiting_email.status == Status.FAILED_PERMANENTLY
    assert "death" in waiting_email.last_error
    assert smtp_server.received == []


def test_an_award_granted_after_a_recorded_death_ends_with_that_month(db: None) -> None:
    person = PersonFactory(birth_on=datetime.date(1950, 1, 1), died_on=datetime.date(2020, 3, 9))

    award = granted(person, AwardKind.OLD_AGE_PENSION, MARCH_2020)

    assert award.end_on == datetime.date(2020, 3, 31)


# -- bad input ------------------------------------------------------------------------------------


def test_an_award_ending_before_it_starts_is_refused_with_a_clear_message(db: None) -> None:
    with (
        translation.override("en"),
        pytest.raises(AwardError, match=r"cannot end on 01\.02\.2020, before it starts on 01"),
    ):
        granted(
            PersonFactory(), AwardKind.OLD_AGE_PENSION, MARCH_2020, end_on=datetime.date(2020, 2, 1)
        )

    assert not Award.objects.exists()


def test_a_childs_benefit_from_after_the_age_limit_is_refused(db: None) -> None:
    adult = PersonFactory(birth_on=datetime.date(2001, 1, 10))
    DisabilityDecisionFactory(person=adult, degree="child", decided_on=datetime.date(2018, 1, 1))

    with (
        translation.override("en"),
        pytest.raises(AwardError, match=r"By law this award ends on 09\.01\.2019"),
    ):
        granted(adult, AwardKind.DISABLED_CHILD_BENEFIT, MARCH_2020)


# -- the job itself -------------------------------------------------------------------------------


def test_the_job_run_twice_changes_nothing_the_second_time(db: None) -> None:
    dying = PersonFactory(died_on=datetime.date(2021, 2, 3))
    granted(dying, AwardKind.OLD_AGE_PENSION, MARCH_2020)
    granted(PersonFactory(), AwardKind.TARGETED_ASSISTANCE, MARCH_2020)  # ended
    granted(PersonFactory(), AwardKind.TARGETED_ASSISTANCE, datetime.date(2020, 4, 1))  # reminded
    lapsed = adult_with_decision(reexamine_on=datetime.date(2020, 9, 1))
    granted(lapsed, AwardKind.DISABILITY_BENEFIT, MARCH_2020)  # ended after the grace
    day = datetime.date(2021, 3, 5)

    first = awards_end_due(on=day)
    state = list(Award.objects.order_by("id").values())
    messages = Message.objects.count()
    second = awards_end_due(on=day)

    assert (first.deaths, first.reminded) == (1, 1)
    assert first.ended == {"term": 1, "reexamination": 1}
    assert second.is_empty
    assert second.letters == 0
    assert list(Award.objects.order_by("id").values()) == state
    assert Message.objects.count() == messages
    assert AuditEvent.objects.filter(action="awards.end_due").count() == 1


def test_an_end_long_past_is_recorded_without_a_letter(db: None) -> None:
    person = PersonFactory()
    award = granted(person, AwardKind.TARGETED_ASSISTANCE, MARCH_2020)

    awards_end_due(on=datetime.date(2022, 6, 1))

    award.refresh_from_db()
    assert award.status == AwardStatus.ENDED
    assert letters(person, "award_ended") == []


def test_awards_granted_before_end_dates_existed_get_the_laws(db: None) -> None:
    person = PersonFactory()
    award = granted(person, AwardKind.TARGETED_ASSISTANCE, MARCH_2020)
    Award.objects.filter(pk=award.pk).update(end_on=None)

    assert end_dates_backfill() == 1

    award.refresh_from_db()
    assert award.end_on == datetime.date(2021, 2, 28)
