"""Each channel's use is counted where it happens, in its transaction: a decision with its
working days and deadline, an appointment, a logged call, a walk-in visitor called, an e-mail to
a centre. (Applications, instant services and appeals: meis/cases/tests; proactive grants:
meis/proactive/tests; certificates issued and checked: meis/certificates/tests.)"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from meis.accounts.services import citizen_account_get_or_create
from meis.appointments.services import appointment_book
from meis.callcentre.models import CallOutcome, CallTopic
from meis.callcentre.services import call_answer, call_log_save
from meis.cases import services as case_services
from meis.cases.tests.conftest import staff
from meis.cases.tests.decisions.conftest import registers  # noqa: F401
from meis.cases.tests.decisions.stories import FAMILY_OF_FOUR, file, taken_by
from meis.catalog.services import catalog_import_seed
from meis.centres.models import ServiceCentre
from meis.mailintake.services import IncomingEmail, email_intake
from meis.registry.tests.factories import IdentityDocumentFactory
from meis.usage.models import UsageEvent, UsageKind
from meis.walkin.models import Counter, ServiceGroup
from meis.walkin.services import ticket_call_next, ticket_issue

pytestmark = pytest.mark.django_db

BAKU = datetime.timezone(datetime.timedelta(hours=4))
MONDAY = datetime.datetime(2020, 3, 16, 10, tzinfo=BAKU)


@pytest.fixture
def baku_1(db: None) -> ServiceCentre:
    return ServiceCentre.objects.get(code="baku-1")


@pytest.fixture
def person(db: None):
    return IdentityDocumentFactory().person


def test_a_decision_counts_its_working_days_and_whether_it_met_the_deadline(
    registers,  # noqa: F811
    baku_1,
    person,
):
    catalog_import_seed()
    worker = staff("w1", "case_worker", baku_1, ["targeted_assistance"])
    registers.facts["targeted_assistance"] = FAMILY_OF_FOUR
    with time_machine.travel(MONDAY, tick=False) as clock:
        case = taken_by(file(person, baku_1), worker)
        clock.move_to(MONDAY + datetime.timedelta(days=3))  # Thursday: 3 working days later
        case_services.case_approve(case=case, actor=worker, expected_version=case.version)

    decision = UsageEvent.objects.get(kind=UsageKind.DECISION)
    assert (decision.service_code, decision.centre_code, decision.region) == (
        "targeted-social-assistance",
        "baku-1",
        person.region,
    )
    assert (decision.outcome, decision.measure, decision.on_time) == ("approved", 3, True)
    assert decision.day == datetime.date(2020, 3, 19)
    assert UsageEvent.objects.filter(kind=UsageKind.APPLICATION).count() == 1


def test_an_appointment_counts_in_its_channel_and_centre(baku_1, person):
    with time_machine.travel(MONDAY, tick=False):
        appointment_book(
            person=person,
            centre=baku_1,
            service_code="targeted-social-assistance",
            starts_at=datetime.datetime(2020, 3, 17, 10, tzinfo=BAKU),
            actor=citizen_account_get_or_create(person=person),
        )
    booked = UsageEvent.objects.get(kind=UsageKind.APPOINTMENT)
    assert (booked.channel, booked.centre_code, booked.region) == ("portal", "baku-1", "baku")


def test_a_call_counts_once_when_it_has_ended_and_its_log_is_complete(db):
    operator = staff("op", "call_centre_operator", None, [])
    call = call_answer(operator=operator, now=MONDAY)
    topic = CallTopic.objects.get(code="pensions")
    call_log_save(
        call=call, operator=operator, topic=topic, outcome=CallOutcome.INFORMATION, notes=""
    )
    assert not UsageEvent.objects.filter(kind=UsageKind.CALL).exists()  # still on the call

    call_log_save(
        call=call,
        operator=operator,
        topic=topic,
        outcome=CallOutcome.INFORMATION,
        notes="",
        end=True,
        now=MONDAY + datetime.timedelta(minutes=4),
    )

    counted = UsageEvent.objects.get(kind=UsageKind.CALL)
    assert (counted.service_code, counted.outcome, counted.channel) == (
        "pensions",
        "information",
        "call_centre",
    )
    assert counted.measure == 240


def test_a_walk_in_visitor_counts_when_called_with_the_time_they_waited(baku_1):
    group = ServiceGroup.objects.filter(centre=baku_1, is_active=True).order_by("letter").first()
    assert group is not None
    counter = Counter.objects.filter(centre=baku_1, groups=group).first()
    assert counter is not None
    issued = timezone.now().replace(microsecond=0)
    ticket_issue(group=group, now=issued)
    ticket_call_next(counter=counter, actor=None, now=issued + datetime.timedelta(minutes=7))

    called = UsageEvent.objects.get(kind=UsageKind.TICKET)
    assert (called.centre_code, called.channel, called.measure) == ("baku-1", "centre_desk", 420)


def test_an_email_to_a_centre_counts_once_however_often_the_mailbox_is_read(baku_1):
    incoming = IncomingEmail(
        uid=1,
        message_id="<one@example.org>",
        sender="someone@example.org",
        sender_name="Someone",
        subject="Sual",
        text="Salam",
        headers={},
        size=100,
        sent_at=MONDAY,
        files=(),
    )
    email_intake(centre=baku_1, incoming=incoming)
    email_intake(centre=baku_1, incoming=incoming)

    counted = UsageEvent.objects.get(kind=UsageKind.EMAIL)
    assert (counted.centre_code, counted.channel, counted.outcome) == ("baku-1", "email", "draft")
