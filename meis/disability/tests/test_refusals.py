"""Bad input, refused with a clear message and nothing written; access attempts audited."""

from __future__ import annotations

import datetime
from typing import cast

import pytest
from django.utils import timezone

from meis.audit.models import AuditAction, AuditEvent
from meis.disability.models import Referral, ReferralKind, Sitting
from meis.disability.services import (
    DecisionDraft,
    DisabilityError,
    decision_draft,
    decision_sign,
    examination_book,
    overdue_escalate,
    referral_extend,
    referral_issue,
    self_referral_check,
)
from meis.disability.terms import add_months
from meis.lifeevents.models import DisabilityDecision
from meis.registry.models import Person
from meis.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _person(**fields: object) -> Person:
    return cast(Person, PersonFactory(**fields))


def _refer(doctor, person: Person) -> Referral:
    return referral_issue(
        actor=doctor,
        fin=person.fin,
        kind=ReferralKind.INITIAL,
        diagnoses="I63.9",
        summary="Stroke with right hemiparesis.",
    )


def _draft(**changes: object) -> DecisionDraft:
    today = timezone.localdate()
    values: dict[str, object] = {
        "is_established": True,
        "degree": "II",
        "percentage": 70,
        "categories": ["mobility"],
        "cause": "general_illness",
        "reexamine_on": add_months(today, 12),
        "reasoning": "Moderate-to-severe impairment.",
    }
    values.update(changes)
    return DecisionDraft(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fin", "message"),
    [
        ("12", "A FİN is 7 characters"),
        ("ZZZZZZZ", "No person with this FİN"),
        ("5AB\x00123", "A FİN is 7 characters"),
    ],
)
def test_a_referral_for_an_unknown_or_malformed_fin_is_refused(doctor, regional, fin, message):
    with pytest.raises(DisabilityError, match=message):
        referral_issue(actor=doctor, fin=fin, kind="initial", diagnoses="G35", summary="Summary.")
    assert not Referral.objects.exists()


def test_a_referral_for_a_dead_person_is_refused(doctor, regional):
    person = _person(died_on=datetime.date(2024, 1, 5))
    with pytest.raises(DisabilityError, match="death"):
        _refer(doctor, person)
    assert not Referral.objects.exists()


def test_a_clinic_cannot_refer_outside_its_catchment_and_the_attempt_is_audited(
    doctor_elsewhere, regional
):
    person = _person()  # lives in Baku; the doctor works in Ganja
    with pytest.raises(DisabilityError, match="catchment"):
        _refer(doctor_elsewhere, person)
    assert not Referral.objects.exists()
    refusal = AuditEvent.objects.get(action=AuditAction.ACCESS_REFUSED, person=person)
    assert refusal.actor == doctor_elsewhere


@pytest.mark.parametrize(
    ("codes", "message"),
    [("", "at least one"), ("XYZ", "not an ICD-10 code"), ("U07.1", "not an ICD-10 code")],
)
def test_malformed_diagnosis_codes_are_named(doctor, regional, codes, message):
    with pytest.raises(DisabilityError, match=message):
        referral_issue(
            actor=doctor, fin=_person().fin, kind="initial", diagnoses=codes, summary="S."
        )


def test_a_summary_with_a_nul_byte_is_refused(doctor, regional):
    with pytest.raises(DisabilityError, match="cannot be stored"):
        referral_issue(
            actor=doctor, fin=_person().fin, kind="initial", diagnoses="G35", summary="a\x00b"
        )


def test_a_second_referral_waits_for_the_first(doctor, regional):
    person = _person()
    _refer(doctor, person)
    with pytest.raises(DisabilityError, match="already has a referral"):
        _refer(doctor, person)
    assert Referral.objects.count() == 1


def test_only_medical_staff_refer(regional):
    chair, _member = regional
    with pytest.raises(DisabilityError, match="medical institution"):
        _refer(chair, _person())


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"percentage": 50}, "band of degree III, not degree II"),
        ({"percentage": 20}, "below 31 %"),
        ({"percentage": 120}, "outside the bands"),
        ({"percentage": None}, "Give the percentage"),
        ({"reexamine_on": datetime.date(2020, 1, 1)}, "after the decision"),
        ({"reexamine_on": None}, "Give the re-examination date"),
        ({"indefinite": True}, "only after 15 years"),
        ({"degree": "child"}, "Choose degree I, II or III"),
        ({"cause": "aliens"}, "Choose the cause"),
        ({"categories": ["flying"]}, "categories from the list"),
        ({"reasoning": ""}, "reasoning"),
        ({"reexamine_on": datetime.date(2099, 1, 1)}, "at the latest"),
    ],
)
def test_a_decision_outside_the_law_is_refused(doctor, regional, changes, message):
    chair, _member = regional
    referral = _refer(doctor, _person())
    with pytest.raises(DisabilityError, match=message):
        decision_draft(actor=chair, referral=referral, draft=_draft(**changes))
    assert not hasattr(Referral.objects.get(pk=referral.pk), "decision")


def test_a_child_gets_the_child_category_not_a_degree(doctor, regional):
    chair, _member = regional
    child = _person(birth_on=timezone.localdate().replace(year=timezone.localdate().year - 9))
    referral = _refer(doctor, child)
    with pytest.raises(DisabilityError, match="under 18"):
        decision_draft(actor=chair, referral=referral, draft=_draft())
    decision = decision_draft(actor=chair, referral=referral, draft=_draft(degree="child"))
    assert decision.degree == "child"


def test_fifteen_years_of_disability_allow_a_decision_without_re_examination(doctor, regional):
    chair, _member = regional
    person = _person()
    DisabilityDecision.objects.create(
        person=person,
        degree="II",
        decided_on=datetime.date(2008, 3, 1),
        reexamine_on=datetime.date(2009, 3, 1),
    )
    referral = referral_issue(
        actor=doctor, fin=person.fin, kind="reexamination", diagnoses="G35", summary="S."
    )
    decision = decision_draft(
        actor=chair, referral=referral, draft=_draft(indefinite=True, reexamine_on=None)
    )
    assert decision.reexamine_on is None


def test_a_member_signs_once(doctor, regional):
    chair, _member = regional
    referral = _refer(doctor, _person())
    decision = decision_draft(actor=chair, referral=referral, draft=_draft())
    decision_sign(actor=chair, decision=decision)
    with pytest.raises(DisabilityError, match="signed this decision already"):
        decision_sign(actor=chair, decision=decision)
    assert decision.signatures.count() == 1


def test_a_signed_draft_cannot_be_rewritten(doctor, regional):
    chair, _member = regional
    referral = _refer(doctor, _person())
    decision = decision_draft(actor=chair, referral=referral, draft=_draft())
    decision_sign(actor=chair, decision=decision)
    with pytest.raises(DisabilityError, match="no longer be changed"):
        decision_draft(actor=chair, referral=referral, draft=_draft(percentage=75))


def test_a_member_of_another_commission_is_refused_and_audited(doctor, regional, central):
    person = _person()
    referral = _refer(doctor, person)
    outsider = central[0] if referral.commission.code != "tsek-central" else regional[0]
    with pytest.raises(DisabilityError, match="not with your commission"):
        decision_draft(actor=outsider, referral=referral, draft=_draft())
    assert AuditEvent.objects.filter(
        action=AuditAction.ACCESS_REFUSED, person=person, actor=outsider
    ).exists()


def test_an_appeal_after_the_month_is_refused(regional):
    person = _person()
    DisabilityDecision.objects.create(
        person=person,
        degree="III",
        decided_on=datetime.date(2026, 1, 10),
        reexamine_on=datetime.date(2027, 1, 10),
    )
    with pytest.raises(DisabilityError, match="until 10.02.2026"):
        self_referral_check(person=person, kind="appeal", on=datetime.date(2026, 2, 11))
    assert self_referral_check(person=person, kind="appeal", on=datetime.date(2026, 2, 10))


def test_a_person_without_a_decision_is_sent_to_the_polyclinic(regional):
    with pytest.raises(DisabilityError, match="polyclinic"):
        self_referral_check(person=_person(), kind="reexamination", on=timezone.localdate())


def test_the_deadline_extends_once_and_overdue_referrals_escalate_once(doctor, regional):
    chair, _member = regional
    referral = _refer(doctor, _person())
    ten = referral.due_on
    referral_extend(actor=chair, referral=referral, reason="Waiting for an MRI report.")
    assert referral.due_on > ten
    with pytest.raises(DisabilityError, match="once"):
        referral_extend(actor=chair, referral=referral, reason="Again.")
    after = referral.due_on + datetime.timedelta(days=1)
    assert overdue_escalate(on=after) == 1
    assert overdue_escalate(on=after) == 0


def test_a_full_sitting_takes_nobody_more(doctor, regional):
    chair, _member = regional
    referral = _refer(doctor, _person())
    sitting = Sitting.objects.filter(commission=referral.commission).order_by("held_on")[0]
    Sitting.objects.filter(pk=sitting.pk).update(booked=sitting.capacity)
    sitting.refresh_from_db()
    with pytest.raises(DisabilityError, match="full"):
        examination_book(actor=chair, referral=referral, sitting=sitting)
