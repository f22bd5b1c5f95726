# mypy: disable-error-code="arg-type,return-value,misc"
"""Registering with the employment service: the registers decide the status, the person is told
why, and the registration ends by itself when the registers say so."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from meis.accounts.models import StaffProfile
from meis.accounts.roles import Subsystem
from meis.accounts.services import staff_groups_ensure
from meis.accounts.testing import otp_verified
from meis.audit.models import AuditAction, AuditEvent
from meis.awards.models import Award, AwardKind, AwardOrigin, AwardStatus
from meis.awards.services.grant import basis_get_or_create
from meis.cases.models import Case, CaseStatus
from meis.catalog.services import catalog_import_seed
from meis.centres.models import ServiceCentre
from meis.employment.models import (
    EndReason,
    JobSeeker,
    Referral,
    ReferralOutcome,
    RegistrationState,
    SeekerStatus,
    Vacancy,
)
from meis.employment.selectors import register_counts
from meis.employment.services import (
    EmploymentError,
    Profile,
    RegistrationRefused,
    job_seeker_pause,
    referral_issue,
    referral_outcome_record,
    statuses_end,
)
from meis.jobcentre.services import employment_daily_run, job_seeker_register
from meis.labour.models import Assurance, Occupation
from meis.labour.services import conclusions_register
from meis.labour.tests.factories import EmployerFactory, draft
from meis.notifications.models import Message
from meis.registry.models import Person, Region
from meis.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _today() -> Any:
    catalog_import_seed()
    with time_machine.travel(TODAY, tick=False):
        yield


def _profile(**changes: Any) -> Profile:
    values: dict[str, Any] = {
        "education": "bachelor",
        "occupations": (Occupation.objects.get(code="2512"),),
        "desired_region": Region.BAKU,
    }
    values.update(changes)
    return Profile(**values)


def _adult(**changes: Any) -> Person:
    values: dict[str, Any] = {"birth_on": datetime.date(1990, 5, 1), "region": Region.BAKU}
    values.update(changes)
    return PersonFactory(**values)


def _hire(person: Person, start_on: datetime.date) -> None:
    registered = conclusions_register(
        employer=EmployerFactory(),
        drafts=[draft(person.fin, start_on=start_on, concluded_on=start_on)],
        actor=None,
        assurance=Assurance.REGISTER_IMPORT,
    )
    assert not registered.problems


def _vacancy(**changes: Any) -> Vacancy:
    values: dict[str, Any] = {
        "employer": EmployerFactory(),
        "occupation": Occupation.objects.get(code="2512"),
        "title": "Proqramçı",
        "region": Region.BAKU,
        "workplace": "Bakı, Nizami küç. 1",
        "salary_qepik": 120_000,
        "weekly_hours": 40,
        "closes_on": datetime.date(2026, 4, 30),
        "posted_at": TODAY,
    }
    values.update(changes)
    return Vacancy.objects.create(**values)


def _officer(username: str = "employment-officer", subsystems: tuple[str, ...] = ()) -> User:
    user = User.objects.create_user(username=username, password="x", is_staff=True)
    user.groups.add(staff_groups_ensure()["case_worker"])
    StaffProfile.objects.create(
        user=user,
        centre=ServiceCentre.objects.order_by("code").first(),
        subsystems=list(subsystems or (Subsystem.EMPLOYMENT,)),
        institution="DOST",
    )
    TOTPDevice.objects.create(user=user, name="t", confirmed=True)
    return user


# --- What the registers decide ------------------------------------------------------------


def test_a_person_with_no_contract_and_no_pension_is_registered_as_unemployed() -> None:
    person = _adult()
    job_seeker = job_seeker_register(person=person, profile=_profile(), actor=_user(person))

    assert job_seeker.status == SeekerStatus.UNEMPLOYED
    assert job_seeker.status_reason == ""
    case = Case.objects.get(pk=job_seeker.case_id)
    assert case.status == CaseStatus.APPROVED  # the e-service engine recorded it, decided
    letter = Message.objects.get(person=person, event="job_seeker_registered", channel="portal")
    assert "İşsiz" in letter.body_text or "Unemployed" in letter.body_text
    assert AuditEvent.objects.filter(action="employment.register", person=person).exists()


def test_an_employed_person_is_a_job_seeker_and_told_how_to_correct_the_register() -> None:
    person = _adult(preferred_language="en")
    _hire(person, datetime.date(2025, 1, 10))
    client = _citizen_client(person)

    page = client.get(reverse("jobcentre:register")).content.decode()

    assert "reasons" in page  # the warning block
    job_seeker = job_seeker_register(person=person, profile=_profile(), actor=_user(person))
    assert job_seeker.status == SeekerStatus.JOB_SEEKER
    assert job_seeker.status_reason == "employed"
    # The reason stays on the status page and goes in the letter, in the person's language.
    status_page = client.get(reverse("jobcentre:mine")).content.decode()
    assert "Why not unemployed" in status_page
    assert "active employment contract" in status_page
    letter = Message.objects.get(person=person, event="job_seeker_registered", channel="portal")
    assert "active employment contract" in letter.body_text


def test_a_pensioner_is_registered_as_a_job_seeker_only() -> None:
    person = _adult(birth_on=datetime.date(1958, 1, 1), sex="M")
    Award.objects.create(
        person=person,
        kind=AwardKind.OLD_AGE_PENSION,
        amount_qepik=40_000,
        start_on=datetime.date(2023, 2, 1),
        exclusivity_group="labour_pension",
        status=AwardStatus.ACTIVE,
        origin=AwardOrigin.PROACTIVE_RUN,
        basis=basis_get_or_create(scheme="old_age_pension", on=datetime.date(2023, 2, 1)),
        record={},
    )
    job_seeker = job_seeker_register(person=person, profile=_profile(), actor=_user(person))

    assert (job_seeker.status, job_seeker.status_reason) == (SeekerStatus.JOB_SEEKER, "pensioner")


def test_a_person_who_declares_being_a_student_is_a_job_seeker() -> None:
    person = _adult()
    job_seeker = job_seeker_register(
        person=person, profile=_profile(), actor=_user(person), declared_not_employed=False
    )
    assert (job_seeker.status, job_seeker.status_reason) == (
        SeekerStatus.JOB_SEEKER,
        "declared_employed",
    )


def test_a_child_under_the_working_age_cannot_register() -> None:
    child = _adult(birth_on=datetime.date(2013, 1, 1))
    with pytest.raises(RegistrationRefused, match="15"):
        job_seeker_register(person=child, profile=_profile(), actor=_user(child))
    assert not JobSeeker.objects.filter(person=child).exists()


def test_registering_twice_keeps_one_registration() -> None:
    person = _adult()
    job_seeker_register(person=person, profile=_profile(), actor=_user(person))
    with pytest.raises(RegistrationRefused):
        job_seeker_register(person=person, profile=_profile(), actor=_user(person))
    assert JobSeeker.objects.filter(person=person).count() == 1


# --- The status ends by itself -------------------------------------------------------------


def test_a_contract_registered_after_the_registration_ends_it_with_a_letter() -> None:
    person = _adult()
    job_seeker = job_seeker_register(person=person, profile=_profile(), actor=_user(person))
    _hire(person, datetime.date(2026, 3, 2))

    report = employment_daily_run(on=datetime.date(2026, 3, 2))
    again = employment_daily_run(on=datetime.date(2026, 3, 2))

    job_seeker.refresh_from_db()
    assert (job_seeker.state, job_seeker.end_reason) == (
        RegistrationState.ENDED,
        EndReason.EMPLOYED,
    )
    assert report.ended == {"employed": 1}
    assert again.ended == {}
    assert Message.objects.filter(person=person, event="job_seeker_ended").exists()


def test_a_contract_older_than_the_registration_does_not_end_it() -> None:
    person = _adult()
    _hire(person, datetime.date(2025, 1, 10))
    job_seeker = job_seeker_register(person=person, profile=_profile(), actor=_user(person))

    assert statuses_end(on=datetime.date(2026, 3, 2)) == {}
    job_seeker.refresh_from_db()
    assert job_seeker.state == RegistrationState.ACTIVE


def test_two_refused_suitable_jobs_end_the_unemployed_status() -> None:
    person = _adult()
    job_seeker = job_seeker_register(person=person, profile=_profile(), actor=_user(person))
    officer = _officer()
    for n in range(2):
        referral = referral_issue(
            job_seeker=job_seeker,
            vacancy=_vacancy(title=f"İş {n}"),
            is_suitable=True,
            actor=officer,
        )
        referral_outcome_record(
            referral=referral,
            outcome=ReferralOutcome.REFUSED_BY_SEEKER,
            reason="Maaş azdır",
            actor=officer,
        )

    assert statuses_end(on=datetime.date(2026, 3, 3)) == {"refused_jobs": 1}
    letters = Message.objects.filter(person=person, event="referral_issued", channel="portal")
    assert letters.count() == 2


def test_a_referral_to_a_closed_vacancy_is_refused_with_a_message() -> None:
    person = _adult()
    job_seeker = job_seeker_register(person=person, profile=_profile(), actor=_user(person))
    closed = _vacancy(status="filled")

    with pytest.raises(EmploymentError, match="closed"):
        referral_issue(job_seeker=job_seeker, vacancy=closed, is_suitable=True, actor=_officer())
    assert not Referral.objects.exists()


def test_a_temporary_de_registration_resumes_by_itself() -> None:
    person = _adult()
    job_seeker = job_seeker_register(person=person, profile=_profile(), actor=_user(person))
    job_seeker_pause(
        job_seeker=job_seeker,
        until=datetime.date(2026, 4, 1),
        reason="Xəstəlik",
        actor=_user(person),
    )

    assert employment_daily_run(on=datetime.date(2026, 4, 2)).resumed == 1
    job_seeker.refresh_from_db()
    assert job_seeker.state == RegistrationState.ACTIVE


def test_a_de_registration_longer_than_the_law_allows_is_refused() -> None:
    person = _adult()
    job_seeker = job_seeker_register(person=person, profile=_profile(), actor=_user(person))
    with pytest.raises(EmploymentError, match="6"):
        job_seeker_pause(
            job_seeker=job_seeker,
            until=datetime.date(2027, 3, 1),
            reason="Səfər",
            actor=_user(person),
        )


# --- Pages ---------------------------------------------------------------------------------


def test_a_citizen_registers_on_the_pages_and_sees_the_status() -> None:
    person = _adult()
    client = _citizen_client(person)

    response = client.post(
        reverse("jobcentre:register"),
        {
            "is_employed_otherwise": "no",
            "education": "bachelor",
            "occupation_1": "2512",
            "desired_region": "",
            "desired_salary": "800",
        },
    )

    assert response.status_code == 302
    page = client.get(reverse("jobcentre:mine")).content.decode()
    assert 'data-testid="status"' in page
    assert JobSeeker.objects.get(person=person).desired_salary_qepik == 80_000


def test_bad_input_on_the_registration_form_gets_messages_not_a_500() -> None:
    person = _adult()
    client = _citizen_client(person)

    response = client.post(
        reverse("jobcentre:register"),
        {
            "is_employed_otherwise": "maybe",
            "education": "x\x00",
            "occupation_1": "' OR 1=1 --",
            "desired_salary": "lots",
        },
    )

    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not JobSeeker.objects.filter(person=person).exists()


def test_a_case_worker_of_another_subsystem_cannot_open_the_officer_pages() -> None:
    user = _officer("pension-worker", subsystems=(Subsystem.PENSIONS,))
    client = otp_verified(Client(), user)

    assert client.get(reverse("jobcentre:officer_home")).status_code == 403
    assert AuditEvent.objects.filter(action=AuditAction.ACCESS_REFUSED, actor=user).exists()


def test_an_officer_finds_a_job_seeker_refers_them_and_the_read_is_audited() -> None:
    person = _adult()
    job_seeker_register(person=person, profile=_profile(), actor=_user(person))
    vacancy = _vacancy()
    officer = _officer()
    client = otp_verified(Client(), officer)

    found = client.get(reverse("jobcentre:officer_home"), {"fin": person.fin})
    page = client.get(found["Location"])
    referred = client.post(found["Location"], {"vacancy": vacancy.pk, "is_suitable": "on"})

    assert page.status_code == 200
    assert 'data-testid="suggestions"' in page.content.decode()
    assert referred.status_code == 302
    assert Referral.objects.get().is_suitable
    assert AuditEvent.objects.filter(
        action=AuditAction.PERSON_READ, actor=officer, person=person
    ).exists()


def test_an_officer_cannot_open_a_person_who_is_not_registered() -> None:
    stranger = _adult()
    client = otp_verified(Client(), _officer())

    found = client.get(reverse("jobcentre:officer_home"), {"fin": stranger.fin})
    direct = client.get(reverse("jobcentre:officer_person", args=[stranger.pk]))

    assert found.status_code == 200  # "no registration has this FİN", the same for anyone
    assert direct.status_code == 404
    assert AuditEvent.objects.filter(action=AuditAction.ACCESS_REFUSED, person=stranger).exists()


def _user(person: Person) -> User:
    from meis.accounts.services import citizen_account_get_or_create

    return citizen_account_get_or_create(person=person)


def _citizen_client(person: Person) -> Client:
    client = Client()
    client.force_login(_user(person))
    return client


def test_registrations_referrals_and_placements_count_in_the_statistics() -> None:
    from meis.stats.views import _employment_chart
    from meis.usage.selectors import Period
    from meis.usage.services import rollup_refresh

    hired, refused = _adult(), _adult()
    officer = _officer()
    vacancy = _vacancy(positions=1)
    referrals = [
        referral_issue(
            job_seeker=job_seeker_register(person=person, profile=_profile(), actor=_user(person)),
            vacancy=vacancy,
            is_suitable=True,
            actor=officer,
        )
        for person in (hired, refused)
    ]
    referral_outcome_record(
        referral=referrals[0], outcome=ReferralOutcome.HIRED, reason="", actor=officer
    )
    rollup_refresh(today=datetime.date(2026, 3, 2))

    chart = _employment_chart(Period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31)))

    counts = dict(zip(chart.labels, chart.series[0].values, strict=True))
    assert counts["Registered as unemployed"] == 2
    assert counts["Job seeker referred to a vacancy"] == 2
    assert counts["Job seeker hired on a referral"] == 1
    assert counts["Vacancy closed"] == 1  # its one position filled
    vacancy.refresh_from_db()
    assert vacancy.status == "filled"
    today = register_counts(on=datetime.date(2026, 3, 2))
    assert (today.unemployed, today.job_seekers, today.open_vacancies) == (2, 0, 0)


def test_the_apply_address_of_the_registration_leads_to_its_own_page() -> None:
    client = _citizen_client(_adult())

    response = client.get(reverse("cases:apply", kwargs={"code": "job-seeker-registration"}))

    assert response.status_code == 302
    assert response["Location"] == reverse("jobcentre:register")


def test_a_person_who_does_not_appear_when_called_loses_the_registration() -> None:
    person = _adult()
    job_seeker_register(person=person, profile=_profile(), actor=_user(person))
    client = otp_verified(Client(), _officer())
    path = reverse("jobcentre:officer_call_missed", args=[person.pk])

    future = client.post(path, {"called_for": "2026-03-09"})
    recorded = client.post(path, {"called_for": "2026-02-27", "note": "SMS ilə çağırılıb"})

    assert future.status_code == 200  # a call in the future is refused with a message
    assert recorded.status_code == 302
    assert statuses_end(on=datetime.date(2026, 3, 2)) == {"did_not_appear": 1}
    assert Message.objects.filter(person=person, event="job_seeker_ended").exists()


def test_the_officer_home_lists_the_regions_newest_registrations_as_audited_reads() -> None:
    here = _adult(region=Region.BAKU)
    elsewhere = _adult(region=Region.GANJA_DASHKASAN)
    for person in (here, elsewhere):
        job_seeker_register(person=person, profile=_profile(), actor=_user(person))
    officer = _officer()
    officer.staff_profile.centre = ServiceCentre.objects.filter(region=Region.BAKU).first()
    officer.staff_profile.save()

    page = otp_verified(Client(), officer).get(reverse("jobcentre:officer_home")).content.decode()

    assert reverse("jobcentre:officer_person", args=[here.pk]) in page
    assert reverse("jobcentre:officer_person", args=[elsewhere.pk]) not in page
    assert AuditEvent.objects.filter(
        action=AuditAction.PERSON_READ, actor=officer, person=here
    ).exists()
