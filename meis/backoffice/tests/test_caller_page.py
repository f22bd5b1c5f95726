"""The operator's caller page: once a caller is identified, their applications, awards and
certificates with what the operator may do for them (file an application, issue a certificate,
end the call); once the call ends the operator can neither read nor act for the caller."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import translation

from meis.accounts.models import CallSession
from meis.accounts.testing import otp_verified
from meis.audit.models import AuditEvent
from meis.awards.models import AwardKind
from meis.awards.tests.factories import granted
from meis.backoffice.tests.test_staff_home import case_with_clock, person
from meis.cases.tests.conftest import staff
from meis.catalog.selectors import eservice_version_current
from meis.catalog.services import catalog_import_seed
from meis.centres.models import ServiceCentre
from meis.certificates.models import Certificate
from meis.certificates.signing import demo_ca_ensure
from meis.registry.models import Person
from meis.workcalendar.arithmetic import DeadlineStatus

pytestmark = pytest.mark.django_db
SERVICE = "targeted-social-assistance"


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def version(db: None) -> Any:
    catalog_import_seed()
    return eservice_version_current(code=SERVICE)


@pytest.fixture
def operator_(db: None) -> User:
    return staff("op", "call_centre_operator", None, [])


@pytest.fixture
def caller(db: None) -> Person:
    return person()


def identify(client: Client, caller: Person) -> Any:
    return client.post(
        reverse("accounts:call_start"),
        {"document_number": caller.documents.get().number, "fin": caller.fin},
    )


def test_identifying_a_caller_opens_their_page_with_cases_awards_and_what_to_do(
    version, operator_, caller
):
    centre = ServiceCentre.objects.order_by("code")[0]
    open_case = case_with_clock(version, centre, DeadlineStatus.ON_TRACK, applicant=caller)
    granted(caller, AwardKind.OLD_AGE_PENSION, datetime.date(2020, 3, 1))
    client = otp_verified(Client(), operator_)

    response = identify(client, caller)

    assert response.status_code == 302
    assert response.url == reverse("accounts:staff_person", args=[caller.pk])
    page = client.get(response.url).content.decode()
    assert caller.full_name in page
    assert open_case.reference in page.split('data-testid="caller-open-cases"', 1)[1]
    assert "Old-age labour pension" in page.split('data-testid="caller-awards"', 1)[1]
    assert reverse("cases:apply", kwargs={"code": SERVICE}) in page
    assert f'name="fin" value="{caller.fin}"' in page  # the certificate desk's form, filled in
    assert AuditEvent.objects.filter(
        action="person.read", actor=operator_, person=caller, purpose__startswith="142 call"
    ).exists()


@pytest.fixture
def signing_key(settings: Any, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> None:
    """A demo signing key, as the certificates' own tests make one."""
    directory = tmp_path_factory.mktemp("signing")
    demo_ca_ensure(directory)
    settings.CERTIFICATE_SIGNING_P12 = str(directory / "signing.p12")
    settings.CERTIFICATE_TRUST_ROOTS = str(directory / "ca.pem")
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_the_certificate_form_of_the_caller_page_issues_through_the_desk(
    version, operator_, caller, signing_key
):
    granted(caller, AwardKind.OLD_AGE_PENSION, datetime.date(2020, 3, 1))
    client = otp_verified(Client(), operator_)
    identify(client, caller)

    response = client.post(
        reverse("certificates:staff_desk"),
        {
            "issue": "1",
            "fin": caller.fin,
            "type_code": "pension",
            "language": "en",
            "purpose": "bank",
            "recipient": "",
            "send_by_email": "on",
        },
    )

    assert response.status_code == 302  # e-mailed (or told there is no address), not a PDF
    certificate = Certificate.objects.get(person=caller)
    assert certificate.issued_by == operator_
    assert certificate.channel == "call_centre"


def test_after_the_call_ends_the_operator_can_neither_read_nor_file_for_the_caller(
    version, operator_, caller
):
    client = otp_verified(Client(), operator_)
    identify(client, caller)
    page = reverse("accounts:staff_person", args=[caller.pk])
    assert client.get(page).status_code == 200
    assert client.get(reverse("cases:apply", kwargs={"code": SERVICE})).status_code == 200

    response = client.post(reverse("accounts:call_end"))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:call_start")
    assert CallSession.objects.get(caller=caller).ended_at is not None
    assert client.get(page).status_code == 404
    assert client.get(reverse("cases:apply", kwargs={"code": SERVICE})).status_code == 302
    assert AuditEvent.objects.filter(
        action="access.refused", actor=operator_, person=caller
    ).exists()


def test_ending_a_call_needs_a_post(operator_):
    assert otp_verified(Client(), operator_).get(reverse("accounts:call_end")).status_code == 405


def test_a_case_worker_opening_a_person_still_gets_the_record_page(version):
    centre = ServiceCentre.objects.order_by("code")[0]
    worker = staff("w1", "case_worker", centre, ["targeted_assistance"])
    case = case_with_clock(version, centre, DeadlineStatus.ON_TRACK)
    page = (
        otp_verified(Client(), worker)
        .get(reverse("accounts:staff_person", args=[case.person_id]))
        .content.decode()
    )
    assert "Identity documents" in page
    assert 'data-testid="services-on-behalf"' not in page


def test_every_link_of_the_caller_page_opens_for_the_operator_during_the_call(
    version, operator_, caller
):
    """Filing for the caller (each service), booking for them where there is an appointment book:
    nothing the caller page offers answers 403, 404 or 500."""
    client = otp_verified(Client(), operator_)
    page = client.get(identify(client, caller).url).content.decode()
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    links = re.findall(r'<a class="govuk-link" href="(/en/[^"]*)"', main)

    assert links
    for href in links:
        assert client.get(href).status_code == 200, href
