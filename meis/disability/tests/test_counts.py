"""Analysts see the register in counts on their dashboard and never a referral."""

from __future__ import annotations

from typing import cast

import pytest
from django.test import Client
from django.urls import reverse

from meis.accounts.testing import otp_verified
from meis.audit.models import AuditAction, AuditEvent
from meis.disability.services import referral_issue
from meis.registry.models import Person
from meis.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_an_analyst_sees_counts_and_no_referral(doctor, regional, analyst):
    person = cast(Person, PersonFactory())
    referral = referral_issue(
        actor=doctor, fin=person.fin, kind="initial", diagnoses="G35", summary="Walks poorly."
    )
    client = otp_verified(Client(), analyst)

    dashboard = client.get(reverse("statistics:dashboard")).content.decode()
    counts = dashboard.split('data-testid="disability-register"', 1)[1].split("</dl>", 1)[0]
    assert "Referrals with the commissions" in counts
    assert ">1<" in counts
    assert referral.pseudonym not in dashboard
    assert "G35" not in dashboard

    worklist = client.get(reverse("disability:worklist"))
    opened = client.get(reverse("disability:referral", args=[referral.pseudonym]))
    assert worklist.status_code == 403
    assert opened.status_code in (403, 404)
    assert AuditEvent.objects.filter(action=AuditAction.ACCESS_REFUSED, actor=analyst).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.PERSON_READ, actor=analyst).exists()
