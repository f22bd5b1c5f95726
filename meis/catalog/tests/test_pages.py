"""Public catalogue pages: no sign-in needed."""

import pytest
from django.urls import NoReverseMatch

pytestmark = pytest.mark.django_db


def test_the_list_shows_active_services_grouped_by_subsystem(client, seeded):
    response = client.get("/en/services/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Apply for targeted state social assistance" in html
    assert "Employment contract notification" in html
    assert "The 190-manat one-off payment" not in html  # inactive


def test_the_list_filters_by_subsystem(client, seeded):
    html = client.get("/en/services/?subsystem=employment").content.decode()
    assert "Register as a job seeker or unemployed" in html
    assert "Apply for targeted state social assistance" not in html


def test_the_list_filters_by_life_situation(client, seeded):
    html = client.get("/en/services/?situation=birth-of-a-child").content.decode()
    assert "Apply for the one-off childbirth benefit" in html
    assert "Register as a job seeker or unemployed" not in html


def test_search_finds_services_by_words_in_the_active_language(client, seeded):
    html = client.get("/ru/services/?q=пособие").content.decode()
    assert "Единовременное пособие при рождении ребёнка" in html
    assert "Регистрация в качестве ищущего работу" not in html
    html = client.get("/en/services/?q=no-such-words-anywhere").content.decode()
    assert "No e-service matches" in html


def test_the_detail_page_shows_deadline_documents_and_who_can_apply(client, seeded):
    response = client.get("/en/services/targeted-social-assistance/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Within 15 working days" in html
    assert "Family composition certificate" in html
    assert "PDF, JPEG, PNG" in html
    assert "At a service centre or by calling 142" in html


def test_the_detail_page_has_no_apply_button_when_the_apply_url_is_missing(
    client, seeded, monkeypatch
):
    from meis.catalog import views

    def reverse(name, kwargs):
        raise NoReverseMatch(name)

    monkeypatch.setattr(views, "reverse", reverse)
    html = client.get("/en/services/targeted-social-assistance/").content.decode()
    assert "govuk-button--start" not in html
    assert "call 142" in html


def test_the_detail_page_links_to_apply_when_the_url_exists(client, seeded, monkeypatch):
    from meis.catalog import views

    def reverse(name, kwargs):
        if name != views.APPLY_URL_NAME:
            raise NoReverseMatch(name)
        return f"/en/apply/{kwargs['code']}/"

    monkeypatch.setattr(views, "reverse", reverse)
    html = client.get("/en/services/targeted-social-assistance/").content.decode()
    assert 'href="/en/apply/targeted-social-assistance/"' in html


def test_an_unknown_service_is_404(client, seeded):
    assert client.get("/en/services/no-such-service/").status_code == 404


def test_an_inactive_service_is_404(client, seeded):
    assert client.get("/en/services/lump-sum-payment-2020/").status_code == 404


def test_pages_work_in_azerbaijani(client, seeded):
    response = client.get("/az/services/disability-assessment/")
    assert response.status_code == 200
    assert "Əlilliyin müəyyən edilməsi" in response.content.decode()
