"""Reads of the e-mail channel: a centre's e-mail queue, and one e-mail through the access check.

Only case workers and heads of the centre the e-mail was sent to read it (an e-mail is personal
data); every read and every refusal is audited, as the case access funnel does for cases.
"""

from __future__ import annotations

from typing import NoReturn

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from meis.accounts.access import actor_roles, role_codes, staff_institution
from meis.accounts.roles import Role
from meis.accounts.selectors import staff_profile_get
from meis.audit.models import AuditAction
from meis.audit.services import audit_record
from meis.catalog.selectors import eservice_list
from meis.centres.models import ServiceCentre
from meis.mailintake.models import EmailStatus, InboundAttachment, InboundEmail

MAIL_ROLES = frozenset({Role.CASE_WORKER, Role.CENTRE_HEAD})
QUEUE_LENGTH = 200


def _refuse(actor: User | AnonymousUser, request: HttpRequest | None, what: str) -> NoReturn:
    audit_record(
        action=AuditAction.ACCESS_REFUSED,
        actor=actor,
        actor_role=role_codes(actor_roles(actor)),
        actor_institution=staff_institution(actor),
        request=request,
        details={"page": what},
    )
    raise PermissionDenied


def mail_centre_for_actor(
    *, actor: User | AnonymousUser, request: HttpRequest | None
) -> ServiceCentre | None:
    """The centre whose mail the actor works (None for a case worker not placed at a centre);
    PermissionDenied, audited, for every other role."""
    if not actor_roles(actor) & MAIL_ROLES:
        _refuse(actor, request, "e-mail queue")
    profile = staff_profile_get(user=actor)
    return profile.centre if profile is not None else None


def email_queue(*, centre: ServiceCentre, quarantined: bool = False) -> QuerySet[InboundEmail]:
    """The centre's first e-mails (drafts, additions, filed), or its quarantine; newest first."""
    emails = InboundEmail.objects.filter(centre=centre, thread__isnull=True)
    if quarantined:
        emails = emails.filter(status=EmailStatus.QUARANTINED)
    else:
        emails = emails.exclude(status=EmailStatus.QUARANTINED)
    return emails.select_related("case").annotate(
        file_count=Count("attachments", distinct=True),
        follow_up_count=Count("replies", distinct=True),
    )[:QUEUE_LENGTH]


def email_get_for_actor(
    *, actor: User | AnonymousUser, email_id: int, request: HttpRequest | None
) -> InboundEmail:
    """One e-mail of the actor's centre, its read audited; PermissionDenied otherwise."""
    centre = mail_centre_for_actor(actor=actor, request=request)
    if centre is None:
        _refuse(actor, request, f"e-mail {email_id}")
    email = (
        InboundEmail.objects.select_related("centre", "case", "person", "thread")
        .filter(pk=email_id)
        .first()
    )
    if email is None or email.centre_id != centre.pk:
        _refuse(actor, request, f"e-mail {email_id}")
    audit_record(
        action="email.read",
        actor=actor,
        actor_role=role_codes(actor_roles(actor)),
        actor_institution=staff_institution(actor),
        person=email.person,
        obj=email,
        purpose=f"e-mail {email.reference or email.pk} to {centre.code}",
        request=request,
    )
    return email


def email_thread(email: InboundEmail) -> list[InboundEmail]:
    """The e-mail and the later ones added to it, oldest first, with their attachments."""
    first = email.thread or email
    emails = InboundEmail.objects.filter(pk=first.pk) | InboundEmail.objects.filter(thread=first)
    return list(emails.prefetch_related("attachments").order_by("received_at", "id"))


def attachment_get(*, email: InboundEmail, attachment_id: int) -> InboundAttachment | None:
    """A stored file of an e-mail the caller already read through `email_get_for_actor`."""
    return (
        InboundAttachment.objects.filter(pk=attachment_id, email__in=email_thread(email))
        .exclude(storage_name="")
        .first()
    )


def services_filed_on_behalf() -> list[tuple[str, str]]:
    """(code, name) of the active services staff may file on a person's behalf, by name."""
    services = eservice_list().filter(for_staff_on_behalf=True)
    return sorted(((s.code, s.name) for s in services), key=lambda pair: pair[1])
