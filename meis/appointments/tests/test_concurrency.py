"""Citizens taking the last places at once, each on their own database connection: exactly the
places there are get booked, none twice (PostgreSQL; SQLite serialises writers anyway)."""

from __future__ import annotations

import threading
from typing import cast

import pytest
from django.db import connection
from django.utils import translation

from meis.accounts.services import citizen_account_get_or_create
from meis.appointments.models import Appointment, Slot
from meis.appointments.services import BookingError, appointment_book
from meis.appointments.tests.conftest import at
from meis.centres.models import ServiceCentre
from meis.registry.models import Person
from meis.registry.tests.factories import IdentityDocumentFactory, PersonFactory

TUESDAY_10 = at(2020, 3, 17, 10)


@pytest.mark.django_db(transaction=True)
def test_eight_citizens_racing_for_two_places_book_exactly_two(march_16):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections (PostgreSQL)")
    centre = ServiceCentre.objects.get(code="baku-1")
    centre.counters, centre.slot_capacity = 1, 2
    centre.save()
    people = [cast(Person, PersonFactory()) for _ in range(8)]
    for person in people:
        IdentityDocumentFactory(person=person)
    accounts = [citizen_account_get_or_create(person=p) for p in people]
    barrier = threading.Barrier(len(people))
    outcomes: list[str] = []

    def book(index: int) -> None:
        barrier.wait()
        try:
            # Each thread has its own active language; the refusal is read in English.
            with translation.override("en"):
                appointment_book(
                    person=people[index],
                    centre=centre,
                    service_code="targeted-social-assistance",
                    starts_at=TUESDAY_10,
                    actor=accounts[index],
                )
            outcomes.append("booked")
        except BookingError as error:
            with translation.override("en"):
                outcomes.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(i,)) for i in range(len(people))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("booked") == 2
    assert all("just been taken" in o for o in outcomes if o != "booked")
    assert Slot.objects.count() == 1  # the slot row was created once, whoever came first
    seats = sorted(Appointment.objects.values_list("seat", flat=True))
    assert seats == [1, 2]
