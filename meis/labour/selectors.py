"""Reads of the contracts register that decide who may see what.

A representative reaches an employer only through a live binding: `employer_get_for_actor`
answers "not found" for any other employer (the same answer as for a VÖEN that does not exist,
so the pages do not confirm which employers are registered).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from meis.accounts.access import citizen_person
from meis.registry.models import Employer

Actor = User | AnonymousUser


class EmployerNotFound(LookupError):
    """No such employer, or the actor is not bound to it."""


def employers_of_actor(*, actor: Actor) -> QuerySet[Employer]:
    """The employers the signed-in person acts for now: through a live binding, or as the head
    the tax register records (who needs no binding to reach his own employer)."""
    person = citizen_person(actor)
    if person is None:
        return Employer.objects.none()
    bound = Q(representatives__person=person, representatives__revoked_at__isnull=True)
    return Employer.objects.filter(bound | Q(head=person)).distinct()


def employer_get_for_actor(*, actor: Actor, voen: str) -> Employer:
    employer = employers_of_actor(actor=actor).filter(voen=voen).first()
    if employer is None:
        raise EmployerNotFound(voen)
    return employer
