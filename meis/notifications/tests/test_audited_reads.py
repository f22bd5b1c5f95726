"""Finding messages by FİN — in the admin or on the staff message desk — and opening one in the
admin are reads of the addressee's data: audited, and shown to them in "who looked at my
data"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meis.audit.models import AuditAction, AuditEvent
from meis.audit.selectors import person_access_lines, person_access_log_page
from meis.notifications.tests.conftest import person_create
from meis.notifications.tests.test_outbox import queue_decision
from meis.notifications.tests.test_staff import URL as DESK
from meis.notifications.tests.test_staff import staff_user

pytestmark = pytest.mark.django_db

ADMIN = reverse("admin:notifications_message_changelist")


def reads(person, purpose):
    return AuditEvent.objects.filter(person=person, action=AuditAction.PERSON_READ, purpose=purpose)


def seen_by(person):
    lines = person_access_log_page(groups=person_access_lines(person=person), person=person)
    return {purpose for line in lines for purpose in line.purposes}


def test_the_admins_message_search_by_fin_is_a_read_of_the_addressee(admin_client, person):
    [message] = queue_decision(person)
    other = person_create()
    queue_decision(other, dedupe_key="other")

    response = admin_client.get(ADMIN, {"q": person.fin})

    assert list(response.context["cl"].result_list) == [message]
    [event] = reads(person, "admin message search")
    assert (event.object_type, event.object_id) == ("notifications.message", str(message.pk))
    assert not reads(other, "admin message search").exists()
    assert "admin message search" in seen_by(person)


def test_opening_a_message_in_the_admin_reads_its_addressee_through_the_funnel(
    admin_client, person
):
    [message] = queue_decision(person)

    response = admin_client.get(reverse("admin:notifications_message_change", args=[message.pk]))

    assert response.status_code == 200
    assert reads(person, "admin message: administration").count() == 1


def test_the_message_desk_search_by_fin_is_a_read_of_the_addressee(client, person):
    [message] = queue_decision(person)
    queue_decision(person_create(), dedupe_key="other")
    desk_user = staff_user("view_message")
    client.force_login(desk_user)

    response = client.get(DESK, {"fin": person.fin})

    assert [m.pk for m in response.context["page"]] == [message.pk]
    [event] = reads(person, "message desk search")
    assert event.actor == desk_user
    assert AuditEvent.objects.filter(action=AuditAction.PERSON_READ).count() == 1
    assert "message desk search" in seen_by(person)
