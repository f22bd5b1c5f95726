# mypy: disable-error-code="arg-type,return-value,misc"
"""A medical institution's pages: only its staff open them; a referral is issued for a patient
in its catchment, and every refusal is a message on the page with nothing written."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from conftest import _staff
from meis.accounts.roles import Role
from meis.accounts.testing import otp_verified
from meis.audit.models import AuditAction, AuditEvent
from meis.disability.models import Referral, ReferralKind
from meis.disability.services import referral_issue
from meis.registry.models import Person, Region
from meis.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _person(**changes: Any) -> Person:
    values: dict[str, Any] = {"birth_on": datetime.date(1980, 3, 1), "region": Region.BAKU}
    values.update(changes)
    return PersonFactory(**values)


def _form(person: Person | None = None, **changes: str) -> dict[str, str]:
    data = {
        "fin": person.fin if person else "",
        "kind": "initial",
        "diagnoses": "G35, g82.1",
        "summary": "Multiple sclerosis; walks with two sticks.",
    }
    data.update(changes)
    return data


def test_anonymous_is_sent_to_the_staff_sign_in(register):
    for name in ("disability:clinic_list", "disability:clinic_new"):
        response = Client().get(reverse(name))
        assert response.status_code == 302
        assert "staff" in response["Location"]


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.COMMISSION_MEMBER, Role.MEDICAL_STAFF])
def test_anyone_but_an_institutions_staff_is_refused_and_audited(register, role):
    """A medical-staff account not attached to an institution is refused as well."""
    user = _staff(f"not-clinic-{role}", role)
    client = otp_verified(Client(), user)

    for name in ("disability:clinic_list", "disability:clinic_new"):
        assert client.get(reverse(name)).status_code == 403
    assert AuditEvent.objects.filter(action=AuditAction.ACCESS_REFUSED, actor=user).count() == 2


def test_a_doctor_without_the_second_factor_is_sent_to_sign_in(doctor):
    client = Client()
    client.force_login(doctor)

    response = client.get(reverse("disability:clinic_list"))

    assert response.status_code == 302


def test_a_doctor_refers_a_patient_and_sees_the_referral_listed(doctor, regional, central):
    person = _person()
    client = otp_verified(Client(), doctor)

    form = client.get(reverse("disability:clinic_new"))
    response = client.post(reverse("disability:clinic_new"), _form(person))

    assert form.status_code == 200
    assert response.status_code == 302
    assert response["Location"] == reverse("disability:clinic_list")
    referral = Referral.objects.get(person=person)
    assert referral.diagnoses == ["G35", "G82.1"]
    assert referral.kind == ReferralKind.INITIAL
    page = client.get(response["Location"]).content.decode()
    assert page.count(referral.number) == 2  # the banner and the list
    assert person.fin in page
    assert person.last_name in page
    assert "the commission decides by" in page


def test_the_list_shows_only_the_institutions_referrals_newest_first(
    doctor, doctor_elsewhere, regional, central
):
    older, newer = _person(), _person()
    first = referral_issue(
        actor=doctor, fin=older.fin, kind="initial", diagnoses="G35", summary="First."
    )
    second = referral_issue(
        actor=doctor, fin=newer.fin, kind="initial", diagnoses="G35", summary="Second."
    )

    mine = otp_verified(Client(), doctor).get(reverse("disability:clinic_list")).content.decode()
    other = otp_verified(Client(), doctor_elsewhere).get(reverse("disability:clinic_list"))

    assert mine.index(second.number) < mine.index(first.number)
    assert first.number not in other.content.decode()


def test_the_list_is_paginated_by_fifty(doctor, regional, central):
    for _n in range(51):
        referral_issue(
            actor=doctor, fin=_person().fin, kind="initial", diagnoses="G35", summary="A."
        )
    client = otp_verified(Client(), doctor)

    first = client.get(reverse("disability:clinic_list"))
    second = client.get(reverse("disability:clinic_list"), {"page": 2})

    assert len(first.context["referrals"]) == 50
    assert len(second.context["referrals"]) == 1
    assert 'rel="next"' in first.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"fin": "ZZZZZZZ"}, "No person with this FİN is in the population register."),
        ({"fin": "12"}, "A FİN is 7 characters"),
        ({"fin": ""}, "Enter the patient&#x27;s FİN."),
        ({"diagnoses": "G35, XYZ"}, "XYZ is not an ICD-10 code"),
        ({"diagnoses": "U07.1"}, "U07.1 is not an ICD-10 code"),
        ({"summary": "Sick\x00"}, "Remove the control characters"),
        ({"summary": "x" * 10_000}, "4000"),
        ({"kind": "appeal"}, "Choose an initial examination or a re-examination."),
        ({"kind": "reexamination"}, "The register holds no decision to re-examine"),
    ],
)
def test_a_refused_referral_is_explained_with_the_input_kept(
    doctor, regional, central, changes, message
):
    person = _person()

    response = otp_verified(Client(), doctor).post(
        reverse("disability:clinic_new"), _form(person, **changes)
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert message in page
    assert "walks with two sticks" in page or "summary" in changes
    assert not Referral.objects.exists()


def test_a_dead_person_is_not_referred(doctor, regional, central):
    person = _person(died_on=datetime.date(2024, 1, 1))

    response = otp_verified(Client(), doctor).post(reverse("disability:clinic_new"), _form(person))

    assert response.status_code == 200
    assert "records this person&#x27;s death" in response.content.decode()
    assert not Referral.objects.exists()


def test_a_patient_outside_the_catchment_is_refused_and_the_attempt_audited(
    doctor_elsewhere, regional, central
):
    person = _person(region=Region.BAKU)

    response = otp_verified(Client(), doctor_elsewhere).post(
        reverse("disability:clinic_new"), _form(person)
    )

    assert response.status_code == 200
    assert "catchment area" in response.content.decode()
    assert not Referral.objects.exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.ACCESS_REFUSED, actor=doctor_elsewhere, person=person
    ).exists()


def test_the_staff_home_links_a_doctor_to_the_referrals(doctor: User):
    page = otp_verified(Client(), doctor).get(reverse("accounts:staff_home")).content.decode()

    assert reverse("disability:clinic_list") in page
