"""Who may open the labour inspection's pages, and the audit of what an inspector reads.

Only a labour inspector, signed in as staff (password and TOTP), opens them; anyone else signed
in gets 403 and an audited refusal, like every staff page closed to a role. An inspector reads a
person's contract data only on a ground the page names — a dispute the person filed, or the
informal-work report listing them — and every such read is a `PERSON_READ` audit event the
person sees under "Who looked at my data".
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from meis.accounts.access import actor_roles, role_codes, staff_institution
from meis.accounts.decorators import staff_required
from meis.accounts.roles import Role
from meis.accounts.urls_helpers import sign_in_redirect
from meis.audit.models import AuditAction
from meis.audit.services import audit_record
from meis.registry.models import Person

View = Callable[..., HttpResponse]


def inspector_required(view: View) -> View:
    """Anonymous → staff sign-in; signed in without the inspector role → 403 (audited)."""
    verified_view = staff_required(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return sign_in_redirect(request, staff=True)
        roles = actor_roles(request.user)
        if Role.LABOUR_INSPECTOR not in roles:
            audit_record(
                action=AuditAction.ACCESS_REFUSED,
                actor=request.user,
                actor_role=role_codes(roles),
                actor_institution=staff_institution(request.user),
                request=request,
                details={"page": f"labour inspection: {view.__name__}"},
            )
            raise PermissionDenied
        return verified_view(request, *args, **kwargs)

    return wrapper


def inspector_person_read(
    *, actor: User, person: Person, obj: Any, basis: str, request: HttpRequest
) -> None:
    """Record that an inspector read the person's contract data, and on what ground."""
    audit_record(
        action=AuditAction.PERSON_READ,
        actor=actor,
        actor_role=Role.LABOUR_INSPECTOR,
        actor_institution=staff_institution(actor),
        person=person,
        obj=obj,
        purpose=f"labour inspection: {basis}",
        request=request,
    )


def inspector_person_refused(
    *, actor: User, person_id: int, request: HttpRequest, basis: str
) -> None:
    audit_record(
        action=AuditAction.ACCESS_REFUSED,
        actor=actor,
        actor_role=Role.LABOUR_INSPECTOR,
        actor_institution=staff_institution(actor),
        person=Person.objects.filter(pk=person_id).first(),
        purpose=f"labour inspection: {basis}",
        request=request,
        details={"object_type": "registry.person", "object_id": person_id},
    )
