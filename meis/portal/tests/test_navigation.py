"""The service navigation: every visitor finds their pages from any page, and only those."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from meis.accounts.services import citizen_account_get_or_create
from meis.accounts.testing import otp_verified

pytestmark = pytest.mark.django_db


def navigation_links(html: str) -> dict[str, str]:
    """Label → address of each link in the service navigation."""
    menu = html.split('id="navigation"', 1)[1].split("</ul>", 1)[0]
    return {
        re.sub(r"\s+", " ", label).strip(): href
        for href, label in re.findall(
            r'class="govuk-service-navigation__link" href="([^"]+)"[^>]*>([^<]+)</a>', menu
        )
    }


def test_an_anonymous_visitor_finds_services_calculators_checking_and_sign_in() -> None:
    links = navigation_links(Client().get("/en/").content.decode())

    assert links == {
        "Home": "/en/",
        "E-services": "/en/services/",
        "Calculators": "/en/calculators/",
        "DOST centres": "/en/centres/",
        "Check a certificate": "/en/verify/",
        "Sign in": "/en/sign-in/",
    }
    for href in links.values():
        assert Client().get(href).status_code == 200


def test_a_citizen_finds_their_own_pages_and_each_opens(citizen) -> None:
    client = Client()
    client.force_login(citizen_account_get_or_create(person=citizen))

    links = navigation_links(client.get("/en/").content.decode())

    assert list(links) == [
        "Home",
        "E-services",
        "My record",
        "My applications",
        "My awards",
        "My certificates",
        "Inbox",
    ]
    for href in links.values():
        assert client.get(href).status_code == 200, href


def test_a_citizen_finds_their_appointments_and_the_centres_on_the_home_page(citizen) -> None:
    """The two items that would make the citizen's navigation wrap at 1280 px."""
    client = Client()
    client.force_login(citizen_account_get_or_create(person=citizen))

    main = client.get("/en/").content.decode().split('id="main-content"', 1)[1]

    assert '<a class="govuk-link govuk-!-font-weight-bold" href="/en/appointments/">' in main
    assert '<a class="govuk-link govuk-!-font-weight-bold" href="/en/centres/">' in main
    assert client.get("/en/appointments/").status_code == 200


def test_the_current_page_is_marked_for_screen_readers() -> None:
    html = Client().get("/en/services/").content.decode()

    assert 'href="/en/services/" aria-current="page"' in html


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        (
            "case_worker",
            [
                "Home",
                "My work",
                "Case queue",
                "E-mail",
                "Walk-in queue",
                "Appointments",
                "Certificates",
            ],
        ),
        ("operator", ["Home", "My work", "Calls", "Certificates"]),
        ("analyst", ["Home", "My work", "Statistics", "Proactive runs"]),
        ("auditor", ["Home", "My work", "Audit trail"]),
        (
            "administrator",
            [
                "Home",
                "My work",
                "Certificates",
                "Statistics",
                "Proactive runs",
                "Audit trail",
                "Messages",
                "Administration",
            ],
        ),
    ],  # fmt: skip
)
def test_staff_see_only_the_pages_their_roles_open(request, persona, expected) -> None:
    user = request.getfixturevalue(persona)
    client = otp_verified(Client(), user)

    links = navigation_links(client.get("/en/").content.decode())

    assert list(links) == expected
    for label, href in links.items():
        assert client.get(href).status_code == 200, label


@pytest.mark.parametrize("language", ["az", "ru"])
def test_the_navigation_speaks_the_page_language(language) -> None:
    links = navigation_links(Client().get(f"/{language}/").content.decode())

    assert "E-services" not in links
    assert "Sign in" not in links
    assert all(href.startswith(f"/{language}/") for href in links.values())
