# mypy: disable-error-code="arg-type,return-value,misc"
"""The person's pages: their referrals and decisions with the signed extract, and their own
request for a re-examination or an appeal (errors kept on the page, a double POST once)."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meis.accounts.services import citizen_account_get_or_create
from meis.certificates.models import Certificate
from meis.disability.models import Referral, ReferralKind, ReferralState
from meis.disability.services import DecisionDraft, decision_draft, decision_sign, referral_issue
from meis.disability.terms import add_months
from meis.lifeevents.models import DisabilityDecision
from meis.registry.models import Person, Region
from meis.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _person() -> Person:
    return PersonFactory(
        birth_on=datetime.date(1980, 3, 1), region=Region.BAKU, verified_phone="+994501112233"
    )


def _client(person: Person) -> Client:
    client = Client()
    client.force_login(citizen_account_get_or_create(person=person))
    return client


def _decided(person: Person, doctor: User, regional, central) -> DisabilityDecision:
    """A clinic's referral decided degree II by every member's signature."""
    referral = referral_issue(
        actor=doctor,
        fin=person.fin,
        kind=ReferralKind.INITIAL,
        diagnoses="G35, G82.1",
        summary="Multiple sclerosis; walks with two sticks.",
    )
    chair, member = regional if referral.commission.code == "tsek-baku-1" else central
    decision = decision_draft(
        actor=chair,
        referral=referral,
        draft=DecisionDraft(
            is_established=True,
            degree="II",
            percentage=70,
            categories=["mobility"],
            cause="general_illness",
            reexamine_on=add_months(timezone.localdate(), 12),
            reasoning="Moderate-to-severe impairment of mobility.",
        ),
    )
    decision_sign(actor=chair, decision=decision)
    decision_sign(actor=member, decision=decision)
    return DisabilityDecision.objects.get(person=person)


def test_anonymous_is_sent_to_sign_in(register):
    for name in ("disability:mine", "disability:self_referral"):
        response = Client().get(reverse(name))
        assert response.status_code == 302
        assert "sign-in" in response["Location"]


def test_without_a_referral_the_page_says_the_polyclinic_refers(register):
    page = _client(_person()).get(reverse("disability:mine"))

    assert page.status_code == 200
    assert 'data-testid="no-referral"' in page.content.decode()
    assert reverse("disability:self_referral") not in page.content.decode()


def test_the_person_sees_their_referral_with_its_medical_content(doctor, regional, central):
    person = _person()
    referral = referral_issue(
        actor=doctor,
        fin=person.fin,
        kind=ReferralKind.INITIAL,
        diagnoses="G35",
        summary="Multiple sclerosis; walks with two sticks.",
    )

    page = _client(person).get(reverse("disability:mine")).content.decode()

    assert referral.number in page
    assert "G35" in page
    assert "walks with two sticks" in page
    assert referral.commission.name in page
    assert "With the commission" in page
    assert reverse("disability:self_referral") not in page  # one referral at a time


def test_the_decision_shows_with_its_extract_and_the_appeal_while_it_is_open(
    doctor, regional, central
):
    person = _person()
    decided = _decided(person, doctor, regional, central)
    extract = Certificate.objects.get(disability_decision=decided)

    page = _client(person).get(reverse("disability:mine")).content.decode()

    assert "Disability of degree II is established (70 %)" in page
    assert "Re-examination on" in page
    assert reverse("certificates:pdf", args=[extract.pk]) in page
    assert "?kind=reexamination" in page
    assert "?kind=appeal" in page
    assert 'data-testid="appeal-until"' in page


def test_after_the_appeal_month_only_a_re_examination_is_offered(doctor, regional, central):
    person = _person()
    decided = _decided(person, doctor, regional, central)
    DisabilityDecision.objects.filter(pk=decided.pk).update(
        decided_on=timezone.localdate() - datetime.timedelta(days=60)
    )

    page = _client(person).get(reverse("disability:mine")).content.decode()

    assert "?kind=reexamination" in page
    assert "?kind=appeal" not in page


def test_the_azerbaijani_page_is_not_in_english(doctor, regional, central):
    person = _person()
    _decided(person, doctor, regional, central)

    page = _client(person).get("/az/my/disability/").content.decode()

    assert page.count("Re-examination") == 0
    assert "My decisions" not in page


def test_a_person_asks_for_an_appeal_once_even_when_the_form_is_sent_twice(
    doctor, regional, central
):
    person = _person()
    _decided(person, doctor, regional, central)
    client = _client(person)
    data = {"kind": "appeal", "grounds": "I still cannot walk without help."}

    first = client.post(reverse("disability:self_referral"), data)
    second = client.post(reverse("disability:self_referral"), data)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("disability:mine")
    appeal = Referral.objects.get(person=person, kind=ReferralKind.APPEAL)
    assert appeal.case_reference
    assert appeal.state in (ReferralState.ASSIGNED, ReferralState.BOOKED)
    page = client.get(reverse("disability:mine")).content.decode()
    assert appeal.number in page  # in the success banner and in the list


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "appeal", "grounds": "bad\x00byte"}, "Remove the control characters"),
        ({"kind": "pension", "grounds": "Why not."}, "Choose a re-examination or an appeal."),
        ({"kind": "appeal", "grounds": "   "}, "Say briefly why you ask for the examination."),
        ({"kind": "appeal", "grounds": "x" * 10_000}, "2000"),
        ({}, "Choose a re-examination or an appeal."),
    ],
)
def test_a_bad_request_is_explained_and_nothing_is_written(
    doctor, regional, central, data, message
):
    person = _person()
    _decided(person, doctor, regional, central)

    response = _client(person).post(reverse("disability:self_referral"), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert message in page
    assert Referral.objects.filter(person=person).count() == 1  # the decided one only


def test_the_service_refusal_is_shown_with_the_input_kept(doctor, regional, central):
    person = _person()
    decided = _decided(person, doctor, regional, central)
    DisabilityDecision.objects.filter(pk=decided.pk).update(
        decided_on=timezone.localdate() - datetime.timedelta(days=60)
    )

    response = _client(person).post(
        reverse("disability:self_referral"), {"kind": "appeal", "grounds": "Too late, I know."}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "An appeal could be lodged until" in page
    assert "Too late, I know." in page
    assert Referral.objects.filter(person=person, kind=ReferralKind.APPEAL).count() == 0


def test_without_a_decision_the_request_page_says_why(register):
    response = _client(_person()).get(reverse("disability:self_referral"))

    assert response.status_code == 200
    assert 'data-testid="refused"' in response.content.decode()
    assert "<form" not in response.content.decode().split("<main", 1)[1]


def test_the_catalogue_service_starts_at_the_persons_page(register):
    page = Client().get("/en/services/disability-assessment/").content.decode()

    assert reverse("disability:mine") in page


def test_my_record_links_to_the_page(register):
    page = _client(_person()).get(reverse("accounts:my_record")).content.decode()

    assert reverse("disability:mine") in page
