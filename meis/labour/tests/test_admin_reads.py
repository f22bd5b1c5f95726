"""The contracts register in the admin shows employees' data: a search by FİN is a read of
each listed employee, and opening a contract reads its employee through the access funnel."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from meis.audit.models import AuditAction, AuditEvent
from meis.labour.models import Assurance
from meis.labour.services import contract_conclude
from meis.labour.tests.factories import EmployerFactory, draft
from meis.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _friday_13_march_2020() -> Iterator[None]:
    moment = datetime.datetime(2020, 3, 13, 10, tzinfo=ZoneInfo("Asia/Baku"))
    with time_machine.travel(moment, tick=False):
        yield


def test_a_contract_search_and_a_contract_in_the_admin_are_reads_of_the_employee(admin_client):
    employer = EmployerFactory.create()
    worker, colleague = PersonFactory.create(), PersonFactory.create()
    contract = contract_conclude(
        employer=employer,
        draft=draft(worker.fin),
        actor=None,
        assurance=Assurance.ONE_TIME_CODE,
    )
    contract_conclude(
        employer=employer,
        draft=draft(colleague.fin),
        actor=None,
        assurance=Assurance.ONE_TIME_CODE,
    )

    listed = admin_client.get(reverse("admin:labour_contract_changelist"), {"q": worker.fin})
    opened = admin_client.get(reverse("admin:labour_contract_change", args=[contract.pk]))

    assert list(listed.context["cl"].result_list) == [contract]
    assert opened.status_code == 200
    reads = AuditEvent.objects.filter(action=AuditAction.PERSON_READ)
    assert sorted(reads.filter(person=worker).values_list("purpose", flat=True)) == [
        "admin search",
        "admin: administration",
    ]
    assert not reads.filter(person=colleague).exists()
