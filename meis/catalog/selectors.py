"""Reads of the catalogue for the portal, the case engine and the back office."""

from __future__ import annotations

from typing import cast

from django.db.models import Q, QuerySet
from django.utils.translation import get_language

from meis.catalog.definitions import (
    DocumentDefinition,
    FieldDefinition,
    ServiceDefinition,
    service_definition_parse,
)
from meis.catalog.models import EService, EServiceVersion, LifeSituation
from meis.core.compiled import CompiledQuery

MAX_QUERY_LENGTH = 100


def eservice_list(
    *, subsystem: str = "", life_situation: str = "", query: str = ""
) -> QuerySet[EService]:
    """Active services, filtered by subsystem, life situation and words in the active language."""
    services = EService.objects.filter(is_active=True).prefetch_related("life_situations")
    if subsystem:
        services = services.filter(subsystem=subsystem)
    if life_situation:
        services = services.filter(life_situations__code=life_situation)
    language = (get_language() or "az")[:2]
    if language not in ("az", "en", "ru"):
        language = "az"
    for word in query[:MAX_QUERY_LENGTH].split():
        services = services.filter(
            Q(**{f"name_{language}__icontains": word})
            | Q(**{f"description_{language}__icontains": word})
        )
    return services.order_by("subsystem", f"name_{language}").distinct()


def eservice_get(*, code: str) -> EService:
    """An active service by code (EService.DoesNotExist otherwise)."""
    return EService.objects.prefetch_related("life_situations").get(code=code, is_active=True)


def _latest_version(code: str) -> QuerySet[EServiceVersion]:
    return (
        EServiceVersion.objects.filter(service__code=code, service__is_active=True)
        .select_related("service")
        .order_by("-number")[:1]
    )


# Read on every apply page: the SQL is built once per process (meis.core.compiled).
_LATEST_VERSION = CompiledQuery(_latest_version, arguments=(str,))


def eservice_version_current(*, code: str) -> EServiceVersion:
    """The version a new application is filed under: the latest of an active service (with
    the service, read in the same query)."""
    version: EServiceVersion | None = _LATEST_VERSION.first(str(code))
    if version is None:
        raise EServiceVersion.DoesNotExist(f"no version of an active service {code!r}")
    return version


def version_definition(version: EServiceVersion) -> ServiceDefinition:
    """The frozen definition of a version, as typed objects; parsed once per version object
    (a page asks for it several times), again only if its `definition` is replaced."""
    parsed = version.__dict__.get(_PARSED)
    if parsed is not None and parsed[0] is version.definition:
        return cast(ServiceDefinition, parsed[1])
    definition = service_definition_parse(version.definition, where=f"version {version.pk}")
    version.__dict__[_PARSED] = (version.definition, definition)
    return definition


_PARSED = "_meis_definition_parsed"


def version_fields(version: EServiceVersion) -> tuple[FieldDefinition, ...]:
    return version_definition(version).fields


def version_documents(version: EServiceVersion) -> tuple[DocumentDefinition, ...]:
    return version_definition(version).documents


def life_situation_list() -> QuerySet[LifeSituation]:
    return LifeSituation.objects.filter(services__is_active=True).distinct().order_by("code")
