"""The kiosk gives a ticket, a counter calls it, the hall's display shows it; other centres'
staff and citizens cannot work a counter."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from meis.accounts.tests.conftest import signed_in_citizen_client, signed_in_staff_client
from meis.audit.models import AuditEvent
from meis.cases.tests.conftest import staff
from meis.centres.models import ServiceCentre
from meis.registry.models import Person
from meis.walkin.models import Ticket, TicketStatus
from meis.walkin.tests.conftest import counter


@pytest.fixture(autouse=True)
def _english() -> object:
    with translation.override("en"):
        yield


def _take_ticket(centre: ServiceCentre, letter: str) -> str:
    response = Client().post(
        reverse("walkin:kiosk", kwargs={"centre_code": centre.code}), {"group": letter}, follow=True
    )
    assert response.status_code == 200
    return Ticket.objects.order_by("-id").values_list("code", flat=True).first() or ""


def test_the_kiosk_gives_the_next_ticket_of_the_chosen_service(centre: ServiceCentre) -> None:
    kiosk = reverse("walkin:kiosk", kwargs={"centre_code": centre.code})
    assert "Pensions and benefits" in Client().get(kiosk).content.decode()

    first = Client().post(kiosk, {"group": "A"}, follow=True).content.decode()
    second = Client().post(kiosk, {"group": "A"}, follow=True).content.decode()

    assert "A001" in first
    assert "A002" in second
    assert "1 person is waiting before you" in second


def test_the_kiosk_refuses_a_service_it_does_not_have(centre: ServiceCentre) -> None:
    response = Client().post(
        reverse("walkin:kiosk", kwargs={"centre_code": centre.code}), {"group": "Z"}
    )

    assert response.status_code == 400
    assert "Choose the service you came for." in response.content.decode()
    assert not Ticket.objects.exists()


def test_a_counter_calls_the_ticket_and_the_display_shows_it(centre: ServiceCentre) -> None:
    _take_ticket(centre, "B")
    worker = staff("queue-w1", "case_worker", centre, ["pensions"])
    client = signed_in_staff_client(worker)
    desk = counter(centre, 2)
    page = reverse("walkin_staff:counter", kwargs={"counter_id": desk.pk})

    called = client.post(page, {"action": "call"}, follow=True).content.decode()
    fragment = (
        Client()
        .get(reverse("walkin:display_now", kwargs={"centre_code": centre.code}))
        .content.decode()
    )
    served = client.post(page, {"action": "served"}, follow=True).content.decode()

    assert "B001" in called
    assert "B001" in fragment
    assert "counter 2" in fragment
    assert "Call the next ticket" in served
    assert Ticket.objects.get().status == TicketStatus.SERVED


def test_a_counter_with_nobody_waiting_says_so(centre: ServiceCentre) -> None:
    client = signed_in_staff_client(staff("queue-w2", "case_worker", centre, ["pensions"]))
    page = reverse("walkin_staff:counter", kwargs={"counter_id": counter(centre, 1).pk})

    response = client.post(page, {"action": "call"}, follow=True)

    assert "Nobody is waiting for this counter." in response.content.decode()


def test_a_worker_of_another_centre_cannot_work_this_centres_counter(
    centre: ServiceCentre,
) -> None:
    elsewhere = ServiceCentre.objects.get(code="baku-2")
    client = signed_in_staff_client(staff("queue-w3", "case_worker", elsewhere, ["pensions"]))
    page = reverse("walkin_staff:counter", kwargs={"counter_id": counter(centre, 1).pk})

    assert client.get(page).status_code == 403
    assert client.post(page, {"action": "call"}).status_code == 403
    assert AuditEvent.objects.filter(action="access.refused").exists()


def test_a_citizen_is_sent_to_the_staff_sign_in(centre: ServiceCentre, citizen: Person) -> None:
    page = reverse("walkin_staff:counter", kwargs={"counter_id": counter(centre, 1).pk})

    response = signed_in_citizen_client(citizen).get(page)

    assert response.status_code == 302
