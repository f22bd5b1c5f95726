"""The registry admin: identifier search that never fails and never scans."""

import pytest
from django.urls import reverse

from meis.accounts.testing import otp_verified
from meis.audit.models import AuditAction, AuditEvent

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
    otp_verified(client, analyst)
    assert client.get(PEOPLE).status_code == 403


def test_a_case_worker_reads_people_through_the_funnel_not_the_admin(client, case_worker, citizen):
    otp_verified(client, case_worker)
    assert client.get(PEOPLE).status_code == 403
    change = reverse("admin:registry_person_change", args=[citizen.pk])
    response = client.post(change, {"fin": "ZZZZZZZ"})
    assert response.status_code == 404  # an object the funnel refuses does not exist for them
    citizen.refresh_from_db()
    assert citizen.fin != "ZZZZZZZ"


def test_a_password_alone_does_not_open_the_admin(client, admin_user):
    client.force_login(admin_user)  # signed in, but no verified TOTP device in the session
    response = client.get(PEOPLE, follow=True)
    final_url, _ = response.redirect_chain[-1]
    assert final_url.startswith(reverse("accounts:staff_sign_in"))


def test_opening_a_person_in_the_admin_is_audited(client, administrator, citizen):
    otp_verified(client, administrator)
    response = client.get(reverse("admin:registry_person_change", args=[citizen.pk]))
    assert response.status_code == 200
    event = AuditEvent.objects.get(person=citizen, action=AuditAction.PERSON_READ)
    assert event.actor == administrator
    assert event.purpose.startswith("admin")


def test_the_change_list_stops_counting_past_a_bound(admin_client, monkeypatch, citizen):
    from meis.backoffice import admin as registry_admin
    from meis.registry.tests.factories import PersonFactory

    monkeypatch.setattr(registry_admin, "MAX_COUNTED", 3)
    PersonFactory.create_batch(5)
    response = admin_client.get(PEOPLE)
    assert response.status_code == 200
    assert response.context["cl"].result_count == 4
