"""Public catalogue pages: browse by subsystem and life situation, search, one service."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from meis.catalog import selectors
from meis.catalog.definitions import service_definition_parse
from meis.catalog.models import EService
from meis.catalog.subsystems import SUBSYSTEMS

# The case engine adds this URL (one argument: the service code); until then no Apply button.
APPLY_URL_NAME = "cases:apply"


def _apply_url(code: str) -> str | None:
    try:
        return reverse(APPLY_URL_NAME, kwargs={"code": code})
    except NoReverseMatch:
        return None


def service_list(request: HttpRequest) -> HttpResponse:
    subsystem = request.GET.get("subsystem", "")
    situation = request.GET.get("situation", "")
    query = request.GET.get("q", "").strip()
    known = {s.slug for s in SUBSYSTEMS}
    services = selectors.eservice_list(
        subsystem=subsystem if subsystem in known else "",
        life_situation=situation,
        query=query,
    )
    groups = [
        (subsystem_info, [s for s in services if s.subsystem == subsystem_info.slug])
        for subsystem_info in SUBSYSTEMS
    ]
    return render(
        request,
        "catalog/service_list.html",
        {
            "groups": [(info, items) for info, items in groups if items],
            "count": len(services),
            "subsystems": SUBSYSTEMS,
            "situations": selectors.life_situation_list(),
            "subsystem": subsystem,
            "situation": situation,
            "query": query,
        },
    )


def service_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        service = selectors.eservice_get(code=code)
    except EService.DoesNotExist:
        raise Http404("No such e-service") from None
    from meis.catalog.services import eservice_definition

    definition = service_definition_parse(eservice_definition(service))
    return render(
        request,
        "catalog/service_detail.html",
        {
            "service": service,
            "fields": definition.fields,
            "documents": definition.documents,
            "apply_url": _apply_url(service.code),
        },
    )
