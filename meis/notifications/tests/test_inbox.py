"""The portal inbox page: a signed-in citizen reads their own messages only."""

from django.contrib.auth import get_user_model

from meis.accounts.models import CitizenAccount
from meis.notifications.selectors import inbox_unread_count
from meis.notifications.tests.conftest import person_create
from meis.notifications.tests.test_outbox import queue_decision


def sign_in_as(client, person):
    user = get_user_model().objects.create_user(username=f"citizen-{person.fin}")
    CitizenAccount.objects.create(user=user, person=person)
    client.force_login(user)


def test_a_citizen_reads_their_messages_and_they_become_read(client, person):
    queue_decision(person, channels=("portal",))
    queue_decision(person_create(), channels=("portal",), dedupe_key="someone-else")
    sign_in_as(client, person)

    response = client.get("/az/inbox/")

    assert response.status_code == 200
    assert [m.person_id for m in response.context["inbox"]] == [person.pk]
    assert "Hörmətli Gülşən Məmmədova" in response.content.decode()
    assert inbox_unread_count(person=person) == 0


def test_visitors_who_are_not_signed_in_are_sent_to_sign_in(client, db):
    response = client.get("/az/inbox/")

    assert response.status_code == 302
