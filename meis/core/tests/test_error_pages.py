"""The error pages are the product's pages: the layout, the address's language, a way on.

The test settings run with DEBUG off, as production and the demo do, so what these tests see is
what a visitor sees.
"""

import re

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.db import OperationalError, connection
from django.test import Client, override_settings
from django.urls import path
from django.utils import translation

from meis import urls as meis_urls
from meis.accounts.testing import otp_verified

NOT_FOUND = {"az": "Səhifə tapılmadı", "en": "Page not found", "ru": "Страница не найдена"}


def _raise_error(request):
    raise RuntimeError("secret detail of the failure")


urlpatterns = [
    *meis_urls.urlpatterns,
    *i18n_patterns(path("boom/", _raise_error), prefix_default_language=True),
]


def _links(html):
    return re.findall(r'<a class="govuk-link" href="([^"]+)"', html)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["az", "en", "ru"])
def test_a_mistyped_address_is_the_product_404_in_its_language(client, language):
    response = client.get(f"/{language}/servises/")

    html = response.content.decode()
    assert response.status_code == 404
    assert f'<html lang="{language}"' in html
    assert NOT_FOUND[language] in html
    assert 'id="navigation"' in html
    assert {f"/{language}/", f"/{language}/services/"} <= set(_links(html))
    assert "142" in html


@pytest.mark.django_db
def test_a_404_offers_staff_the_way_back_to_their_work(analyst):
    html = otp_verified(Client(), analyst).get("/en/servises/").content.decode()

    assert "/en/staff/" in _links(html)


@pytest.mark.django_db
def test_a_404_offers_no_staff_link_to_a_visitor(client):
    html = client.get("/en/servises/").content.decode()

    assert "/en/staff/" not in _links(html)


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_failing_page_is_the_500_page_without_a_traceback(client):
    client.raise_request_exception = False

    response = client.get("/en/boom/")

    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="en"' in html
    assert "Sorry, there is a problem with the service" in html
    assert {"/en/", "/en/services/"} <= set(_links(html))
    assert "142" in html
    for leak in ("Traceback", "RuntimeError", "secret detail"):
        assert leak not in html


@pytest.mark.django_db
def test_the_503_page_is_shown_while_the_database_is_down(analyst):
    # Issue 22: an outage is brief and the service's: 503 with a retry hint, not 500.
    staff = otp_verified(Client(raise_request_exception=False), analyst)

    def database_down(execute, sql, params, many, context):
        raise OperationalError("could not connect to server")

    with connection.execute_wrapper(database_down):
        response = staff.get("/ru/staff/")

    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert '<html lang="ru"' in html
    assert "Сервис временно недоступен" in html
    assert "could not connect" not in html


@pytest.mark.django_db
def test_a_request_for_an_unknown_host_is_the_400_page(client):
    with translation.override("en"):
        response = client.get("/en/", HTTP_HOST="meis.attacker.example")

    html = response.content.decode()
    assert response.status_code == 400
    assert '<html lang="en"' in html
    assert "The page could not understand the request" in html
    assert "meis.attacker.example" not in html


@pytest.mark.django_db
def test_a_form_sent_without_a_valid_token_explains_the_expired_session():
    browser = Client(enforce_csrf_checks=True)

    response = browser.post("/en/sign-in/", {"document_number": "AA1234567", "fin": "1AB2C3D"})

    html = response.content.decode()
    assert response.status_code == 403
    assert '<html lang="en"' in html
    assert "Your session has expired" in html
    assert "try again" in html
    assert "CSRF" not in html


@pytest.mark.django_db
def test_a_form_address_opened_as_a_link_is_the_405_page(client):
    response = client.get("/en/verify/pdf/")

    html = response.content.decode()
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert '<html lang="en"' in html
    assert "This page cannot be opened this way" in html
    assert "/en/verify/" in html  # the navigation's "Check a certificate"
