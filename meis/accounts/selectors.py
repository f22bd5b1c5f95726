"""Reads of accounts: a staff member's profile and centre, an operator's current 142 call, the
centre registration a person is served under, and the case workers of a centre.

These are the look-ups the access funnel, the case pages and the certificate desk share; they do
not check access themselves (the callers are the funnel, or act on rows it already granted).
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AnonymousUser, User
from django.utils import timezone

from meis.accounts.models import CallSession, ServiceCentreRegistration, StaffProfile
from meis.accounts.request_memo import memoised
from meis.accounts.roles import Role
from meis.registry.models import Person

CALL_MAX_AGE = datetime.timedelta(hours=2)


def staff_profile_get(*, user: User | AnonymousUser) -> StaffProfile | None:
    """The staff profile of `user`, with its centre; None for anyone without one (read once
    per request for the request's own user: `meis.accounts.request_memo`)."""
    if not isinstance(user, User):
        return None
    return memoised(
        user,
        "staff_profile",
        lambda: StaffProfile.objects.select_related("centre").filter(user_id=user.pk).first(),
    )


def call_current(*, operator: User, caller: Person | None = None) -> CallSession | None:
    """The operator's call still open and at most `CALL_MAX_AGE` old (with `caller`, only a call
    with that person), the latest first; None when there is none."""
    calls = CallSession.objects.filter(
        operator_id=operator.pk,
        ended_at__isnull=True,
        started_at__gte=timezone.now() - CALL_MAX_AGE,
    )
    if caller is not None:
        calls = calls.filter(caller=caller)
    return calls.order_by("-started_at").first()


def registration_open_get(
    *, person: Person, newest: bool = True
) -> ServiceCentreRegistration | None:
    """An open registration of the person at a service centre, with the centre: the most
    recently opened one, or (`newest=False`) the first one recorded; None when there is none."""
    registrations = ServiceCentreRegistration.objects.filter(
        person=person, closed_at__isnull=True
    ).select_related("centre")
    return registrations.order_by("-opened_at" if newest else "pk").first()


def case_workers_of_centre(*, centre_id: int) -> list[User]:
    """The case workers of a service centre, by user name."""
    return list(
        User.objects.filter(
            staff_profile__centre_id=centre_id, groups__name=Role.CASE_WORKER
        ).order_by("username")
    )


def user_get(*, user_id: int) -> User | None:
    """The user with this id, or None."""
    return User.objects.filter(pk=user_id).first()
