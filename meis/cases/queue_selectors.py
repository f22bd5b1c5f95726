"""Reads behind the staff home pages: a queue's counts by legal deadline, its filters, the
centre head's view of assignments and overdue cases, and a case worker's search by case
reference or FİN.

The queue itself is `decision_selectors.queue_list_for_worker` (the worker's centre and
subsystems, or the whole centre for its head); everything here narrows or counts it, so a count
never includes a case its reader could not open. The search goes through the access funnel:
a reference through `case_get_for_actor`, a FİN to the person's cases inside that queue's scope,
and either way the read is an audit event.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from meis.accounts.access import Actor, actor_roles, role_codes, staff_institution
from meis.accounts.roles import Role
from meis.accounts.selectors import staff_profile_get
from meis.audit.models import AuditAction
from meis.audit.services import audit_record
from meis.cases import decision_selectors
from meis.cases.access import CaseNotFound, case_get_for_actor
from meis.cases.models import OPEN_STATUSES, Case
from meis.cases.selectors import queue_readings
from meis.core.identifiers import InvalidIdentifier, normalize_fin
from meis.registry.models import Person
from meis.workcalendar.arithmetic import ClockReading, DeadlineStatus

# What the queue page shows: the worker's own cases, nobody's, the whole queue, the overdue.
QUEUE_FILTERS = ("mine", "unassigned", "all", "overdue")
REFERENCE_PATTERN = re.compile(r"^MEIS-\d{4}-\d{7}$")
Reading = tuple[Case, ClockReading | None]


@dataclass(frozen=True)
class QueueCounts:
    """Open cases, and how many of them are due soon or overdue by their legal clock."""

    open: int = 0
    due_soon: int = 0
    overdue: int = 0


def queue_counts(readings: Iterable[Reading]) -> QueueCounts:
    statuses = Counter(reading.status if reading else None for _case, reading in readings)
    return QueueCounts(
        open=sum(statuses.values()),
        due_soon=statuses[DeadlineStatus.DUE_SOON],
        overdue=statuses[DeadlineStatus.OVERDUE],
    )


def queue_of(*, user: Actor, open_only: bool = True) -> QuerySet[Case] | None:
    """The open cases `user` works on (`open_only=False`: closed ones too): their centre's cases
    in their subsystems, the whole centre for its head; None for someone with no centre."""
    profile = staff_profile_get(user=user)
    if profile is None or profile.centre_id is None:
        return None
    is_head = Role.CENTRE_HEAD in actor_roles(user)
    return decision_selectors.queue_list_for_worker(
        profile=profile, user=user, is_head=is_head, open_only=open_only
    )


def queue_readings_all(cases: QuerySet[Case], *, on: datetime.date | None = None) -> list[Reading]:
    """Every case of a queue with its clock, loading only what the clock reads."""
    light = cases.select_related(None).only(
        "pk", "reference", "status", "submitted_on", "decision_working_days", "assigned_to"
    )
    return queue_readings(list(light), on=on)


def queue_filtered(
    *, cases: QuerySet[Case], show: str, user: Actor, limit: int, on: datetime.date | None = None
) -> list[Reading]:
    """The queue page's rows for a filter of `QUEUE_FILTERS` (anything else is "all")."""
    if show == "mine":
        cases = cases.filter(assigned_to_id=user.pk)
    elif show == "unassigned":
        cases = cases.filter(assigned_to__isnull=True)
    if show != "overdue":
        return queue_readings(list(cases[:limit]), on=on)
    overdue = [
        case.pk
        for case, reading in queue_readings_all(cases, on=on)
        if reading is not None and reading.status == DeadlineStatus.OVERDUE
    ][:limit]
    return queue_readings(list(cases.filter(pk__in=overdue)), on=on)


@dataclass(frozen=True)
class WorkerLoad:
    """A case worker of the centre with the open cases assigned to them."""

    worker: User
    counts: QueueCounts


@dataclass(frozen=True)
class CentreOverview:
    """What the head of a centre watches: the queue, who holds what, what is late."""

    counts: QueueCounts
    unassigned: QueueCounts
    loads: list[WorkerLoad]
    overdue: list[Reading] = field(default_factory=list)


def centre_overview(
    *, centre_id: int, workers: list[User], top: int = 10, on: datetime.date | None = None
) -> CentreOverview:
    """Counts of the centre's whole open queue, per worker and unassigned, and the `top` cases
    most overdue (the most working days past their due date first)."""
    centre_queue = Case.objects.filter(centre_id=centre_id, status__in=OPEN_STATUSES)
    readings = queue_readings_all(centre_queue, on=on)
    by_worker: dict[int | None, list[Reading]] = {}
    for case, reading in readings:
        by_worker.setdefault(case.assigned_to_id, []).append((case, reading))
    late = sorted(
        (
            (case, reading)
            for case, reading in readings
            if reading is not None and reading.status == DeadlineStatus.OVERDUE
        ),
        key=lambda row: (row[1].remaining_working_days if row[1] else 0, row[0].pk),
    )[:top]
    cases = {
        case.pk: case
        for case in Case.objects.filter(pk__in=[case.pk for case, _reading in late]).select_related(
            "service_version", "assigned_to"
        )
    }
    return CentreOverview(
        counts=queue_counts(readings),
        unassigned=queue_counts(by_worker.get(None, [])),
        loads=[WorkerLoad(w, queue_counts(by_worker.get(w.pk, []))) for w in workers],
        overdue=[(cases[case.pk], reading) for case, reading in late],
    )


@dataclass(frozen=True)
class CaseSearch:
    """A search's outcome: the cases found (possibly none), or what was wrong with the term."""

    term: str
    cases: list[Case] = field(default_factory=list)
    error: str = ""
    by_fin: bool = False


def case_search_for_actor(*, actor: Actor, term: str, request: HttpRequest | None) -> CaseSearch:
    """Cases by reference (`MEIS-2026-0000123`) or by the applicant's FİN, within what the actor
    may read. A reference is read through the case funnel (audited, a refusal too); a FİN finds
    the person's cases in the actor's queue scope, open or closed, and the search is audited."""
    term = term.strip().upper()[:32]
    if "-" in term:  # a FİN never has one
        return _by_reference(actor=actor, term=term, request=request)
    try:
        fin = normalize_fin(term)
    except InvalidIdentifier as invalid:
        return CaseSearch(term, error=_search_error(" ".join(invalid.messages)))
    return _by_fin(actor=actor, fin=fin, request=request)


def _search_error(detail: str = "") -> str:
    hint = _("Enter a case reference, like MEIS-2026-0000123, or a FİN of 7 characters.")
    return f"{detail} {hint}".strip()


def _by_reference(*, actor: Actor, term: str, request: HttpRequest | None) -> CaseSearch:
    if not REFERENCE_PATTERN.match(term):
        return CaseSearch(term, error=_search_error(_("This is not a case reference.")))
    try:
        case = case_get_for_actor(
            actor=actor, reference=term, purpose="case search", request=request
        )
    except CaseNotFound:
        return CaseSearch(term)
    return CaseSearch(term, cases=[case])


def _by_fin(*, actor: Actor, fin: str, request: HttpRequest | None) -> CaseSearch:
    person = Person.objects.filter(fin=fin).first()
    scope = queue_of(user=actor, open_only=False)
    cases: list[Case] = []
    if person is not None and scope is not None:
        cases = list(scope.filter(person=person).order_by("-submitted_at")[:50])
    refused = person is not None and not cases
    audit_record(
        action=AuditAction.ACCESS_REFUSED if refused else AuditAction.PERSON_SEARCH,
        actor=actor,
        actor_role=role_codes(actor_roles(actor)),
        actor_institution=staff_institution(actor),
        person=person,
        purpose="case search by FİN",
        request=request,
        details={"found": [case.reference for case in cases]},
    )
    return CaseSearch(fin, cases=cases, by_fin=True)
