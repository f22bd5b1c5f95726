"""The explicit state transitions, with optimistic locking on `Case.version`.

`transition` is a conditional UPDATE on (id, version, allowed statuses): of two people acting on
the same version of a case exactly one wins and the other gets `CaseConflict`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from meis.accounts.access import actor_roles, citizen_person
from meis.accounts.roles import Role
from meis.accounts.selectors import staff_profile_get
from meis.cases.decision_selectors import original_deciders
from meis.cases.models import OPEN_STATUSES, Case, CaseEvent, CaseStatus, InformationRequest
from meis.cases.services.common import Actor, case_audit, event_add
from meis.cases.services.errors import CaseActionError, CaseConflict, IllegalTransition

WORKER_ROLES = frozenset({Role.CASE_WORKER, Role.CENTRE_HEAD, Role.ADMINISTRATOR})


def transition(
    *,
    case: Case,
    expected_version: int,
    allowed: Sequence[str],
    status: str,
    **fields: Any,
) -> Case:
    """Conditional UPDATE: wins only if nobody changed the case since `expected_version`."""
    updated = Case.objects.filter(pk=case.pk, version=expected_version, status__in=allowed).update(
        status=status, version=F("version") + 1, updated_at=timezone.now(), **fields
    )
    current = Case.objects.select_related("person", "service_version").get(pk=case.pk)
    if updated == 0:
        if current.version != expected_version:
            raise _conflict()
        raise IllegalTransition(
            _("This action is not possible while the case is “%(status)s”.")
            % {"status": current.get_status_display()}
        )
    return current


def _conflict() -> CaseConflict:
    return CaseConflict(
        _(
            "Someone else changed this case while you were looking at it. "
            "Check the case again and repeat your action if it is still needed."
        )
    )


def require_status(case: Case, allowed: Sequence[str], *, expected_version: int) -> None:
    """CaseConflict if the case (as read) is no longer the version the actor saw, else
    IllegalTransition unless it is in one of the `allowed` statuses: said before any work,
    where `transition` would only find it at the UPDATE."""
    if case.version != expected_version:
        raise _conflict()
    if case.status not in allowed:
        raise IllegalTransition(
            _("This action is not possible while the case is “%(status)s”.")
            % {"status": case.get_status_display()}
        )


def require_current(case: Case, *, expected_version: int) -> None:
    """Lock the case's row until the transaction ends and raise CaseConflict unless it is
    still the version the actor saw: for actions that read rows a concurrent winner
    changes (the proposal a second officer confirms) before `transition` would see it."""
    current = (
        Case.objects.select_for_update().filter(pk=case.pk).values_list("version", flat=True)
    ).first()
    if current != expected_version:
        raise _conflict()


def require_worker(
    actor: Actor,
    case: Case,
    *,
    must_be_assigned: bool = True,
    roles: frozenset[Role] | None = None,
) -> None:
    """CaseActionError unless the actor works cases (and, for a case worker, holds this one);
    `roles` when the caller has read them already."""
    roles = actor_roles(actor) if roles is None else roles
    if not roles & WORKER_ROLES:
        raise CaseActionError(_("Only case workers can do this."))
    if Role.CENTRE_HEAD in roles or Role.ADMINISTRATOR in roles:
        return
    if must_be_assigned and case.assigned_to_id != actor.pk:
        raise CaseActionError(_("Take the case first: it is not assigned to you."))


def require_not_original_decider(actor: Actor, case: Case) -> None:
    """CaseActionError when the case is an appeal against a decision the actor took."""
    if case.appeal_of_id is not None and actor.pk in original_deciders(case):
        raise CaseActionError(
            _(
                "You took the decision this appeal is against: another officer must handle the "
                "appeal."
            )
        )


@transaction.atomic
def case_claim(
    *, case: Case, actor: Actor, expected_version: int, request: HttpRequest | None = None
) -> Case:
    """A case worker takes a received case: it becomes theirs and is being reviewed (an appeal,
    only if they took no part in the decision appealed against)."""
    require_worker(actor, case, must_be_assigned=False)
    require_not_original_decider(actor, case)
    case = transition(
        case=case,
        expected_version=expected_version,
        allowed=[CaseStatus.SUBMITTED],
        status=CaseStatus.IN_REVIEW,
        assigned_to=actor,
    )
    event_add(case, CaseEvent.Kind.CLAIMED, actor=actor, status_after=case.status)
    case_audit(case, "case.claim", actor, request)
    return case


@transaction.atomic
def case_assign(
    *,
    case: Case,
    actor: Actor,
    assignee: User,
    expected_version: int,
    request: HttpRequest | None = None,
) -> Case:
    """The centre head assigns or reassigns an open case to a case worker of the centre."""
    if not actor_roles(actor) & {Role.CENTRE_HEAD, Role.ADMINISTRATOR}:
        raise CaseActionError(_("Only the head of the centre can assign cases."))
    profile = staff_profile_get(user=assignee)
    if profile is None or profile.centre_id != case.centre_id:
        raise CaseActionError(_("Choose a case worker of this centre."))
    if assignee.pk in original_deciders(case):
        raise CaseActionError(
            _(
                "%(who)s took the decision this appeal is against: assign the appeal to another "
                "case worker."
            )
            % {"who": assignee.get_username()}
        )
    status = CaseStatus.IN_REVIEW if case.status == CaseStatus.SUBMITTED else case.status
    case = transition(
        case=case,
        expected_version=expected_version,
        allowed=OPEN_STATUSES,
        status=status,
        assigned_to=assignee,
    )
    event_add(
        case,
        CaseEvent.Kind.ASSIGNED,
        actor=actor,
        status_after=case.status,
        note=assignee.get_full_name() or assignee.username,
        is_internal=True,
    )
    case_audit(case, "case.assign", actor, request, assignee=assignee.pk)
    return case


@transaction.atomic
def case_withdraw(
    *,
    case: Case,
    actor: Actor,
    expected_version: int,
    note: str = "",
    request: HttpRequest | None = None,
) -> Case:
    """Withdraw on the citizen's request (by the citizen, or a worker recording their request)."""
    own = citizen_person(actor)
    if own is None or own.pk != case.person_id:
        require_worker(actor, case, must_be_assigned=False)
    case = transition(
        case=case,
        expected_version=expected_version,
        allowed=OPEN_STATUSES,
        status=CaseStatus.WITHDRAWN,
        decided_at=timezone.now(),
        due_on=None,
    )
    InformationRequest.objects.filter(case=case, ends_on__isnull=True).update(
        ends_on=timezone.localdate()
    )
    event_add(case, CaseEvent.Kind.WITHDRAWN, actor=actor, status_after=case.status, note=note)
    case_audit(case, "case.withdraw", actor, request)
    return case
