"""Reads of the DOST service centres."""

from __future__ import annotations

from django.db.models import QuerySet

from meis.centres.models import ServiceCentre


def service_centre_list() -> QuerySet[ServiceCentre]:
    """Every service centre, in the order of their codes (where a person can go in person)."""
    return ServiceCentre.objects.order_by("code")
