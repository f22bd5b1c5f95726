# mypy: disable-error-code="arg-type,return-value,misc,union-attr"
"""A commission member's pages: the pseudonymised worklist, a referral (each read audited, shown
in the person's "who looked at my data"), the decision form and its refusals, the signatures,
the extension and the sitting, the identity after the last signature only."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import _staff
from meis.accounts.roles import Role
from meis.accounts.services import citizen_account_get_or_create
from meis.accounts.testing import otp_verified
from meis.audit.models import AuditAction, AuditEvent
from meis.disability.models import (
    Commission,
    Decision,
    Referral,
    ReferralKind,
    ReferralState,
    Sitting,
)
from meis.disability.services import referral_issue
from meis.disability.terms import add_months, suggested_reexamination
from meis.lifeevents.models import DisabilityDecision
from meis.registry.models import Person
from meis.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
SUMMARY = "Multiple sclerosis, lower paraparesis; walks with two sticks."


def _client(user: User) -> Client:
    return otp_verified(Client(), user)


@pytest.fixture
def person(register: None) -> Person:
    return PersonFactory(
        birth_on=datetime.date(1980, 3, 1),
        first_name="Leyla",
        last_name="Məmmədova",
        verified_phone="+994501112233",
    )


@pytest.fixture
def referral(doctor: User, regional: tuple[User, User], person: Person) -> Referral:
    """A referral with the Baku regional commission (the draw is set aside for the pages)."""
    issued = referral_issue(
        actor=doctor,
        fin=person.fin,
        kind=ReferralKind.INITIAL,
        diagnoses="G35, G82.1",
        summary=SUMMARY,
    )
    Referral.objects.filter(pk=issued.pk).update(
        commission=Commission.objects.get(code="tsek-baku-1")
    )
    return Referral.objects.get(pk=issued.pk)


def _url(name: str, referral: Referral) -> str:
    return reverse(f"disability:{name}", args=[referral.pseudonym])


def _decision_data(**changes: str | list[str]) -> dict[str, str | list[str]]:
    data: dict[str, str | list[str]] = {
        "established": "yes",
        "degree": "II",
        "percentage": "70",
        "categories": ["mobility", "work"],
        "cause": "general_illness",
        "reexamine_on": f"{add_months(timezone.localdate(), 12):%Y-%m-%d}",
        "reasoning": "Persistent moderate-to-severe impairment of mobility.",
    }
    data.update(changes)
    return data


def _drafted(referral: Referral, chair: User) -> Client:
    client = _client(chair)
    response = client.post(_url("decision", referral), _decision_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    return client


# --- Who may open the pages --------------------------------------------------------------------


def test_anonymous_goes_to_the_staff_sign_in(referral):
    response = Client().get(reverse("disability:worklist"))
    assert response.status_code == 302
    assert "/staff/" in response["Location"]


def test_other_staff_and_a_member_without_a_commission_get_403_audited(register):
    worker = _staff("cw", Role.CASE_WORKER)
    loose = _staff("loose-member", Role.COMMISSION_MEMBER)
    for user in (worker, loose):
        assert _client(user).get(reverse("disability:worklist")).status_code == 403
        assert AuditEvent.objects.filter(
            action=AuditAction.ACCESS_REFUSED,
            actor=user,
            details__page="disability commission: worklist",
        ).exists()


def test_the_worklist_shows_the_pseudonym_and_no_name_or_medical_content(referral, regional):
    Referral.objects.filter(pk=referral.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=1),
        escalated_on=timezone.localdate(),
    )
    reads_before = AuditEvent.objects.filter(action=AuditAction.PERSON_READ).count()
    page = _client(regional[1]).get(reverse("disability:worklist")).content.decode()
    row = page.split(f'data-testid="row-{referral.pseudonym}"', 1)[1].split("</tr>", 1)[0]
    assert "Initial examination" in row
    assert "age 46" in row
    assert "male" in row
    assert 'data-testid="overdue"' in row
    assert 'data-testid="escalated"' in row
    for secret in (referral.person.fin, "Məmmədova", "G35", "paraparesis", "polyclinic"):
        assert secret not in page
    assert AuditEvent.objects.filter(action=AuditAction.PERSON_READ).count() == reads_before


def test_the_central_chair_also_sees_every_escalated_referral(referral, central):
    chair, member = central
    Referral.objects.filter(pk=referral.pk).update(escalated_on=timezone.localdate())
    page = _client(chair).get(reverse("disability:worklist")).content.decode()
    escalated = page.split('data-testid="escalated-list"', 1)[1]
    assert referral.pseudonym in escalated
    assert "Bakı" in escalated
    other = _client(member).get(reverse("disability:worklist")).content.decode()
    assert referral.pseudonym not in other


# --- A referral --------------------------------------------------------------------------------


def test_opening_a_referral_is_an_audited_read_the_person_sees(referral, regional, person):
    response = _client(regional[1]).get(_url("referral", referral))
    page = response.content.decode()
    assert response.status_code == 200
    assert "G35, G82.1" in page
    assert SUMMARY in page
    for secret in (person.fin, "Məmmədova", "polyclinic"):
        assert secret not in page
    event = AuditEvent.objects.get(action=AuditAction.PERSON_READ, actor=regional[1])
    assert event.person_id == person.pk
    assert event.actor_role == "commission_member"
    assert event.actor_institution == referral.commission.name
    assert event.purpose == f"disability referral {referral.pseudonym} (pseudonymised)"

    citizen = Client()
    citizen.force_login(citizen_account_get_or_create(person=person))
    looked = citizen.get("/en/my/who-looked/").content.decode()
    assert referral.commission.name in looked


def test_a_member_of_another_commission_gets_404_and_an_audited_refusal(referral, central):
    client = _client(central[1])
    for name in ("referral", "decision", "identity"):
        assert client.get(_url(name, referral)).status_code == 404
    assert client.post(_url("extend", referral), {"reason": "x"}).status_code == 404
    refused = AuditEvent.objects.filter(action=AuditAction.ACCESS_REFUSED, actor=central[1])
    assert refused.count() == 4
    assert not AuditEvent.objects.filter(action=AuditAction.PERSON_READ, actor=central[1]).exists()
    assert _client(central[1]).get("/en/commission/referrals/A-NOSUCH1/").status_code == 404


def test_a_reexamination_shows_the_reviewed_decision(referral, regional, person):
    reviewed = DisabilityDecision.objects.create(
        person=person, degree="III", percentage=45, decided_on=datetime.date(2025, 1, 10)
    )
    Referral.objects.filter(pk=referral.pk).update(
        kind=ReferralKind.REEXAMINATION, reviews=reviewed
    )
    page = _client(regional[0]).get(_url("referral", referral)).content.decode()
    reviewed_row = page.split('data-testid="reviewed"', 1)[1].split("</div>", 1)[0]
    for shown in ("Degree III", "45 %", "10 January 2025"):
        assert shown in reviewed_row


# --- The decision ------------------------------------------------------------------------------


def test_the_form_suggests_the_longest_reexamination_term(referral, regional):
    page = _client(regional[0]).get(_url("decision", referral)).content.decode()
    suggested = suggested_reexamination("II", timezone.localdate())
    assert f'value="{suggested:%Y-%m-%d}"' in page


@pytest.mark.parametrize(
    ("changes", "message", "field"),
    [
        ({"percentage": "50"}, "50 % is in the band of degree III, not degree II.", "percentage"),
        (
            {"reexamine_on": f"{timezone.localdate():%Y-%m-%d}"},
            "The re-examination date must be after the decision.",
            "reexamine_on",
        ),
        ({"reasoning": "Because\x00of"}, "", "reasoning"),
        ({"cause": "martians"}, "", "cause"),
        ({"reexamine_on": "2026-13-45"}, "Enter a valid date.", "reexamine_on"),
        ({"percentage": "lots"}, "", "percentage"),
        ({"categories": ["flying"]}, "", "categories"),
        ({"reasoning": "  "}, "Write the commission's reasoning.", "reasoning"),
        ({"degree": "child"}, "Choose degree I, II or III.", "degree"),
    ],
)
def test_a_refused_draft_shows_the_error_and_keeps_the_input(
    referral, regional, changes, message, field
):
    response = _client(regional[0]).post(_url("decision", referral), _decision_data(**changes))
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert message.replace("'", "&#x27;") in page
    assert f'href="#id_{field}' in page  # the summary links to the field
    assert "Persistent moderate-to-severe" in page or field == "reasoning"
    assert not Decision.objects.filter(referral=referral).exists()


def test_a_decision_is_drafted_signed_twice_refused_and_final_after_the_last(
    referral, regional, person
):
    chair, member = regional
    chair_client = _drafted(referral, chair)
    page = chair_client.get(_url("referral", referral)).content.decode()
    assert 'data-testid="sign-form"' in page
    assert "not signed yet" in page

    # Signing needs the confirmation.
    chair_client.post(_url("sign", referral), {})
    assert not Decision.objects.get(referral=referral).signatures.exists()
    chair_client.post(_url("sign", referral), {"confirm": "yes"})
    again = chair_client.post(_url("sign", referral), {"confirm": "yes"}, follow=True)
    assert "You have signed this decision already." in again.content.decode()
    assert Decision.objects.get(referral=referral).signatures.count() == 1
    assert not DisabilityDecision.objects.filter(person=person).exists()

    # Signed once: the draft can no longer be changed.
    locked = chair_client.get(_url("decision", referral), follow=True).content.decode()
    assert "it can no longer be changed" in locked

    final = _client(member).post(_url("sign", referral), {"confirm": "yes"}, follow=True)
    page = final.content.decode()
    outcome = DisabilityDecision.objects.get(person=person)
    assert "The decision is final" in page
    assert outcome.number in page
    assert Referral.objects.get(pk=referral.pk).state == ReferralState.SIGNED
    assert (
        referral.pseudonym
        not in _client(member).get(reverse("disability:worklist")).content.decode()
    )


def test_a_decision_not_establishing_disability_needs_only_the_reasoning(referral, regional):
    client = _client(regional[0])
    response = client.post(
        _url("decision", referral),
        {"established": "no", "reasoning": "Functions preserved.", "percentage": ""},
    )
    assert response.status_code == 302
    decision = Decision.objects.get(referral=referral)
    assert decision.is_established is False


# --- The identity ------------------------------------------------------------------------------


def test_the_identity_is_refused_before_every_member_signed_and_shown_after(
    referral, regional, person
):
    chair, member = regional
    chair_client = _drafted(referral, chair)
    refused = chair_client.get(_url("identity", referral))
    assert refused.status_code == 403
    assert "only after every member has signed" in refused.content.decode()
    assert person.fin not in refused.content.decode()
    assert AuditEvent.objects.filter(
        action=AuditAction.ACCESS_REFUSED,
        actor=chair,
        purpose__startswith="identity before signing",
    ).exists()

    chair_client.post(_url("sign", referral), {"confirm": "yes"})
    _client(member).post(_url("sign", referral), {"confirm": "yes"})
    shown = chair_client.get(_url("identity", referral))
    page = shown.content.decode()
    assert shown.status_code == 200
    assert person.fin in page
    assert "Məmmədova" in page
    assert referral.institution.name in page
    assert AuditEvent.objects.filter(
        action=AuditAction.PERSON_READ, actor=chair, purpose__contains="identity after"
    ).exists()


# --- The deadline and the sitting --------------------------------------------------------------


def test_the_deadline_is_extended_once(referral, regional):
    client = _client(regional[1])
    before = referral.due_on
    assert client.post(_url("extend", referral), {"reason": ""}, follow=True).status_code == 200
    page = client.post(_url("extend", referral), {"reason": "Awaiting an MRI."}, follow=True)
    assert "The deadline is extended to" in page.content.decode()
    assert Referral.objects.get(pk=referral.pk).due_on > before
    again = client.post(_url("extend", referral), {"reason": "Again."}, follow=True)
    assert "it can be extended once" in again.content.decode()


def test_a_member_calls_the_person_to_a_coming_sitting(referral, regional):
    client = _client(regional[0])
    page = client.get(_url("referral", referral)).content.decode()
    sitting = Sitting.objects.filter(
        commission=referral.commission, held_on__gt=timezone.localdate()
    ).order_by("held_on")[0]
    assert f'value="{sitting.pk}"' in page
    response = client.post(_url("book", referral), {"sitting": str(sitting.pk)}, follow=True)
    assert "The person is called to the sitting of" in response.content.decode()
    booked = Referral.objects.get(pk=referral.pk)
    assert (booked.state, booked.sitting_id) == (ReferralState.BOOKED, sitting.pk)

    elsewhere = Sitting.objects.exclude(commission=referral.commission).first()
    for bad in (str(elsewhere.pk), "x", "²", "9" * 30):
        refused = client.post(_url("book", referral), {"sitting": bad}, follow=True)
        assert "Choose one of your commission&#x27;s coming sittings." in refused.content.decode()
    assert Referral.objects.get(pk=referral.pk).sitting_id == sitting.pk


# --- Languages and the staff home --------------------------------------------------------------


@pytest.mark.parametrize("language", ["az", "ru"])
def test_the_pages_answer_in_azerbaijani_and_russian(referral, regional, language):
    client = _client(regional[0])
    for url in (
        f"/{language}/commission/",
        f"/{language}/commission/referrals/{referral.pseudonym}/",
        f"/{language}/commission/referrals/{referral.pseudonym}/decision/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'lang="{language}"' in response.content.decode()


def test_the_staff_home_links_a_member_to_the_worklist(regional):
    page = _client(regional[1]).get(reverse("accounts:staff_home"), follow=True).content.decode()
    assert reverse("disability:worklist") in page
    loose = _staff("loose-member", Role.COMMISSION_MEMBER)
    home = _client(loose).get(reverse("accounts:staff_home"), follow=True).content.decode()
    assert reverse("disability:worklist") not in home
    assert "not a member of an expert commission" in home
