"""Issue 22, item 1: a 142 operator cannot take over a citizen's account by giving an
application a new phone. A caller identified by document number and FİN (which prove nothing)
gets a code on a new phone and enters it: that phone receives this application's result, and
the person's verified phone — where their sign-in codes go — stays as it was."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from meis.accounts.services import citizen_code_request
from meis.accounts.tests.conftest import signed_in_staff_client
from meis.audit.models import AuditEvent
from meis.cases import services
from meis.cases.models import ApplicationDraft, Case
from meis.cases.tests.test_access_and_pages import _apply
from meis.notifications.models import Message
from meis.registry.models import IdentityDocument

pytestmark = pytest.mark.django_db

TARGETED = "targeted-social-assistance"
OWN_PHONE = "+994501234567"
NEW_PHONE = "+994557654321"


def sent_code(recipient: str) -> str:
    message = Message.objects.filter(is_contact_verification=True, recipient=recipient).latest("id")
    found = re.search(r"\b(\d{6})\b", message.body_text)
    assert found is not None
    return found.group(1)


def test_a_phone_given_through_142_serves_the_case_and_never_the_sign_in(
    citizen, version, centre, call_operator, call_with, worker
):
    citizen.verified_phone = OWN_PHONE
    citizen.save(update_fields=["verified_phone"])
    call_with(citizen)
    operator = signed_in_staff_client(call_operator)
    _apply(operator)

    step = operator.post(
        reverse("cases:apply_contact", kwargs={"code": TARGETED}),
        {"centre": centre.pk, "channel": "sms", "value": "055 765 43 21"},
    )
    assert step["Location"].endswith("/contact/code/")
    verified = operator.post(
        reverse("cases:apply_contact_verify", kwargs={"code": TARGETED}),
        {"code": sent_code(NEW_PHONE)},
    )
    assert verified.status_code == 302

    citizen.refresh_from_db()
    assert citizen.verified_phone == OWN_PHONE
    assert AuditEvent.objects.filter(
        person=citizen, purpose="contact verified by one-time code for this application only"
    ).exists()
    # The next sign-in code goes to the person's own phone, not the one given on the call.
    document = IdentityDocument.objects.get(person=citizen)
    citizen_code_request(fin=citizen.fin, document_number=document.number, request=None)
    sign_in_code = Message.objects.filter(event="one_time_code", person=citizen).latest("id")
    assert sign_in_code.recipient == OWN_PHONE

    draft = ApplicationDraft.objects.get(person=citizen)
    operator.post(reverse("cases:apply_check", kwargs={"code": TARGETED}), {"key": str(draft.key)})
    case = Case.objects.get(person=citizen)
    assert (case.contact_value, case.contact_for_case_only) == (NEW_PHONE, True)
    case = services.case_claim(case=case, actor=worker, expected_version=case.version)
    services.case_reject(
        case=case, actor=worker, reason="tsa_vehicle", expected_version=case.version
    )
    # The decision reaches the phone proved for this application.
    decision = Message.objects.filter(
        case_reference=case.reference, channel="sms", recipient=NEW_PHONE
    ).exclude(is_contact_verification=True)
    assert decision.exists()
    assert all(message.status != "failed_permanently" for message in decision)


def test_on_the_portal_the_citizen_still_makes_a_new_phone_their_own(
    citizen, version, centre, citizen_client
):
    citizen.verified_phone = OWN_PHONE
    citizen.save(update_fields=["verified_phone"])
    client = citizen_client(citizen)
    _apply(client)
    client.post(
        reverse("cases:apply_contact", kwargs={"code": TARGETED}),
        {"centre": centre.pk, "channel": "sms", "value": "055 765 43 21"},
    )
    client.post(
        reverse("cases:apply_contact_verify", kwargs={"code": TARGETED}),
        {"code": sent_code(NEW_PHONE)},
    )
    citizen.refresh_from_db()
    assert citizen.verified_phone == NEW_PHONE
    assert not ApplicationDraft.objects.get(person=citizen).contact_for_case_only
