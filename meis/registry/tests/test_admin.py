"""The registry admin: identifier search that never fails and never scans."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PEOPLE = reverse("admin:registry_person_changelist")
DOCUMENTS = reverse("admin:registry_identitydocument_changelist")


def search(client, url, term):
    return client.get(url, {"q": term})


def test_person_search_finds_a_person_by_fin_as_typed(admin_client, citizen, other_citizen):
    response = search(admin_client, PEOPLE, f" {citizen.fin.lower()} ")
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [citizen]


def test_person_search_finds_a_person_by_document_number(admin_client, citizen, other_citizen):
    number = citizen.documents.get().number
    response = search(admin_client, PEOPLE, f"{number[:2].lower()} {number[2:]}")
    assert list(response.context["cl"].result_list) == [citizen]


@pytest.mark.parametrize(
    "term", ["x", "'; DROP TABLE registry_person; --", "%", "ÇÇÇÇÇÇÇ", "AZE123", "9" * 5000]
)
def test_person_search_with_malformed_input_finds_nothing_and_is_not_an_error(
    admin_client, citizen, term, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = search(admin_client, PEOPLE, term)
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


def test_document_search_finds_a_document_by_its_holders_fin(admin_client, citizen):
    response = search(admin_client, DOCUMENTS, citizen.fin)
    assert list(response.context["cl"].result_list) == list(citizen.documents.all())


def test_person_change_page_shows_documents_and_memberships(admin_client, citizen):
    response = admin_client.get(reverse("admin:registry_person_change", args=[citizen.pk]))
    assert response.status_code == 200
    assert citizen.documents.get().number in response.content.decode()


def test_an_analyst_cannot_open_the_person_admin(client, analyst, citizen):
    client.force_login(analyst)
    assert client.get(PEOPLE).status_code == 403


def test_a_case_worker_may_view_but_not_change_a_person(client, case_worker, citizen):
    client.force_login(case_worker)
    assert client.get(PEOPLE).status_code == 200
    change = reverse("admin:registry_person_change", args=[citizen.pk])
    response = client.post(change, {"fin": "ZZZZZZZ"})
    assert response.status_code == 403
    citizen.refresh_from_db()
    assert citizen.fin != "ZZZZZZZ"


def test_the_change_list_stops_counting_past_a_bound(admin_client, monkeypatch, citizen):
    from meis.registry import admin as registry_admin
    from meis.registry.tests.factories import PersonFactory

    monkeypatch.setattr(registry_admin, "MAX_COUNTED", 3)
    PersonFactory.create_batch(5)
    response = admin_client.get(PEOPLE)
    assert response.status_code == 200
    assert response.context["cl"].result_count == 4
