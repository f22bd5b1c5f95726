"""`meis demo load`: the whole-system demo, idempotent, and only with DEBUG."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.management import CommandError, call_command

from meis.core.identifiers import normalize_document_number, normalize_fin
from meis.demo import people
from meis.registry.models import IdentityDocument, Person

pytestmark = pytest.mark.django_db


def test_demo_load_refuses_to_run_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo", "load")
    assert not User.objects.filter(username__startswith="demo-").exists()


@pytest.fixture
def small_demo(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setattr(people, "DEMO_PEOPLE", 150)


def snapshot():
    return (
        Person.objects.count(),
        IdentityDocument.objects.count(),
        sorted(User.objects.values_list("username", "is_superuser", "is_staff")),
        sorted(Group.objects.values_list("name", "permissions__codename")),
    )


def test_demo_load_is_idempotent(small_demo, capsys):
    call_command("demo", "load")
    first = snapshot()
    call_command("demo", "load")
    assert snapshot() == first
    assert first[0] == 150


def test_demo_load_prints_credentials_and_two_demo_citizens(small_demo, capsys):
    call_command("demo", "load")
    out = capsys.readouterr().out
    assert "demo-caseworker" in out
    assert "demo-admin" in out
    citizens = out.split("Demo citizens")[1].strip().splitlines()[2:]
    assert len(citizens) == 2
    for line in citizens:
        fin, document, phone = line.split()[:3]
        assert normalize_fin(fin) == fin
        assert (
            Person.objects.get(fin=fin)
            .documents.filter(number=normalize_document_number(document).number, status="valid")
            .exists()
        )
        assert phone.startswith("+994")


def test_demo_groups_leave_the_registry_admin_to_administrators(small_demo):
    call_command("demo", "load")
    view_person = Permission.objects.get(codename="view_person")
    assert view_person in Group.objects.get(name="administrator").permissions.all()
    for role in ("case_worker", "auditor", "analyst", "call_centre_operator"):
        assert view_person not in Group.objects.get(name=role).permissions.all()
