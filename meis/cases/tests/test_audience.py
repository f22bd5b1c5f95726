"""Each service's audience is enforced, from the side of the person refused: a citizen cannot
file an employer's notification, an employer's representative cannot file a citizen's service,
staff cannot file what is not filed on a citizen's behalf — on the apply pages and in
`case_submit` alike, with a page or message that says who may apply and how, and an audit
event."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.test import Client
from django.urls import reverse

from meis.accounts.models import EmployerRepresentative
from meis.accounts.services import citizen_account_get_or_create
from meis.audit.models import AuditAction, AuditEvent
from meis.cases import services
from meis.cases.access import AudienceRefused
from meis.cases.models import ApplicationDraft, Case
from meis.cases.tests.conftest import answers, pdf
from meis.catalog.selectors import eservice_version_current
from meis.registry.tests.factories import EmployerFactory, PersonFactory

pytestmark = pytest.mark.django_db

EMPLOYERS_SERVICE = "employment-contract-conclusion"
CITIZENS_SERVICE = "targeted-social-assistance"


def _employer_representative() -> User:
    """A person bound to act for an employer, signed in as a citizen (as representatives are)."""
    person = PersonFactory.create()
    EmployerRepresentative.objects.create(person=person, employer=EmployerFactory.create())
    return citizen_account_get_or_create(person=person)


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _refusals(service: str) -> Any:
    return AuditEvent.objects.filter(action=AuditAction.ACCESS_REFUSED, details__service=service)


def _submit(person: Any, code: str, *, actor: Any, channel: str, centre: Any) -> Any:
    return services.case_submit(
        person=person,
        version=eservice_version_current(code=code),
        answers=answers(),
        channel=channel,
        actor=actor,
        centre=centre,
        contact_channel="portal",
        contact_value="",
        idempotency_key=str(uuid.uuid4()),
        documents=[("identity_card", pdf()), ("family_composition_certificate", pdf())],
    )


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_citizen_cannot_start_an_employers_contract_notification(
    method: str, version: Any, citizen: Any, citizen_client: Any
) -> None:
    client = citizen_client(citizen)
    path = reverse("cases:apply", kwargs={"code": EMPLOYERS_SERVICE})
    response = getattr(client, method)(path)
    assert response.status_code == 403
    html = response.content.decode()
    assert "You cannot apply for this service" in html
    assert "is for employers: an employer&#x27;s representative sends it" in html
    assert "Employers, through their representative" in html
    assert not ApplicationDraft.objects.exists()
    assert _refusals(EMPLOYERS_SERVICE).filter(details__applying_as="citizen").exists()


def test_a_citizen_is_refused_on_every_apply_page_of_an_employers_service(
    version: Any, citizen: Any, citizen_client: Any
) -> None:
    client = citizen_client(citizen)
    for name in ("apply_questions", "apply_documents", "apply_contact", "apply_check"):
        response = client.get(reverse(f"cases:{name}", kwargs={"code": EMPLOYERS_SERVICE}))
        assert response.status_code == 403, name
    assert not ApplicationDraft.objects.exists()


def test_case_submit_refuses_a_citizen_an_employers_notification_whatever_the_page(
    version: Any, citizen: Any, centre: Any
) -> None:
    actor = citizen_account_get_or_create(person=citizen)
    with pytest.raises(AudienceRefused, match="is for employers"):
        _submit(citizen, EMPLOYERS_SERVICE, actor=actor, channel="portal", centre=centre)
    with pytest.raises(AudienceRefused):
        _submit(citizen, EMPLOYERS_SERVICE, actor=AnonymousUser(), channel="api", centre=centre)
    assert not Case.objects.exists()
    assert _refusals(EMPLOYERS_SERVICE).filter(person=citizen).count() == 2


def test_an_employer_representative_applies_for_a_citizens_service_as_themselves(
    version: Any,
) -> None:
    client = _signed_in(_employer_representative())
    response = client.get(reverse("cases:apply", kwargs={"code": CITIZENS_SERVICE}))
    assert response.status_code == 200


def test_an_employer_representative_is_sent_to_the_employers_pages_for_a_notification(
    version: Any,
) -> None:
    client = _signed_in(_employer_representative())
    response = client.get(reverse("cases:apply", kwargs={"code": EMPLOYERS_SERVICE}))
    assert response.status_code == 403
    assert "employers send it on the employer&#x27;s pages" in response.content.decode()
    assert _refusals(EMPLOYERS_SERVICE).filter(details__applying_as="employer").exists()

    detail = client.get(reverse("catalog:detail", kwargs={"code": EMPLOYERS_SERVICE}))
    html = detail.content.decode()
    assert 'id="not-for-you"' not in html
    assert f'href="{reverse("employers:list")}"' in html
    assert "Go to the employer's pages" in html


def test_an_operator_cannot_file_what_is_not_filed_on_a_citizens_behalf(
    version: Any, citizen: Any, call_operator: Any, call_with: Any, staff_client: Any
) -> None:
    call_with(citizen)
    response = staff_client(call_operator).get(
        reverse("cases:apply", kwargs={"code": EMPLOYERS_SERVICE})
    )
    assert response.status_code == 403
    assert "staff cannot file it on a citizen&#x27;s behalf" in response.content.decode()
    assert _refusals(EMPLOYERS_SERVICE).filter(details__channel="call_centre").exists()


def test_case_submit_refuses_staff_channels_for_a_service_not_filed_on_behalf(
    version: Any, citizen: Any, centre: Any, worker: Any
) -> None:
    for channel in ("call_centre", "centre_desk", "email"):
        with pytest.raises(AudienceRefused, match="staff cannot file it"):
            _submit(citizen, EMPLOYERS_SERVICE, actor=worker, channel=channel, centre=centre)
    assert not Case.objects.exists()


def test_the_catalogue_tells_a_signed_in_citizen_who_an_employers_service_is_for(
    version: Any, citizen: Any, citizen_client: Any
) -> None:
    response = citizen_client(citizen).get(
        reverse("catalog:detail", kwargs={"code": EMPLOYERS_SERVICE})
    )
    html = response.content.decode()
    assert 'id="not-for-you"' in html
    assert "You are signed in as a citizen, so you cannot send it." in html
    assert "govuk-button--start" not in html


def test_the_refusal_is_in_the_pages_language(
    version: Any, citizen: Any, citizen_client: Any
) -> None:
    response = citizen_client(citizen).get(f"/az/apply/{EMPLOYERS_SERVICE}/")
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="az"' in html
    assert "Əmək müqaviləsinin bağlanması barədə bildiriş" in html  # the service, in Azerbaijani
