"""The disability register's demo (issue 17): the commissions at work on one person's story.

The reference data (a polyclinic per region, the central and the regional commissions, their
sittings) and the demo staff's places in it (`demo-clinic` refers from Baku's central
polyclinic; `demo-commission` chairs and `demo-commission-2` sits on Baku's regional commission
No. 1; `demo-central` and `demo-central-2` on the central commission, which takes the appeals).
Only those two commissions have members, so the draw is between them.

Then one person's story, dated in the recent past so that it is complete on the demo's day: the
polyclinic refers them, a commission decides degree II with a re-examination in a year (the SMS
and the signed extract), the next day's proactive run grants the benefit, the person appeals and
the other commission lowers the degree, and the payment is recalculated. Idempotent: a person
with a demo referral is not referred again.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction

from meis.accounts.services import citizen_account_get_or_create
from meis.demo.employers import _as_demo_citizen
from meis.demo.people import DemoCitizen, demo_citizens
from meis.disability.models import Referral, ReferralKind
from meis.disability.reference import CENTRAL, clinic_staff_add, member_add, reference_load
from meis.disability.services import (
    OPEN_STATES,
    DecisionDraft,
    decision_draft,
    decision_sign,
    referral_issue,
    self_referral_request,
)
from meis.disability.terms import add_months
from meis.insurance.models import InsuranceAccount
from meis.lifeevents.models import DisabilityDecision
from meis.proactive.services import run_daily
from meis.registry.models import IdentityDocument, Person, Region
from meis.registry.selectors import document_valid_q

REGIONAL = "tsek-baku-1"
STORY_DAYS_AGO = 21
# The least record the disability labour pension asks (60 months up to age 30, more after).
SHORT_RECORD_MONTHS = 60


@dataclass(frozen=True)
class DemoDisability:
    person: DemoCitizen | None
    first: DisabilityDecision | None
    appeal: DisabilityDecision | None


def disability_demo_load(*, on: datetime.date) -> DemoDisability:
    reference_load(on=on)
    users = {u.username: u for u in User.objects.filter(username__startswith="demo-")}
    member_add(user=users["demo-commission"], commission_code=REGIONAL, is_chair=True)
    member_add(user=users["demo-commission-2"], commission_code=REGIONAL)
    member_add(user=users["demo-central"], commission_code=CENTRAL, is_chair=True)
    member_add(user=users["demo-central-2"], commission_code=CENTRAL)
    clinic_staff_add(user=users["demo-clinic"], institution_code=f"poly-{Region.BAKU.value}")
    done = Referral.objects.filter(kind=ReferralKind.INITIAL, issued_by=users["demo-clinic"])
    # The story's referral is the demo clinic's first (the waiting ones come after it).
    first = done.select_related("person").order_by("pk").first()
    if first is not None:
        person: Person | None = first.person
    else:
        person = _person(on)
        if person is not None:
            _story(person, users, on)
    _waiting(users, on)
    if person is None:  # a small demo registry where everyone has a decision already
        return DemoDisability(None, None, None)
    decisions = DisabilityDecision.objects.filter(person=person).order_by("decided_on", "pk")
    return DemoDisability(
        _as_demo_citizen(person, on),
        decisions.filter(examination="initial").first(),
        decisions.filter(examination="appeal").first(),
    )


def _person(on: datetime.date) -> Person | None:
    """A living Baku resident of 30 to 55 with a verified phone and a valid document, with no
    decision and none of the demo's other roles, and too short an insurance record for the
    labour pension: the disability benefit they get is the degree's, so the appeal changes it
    (the labour pension is the insurance capital's, whatever the degree)."""
    taken = {c.fin for c in demo_citizens(on=on, count=3)}
    insured = InsuranceAccount.objects.filter(record_months__gte=SHORT_RECORD_MONTHS)
    documented = IdentityDocument.objects.filter(document_valid_q(on=on)).values("person_id")
    return (
        Person.objects.filter(
            region=Region.BAKU,
            died_on__isnull=True,
            verified_phone__isnull=False,
            birth_on__gt=on.replace(year=on.year - 55),
            birth_on__lte=on.replace(year=on.year - 30),
            pk__in=documented,
        )
        .exclude(fin__in=taken)
        .exclude(pk__in=insured.values("person_id"))
        .exclude(disability_decisions__isnull=False)
        .exclude(disability_referrals__isnull=False)
        .exclude(awards__isnull=False)
        .order_by("pk")
        .first()
    )


def _story(person: Person, users: dict[str, User], on: datetime.date) -> None:
    referred_on = on - datetime.timedelta(days=STORY_DAYS_AGO)
    decided_on = referred_on + datetime.timedelta(days=4)
    with transaction.atomic():
        referral = referral_issue(
            actor=users["demo-clinic"],
            fin=person.fin,
            kind=ReferralKind.INITIAL,
            diagnoses="G35, G82.1",
            summary=(
                "Relapsing-remitting multiple sclerosis since 2019; lower paraparesis; walks "
                "100 m with two sticks. MRI 2026: new lesions."
            ),
            on=referred_on,
        )
        chair, member = _members(referral, users)
        decision = decision_draft(
            actor=chair,
            referral=referral,
            on=decided_on,
            draft=DecisionDraft(
                is_established=True,
                degree="II",
                percentage=70,
                categories=["mobility", "work"],
                cause="general_illness",
                reexamine_on=add_months(decided_on, 12),
                reasoning="Persistent moderate-to-severe impairment of mobility (70 %).",
            ),
        )
        decision_sign(actor=chair, decision=decision, on=decided_on)
        decision_sign(actor=member, decision=decision, on=decided_on)
    # The next day's proactive run grants the pension or the benefit.
    run_daily(on=decided_on + datetime.timedelta(days=1))
    appealed_on = decided_on + datetime.timedelta(days=7)
    appeal_decided_on = appealed_on + datetime.timedelta(days=5)
    with transaction.atomic():
        appeal = self_referral_request(
            person=person,
            kind=ReferralKind.APPEAL,
            grounds="I ask to be examined in person: my walking has improved since the MRI.",
            actor=citizen_account_get_or_create(person=person),
            on=appealed_on,
        )
        chair, member = _members(appeal, users)
        lowered = decision_draft(
            actor=chair,
            referral=appeal,
            on=appeal_decided_on,
            draft=DecisionDraft(
                is_established=True,
                degree="III",
                percentage=50,
                categories=["work"],
                cause="general_illness",
                reexamine_on=add_months(appeal_decided_on, 12),
                reasoning="Examined in person: moderate impairment of mobility (50 %).",
            ),
        )
        decision_sign(actor=chair, decision=lowered, on=appeal_decided_on)
        decision_sign(actor=member, decision=lowered, on=appeal_decided_on)


def _waiting(users: dict[str, User], on: datetime.date) -> None:
    """A referral waiting with each of the two commissions, to decide in the demo (the draw is
    random: the polyclinic refers people until each commission has one). A person with a
    decision already is referred for a re-examination."""
    for _ in range(12):
        open_with = set(
            Referral.objects.filter(
                issued_by=users["demo-clinic"], state__in=OPEN_STATES
            ).values_list("commission__code", flat=True)
        )
        if {REGIONAL, CENTRAL} <= open_with:
            return
        person = _referable(on)
        if person is None:
            return
        decided = DisabilityDecision.objects.filter(person=person).exists()
        referral_issue(
            actor=users["demo-clinic"],
            fin=person.fin,
            kind=ReferralKind.REEXAMINATION if decided else ReferralKind.INITIAL,
            diagnoses="I69.3, I10",
            summary=(
                "Ischaemic stroke in 2025; right-sided hemiparesis, walks with a cane; "
                "arterial hypertension."
            ),
            on=on,
        )


def _referable(on: datetime.date) -> Person | None:
    """A living adult of Baku with a valid document and no referral, not a printed citizen."""
    taken = {c.fin for c in demo_citizens(on=on, count=3)}
    documented = IdentityDocument.objects.filter(document_valid_q(on=on)).values("person_id")
    return (
        Person.objects.filter(
            region=Region.BAKU,
            died_on__isnull=True,
            birth_on__lte=on.replace(year=on.year - 18),
            pk__in=documented,
        )
        .exclude(fin__in=taken)
        .exclude(disability_referrals__isnull=False)
        .order_by("pk")
        .first()
    )


def _members(referral: Referral, users: dict[str, User]) -> tuple[User, User]:
    if referral.commission.code == CENTRAL:
        return users["demo-central"], users["demo-central-2"]
    return users["demo-commission"], users["demo-commission-2"]
