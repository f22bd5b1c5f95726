"""Writes to the catalogue: saving a service (always as a new version), import and export.

Every change of a service's definition creates an `EServiceVersion` in the same transaction,
with an audit event; saving a service whose definition did not change creates nothing, which is
what makes `meis catalog import` idempotent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from django.contrib.auth.models import User
from django.db import transaction

from meis.audit.models import AuditAction
from meis.audit.services import audit_record
from meis.catalog.definitions import (
    DefinitionError,
    ServiceDefinition,
    service_definition_parse,
    text_parse,
)
from meis.catalog.handlers import HandlerError, handler_resolve
from meis.catalog.models import EService, EServiceVersion, LifeSituation

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

SEED_FILE = Path(__file__).resolve().parent / "seed" / "catalogue.yaml"
FORMAT = "meis-catalogue/1"


class CatalogueError(ValueError):
    """A catalogue file that cannot be imported; the message is one line saying where and why."""


def eservice_definition(
    service: EService, *, life_situations: Sequence[str] | None = None
) -> dict[str, Any]:
    """The service as a definition dict (the YAML/JSON shape), life situations from the database
    unless given (an unsaved service has none yet)."""
    note = {
        "az": service.channel_note_az,
        "en": service.channel_note_en,
        "ru": service.channel_note_ru,
    }
    if life_situations is None:
        life_situations = sorted(service.life_situations.values_list("code", flat=True))
    return {
        "code": service.code,
        "subsystem": service.subsystem,
        "name": {"az": service.name_az, "en": service.name_en, "ru": service.name_ru},
        "description": {
            "az": service.description_az,
            "en": service.description_en,
            "ru": service.description_ru,
        },
        "life_situations": list(life_situations),
        "audience": {
            "citizen": service.for_citizens,
            "employer": service.for_employers,
            "staff_on_behalf": service.for_staff_on_behalf,
        },
        "is_instant": service.is_instant,
        "decision_working_days": service.decision_working_days,
        "legal_basis": service.legal_basis,
        "handler": service.handler,
        "is_active": service.is_active,
        "fields": service.form_fields,
        "documents": service.documents,
        "channel": service.channel,
        **({"channel_note": note} if any(note.values()) else {}),
        **({"one_at_a_time": service.one_at_a_time} if service.one_at_a_time else {}),
    }


def eservice_version_current(service: EService) -> EServiceVersion | None:
    return service.versions.order_by("-number").first()


def eservice_version_record(
    *, service: EService, actor: AbstractBaseUser | AnonymousUser | None
) -> EServiceVersion | None:
    """Freeze the saved service as a new version if its definition changed; audited."""
    definition = service_definition_parse(eservice_definition(service)).as_dict()
    latest = eservice_version_current(service)
    if latest is not None and latest.definition == definition:
        return None
    user = actor if isinstance(actor, User) else None
    version = EServiceVersion.objects.create(
        service=service,
        number=(latest.number + 1) if latest else 1,
        definition=definition,
        created_by=user,
    )
    audit_record(
        action=AuditAction.OTHER,
        actor=user,
        obj=version,
        purpose=f"Catalogue: {service.code} version {version.number}",
        details={
            "event": "catalog.version_created",
            "code": service.code,
            "number": version.number,
        },
    )
    return version


def _apply(service: EService, definition: ServiceDefinition) -> None:
    service.subsystem = definition.subsystem
    service.name_az, service.name_en, service.name_ru = (
        definition.name[c] for c in ("az", "en", "ru")
    )
    service.description_az = definition.description["az"]
    service.description_en = definition.description["en"]
    service.description_ru = definition.description["ru"]
    service.for_citizens = definition.for_citizens
    service.for_employers = definition.for_employers
    service.for_staff_on_behalf = definition.for_staff_on_behalf
    service.is_instant = definition.is_instant
    service.decision_working_days = definition.decision_working_days
    service.legal_basis = definition.legal_basis
    service.handler = definition.handler
    service.is_active = definition.is_active
    service.form_fields = [f.as_dict() for f in definition.fields]
    service.documents = [d.as_dict() for d in definition.documents]
    service.channel = definition.channel
    service.channel_note_az = definition.channel_note.get("az", "")
    service.channel_note_en = definition.channel_note.get("en", "")
    service.channel_note_ru = definition.channel_note.get("ru", "")
    service.one_at_a_time = definition.one_at_a_time


@transaction.atomic
def eservice_save(
    *, definition: ServiceDefinition, actor: AbstractBaseUser | AnonymousUser | None = None
) -> tuple[EService, EServiceVersion | None]:
    """Create or update a service from a definition; a new version only if something changed."""
    try:
        handler_resolve(definition.handler)
    except HandlerError as error:
        raise DefinitionError(f"{definition.code}: {error}") from None
    service = EService.objects.select_for_update().filter(code=definition.code).first()
    service = service or EService(code=definition.code)
    _apply(service, definition)
    service.save()
    situations = list(LifeSituation.objects.filter(code__in=definition.life_situations))
    unknown = set(definition.life_situations) - {s.code for s in situations}
    if unknown:
        raise DefinitionError(
            f"{definition.code}: unknown life situation(s) {', '.join(sorted(unknown))}"
        )
    service.life_situations.set(situations)
    return service, eservice_version_record(service=service, actor=actor)


@dataclass(frozen=True)
class ImportResult:
    services: int
    versions_created: int
    life_situations: int


def _document(text: str) -> dict[str, Any]:
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "the file"
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise CatalogueError(f"{where}: {problem}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise CatalogueError(f"not a catalogue file: it must start with 'format: {FORMAT}'")
    # Keys starting with "_" hold YAML anchors (shared documents and fields) and are not data.
    return {key: value for key, value in document.items() if not key.startswith("_")}


@transaction.atomic
def catalog_import(
    *, text: str, actor: AbstractBaseUser | AnonymousUser | None = None
) -> ImportResult:
    """Import a catalogue YAML: all or nothing; unchanged services get no new version."""
    document = _document(text)
    try:
        for i, raw in enumerate(document.get("life_situations") or []):
            if not isinstance(raw, dict) or not isinstance(raw.get("code"), str):
                raise DefinitionError(f"life_situations[{i}]: needs a code and a name")
            name = text_parse(raw.get("name"), f"life_situations[{i}] ({raw['code']}) name")
            LifeSituation.objects.update_or_create(
                code=raw["code"],
                defaults={"name_az": name["az"], "name_en": name["en"], "name_ru": name["ru"]},
            )
        definitions = [
            service_definition_parse(raw, f"services[{i}]")
            for i, raw in enumerate(document.get("services") or [])
        ]
        codes = [d.code for d in definitions]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise DefinitionError(f"services: code used twice: {', '.join(duplicates)}")
        versions = sum(eservice_save(definition=d, actor=actor)[1] is not None for d in definitions)
    except DefinitionError as error:
        raise CatalogueError(str(error)) from None
    return ImportResult(
        services=len(definitions),
        versions_created=versions,
        life_situations=len(document.get("life_situations") or []),
    )


def catalog_import_seed(*, actor: AbstractBaseUser | AnonymousUser | None = None) -> ImportResult:
    """Import the seed catalogue shipped with MEİS (idempotent)."""
    return catalog_import(text=SEED_FILE.read_text(encoding="utf-8"), actor=actor)


def catalog_export() -> str:
    """The whole catalogue as YAML, in the import format, in a stable order."""
    document = {
        "format": FORMAT,
        "life_situations": [
            {"code": s.code, "name": {"az": s.name_az, "en": s.name_en, "ru": s.name_ru}}
            for s in LifeSituation.objects.order_by("code")
        ],
        "services": [
            service_definition_parse(eservice_definition(service)).as_dict()
            for service in EService.objects.order_by("code").prefetch_related("life_situations")
        ],
    }
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
