"""The administrator binds and revokes representatives in the admin, audited; the register's
contracts are read-only there."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from meis.accounts.models import EmployerRepresentative
from meis.audit.models import AuditEvent
from meis.labour.models import Occupation
from meis.labour.tests.factories import EmployerFactory
from meis.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_the_administrator_binds_a_representative_and_it_is_audited(
    admin_client: Client,
) -> None:
    person = PersonFactory.create()
    employer = EmployerFactory.create()
    response = admin_client.post(
        reverse("admin:accounts_employerrepresentative_add"),
        {"person": person.pk, "employer": employer.pk},
    )
    assert response.status_code == 302
    binding = EmployerRepresentative.objects.get(person=person, employer=employer)
    assert binding.granted_as == "administrator"
    assert AuditEvent.objects.filter(purpose="labour.representative_bind").exists()

    admin_client.post(
        reverse("admin:accounts_employerrepresentative_changelist"),
        {"action": "revoke", "_selected_action": [binding.pk]},
    )
    binding.refresh_from_db()
    assert binding.revoked_at is not None
    assert AuditEvent.objects.filter(purpose="labour.representative_unbind").exists()


def test_the_classifiers_are_editable_and_contracts_read_only(admin_client: Client) -> None:
    occupation = Occupation.objects.first()
    assert occupation is not None
    url = reverse("admin:labour_occupation_change", args=[occupation.pk])
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(reverse("admin:labour_contract_add")).status_code == 403
