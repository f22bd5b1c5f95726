"""Writes of the labour inspection: a citizen disputes a contract entry; an inspector decides it.

Both are atomic and write their audit event in the same transaction. A dispute is opened at most
once per contract and person while it is open (a partial unique constraint): a second
submission — a double click, a second tab — returns the dispute already open.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import override

from meis.accounts.access import staff_institution
from meis.accounts.roles import Role
from meis.audit.models import AuditAction
from meis.audit.services import audit_record
from meis.inspection.models import ContractDispute, DisputeStatus
from meis.inspection.selectors import dispute_open_get
from meis.labour.models import Contract
from meis.notifications.models import Channel
from meis.notifications.services.outbox import notification_queue
from meis.registry.models import Person

Actor = User | AnonymousUser


class DisputeAlreadyDecided(Exception):
    """Another inspector decided the dispute first (or it was never open)."""


@dataclass(frozen=True)
class DisputeOpened:
    dispute: ContractDispute
    created: bool


def dispute_open(
    *,
    contract: Contract,
    person: Person,
    reason: str,
    text: str,
    actor: Actor | None,
    request: HttpRequest | None = None,
) -> DisputeOpened:
    """Open the person's dispute of `contract`, or return the one already open."""
    if contract.person_id != person.pk:
        raise ValueError("A person disputes only their own contracts.")
    existing = dispute_open_get(contract=contract, person=person)
    if existing is not None:
        return DisputeOpened(existing, created=False)
    try:
        with transaction.atomic():
            dispute = ContractDispute.objects.create(
                contract=contract, person=person, reason=reason, text=text
            )
            audit_record(
                action=AuditAction.OTHER,
                actor=actor,
                actor_role=Role.CITIZEN,
                person=person,
                obj=dispute,
                purpose="inspection.dispute_open",
                request=request,
                details={"contract": contract.pk, "reason": reason},
            )
    except IntegrityError:  # the same submission won a race in another request
        existing = dispute_open_get(contract=contract, person=person)
        if existing is None:
            raise
        return DisputeOpened(existing, created=False)
    return DisputeOpened(dispute, created=True)


@transaction.atomic
def dispute_decide(
    *,
    dispute: ContractDispute,
    upheld: bool,
    note: str,
    actor: User,
    request: HttpRequest | None = None,
) -> ContractDispute:
    """Decide an open dispute; the conditional update lets only the first decision through."""
    status = DisputeStatus.UPHELD if upheld else DisputeStatus.REJECTED
    now = timezone.now()
    claimed = ContractDispute.objects.filter(pk=dispute.pk, status=DisputeStatus.OPEN).update(
        status=status, decided_by=actor, decided_at=now, decision_note=note
    )
    if not claimed:
        raise DisputeAlreadyDecided(dispute.reference)
    dispute.refresh_from_db()
    audit_record(
        action=AuditAction.OTHER,
        actor=actor,
        actor_role=Role.LABOUR_INSPECTOR,
        actor_institution=staff_institution(actor),
        person=dispute.person,
        obj=dispute,
        purpose="inspection.dispute_decide",
        request=request,
        details={"contract": dispute.contract_id, "status": status.value},
    )
    _decision_notify(dispute)
    return dispute


def _decision_notify(dispute: ContractDispute) -> None:
    """Tell the person who disputed the entry what the inspection decided (the outbox, in their
    language, on their verified contacts)."""
    person = dispute.person
    contract = dispute.contract
    with override(person.preferred_language):
        outcome = str(DisputeStatus(dispute.status).label)
        note = dispute.decision_note.strip() or "—"
    channels = [Channel.PORTAL.value]
    if person.verified_phone:
        channels.append(Channel.SMS.value)
    if person.verified_email:
        channels.append(Channel.EMAIL.value)
    notification_queue(
        person=person,
        event="contract_dispute_decided",
        context={
            "name": f"{person.first_name} {person.last_name}",
            "dispute_reference": dispute.reference,
            "employer_name": contract.employer.name,
            "contract_number": contract.number,
            "outcome": outcome,
            "note": note,
            "portal_url": f"/{person.preferred_language}/my/contracts/",
        },
        channel_preferences=channels,
        dedupe_key=f"dispute:{dispute.pk}:decided",
    )
