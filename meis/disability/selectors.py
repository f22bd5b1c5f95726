"""The register in counts, for the analysts' dashboard: analysts never read a referral or a
decision, only how many (special-category data, docs/domain.md §4). The pages' own reads are
in `citizen_selectors.py` and `commission_selectors.py`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q

from meis.disability.models import Decision, Referral, ReferralState


@dataclass(frozen=True)
class RegisterCounts:
    waiting: int  # referrals with a commission, not decided
    overdue: int  # of them past their deadline
    escalated: int
    decided_this_year: int
    established_by_degree: dict[str, int]
    not_established: int
    appeals_this_year: int


def register_counts(*, on: datetime.date) -> RegisterCounts:
    open_referrals = Referral.objects.exclude(state=ReferralState.SIGNED).aggregate(
        waiting=Count("pk"),
        overdue=Count("pk", filter=Q(due_on__lt=on)),
        escalated=Count("pk", filter=Q(escalated_on__isnull=False)),
    )
    year = Decision.objects.filter(
        signed_at__isnull=False, decided_on__gte=on.replace(month=1, day=1), decided_on__lte=on
    )
    degrees = dict(
        year.filter(is_established=True)
        .values_list("degree")
        .annotate(n=Count("pk"))
        .values_list("degree", "n")
    )
    return RegisterCounts(
        waiting=open_referrals["waiting"],
        overdue=open_referrals["overdue"],
        escalated=open_referrals["escalated"],
        decided_this_year=year.count(),
        established_by_degree={d: degrees.get(d, 0) for d in ("I", "II", "III", "child")},
        not_established=year.filter(is_established=False).count(),
        appeals_this_year=year.filter(referral__kind="appeal").count(),
    )
