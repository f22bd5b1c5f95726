"""An application counts once, in the channel it came through: filed by a 142 operator for the
caller identified on the call, at a DOST centre's desk, from an e-mail to a centre — and an
appeal, lodged by the applicant on the portal. (The portal's own application:
meis/cases/tests/test_services.py.)"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from meis.accounts.services import citizen_account_get_or_create
from meis.accounts.tests.conftest import signed_in_staff_client
from meis.cases import services as case_services
from meis.cases.models import ApplicationDraft, Case, Channel
from meis.cases.tests.conftest import iban, staff
from meis.cases.tests.decisions.stories import file
from meis.cases.tests.test_access_and_pages import _apply
from meis.core.tests.samples import pdf_bytes
from meis.mailintake.models import InboundEmail
from meis.mailintake.services import (
    IncomingEmail,
    IncomingFile,
    email_file_as_case,
    email_intake,
)
from meis.usage.models import UsageEvent

pytestmark = pytest.mark.django_db

TARGETED = "targeted-social-assistance"
PDF = pdf_bytes("hello")


def counted(action: Callable[[], Any]) -> list[tuple[str, str, str, str]]:
    """The usage events `action` wrote: kind, channel, service and centre of each."""
    before = UsageEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    action()
    return list(
        UsageEvent.objects.filter(id__gt=before)
        .order_by("id")
        .values_list("kind", "channel", "service_code", "centre_code")
    )


def test_an_application_filed_by_142_counts_once_in_the_call_centre(
    citizen, version, centre, call_operator, call_with
):
    call_with(citizen)
    client = signed_in_staff_client(call_operator)
    _apply(client)
    client.post(
        reverse("cases:apply_contact", kwargs={"code": TARGETED}),
        {"centre": centre.pk, "channel": "portal", "value": ""},
    )
    draft = ApplicationDraft.objects.get(person=citizen)
    check = reverse("cases:apply_check", kwargs={"code": TARGETED})

    events = counted(lambda: client.post(check, {"key": str(draft.key)}))
    again = counted(lambda: client.post(check, {"key": str(draft.key)}))  # a second click

    assert Case.objects.get().channel == Channel.CALL_CENTRE
    assert events == [("application", "call_centre", TARGETED, centre.code)]
    assert again == []


def test_an_application_filed_at_a_centre_desk_counts_once_at_that_desk(citizen, version, centre):
    worker = staff("desk", "case_worker", centre, ["targeted_assistance"])

    events = counted(lambda: file(citizen, centre, channel=Channel.CENTRE_DESK, actor=worker))

    assert events == [("application", "centre_desk", TARGETED, centre.code)]


def test_an_application_filed_from_an_email_counts_once_besides_the_email(citizen, version, centre):
    worker = staff("mail", "case_worker", centre, ["pensions"])
    incoming = IncomingEmail(
        uid=1,
        message_id="<pension@example.org>",
        sender="aysel@mail.example.az",
        sender_name="Aysel",
        subject="Pensiya üçün müraciət",
        text="Salam, şəxsiyyət vəsiqəmi göndərirəm.",
        headers={},
        size=len(PDF),
        sent_at=None,
        files=(IncomingFile("vesiqe.pdf", "application/pdf", PDF),),
    )
    received = counted(lambda: email_intake(centre=centre, incoming=incoming))

    def file_it() -> Case:
        return email_file_as_case(
            email=InboundEmail.objects.get(),
            actor=worker,
            fin=citizen.fin,
            document_number=citizen.documents.get().number,
            service_code="old-age-pension",
            answers={"contact_phone": "050 123 45 67", "bank_account_iban": iban()},
        )

    filed = counted(file_it)

    assert received == [("email", "email", "", centre.code)]
    assert filed == [("application", "email", "old-age-pension", centre.code)]


def test_an_appeal_counts_once_on_the_portal(refused_pension):
    def lodge() -> Case:
        return case_services.case_appeal(
            case=refused_pension,
            actor=citizen_account_get_or_create(person=refused_pension.person),
            grounds="My work-book shows 25 years.",
            idempotency_key="appeal-1",
        )

    with time_machine.travel(datetime.datetime(2020, 5, 11, 10, tzinfo=datetime.UTC)):
        events = counted(lodge)
        again = counted(lodge)  # the same request again

    assert events == [("appeal", "portal", "old-age-pension", refused_pension.centre.code)]
    assert again == []
