"""Catalogue data: seed, versioning, import/export, handler paths."""

import json

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from meis.catalog.definitions import SUBSYSTEM_CODES, service_definition_parse
from meis.catalog.models import EService, EServiceVersion
from meis.catalog.selectors import eservice_version_current, version_definition
from meis.catalog.services import (
    CatalogueError,
    catalog_export,
    catalog_import,
    catalog_import_seed,
    eservice_save,
    eservice_version_record,
)
from meis.catalog.tests.factories import EServiceFactory

pytestmark = pytest.mark.django_db


def test_the_seed_has_at_least_25_services_covering_all_seven_subsystems(seeded):
    assert EService.objects.count() >= 25
    assert set(EService.objects.values_list("subsystem", flat=True)) == set(SUBSYSTEM_CODES)
    assert EService.objects.filter(is_instant=True).exists()


def test_the_seed_has_the_legal_deadlines_of_domain(seeded):
    deadlines = dict(EService.objects.values_list("code", "decision_working_days"))
    assert deadlines["targeted-social-assistance"] == 15
    assert deadlines["age-benefit"] == 10
    assert deadlines["disability-assessment"] == 10
    assert deadlines["job-seeker-registration"] == 5
    assert deadlines["certificate-pension"] is None


def test_importing_the_same_file_twice_creates_no_new_versions(seeded):
    versions = EServiceVersion.objects.count()
    again = catalog_import_seed()
    assert again.versions_created == 0
    assert EServiceVersion.objects.count() == versions


def test_export_then_import_into_an_empty_database_exports_the_same_yaml(seeded):
    exported = catalog_export()
    EServiceVersion.objects.all().delete()
    EService.objects.all().delete()
    catalog_import(text=exported)
    assert catalog_export() == exported


def test_an_edit_creates_a_new_version_and_leaves_the_old_one_unchanged(seeded, admin_user):
    service = EService.objects.get(code="targeted-social-assistance")
    first = eservice_version_current(code=service.code)
    assert first is not None
    service.decision_working_days = 20
    service.save()
    second = eservice_version_record(service=service, actor=admin_user)
    assert second is not None
    assert second.number == first.number + 1
    assert second.created_by == admin_user
    first.refresh_from_db()
    assert first.definition["decision_working_days"] == 15
    assert version_definition(second).decision_working_days == 20


def test_saving_without_a_change_creates_no_version(seeded):
    service = EService.objects.get(code="age-benefit")
    assert eservice_version_record(service=service, actor=None) is None


def test_a_version_cannot_be_changed_once_written(seeded):
    version = EServiceVersion.objects.first()
    assert version is not None
    version.definition = {}
    with pytest.raises(ValidationError):
        version.save()


def test_the_admin_saving_a_service_creates_a_version(seeded, admin_client):
    service = EService.objects.get(code="age-benefit")
    before = service.versions.count()
    definition = version_definition(eservice_version_current(code=service.code))
    data = {
        "code": service.code,
        "subsystem": service.subsystem,
        "name_az": service.name_az,
        "name_en": "Age benefit (renamed)",
        "name_ru": service.name_ru,
        "description_az": service.description_az,
        "description_en": service.description_en,
        "description_ru": service.description_ru,
        "life_situations": list(service.life_situations.values_list("pk", flat=True)),
        "for_citizens": "on",
        "for_staff_on_behalf": "on",
        "decision_working_days": "10",
        "legal_basis": service.legal_basis,
        "handler": service.handler,
        "form_fields": json.dumps([f.as_dict() for f in definition.fields]),
        "documents": json.dumps([d.as_dict() for d in definition.documents]),
        "is_active": "on",
        "channel": "online",
        "versions-TOTAL_FORMS": "0",
        "versions-INITIAL_FORMS": "0",
    }
    response = admin_client.post(f"/en/admin/catalog/eservice/{service.pk}/change/", data)
    assert response.status_code == 302, response.content[:2000]
    assert service.versions.count() == before + 1
    latest = service.versions.order_by("-number").first()
    assert latest is not None
    assert latest.definition["name"]["en"] == "Age benefit (renamed)"


def test_a_handler_path_that_cannot_be_imported_is_refused():
    service = EServiceFactory.build(handler="meis.catalog.handlers.no_such_handler")
    with pytest.raises(ValidationError, match="cannot import handler"):
        service.full_clean()


def test_a_handler_path_to_something_that_is_not_a_handler_is_refused():
    service = EServiceFactory.build(handler="meis.catalog.handlers.handler_resolve")
    with pytest.raises(ValidationError, match="not a handler"):
        service.full_clean()


def test_an_instant_service_with_a_deadline_is_refused():
    service = EServiceFactory.build(is_instant=True, decision_working_days=5)
    with pytest.raises(ValidationError, match="instant"):
        service.full_clean()


def test_a_bad_yaml_file_is_a_one_line_command_error(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: meis-catalogue/1\nservices: [\n  - code: x\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("catalog", "import", str(bad))
    assert "\n" not in str(error.value)
    assert "line" in str(error.value)


def test_an_invalid_service_is_refused_with_where_and_why_and_nothing_is_imported(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "format: meis-catalogue/1\nservices:\n"
        "- {code: ok-service, subsystem: pensions, name: {az: a, en: b, ru: c},"
        " description: {az: a, en: b, ru: c}, decision_working_days: 10,"
        " handler: meis.catalog.handlers.manual_review}\n"
        "- {code: broken, subsystem: nowhere, name: {az: a, en: b, ru: c},"
        " description: {az: a, en: b, ru: c}, handler: meis.catalog.handlers.manual_review}\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match=r"services\[1\] \(broken\): subsystem must be one of"):
        call_command("catalog", "import", str(bad))
    assert not EService.objects.exists()


def test_a_file_that_is_not_a_catalogue_is_refused():
    with pytest.raises(CatalogueError, match="format: meis-catalogue/1"):
        catalog_import(text="- just a list\n")


def test_an_unknown_handler_in_an_imported_file_is_refused():
    definition = service_definition_parse(
        {
            "code": "x-service",
            "subsystem": "pensions",
            "name": {"az": "a", "en": "b", "ru": "c"},
            "description": {"az": "a", "en": "b", "ru": "c"},
            "decision_working_days": 10,
            "handler": "nowhere.handler",
        }
    )
    from meis.catalog.definitions import DefinitionError

    with pytest.raises(DefinitionError, match="cannot import handler"):
        eservice_save(definition=definition)


def test_export_writes_a_file(seeded, tmp_path):
    output = tmp_path / "catalogue.yaml"
    call_command("catalog", "export", "--output", str(output))
    assert yaml.safe_load(output.read_text(encoding="utf-8"))["format"] == "meis-catalogue/1"
