"""No dead ends: every service of the seed catalogue, followed from its catalogue page as a
signed-in citizen and as an employer's representative, leads to a working page — the first
question of the application, the certificates page, or where to apply in person."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from meis.accounts.models import EmployerRepresentative, ServiceCentreRegistration
from meis.accounts.services import citizen_account_get_or_create
from meis.catalog.definitions import service_definition_parse
from meis.catalog.services import SEED_FILE, _document
from meis.registry.tests.factories import EmployerFactory, PersonFactory

pytestmark = pytest.mark.django_db

SEED = [
    service_definition_parse(raw)
    for raw in _document(SEED_FILE.read_text(encoding="utf-8"))["services"]
]
OFFERED = [d for d in SEED if d.is_active]
START = re.compile(r'<a href="([^"]+)"[^>]*class="govuk-button govuk-button--start"')
IN_PERSON = re.compile(r'<a class="govuk-link" id="in-person" href="([^"]+)"')


def _follow(client: Client, path: str) -> Any:
    """GET with redirects followed; every hop must answer, none may be a 404 or a 500."""
    response = client.get(path, follow=True)
    for hop, status in response.redirect_chain:
        assert status in (301, 302), (path, hop, status)
    assert response.status_code == 200, (path, response.redirect_chain, response.status_code)
    return response


def _detail(client: Client, code: str) -> str:
    response = _follow(client, reverse("catalog:detail", kwargs={"code": code}))
    return str(response.content.decode())


def _employer_representative() -> User:
    """A person bound to act for an employer, signed in as a citizen (as representatives are)."""
    person = PersonFactory.create()
    EmployerRepresentative.objects.create(person=person, employer=EmployerFactory.create())
    return citizen_account_get_or_create(person=person)


def _citizen_follows(client: Client, definition: Any) -> None:
    html = _detail(client, definition.code)
    start, in_person = START.search(html), IN_PERSON.search(html)
    if not definition.for_citizens:
        assert 'id="not-for-you"' in html, definition.code
        assert not start, definition.code
        return
    assert start or in_person, f"{definition.code}: no way to apply is offered"
    if in_person:
        page = _follow(client, in_person.group(1)).content.decode()
        assert 'id="centres"' in page or 'id="own-centre"' in page, definition.code
        return
    assert start is not None
    page = _follow(client, start.group(1))
    if not definition.is_online:
        # A certificate starts on the certificates page, a booking on the appointment pages.
        assert page.request["PATH_INFO"] in (
            reverse("certificates:mine"),
            reverse("appointments:mine"),
            reverse("appointments:book"),
        ), definition.code
        return
    if page.request["PATH_INFO"] in (
        reverse("jobcentre:register"),
        reverse("disability:mine"),
        reverse("disability:self_referral"),
    ):
        # Made on a register's own pages: the employment register's registration
        # (meis.jobcentre); the disability register's referrals and requests (meis.disability).
        assert page.status_code == 200, definition.code
        return
    assert page.templates[0].name == "cases/apply_start.html", definition.code
    questions = client.post(start.group(1), follow=True)
    assert questions.status_code == 200, definition.code
    assert questions.templates[0].name == "cases/apply_questions.html", definition.code


def test_every_start_link_works_for_a_signed_in_citizen(
    version: Any, citizen: Any, citizen_client: Any
) -> None:
    client = citizen_client(citizen)
    for definition in OFFERED:
        _citizen_follows(client, definition)


def test_every_start_link_works_for_an_employer_representative(version: Any) -> None:
    client = Client()
    client.force_login(_employer_representative())
    for definition in OFFERED:
        html = _detail(client, definition.code)
        start, in_person = START.search(html), IN_PERSON.search(html)
        if definition.for_employers:
            target = start or in_person
            assert target, f"{definition.code}: an employer is not told where to go"
            _follow(client, target.group(1))
        elif definition.for_citizens:
            assert 'id="not-for-you"' not in html, definition.code  # they apply as themselves


def test_every_service_says_how_to_apply(version: Any, client: Client) -> None:
    for definition in OFFERED:
        html = _detail(client, definition.code)
        assert START.search(html) or IN_PERSON.search(html), definition.code


def test_no_instant_service_is_offered_through_the_apply_pages() -> None:
    assert not [d.code for d in SEED if d.is_instant and d.is_online]


def test_a_typed_apply_address_of_a_service_not_online_leads_where_it_is(
    version: Any, citizen: Any, citizen_client: Any
) -> None:
    client = citizen_client(citizen)
    for definition in OFFERED:
        if definition.is_online or not definition.for_citizens:
            continue
        response = _follow(client, reverse("cases:apply", kwargs={"code": definition.code}))
        assert response.templates[0].name in (
            "cases/apply_in_person.html",
            "catalog/service_detail.html",
        ), definition.code


def test_the_in_person_page_puts_the_citizens_own_centre_first(
    version: Any, citizen: Any, citizen_client: Any, centre: Any, other_centre: Any
) -> None:
    ServiceCentreRegistration.objects.create(
        person=citizen, centre=other_centre, subsystem="e_certificates", reference="REG-1"
    )
    path = reverse("cases:apply_in_person", kwargs={"code": "pickup-appointment"})
    html = _follow(citizen_client(citizen), path).content.decode()
    own = html.index('id="own-centre"')
    assert other_centre.name in html[own : html.index("</dl>", own)]
    assert "Call 142 to book a time" in html


def test_the_in_person_page_needs_no_sign_in(version: Any, client: Client) -> None:
    path = reverse("cases:apply_in_person", kwargs={"code": "individual-account-statement"})
    html = _follow(client, path).content.decode()
    assert "Insurance record and pension capital" in html
