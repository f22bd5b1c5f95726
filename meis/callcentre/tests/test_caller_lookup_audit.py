"""An operator's look-up of a caller by FİN and document number is an audited read, from the
call page and from the older identify page alike: a match as a search the caller sees in "who
looked at my data", a mismatch as a refusal recorded against the FİN's holder."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meis.audit.models import AuditAction, AuditEvent
from meis.audit.selectors import person_access_lines, person_access_log_page
from meis.callcentre.tests.conftest import answer, call_url, desk

pytestmark = pytest.mark.django_db

PURPOSE = "142 caller identification"


def on_the_call(client, fin, number):
    call = answer(client)
    return client.post(
        call_url(call),
        {"action": "identify", "identify-document_number": number, "identify-fin": fin},
    )


def on_the_identify_page(client, fin, number):
    return client.post(reverse("accounts:call_start"), {"document_number": number, "fin": fin})


LOOK_UPS = [on_the_call, on_the_identify_page]


@pytest.mark.parametrize("look_up", LOOK_UPS)
def test_identifying_a_caller_is_a_search_the_caller_sees(look_up, operator_, caller):
    look_up(desk(operator_), caller.fin, caller.documents.get().number)

    [event] = AuditEvent.objects.filter(purpose=PURPOSE)
    assert (event.action, event.person, event.actor) == (
        AuditAction.PERSON_SEARCH,
        caller,
        operator_,
    )
    assert event.details == {"matched": True}
    lines = person_access_log_page(groups=person_access_lines(person=caller), person=caller)
    assert any(PURPOSE in line.purposes for line in lines)


@pytest.mark.parametrize("look_up", LOOK_UPS)
def test_a_wrong_document_for_a_fin_is_recorded_as_refused_against_its_holder(
    look_up, operator_, caller
):
    response = look_up(desk(operator_), caller.fin, "AA0000001")

    assert "No living person holds a valid document" in response.content.decode()
    [event] = AuditEvent.objects.filter(purpose=PURPOSE)
    assert (event.action, event.person) == (AuditAction.ACCESS_REFUSED, caller)
    assert event.details == {"matched": False}


def test_an_unknown_fin_is_recorded_with_no_person(operator_, caller):
    on_the_identify_page(desk(operator_), "AAAAAAA", caller.documents.get().number)

    [event] = AuditEvent.objects.filter(purpose=PURPOSE)
    assert (event.action, event.person) == (AuditAction.ACCESS_REFUSED, None)
