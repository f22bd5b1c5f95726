"""What a commission's pages read: the worklist (no medical content), the escalated referrals
the central commission's chair watches, the coming sittings with room, who has signed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import F, QuerySet

from meis.disability.models import (
    CommissionLevel,
    CommissionMember,
    Decision,
    Referral,
    ReferralState,
    Sitting,
)


def worklist(*, member: CommissionMember) -> QuerySet[Referral]:
    """The member's commission's referrals not yet decided, the most urgent first."""
    return (
        Referral.objects.filter(commission_id=member.commission_id)
        .exclude(state=ReferralState.SIGNED)
        .select_related("sitting")
        .only(
            "pseudonym",
            "kind",
            "age_years",
            "sex",
            "state",
            "due_on",
            "escalated_on",
            "sitting__held_on",
            "sitting__starts_at",
        )
        .order_by("due_on", "pseudonym")
    )


def watches_escalations(member: CommissionMember) -> bool:
    return member.is_chair and member.commission.level == CommissionLevel.CENTRAL


def escalated(*, member: CommissionMember) -> QuerySet[Referral] | None:
    """Every escalated, undecided referral of any commission, for the central chair only."""
    if not watches_escalations(member):
        return None
    return (
        Referral.objects.filter(escalated_on__isnull=False)
        .exclude(state=ReferralState.SIGNED)
        .select_related("commission")
        .only(
            "pseudonym",
            "kind",
            "state",
            "due_on",
            "escalated_on",
            "commission_id",
            "commission__name",
        )
        .order_by("escalated_on", "due_on", "pseudonym")
    )


def sittings_open(*, referral: Referral, on: datetime.date) -> list[Sitting]:
    """The referral's commission's coming sittings with room, besides the one it is booked at."""
    sittings = Sitting.objects.filter(
        commission_id=referral.commission_id, held_on__gt=on, booked__lt=F("capacity")
    ).order_by("held_on", "starts_at")
    if referral.sitting_id is not None:
        sittings = sittings.exclude(pk=referral.sitting_id)
    return list(sittings[:30])


@dataclass(frozen=True)
class SignatureLine:
    name: str
    is_chair: bool
    signed_at: datetime.datetime | None


def signature_lines(*, decision: Decision) -> list[SignatureLine]:
    """Each member of the commission (the chair first) and when they signed, if they have."""
    signed = {s.member_id: s.signed_at for s in decision.signatures.all()}
    members = (
        CommissionMember.objects.filter(commission_id=decision.referral.commission_id)
        .select_related("user")
        .order_by("-is_chair", "user__last_name", "user__username")
    )
    return [
        SignatureLine(
            name=m.user.get_full_name() or m.user.get_username(),
            is_chair=m.is_chair,
            signed_at=signed.get(m.pk),
        )
        for m in members
    ]
