"""What the person's and the clinic's pages read from the disability register.

Kept apart from `selectors.py` (the commission's worklist): these are read by the person about
themself and by the institution that referred them, never by a commission."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from meis.certificates.models import Certificate, CertificateStatus
from meis.disability.models import MedicalInstitution, Referral
from meis.disability.terms import appeal_deadline
from meis.lifeevents.models import DisabilityDecision
from meis.registry.models import Person


def person_referrals(*, person: Person) -> QuerySet[Referral]:
    """The person's referrals, the newest first, with what the page shows of each."""
    return (
        Referral.objects.filter(person=person)
        .select_related("commission", "sitting", "institution")
        .order_by("-issued_at", "-pk")
    )


def clinic_referrals(*, institution: MedicalInstitution) -> QuerySet[Referral]:
    """The referrals an institution issued, the newest first (the person's name and FİN: the
    clinic knows its patient)."""
    return (
        Referral.objects.filter(institution=institution)
        .select_related("person")
        .order_by("-issued_at", "-pk")
    )


@dataclass(frozen=True)
class DecisionLine:
    decision: DisabilityDecision
    extract: Certificate | None


def person_decisions(*, person: Person) -> list[DecisionLine]:
    """The register's decisions about the person, the newest first, each with its signed
    extract (the one still issued) when there is one."""
    decisions = list(
        DisabilityDecision.objects.filter(person=person).order_by("-decided_on", "-pk")
    )
    extracts: dict[int, Certificate] = {}
    for certificate in Certificate.objects.filter(
        person=person,
        disability_decision__in=[d.pk for d in decisions],
        status=CertificateStatus.ISSUED,
    ).order_by("issued_at"):
        assert certificate.disability_decision_id is not None  # noqa: S101 — filtered above
        extracts[certificate.disability_decision_id] = certificate
    return [DecisionLine(decision=d, extract=extracts.get(d.pk)) for d in decisions]


def appeal_open_until(
    decision: DisabilityDecision | None, on: datetime.date
) -> datetime.date | None:
    """The last day an appeal against `decision` may be lodged, while it is not past."""
    if decision is None:
        return None
    last_day = appeal_deadline(decision.decided_on)
    return last_day if on <= last_day else None
