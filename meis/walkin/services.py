"""Writes of the walk-in queue: issue a ticket, call the next one at a counter, finish it.

Numbers are per group and day (A001, A002… from 1 each morning): one sequence row per group
and day, incremented by a conditional UPDATE, so concurrent kiosks never print one number twice
(a unique constraint backs it). Calling the next ticket takes the oldest waiting ticket of the
counter's groups; on PostgreSQL with `SELECT … FOR UPDATE SKIP LOCKED`, so two counters calling
at the same moment take two different tickets without waiting for each other, and on every
database the status change is conditional (`WHERE status = 'waiting'`), so a ticket is called
once whatever happens. A counter has at most one called ticket (a partial unique constraint).

Tickets carry no personal data (a letter and a number): their changes are not audited.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AnonymousUser, User
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from meis.usage.models import UsageKind
from meis.usage.services import usage_record
from meis.walkin.models import Counter, ServiceGroup, Ticket, TicketSequence, TicketStatus

CALL_ATTEMPTS = 20


class QueueActionError(Exception):
    """The action cannot be done now; the message (translated) says why and what to do."""


def ticket_issue(*, group: ServiceGroup, now: datetime | None = None) -> Ticket:
    """Give the next number of the group today (A001 first)."""
    if not group.is_active:
        raise QueueActionError(_("Tickets for this service are not given today. Ask at the desk."))
    now = now or timezone.now()
    day = timezone.localdate(now)
    with transaction.atomic():
        TicketSequence.objects.get_or_create(group=group, issued_on=day)
        TicketSequence.objects.filter(group=group, issued_on=day).update(last=F("last") + 1)
        number = TicketSequence.objects.values_list("last", flat=True).get(
            group=group, issued_on=day
        )
        return Ticket.objects.create(
            group=group,
            issued_on=day,
            number=number,
            code=f"{group.letter}{number:03d}",
            issued_at=now,
        )


def ticket_call_next(
    *, counter: Counter, actor: User | AnonymousUser | None, now: datetime | None = None
) -> Ticket | None:
    """Call the oldest waiting ticket of today in the counter's groups; None when nobody waits."""
    now = now or timezone.now()
    current = Ticket.objects.filter(counter=counter, status=TicketStatus.CALLED).first()
    if current is not None:
        raise QueueActionError(
            _("Ticket %(code)s is still at this counter: mark it served or not shown first.")
            % {"code": current.code}
        )
    waiting = Ticket.objects.filter(
        group__in=counter.groups.filter(is_active=True),
        issued_on=timezone.localdate(now),
        status=TicketStatus.WAITING,
    ).order_by("issued_at", "id")
    user = actor if isinstance(actor, User) else None
    for _attempt in range(CALL_ATTEMPTS):
        try:
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    candidate = waiting.select_for_update(skip_locked=True, of=("self",)).first()
                else:
                    candidate = waiting.first()
                if candidate is None:
                    return None
                taken = Ticket.objects.filter(pk=candidate.pk, status=TicketStatus.WAITING).update(
                    status=TicketStatus.CALLED, called_at=now, counter=counter, called_by=user
                )
                if taken:
                    _count(candidate, called_at=now)
        except IntegrityError:  # the same counter called from two windows at once
            raise QueueActionError(
                _("This counter has just called a ticket. Reload the page.")
            ) from None
        if taken:
            candidate.refresh_from_db()
            return candidate
    return None  # others kept taking the tickets first: the counter tries again


def _count(ticket: Ticket, *, called_at: datetime) -> None:
    """A visitor called to a counter counts once, with the seconds they waited."""
    group = ticket.group
    usage_record(
        kind=UsageKind.TICKET,
        occurred_at=called_at,
        channel="centre_desk",
        region=group.centre.region,
        centre_code=group.centre.code,
        measure=max(0, int((called_at - ticket.issued_at).total_seconds())),
        source=f"ticket:{ticket.pk}",
    )


def ticket_finish(*, counter: Counter, outcome: str, now: datetime | None = None) -> Ticket:
    """Mark the counter's called ticket served or not shown (the visitor never came)."""
    if outcome not in (TicketStatus.SERVED, TicketStatus.NO_SHOW):
        raise QueueActionError(_("Choose served or not shown."))
    now = now or timezone.now()
    ticket = Ticket.objects.filter(counter=counter, status=TicketStatus.CALLED).first()
    if ticket is None:
        raise QueueActionError(_("No ticket is called at this counter. Call the next ticket."))
    moment = {"served_at": now} if outcome == TicketStatus.SERVED else {"no_show_at": now}
    finished = Ticket.objects.filter(pk=ticket.pk, status=TicketStatus.CALLED).update(
        status=outcome, **moment
    )
    if not finished:
        raise QueueActionError(_("This ticket was already finished. Reload the page."))
    ticket.refresh_from_db()
    return ticket
