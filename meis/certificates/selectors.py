"""Reads of E-Arayış: a citizen's own certificates (never anyone else's)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from meis.certificates.models import Certificate
from meis.registry.models import Person


def certificate_list_for_person(*, person: Person) -> QuerySet[Certificate]:
    return Certificate.objects.filter(person=person).order_by("-issued_at", "-id")


def certificate_get_for_person(*, person: Person, certificate_id: int) -> Certificate:
    """The person's own certificate, or 404 (another person's looks the same as none)."""
    certificate = Certificate.objects.filter(pk=certificate_id, person=person).first()
    if certificate is None:
        raise Http404
    return certificate
