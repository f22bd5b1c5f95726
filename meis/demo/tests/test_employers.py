"""The demo employer's representative signs in as a citizen and reaches the employer's pages."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from meis.accounts.models import EmployerRepresentative
from meis.accounts.services import citizen_account_get_or_create
from meis.core.identifiers import normalize_voen
from meis.demo.employers import DEMO_VOEN, employers_demo_load
from meis.registry.models import Employer, EmployerSector, Person
from meis.registry.tests.factories import IdentityDocumentFactory

pytestmark = pytest.mark.django_db
ON = datetime.date(2026, 3, 2)


def test_the_demo_employer_has_a_bound_representative_with_a_verified_phone() -> None:
    IdentityDocumentFactory.create_batch(3, expires_on=datetime.date(2099, 1, 1))

    demo = employers_demo_load(on=ON)

    assert demo.representative is not None
    assert normalize_voen(demo.voen) == DEMO_VOEN
    employer = Employer.objects.get(voen=DEMO_VOEN)
    assert employer.sector == EmployerSector.NON_OIL_PRIVATE
    person = Person.objects.get(fin=demo.representative.fin)
    assert person.verified_phone
    assert EmployerRepresentative.objects.filter(
        person=person, employer=employer, revoked_at__isnull=True
    ).exists()
    client = Client()
    client.force_login(citizen_account_get_or_create(person=person))
    home = client.get(reverse("employers:home", args=[DEMO_VOEN]))
    assert home.status_code == 200


def test_loading_the_demo_employer_twice_changes_nothing() -> None:
    IdentityDocumentFactory.create_batch(3, expires_on=datetime.date(2099, 1, 1))
    first = employers_demo_load(on=ON)
    assert employers_demo_load(on=ON) == first
    assert Employer.objects.filter(voen=DEMO_VOEN).count() == 1
    assert EmployerRepresentative.objects.count() == 1


def test_demo_load_prints_the_representative(
    settings: object, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from django.core.management import call_command

    from meis.demo import people

    settings.DEBUG = True  # type: ignore[attr-defined]
    monkeypatch.setattr(people, "DEMO_PEOPLE", 150)
    call_command("demo", "load")
    out = capsys.readouterr().out.split("Demo employer representative")[1].splitlines()
    fin = out[1].split()[0]
    assert EmployerRepresentative.objects.filter(
        person__fin=fin, employer__voen=DEMO_VOEN, revoked_at__isnull=True
    ).exists()
