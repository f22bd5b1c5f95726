"""Issue 17's done-when, in the demo: a clinic referred a person, a commission decided degree II
with a re-examination in a year, the person got the SMS and the signed extract (verifiable by
its code), the next daily run granted the payment, an appeal at the other commission lowered
the degree and the payment was recalculated; the reminder arrives before the re-examination;
Presidential stipends were granted proactively with their letters."""

import datetime

import pytest
import time_machine
from django.core.management import call_command

from meis.awards.models import HELD_STATUSES, Award, AwardKind
from meis.certificates.models import Certificate
from meis.demo import people
from meis.disability.models import Referral
from meis.disability.services import reminders_send
from meis.lifeevents.models import DisabilityDecision
from meis.notifications.models import Message

pytestmark = pytest.mark.django_db

ON = datetime.datetime(2026, 6, 1, 9, tzinfo=datetime.UTC)


@pytest.fixture
def demo(settings, monkeypatch, tmp_path, capsys):
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(people, "DEMO_PEOPLE", 300)
    with time_machine.travel(ON):
        call_command("demo", "load")
        yield capsys.readouterr().out


def test_the_demo_tells_the_disability_story(demo):
    assert "Demo person with a disability decision (degree II on" in demo
    fin = demo.split("Demo person with a disability decision")[1].splitlines()[1].split()[0]
    first = DisabilityDecision.objects.get(person__fin=fin, examination="initial")
    appeal = DisabilityDecision.objects.get(person__fin=fin, examination="appeal")
    assert (first.degree, appeal.degree) == ("II", "III")
    assert first.reexamine_on is not None
    assert appeal.reexamine_on is not None
    assert first.reexamine_on.year == first.decided_on.year + 1
    referrals = Referral.objects.filter(person__fin=fin).order_by("assigned_on")
    assert referrals[0].commission != referrals[1].commission  # the appeal went elsewhere

    # The SMS and the signed extracts, each verifiable by its code.
    assert (
        Message.objects.filter(
            person=first.person, event="disability_decision", channel="sms"
        ).count()
        == 2
    )
    assert Certificate.objects.filter(disability_decision__in=[first, appeal]).count() == 2

    # The payment granted the day after the decision, then recalculated from the appeal's.
    awards = Award.objects.filter(person=first.person).order_by("start_on")
    granted, recalculated = awards[0], awards.get(status__in=HELD_STATUSES)
    assert granted.start_on == first.decided_on
    assert granted.kind == AwardKind.DISABILITY_BENEFIT
    assert recalculated.amount_qepik < granted.amount_qepik  # degree III's amount
    assert recalculated.start_on == appeal.decided_on
    assert granted.end_on == appeal.decided_on - datetime.timedelta(days=1)

    # A month before the re-examination the reminder arrives.
    with time_machine.travel(ON):
        reminders_send(on=appeal.reexamine_on - datetime.timedelta(days=25))
    assert Message.objects.filter(person=first.person, event="disability_reminder").exists()

    # Presidential stipends were granted proactively, each with its letter.
    stipends = Award.objects.filter(kind=AwardKind.PRESIDENTIAL_STIPEND)
    assert stipends.exists()
    assert Message.objects.filter(
        person_id__in=stipends.values("person_id"), event="proactive_award"
    ).exists()
