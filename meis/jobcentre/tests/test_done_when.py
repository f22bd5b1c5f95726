# mypy: disable-error-code="no-untyped-def,misc,arg-type,union-attr,return-value"
"""Issue 16's "done when", as one story with the demo: a demo employee dismissed for staff
reduction is offered the unemployment benefit by letter, registers as unemployed, gets the
benefit computed from their record, finds a vacancy, is referred, is hired (the employer
notifies the contract), and the status and the benefit end by themselves."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from meis.accounts.services import citizen_account_get_or_create
from meis.accounts.testing import otp_verified
from meis.awards.models import Award, AwardEndReason, AwardKind, AwardStatus
from meis.awards.services.ending import awards_end_due
from meis.cases.models import Channel, ContactChannel
from meis.cases.services import case_approve, case_claim, case_precheck_store, case_submit
from meis.cases.tests.conftest import iban, pdf
from meis.catalog.selectors import eservice_version_current
from meis.catalog.services import catalog_import_seed
from meis.centres.models import ServiceCentre
from meis.demo.employers import DEMO_VOEN, employers_demo_load
from meis.demo.employment import employment_demo_load
from meis.demo.staff import accounts_demo_load
from meis.employment.models import (
    EndReason,
    JobSeeker,
    Referral,
    ReferralOutcome,
    RegistrationState,
    SeekerStatus,
    Vacancy,
)
from meis.employment.services import referral_outcome_record
from meis.insurance.models import Contribution
from meis.jobcentre.services import employment_daily_run
from meis.labour.models import Assurance, ContractTerm
from meis.labour.services import contract_conclude
from meis.labour.validation import ContractDraft
from meis.notifications.models import Message
from meis.proactive.tests.factories import InsuranceAccountFactory
from meis.registry.models import Employer, Person
from meis.registry.tests.factories import IdentityDocumentFactory, PersonFactory

pytestmark = pytest.mark.django_db

BAKU = ZoneInfo("Asia/Baku")
DISMISSAL_KNOWN = datetime.date(2026, 3, 2)  # the demo's day: dismissed three days before


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(10), BAKU), tick=False)


def the_demo_worker() -> Person:
    """The one person the demo can dismiss: of working age, able to sign in, with a record."""
    person = PersonFactory(
        birth_on=datetime.date(1985, 6, 1), preferred_language="en", verified_phone="+994501234567"
    )
    IdentityDocumentFactory(person=person, expires_on=datetime.date(2099, 1, 1))
    InsuranceAccountFactory(person=person, record_months=96)
    month = DISMISSAL_KNOWN.replace(day=1)
    for _ in range(36):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
        Contribution.objects.create(person=person, month_on=month, amount_qepik=900)
    return person


def signed_in(person: Person) -> Client:
    client = Client()
    client.force_login(citizen_account_get_or_create(person=person))
    return client


def test_a_dismissed_worker_gets_the_benefit_a_job_and_both_end_by_themselves(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    with at(DISMISSAL_KNOWN):
        catalog_import_seed()
        accounts_demo_load()
        IdentityDocumentFactory.create_batch(3, expires_on=datetime.date(2099, 1, 1))
        employers_demo_load(on=DISMISSAL_KNOWN)
        worker = the_demo_worker()
        demo = employment_demo_load(on=DISMISSAL_KNOWN)
        assert demo.dismissed is not None
        assert demo.dismissed.fin == worker.fin

        # The day's job offers the benefit by letter; nothing is granted before registration.
        assert employment_daily_run(on=DISMISSAL_KNOWN).benefit_offers == 1
        offer = Message.objects.get(
            person=worker, event="unemployment_benefit_offered", channel="portal"
        )
        assert "/en/my/employment/register/" in offer.body_text
        assert not Award.objects.filter(person=worker).exists()

        # The worker registers; the registers make them unemployed.
        citizen = signed_in(worker)
        registered = citizen.post(
            reverse("jobcentre:register"),
            {
                "is_employed_otherwise": "no",
                "education": "specialised_secondary",
                "occupation_1": "4110",
            },
        )
        assert registered.status_code == 302
        registration = JobSeeker.objects.get(person=worker)
        assert registration.status == SeekerStatus.UNEMPLOYED

        # The application asks only for the account: the rest comes from the registers.
        version = eservice_version_current(code="unemployment-insurance-benefit")
        case = case_submit(
            person=worker,
            version=version,
            answers={"bank_account_iban": iban()},
            channel=Channel.PORTAL,
            actor=citizen_account_get_or_create(person=worker),
            centre=ServiceCentre.objects.get(code="baku-1"),
            contact_channel=ContactChannel.PORTAL,
            contact_value="",
            idempotency_key="done-when-benefit",
            documents=[("identity_card", pdf())],
        ).case
        case_precheck_store(case_id=case.pk)
        case.refresh_from_db()
        officer = _officer()
        case = case_claim(case=case, actor=officer, expected_version=case.version)
        case_approve(case=case, actor=officer, expected_version=case.version)
        benefit = Award.objects.get(person=worker, kind=AwardKind.UNEMPLOYMENT_BENEFIT)
        # 2020 law: a flat 50 % of the lost average wage (900 AZN from the register) = 450 AZN.
        assert benefit.amount_qepik == 45_000
        assert benefit.start_on == datetime.date(2026, 4, 1)  # the month after registering
        assert benefit.record["facts"]["dismissal_ground"] == "staff_reduction"

        # The worker finds a vacancy in the public search, and the officer refers them.
        found = citizen.get(reverse("vacancies:search"), {"q": "ofis isci"}).content.decode()
        vacancy = Vacancy.objects.filter(employer__voen=DEMO_VOEN).order_by("pk").first()
        assert vacancy.title in found
        staff = otp_verified(Client(), officer)
        referred = staff.post(
            reverse("jobcentre:officer_person", args=[worker.pk]),
            {"vacancy": vacancy.pk, "is_suitable": "on"},
        )
        assert referred.status_code == 302
        referral = Referral.objects.get(job_seeker=registration, vacancy=vacancy)

    # After a month of benefit the employer hires them and notifies the contract.
    hired_on = datetime.date(2026, 5, 4)
    with at(datetime.date(2026, 4, 28)):
        employer = Employer.objects.get(voen=DEMO_VOEN)
        referral_outcome_record(
            referral=referral, outcome=ReferralOutcome.HIRED, reason="", actor=officer
        )
        contract_conclude(
            employer=employer,
            draft=ContractDraft(
                employee_fin=worker.fin,
                occupation_code="4110",
                position="Ofis işçisi",
                workplace="Bakı",
                monthly_wage_qepik=95_000,
                weekly_hours=40,
                term=ContractTerm.INDEFINITE,
                start_on=hired_on,
                concluded_on=datetime.date(2026, 4, 28),
            ),
            actor=None,
            assurance=Assurance.ONE_TIME_CODE,
        )

    # The day the new job starts, the registration and the benefit end by themselves.
    with at(hired_on):
        report = employment_daily_run(on=hired_on)
        awards_end_due(on=hired_on)
    registration.refresh_from_db()
    benefit.refresh_from_db()
    assert report.ended == {"employed": 1}
    assert (registration.state, registration.end_reason) == (
        RegistrationState.ENDED,
        EndReason.EMPLOYED,
    )
    assert benefit.status == AwardStatus.ENDED
    assert benefit.end_reason == AwardEndReason.EMPLOYED
    assert benefit.end_on == hired_on - datetime.timedelta(days=1)
    assert Message.objects.filter(person=worker, event="job_seeker_ended").exists()


def _officer():
    from django.contrib.auth.models import User

    return User.objects.get(username="demo-employment")
