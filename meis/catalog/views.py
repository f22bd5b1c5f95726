"""Public catalogue pages: browse by subsystem and life situation, search, one service.

A service's page offers a start only where the service can be applied for (its `channel`): the
apply pages for one applied for online, the certificates page for a certificate; one applied
for in person says so and links where to go. A signed-in visitor outside the service's
audience is told who may apply instead of being offered a start the case engine would refuse.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from meis.accounts.access import actor_roles
from meis.accounts.roles import Role
from meis.catalog import selectors
from meis.catalog.audience import Applying, audience_allows, audience_refusal
from meis.catalog.definitions import (
    CHANNEL_CERTIFICATE,
    CHANNEL_IN_PERSON,
    CHANNEL_ONLINE,
    service_definition_parse,
)
from meis.catalog.handlers import HandlerError, handler_resolve
from meis.catalog.models import EService
from meis.catalog.subsystems import SUBSYSTEMS

# Pages of apps above the catalogue, found by name (the catalogue imports none of them): where
# each channel starts, and whether the URL takes the service code. A missing URL means no start.
APPLY_URL_NAME = "cases:apply"
IN_PERSON_URL_NAME = "cases:apply_in_person"
CERTIFICATES_URL_NAME = "certificates:mine"


def _url(name: str, code: str | None = None) -> str | None:
    try:
        return reverse(name, kwargs={"code": code} if code else {})
    except NoReverseMatch:
        return None


def _start_url(service: EService) -> str | None:
    """Where the start button leads, for a service applied for online; None otherwise."""
    booking = _booking_url_name(service)
    if booking:
        return _url(booking)
    if service.channel == CHANNEL_ONLINE:
        return _url(APPLY_URL_NAME, service.code)
    if service.channel == CHANNEL_CERTIFICATE:
        return _url(CERTIFICATES_URL_NAME)
    return None


def _is_register_page(service: EService) -> bool:
    try:
        return getattr(handler_resolve(service.handler), "start_label", "") == "register"
    except HandlerError:
        return False


def _booking_url_name(service: EService) -> str:
    """The appointment page of a booking service (its handler names it), else ""."""
    try:
        return str(getattr(handler_resolve(service.handler), "start_url_name", ""))
    except HandlerError:
        return ""


def _applying(request: HttpRequest, service: EService) -> Applying | None:
    """As whom a signed-in visitor would apply online; None for anyone else (no opinion).

    A representative signs in as a citizen: for an employers' service they act for the
    employer, for any other as themselves."""
    roles = actor_roles(request.user)
    if Role.EMPLOYER in roles and service.for_employers:
        return Applying.EMPLOYER
    if Role.CITIZEN in roles:
        return Applying.CITIZEN
    if Role.EMPLOYER in roles:
        return Applying.EMPLOYER
    return None


def _not_for_visitor(request: HttpRequest, service: EService) -> str:
    """Why the signed-in visitor cannot apply for the service, or "" when they can (or are not
    signed in as a citizen or an employer's representative)."""
    applying = _applying(request, service)
    audience: dict[str, Any] = {
        "for_citizens": service.for_citizens,
        "for_employers": service.for_employers,
        "for_staff_on_behalf": service.for_staff_on_behalf,
    }
    if applying is None or audience_allows(applying=applying, **audience):
        return ""
    if applying == Applying.EMPLOYER and service.for_employers:
        return ""  # theirs, though not online yet: the page says how to apply
    return audience_refusal(service=service.name, applying=applying, **audience)


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
    not_for_visitor = _not_for_visitor(request, service)
    return render(
        request,
        "catalog/service_detail.html",
        {
            "service": service,
            "fields": definition.fields,
            "documents": definition.documents,
            "not_for_visitor": not_for_visitor,
            "start_url": None if not_for_visitor else _start_url(service),
            "is_certificate": service.channel == CHANNEL_CERTIFICATE,
            "is_in_person": service.channel == CHANNEL_IN_PERSON,
            "is_booking": bool(_booking_url_name(service)),
            "is_register_page": _is_register_page(service),
            "in_person_url": _url(IN_PERSON_URL_NAME, service.code),
        },
    )
