"""The issue's story through the services: a clinic refers, a commission decides degree II
with a re-examination in a year, the person is told and gets the signed extract, the next daily
run grants the benefit, the reminder arrives, an appeal at another commission lowers the degree
and the payment is recalculated from the appeal's date."""

from __future__ import annotations

import datetime
from typing import cast

import pytest
from django.utils import timezone, translation

from meis.accounts.services import citizen_account_get_or_create
from meis.awards.models import HELD_STATUSES, Award, AwardKind
from meis.certificates.models import Certificate
from meis.disability.models import Referral, ReferralKind, ReferralState
from meis.disability.services import (
    DecisionDraft,
    decision_draft,
    decision_sign,
    referral_issue,
    reminders_send,
    self_referral_request,
)
from meis.disability.terms import add_months
from meis.lifeevents.models import DisabilityDecision
from meis.notifications.models import Message
from meis.proactive.services import run_daily
from meis.registry.models import Person
from meis.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_referral_decision_benefit_reminder_appeal(doctor, regional, central):
    today = timezone.localdate()
    person = cast(
        Person, PersonFactory(birth_on=datetime.date(1980, 3, 1), verified_phone="+994501112233")
    )

    referral = referral_issue(
        actor=doctor,
        fin=person.fin.lower(),
        kind=ReferralKind.INITIAL,
        diagnoses="G35, g82.1",
        summary="Multiple sclerosis, lower paraparesis; walks with two sticks.",
    )
    assert referral.diagnoses == ["G35", "G82.1"]
    assert referral.commission.code in ("tsek-baku-1", "tsek-central")
    chair, member = regional if referral.commission.code == "tsek-baku-1" else central
    assert Message.objects.filter(person=person, event="disability_referral").exists()

    in_a_year = add_months(today, 12)
    decision = decision_draft(
        actor=chair,
        referral=referral,
        draft=DecisionDraft(
            is_established=True,
            degree="II",
            percentage=70,
            categories=["mobility", "work"],
            cause="general_illness",
            reexamine_on=in_a_year,
            reasoning="Persistent moderate-to-severe impairment of mobility.",
        ),
    )
    decision_sign(actor=chair, decision=decision)
    assert not DisabilityDecision.objects.filter(person=person).exists()  # one signature of two
    decision_sign(actor=member, decision=decision)

    decided = DisabilityDecision.objects.get(person=person)
    assert (decided.degree, decided.percentage, decided.reexamine_on) == ("II", 70, in_a_year)
    assert decided.examination == "initial"
    assert decided.commission_name == referral.commission.name
    assert Certificate.objects.filter(disability_decision=decided).count() == 1
    letter = Message.objects.get(person=person, event="disability_decision", channel="sms")
    assert "II" in letter.body_text
    assert "70 %" in letter.body_text
    assert Referral.objects.get(pk=referral.pk).state == ReferralState.SIGNED

    # The next day's proactive run grants the disability benefit (no pension record).
    run_daily(on=today + datetime.timedelta(days=1))
    benefit = Award.objects.get(person=person, status__in=HELD_STATUSES)
    assert benefit.kind in (AwardKind.DISABILITY_BENEFIT, AwardKind.DISABILITY_PENSION)

    # A month before the re-examination the reminder arrives, once.
    assert reminders_send(on=in_a_year - datetime.timedelta(days=20)) == 1
    assert reminders_send(on=in_a_year - datetime.timedelta(days=19)) == 0
    assert Message.objects.filter(person=person, event="disability_reminder").exists()

    # Ten days after the decision the person appeals; another commission examines them and
    # finds degree III: the benefit is recalculated from the appeal's decision.
    appeal_day = today + datetime.timedelta(days=10)
    appeal = self_referral_request(
        person=person,
        kind=ReferralKind.APPEAL,
        grounds="I disagree with the degree.",
        actor=citizen_account_get_or_create(person=person),
        on=appeal_day,
    )
    assert appeal.commission_id != referral.commission_id
    assert appeal.reviews == decided
    assert appeal.case_reference
    other_chair, other_member = central if appeal.commission.code == "tsek-central" else regional
    lowered = decision_draft(
        actor=other_chair,
        referral=appeal,
        on=appeal_day,
        draft=DecisionDraft(
            is_established=True,
            degree="III",
            percentage=45,
            categories=["work"],
            cause="general_illness",
            reexamine_on=add_months(appeal_day, 12),
            reasoning="Examined in person: moderate impairment.",
        ),
    )
    decision_sign(actor=other_chair, decision=lowered, on=appeal_day)
    decision_sign(actor=other_member, decision=lowered, on=appeal_day)

    held = Award.objects.get(person=person, status__in=HELD_STATUSES)
    assert held.pk != benefit.pk
    assert held.start_on == appeal_day
    assert held.amount_qepik < benefit.amount_qepik
    assert DisabilityDecision.objects.filter(person=person, examination="appeal").count() == 1
    letters = Message.objects.filter(person=person, event="disability_decision", channel="portal")
    with translation.override(person.preferred_language):
        recalculated = str(AwardKind(held.kind).label)
    assert recalculated in letters.latest("pk").body_text
