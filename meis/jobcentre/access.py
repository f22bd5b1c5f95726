"""Who may open the employment centre's back-office pages, and on what ground an officer reads
a person.

A centre officer is a case worker whose profile handles the employment subsystem (or the head
of a centre). They read a person's record only while the person holds an open registration with
the employment service (`job_seeker_grant`, asked by `person_get_for_actor`, which audits every
read and every refusal); anyone else signed in as staff gets 403 and an audited refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from meis.accounts.access import Grant, actor_roles, role_codes, staff_institution
from meis.accounts.decorators import staff_required
from meis.accounts.models import StaffProfile
from meis.accounts.roles import Role, Subsystem
from meis.accounts.selectors import staff_profile_get
from meis.accounts.urls_helpers import sign_in_redirect
from meis.audit.models import AuditAction
from meis.audit.services import audit_record
from meis.employment.models import OPEN_STATES, JobSeeker
from meis.registry.models import Person

View = Callable[..., HttpResponse]


def is_employment_officer(user: Any) -> bool:
    roles = actor_roles(user)
    if Role.CENTRE_HEAD in roles:
        return True
    if Role.CASE_WORKER not in roles:
        return False
    profile = staff_profile_get(user=user)
    return profile is not None and Subsystem.EMPLOYMENT in (profile.subsystems or [])


def officer_required(view: View) -> View:
    """Anonymous → staff sign-in; staff who do not handle employment → 403 (audited)."""
    verified_view = staff_required(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return sign_in_redirect(request, staff=True)
        if not is_employment_officer(request.user):
            audit_record(
                action=AuditAction.ACCESS_REFUSED,
                actor=request.user,
                actor_role=role_codes(actor_roles(request.user)),
                actor_institution=staff_institution(request.user),
                request=request,
                details={"page": f"employment centre: {view.__name__}"},
            )
            raise PermissionDenied
        return verified_view(request, *args, **kwargs)

    return wrapper


def job_seeker_grant(profile: StaffProfile, person: Person, roles: frozenset[Role]) -> Grant | None:
    """An employment officer may read a person registered with the employment service."""
    handles = Role.CENTRE_HEAD in roles or (
        Role.CASE_WORKER in roles and Subsystem.EMPLOYMENT in (profile.subsystems or [])
    )
    if not handles:
        return None
    registration = JobSeeker.objects.filter(person=person, state__in=OPEN_STATES).only("pk").first()
    if registration is None:
        return None
    role = Role.CENTRE_HEAD if Role.CENTRE_HEAD in roles else Role.CASE_WORKER
    return Grant(role, f"job-seeker registration {registration.pk}")
