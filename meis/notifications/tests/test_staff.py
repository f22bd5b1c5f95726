"""Staff search and re-send: permission-checked, audited."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from meis.audit.models import AuditEvent
from meis.notifications.models import Status
from meis.notifications.tests.conftest import person_create
from meis.notifications.tests.test_outbox import queue_decision

URL = "/az/backoffice/messages/"


def staff_user(*permissions, is_staff=True):
    user = get_user_model().objects.create_user(
        username=f"staff{len(permissions)}{is_staff}", password="x" * 12, is_staff=is_staff
    )
    user.user_permissions.set(Permission.objects.filter(codename__in=permissions))
    return user


@pytest.fixture
def dead_message(person):
    [message] = queue_decision(person)
    message.status, message.attempts, message.last_error = Status.DEAD, 8, "SMTP: refused"
    message.save()
    return message


def test_anonymous_visitors_are_refused(client, db):
    assert client.get(URL).status_code == 403


def test_staff_without_the_view_permission_are_refused(client, db):
    client.force_login(staff_user())

    assert client.get(URL, {"status": "dead"}).status_code == 403


def test_a_citizen_with_the_permission_but_not_staff_is_refused(client, db):
    client.force_login(staff_user("view_message", is_staff=False))

    assert client.get(URL).status_code == 403


def test_staff_find_messages_by_fin_case_and_status(client, dead_message, templates):
    queue_decision(person_create(), dedupe_key="other")
    client.force_login(staff_user("view_message"))

    by_fin = client.get(URL, {"fin": dead_message.person.fin.lower()})
    by_case = client.get(URL, {"case_reference": " meİs-2026-0000123 "})
    by_status = client.get(URL, {"status": "dead"})

    assert by_fin.context["page"].paginator.count == 1
    assert by_case.context["page"].paginator.count == 2
    assert [m.pk for m in by_status.context["page"]] == [dead_message.pk]
    assert "Re-send" not in by_status.content.decode()  # no re-send permission


def test_resending_a_dead_message_queues_it_again_and_is_audited(client, dead_message):
    user = staff_user("view_message", "resend_message")
    client.force_login(user)

    response = client.post(f"{URL}{dead_message.public_id}/resend/")

    dead_message.refresh_from_db()
    event = AuditEvent.objects.get(action="message.resend")
    assert response.status_code == 302
    assert (dead_message.status, dead_message.attempts, dead_message.resend_count) == (
        Status.QUEUED,
        0,
        1,
    )
    assert (event.actor, event.person, event.object_id) == (
        user,
        dead_message.person,
        str(dead_message.pk),
    )
    assert event.details["previous_status"] == "dead"


@pytest.mark.parametrize(
    ("next_url", "back_to"),
    [
        ("https://evil.example/phish", URL),  # another site: the message list instead
        ("//evil.example/phish", URL),
        (f"{URL}?status=dead", f"{URL}?status=dead"),  # our own page: back to it
    ],
)
def test_the_resend_goes_back_only_to_our_own_pages(client, dead_message, next_url, back_to):
    client.force_login(staff_user("view_message", "resend_message"))

    response = client.post(f"{URL}{dead_message.public_id}/resend/", {"next": next_url})

    assert response.status_code == 302
    assert response["Location"] == back_to


def test_resending_needs_the_resend_permission(client, dead_message):
    client.force_login(staff_user("view_message"))

    response = client.post(f"{URL}{dead_message.public_id}/resend/")

    dead_message.refresh_from_db()
    assert response.status_code == 403
    assert dead_message.status == Status.DEAD
    assert not AuditEvent.objects.exists()


def test_a_sent_message_cannot_be_resent(client, person):
    [message] = queue_decision(person)
    message.status = Status.SENT
    message.save()
    client.force_login(staff_user("view_message", "resend_message"))

    client.post(f"{URL}{message.public_id}/resend/")

    message.refresh_from_db()
    assert message.status == Status.SENT
    assert not AuditEvent.objects.exists()


def test_the_admin_never_shows_a_one_time_codes_text(admin_client, person, templates):
    from meis.notifications.services.outbox import notification_queue

    (message,) = notification_queue(
        person=person,
        event="one_time_code",
        context={"code": "834271", "minutes_valid": 5},
        channel_preferences=["portal"],
        dedupe_key="otc-admin-test",
    )
    page = admin_client.get(f"/en/admin/notifications/message/{message.pk}/change/")

    assert page.status_code == 200
    assert "834271" not in page.content.decode()
    assert "shown to no one" in page.content.decode()
