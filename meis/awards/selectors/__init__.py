"""Reads of awards: a citizen's own awards with their letters and suspensions; recorded facts
(`recorded_facts`); who an award's letter goes to (`recipients`)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from meis.awards.models import (
    HELD_STATUSES,
    RENEWABLE_KINDS,
    Award,
    AwardEndReason,
    AwardStatus,
    AwardSuspension,
)
from meis.notifications.models import Message
from meis.registry.models import Person


def award_list_for_person(*, person: Person) -> QuerySet[Award]:
    """All the person's awards, current and past, each with its suspensions (newest first)."""
    suspensions = Prefetch(
        "suspensions", queryset=AwardSuspension.objects.order_by("-suspended_on", "-id")
    )
    return (
        Award.objects.filter(person=person)
        .select_related("basis")
        .prefetch_related(suspensions)
        .order_by("-start_on", "-id")
    )


def award_get_for_person(*, person: Person, award_id: int) -> Award:
    """The person's own award; another person's award is "not found", never "forbidden"."""
    award = award_list_for_person(person=person).filter(pk=award_id).first()
    if award is None:
        raise Http404
    return award


def award_letters(*, award: Award) -> QuerySet[Message]:
    """The messages the award sent its person: the grant's (dedupe key `award:<id>`, see
    meis.proactive.services.letters) and those of its life (`award:<id>:…`, see
    meis.awards.services.letters), newest first."""
    key = f"award:{award.pk}"
    return Message.objects.filter(
        Q(dedupe_key=key) | Q(dedupe_key__startswith=f"{key}:"), person_id=award.person_id
    ).order_by("-created_at", "-id")


def award_to_renew(*, awards: Sequence[Award]) -> Award | None:
    """The fixed-term award the person should apply again for, if any: one still held whose
    renewal reminder has gone, or one ended at its term with no award of its kind held since."""
    held_kinds = {a.kind for a in awards if a.status in HELD_STATUSES}
    for award in awards:  # newest first
        if award.kind not in RENEWABLE_KINDS:
            continue
        if award.status in HELD_STATUSES and award.renewal_reminded_on is not None:
            return award
        if (
            award.status == AwardStatus.ENDED
            and award.end_reason == AwardEndReason.TERM
            and award.kind not in held_kinds
        ):
            return award
    return None


def award_get(*, award_id: int) -> Award | None:
    """One award by id, with its kind's basis, for a staff page that has checked access to the
    person (the access funnel decides; this read does not)."""
    return Award.objects.select_related("basis", "person").filter(pk=award_id).first()


def award_suspensions(*, award: Award) -> QuerySet[AwardSuspension]:
    """The award's suspensions, the newest first."""
    return award.suspensions.order_by("-suspended_on", "-id")
