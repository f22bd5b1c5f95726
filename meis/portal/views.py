"""Citizen-facing pages: render only; content comes from meis.catalog.subsystems."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from meis.accounts.access import citizen_person_id
from meis.catalog.subsystems import SUBSYSTEMS


def home(request: HttpRequest) -> HttpResponse:
    is_citizen = citizen_person_id(request.user) is not None
    return render(request, "portal/home.html", {"subsystems": SUBSYSTEMS, "is_citizen": is_citizen})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/accessibility.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/privacy.html")
