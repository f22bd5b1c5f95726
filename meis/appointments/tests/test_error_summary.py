"""Issue 21: the booking page's error summary names the control before its error ("<label>:
<error>", as the shared cases/_errors.html does) and links to it; a wrong choice leaves the days
and times on the page to choose again."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from meis.accounts.services import citizen_account_get_or_create
from meis.appointments.services import appointment_book
from meis.appointments.tests.conftest import at
from meis.cases.tests.test_error_summaries import summary

pytestmark = pytest.mark.django_db

TSA = "targeted-social-assistance"


def test_an_unknown_centre_is_named_and_linked(citizen, version, citizen_client, march_16):
    response = citizen_client(citizen).get(
        reverse("appointments:book"), {"centre": "nowhere", "service": TSA}
    )

    html = response.content.decode()
    assert summary(html) == ["#centre | Centre: There is no such centre. Choose one from the list."]
    assert 'id="centre"' in html


def test_a_wrong_day_is_named_and_linked_to_the_days_to_choose_from(
    citizen, version, citizen_client, march_16
):
    response = citizen_client(citizen).get(
        reverse("appointments:book"), {"centre": "baku-1", "service": TSA, "day": "17/03"}
    )

    html = response.content.decode()
    assert summary(html) == ["#day | Day: Enter the day as a date, for example 2020-03-17."]
    assert 'id="day"' in html


def test_a_time_not_chosen_is_named_and_linked_to_the_first_free_time(
    citizen, other_citizen, centre, version, citizen_client, march_16
):
    # One counter with one place a time, and Tuesday 09:00 taken: the first free time is 09:20.
    centre.counters = centre.slot_capacity = 1
    centre.save()
    appointment_book(
        person=other_citizen,
        centre=centre,
        service_code=TSA,
        starts_at=at(2020, 3, 17, 9),
        actor=citizen_account_get_or_create(person=other_citizen),
    )
    response = citizen_client(citizen).post(
        reverse("appointments:book"), {"centre": "baku-1", "service": TSA, "day": "2020-03-17"}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert summary(html) == ["#time-2 | Time: Choose a centre, a service and a time."]
    assert re.search(r'id="time-1" name="time" type="radio" value="[^"]+" disabled>', html)
    assert 'id="time-2"' in html
