"""İşsizlikdən sığorta ödənişi: the employment service's side of the unemployment benefit.

    offered = benefit_offers_send(on=today)          # letters after a qualifying dismissal
    ended = benefits_end_on_new_contract(on=today)   # a new contract ends the benefit early

Both run from the employment service's daily job, set-based, and are safe to run twice.

**The offer.** A contract the register shows terminated on a ground that gives the right
(`TerminationGround.gives_unemployment_insurance`: Labour Code 70(a), 70(b), and the expiry of a
fixed-term contract since 2020) gets one letter (`unemployment_benefit_offered`) to the living
person, linking to the registration as unemployed and to the application, whose dismissal,
wages, record and registration the registers fill in (`meis.eligibility`): nothing is granted,
the law pays only after registration. Terminations that took effect or were notified in the last
`OFFER_WINDOW_DAYS` are looked at (a day missed by the job is caught up); each contract's letter
has its own deduplication key, so a second run writes nothing. No letter when the person is
employed again (a live contract, or a later one ended since), already holds the benefit, or
the dismissal is not their last.

**The early end.** The benefit is paid while the person has no work: an award held when the
register has a contract starting after the award's start ends the day before that contract
starts (reason `employed`). An end already passed ends the award now, with the ordinary letter
(`meis.awards.services.letters`); a later one is left to the awards' daily job, which keeps the
reason. The law's own end, 6 months after the start, is the awards' (`lifecycle`). This lives
here, not in `meis.awards.services.ending`: the awards do not read the contracts register.
"""

from __future__ import annotations

import datetime

import polars as pl
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone, translation

from meis.audit.services import audit_record
from meis.awards.models import (
    HELD_STATUSES,
    SERVICE_CODES,
    Award,
    AwardEndReason,
    AwardKind,
    AwardStatus,
)
from meis.awards.services.ending import LETTER_WINDOW_DAYS
from meis.awards.services.letters import ended_letters_write
from meis.labour.models import Contract, ContractStatus, ContractVersion, Notice
from meis.notifications.events import EventCode
from meis.notifications.models import Channel, Message
from meis.notifications.services import notification_queue
from meis.registry.models import Person
from meis.rules.explain import format_date

# Terminations that took effect or were notified this many days ago are still offered.
OFFER_WINDOW_DAYS = 31
LANGUAGES = ("az", "en", "ru")
SERVICE = SERVICE_CODES[AwardKind.UNEMPLOYMENT_BENEFIT]
LIVE = (ContractStatus.ACTIVE, ContractStatus.SUSPENDED)


def offer_dedupe_key(contract_id: int) -> str:
    return f"employment:benefit-offer:contract:{contract_id}"


def benefit_offers_send(*, on: datetime.date) -> int:
    """Offer the benefit after each qualifying dismissal not offered yet; how many were offered."""
    candidates = _dismissals_to_offer(on)
    offered = _offered([offer_dedupe_key(c.pk) for c in candidates])
    contracts = [c for c in candidates if offer_dedupe_key(c.pk) not in offered]
    with transaction.atomic():
        for contract in contracts:
            _offer(contract)
        if contracts:
            audit_record(
                action="employment.benefit_offers",
                actor=None,
                actor_role="system",
                purpose="Unemployment benefit offered after a dismissal on a qualifying ground",
                details={"on": on.isoformat(), "contracts": [c.pk for c in contracts]},
            )
    return len(contracts)


def _dismissals_to_offer(on: datetime.date) -> list[Contract]:
    since = on - datetime.timedelta(days=OFFER_WINDOW_DAYS)
    since_at = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    notified = ContractVersion.objects.filter(
        contract=OuterRef("pk"), notice=Notice.TERMINATION, registered_at__gte=since_at
    )
    person = OuterRef("person_id")
    employed_again = Contract.objects.filter(person=person).filter(
        Q(status__in=LIVE) | Q(terminated_on__gt=OuterRef("terminated_on"))
    )
    holds_benefit = Award.objects.filter(
        person=person, kind=AwardKind.UNEMPLOYMENT_BENEFIT, status__in=HELD_STATUSES
    )
    return list(
        Contract.objects.filter(
            status=ContractStatus.TERMINATED,
            termination_ground__gives_unemployment_insurance=True,
            terminated_on__lte=on,
            person__died_on__isnull=True,
        )
        .filter(Q(terminated_on__gt=since) | Exists(notified))
        .exclude(Exists(employed_again))
        .exclude(Exists(holds_benefit))
        .select_related("person", "employer", "termination_ground")
        .order_by("pk")
    )


def _offered(keys: list[str]) -> set[str]:
    """Those of `keys` whose letter was written already (on any channel)."""
    written: set[str] = set()
    for i in range(0, len(keys), 1_000):
        # With the channel, the look-up uses the (channel, dedupe key) index.
        part = Message.objects.filter(
            channel__in=Channel.values, dedupe_key__in=keys[i : i + 1_000]
        )
        written.update(part.values_list("dedupe_key", flat=True))
    return written


def _offer(contract: Contract) -> None:
    person: Person = contract.person
    language = person.preferred_language if person.preferred_language in LANGUAGES else "az"
    terminated_on, ground_of = contract.terminated_on, contract.termination_ground
    if terminated_on is None or ground_of is None:  # a terminated contract has both (constraint)
        return
    with translation.override(language):
        ground = ground_of.title
    notification_queue(
        person=person,
        event=EventCode.UNEMPLOYMENT_BENEFIT_OFFERED,
        context={
            "name": f"{person.first_name} {person.last_name}",
            "employer_name": contract.employer.name,
            "terminated_on": format_date(terminated_on, language),
            "ground": ground,
            "apply_url": f"/{language}/apply/{SERVICE}/",
            "register_url": f"/{language}/my/employment/register/",
        },
        channel_preferences=list(_channels(person)),
        dedupe_key=offer_dedupe_key(contract.pk),
    )


def _channels(person: Person) -> list[str]:
    channels = [Channel.PORTAL.value]
    if person.verified_phone:
        channels.append(Channel.SMS.value)
    if person.verified_email:
        channels.append(Channel.EMAIL.value)
    return channels


# -- the early end ------------------------------------------------------------------------------


def benefits_end_on_new_contract(*, on: datetime.date) -> int:
    """Move the end of each benefit held to the eve of a new contract's start; how many moved.

    Those whose new last day has passed end now, with their letter."""
    # New: starting after the benefit does, or notified after it was granted (a job found
    # between the registration and the benefit's first day: it then ends on that first day,
    # the earliest an award can end).
    new_start = (
        Contract.objects.filter(person=OuterRef("person_id"))
        .filter(Q(start_on__gt=OuterRef("start_on")) | Q(registered_at__gt=OuterRef("created_at")))
        .order_by("start_on")
        .values("start_on")[:1]
    )
    with transaction.atomic():
        due = (
            Award.objects.select_for_update(of=("self",))
            .filter(kind=AwardKind.UNEMPLOYMENT_BENEFIT, status__in=HELD_STATUSES)
            .annotate(new_start=Subquery(new_start))
            .filter(new_start__isnull=False)
            .filter(Q(end_on__isnull=True) | Q(end_on__gte=F("new_start")))
            .exclude(end_reason=AwardEndReason.EMPLOYED)
        )
        awards = [
            Award(
                pk=pk,
                person_id=person_id,
                kind=kind,
                end_on=max(starts_on - datetime.timedelta(days=1), award_start),
                end_reason=AwardEndReason.EMPLOYED,
            )
            for pk, person_id, kind, starts_on, award_start in due.values_list(
                "pk", "person_id", "kind", "new_start", "start_on"
            )
        ]
        Award.objects.bulk_update(awards, ["end_on", "end_reason"])
        ended = _end_passed([a for a in awards if a.end_on is not None and a.end_on < on], on)
        if awards:
            audit_record(
                action="awards.end_employed",
                actor=None,
                actor_role="system",
                purpose="Unemployment benefit ends: a new employment contract was registered",
                details={"on": on.isoformat(), "moved": [a.pk for a in awards], "ended": ended},
            )
    return len(awards)


def _end_passed(awards: list[Award], on: datetime.date) -> list[int]:
    """End the awards whose new last day has passed, and write their letters (recent ones)."""
    if not awards:
        return []
    Award.objects.filter(pk__in=[a.pk for a in awards], status__in=HELD_STATUSES).update(
        status=AwardStatus.ENDED
    )
    frame = pl.DataFrame(
        {
            "award_id": [a.pk for a in awards],
            "person_id": [a.person_id for a in awards],
            "kind": [a.kind for a in awards],
            "end_on": [a.end_on for a in awards],
            "end_reason": [str(a.end_reason) for a in awards],
        },
        schema={
            "award_id": pl.Int64(),
            "person_id": pl.Int64(),
            "kind": pl.String(),
            "end_on": pl.Date(),
            "end_reason": pl.String(),
        },
    )
    recent = frame.filter(pl.col("end_on") >= on - datetime.timedelta(days=LETTER_WINDOW_DAYS))
    ended_letters_write(recent, on=on)
    return frame["award_id"].to_list()
