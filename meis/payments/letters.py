"""The overpayment letters, through the outbox, in the addressee's language.

A living recipient is told what will be withheld (`overpayment_recovery`). For the dead,
nothing is sent to them: the letter goes to the estate's contact (`overpayment_estate`) — a
living adult of the deceased's household with a verified contact (the head, then a spouse, a
child, a parent…, as the population register records them), or else the contact the deceased
had verified, which the family usually keeps. With neither, staff claim it by post (the task).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from meis.notifications.models import Channel as MessageChannel
from meis.notifications.services.outbox import notification_queue, notification_queue_to_contact
from meis.payments.services.files import DEBTOR_IBAN
from meis.registry.models import HouseholdMembership, Person, Relation
from meis.rules.explain import format_date, format_money

PORTAL_PATH = "/{language}/my/payments/"
ADULT_YEARS = 18
# Whom the estate's letter goes to first, by their relation to the household's head.
_RELATION_ORDER = [
    Relation.HEAD,
    Relation.SPOUSE,
    Relation.CHILD,
    Relation.PARENT,
    Relation.SIBLING,
    Relation.GRANDCHILD,
    Relation.OTHER,
]


def _name(person: Person) -> str:
    return f"{person.first_name} {person.last_name}"


def _channels(person: Person) -> list[str]:
    channels = [MessageChannel.PORTAL.value]
    if person.verified_phone:
        channels.append(MessageChannel.SMS.value)
    if person.verified_email:
        channels.append(MessageChannel.EMAIL.value)
    return channels


def _months(months: Sequence[datetime.date]) -> str:
    return ", ".join(f"{month:%m.%Y}" for month in sorted(set(months)))


def recovery_letter(
    *, person: Person, amount_qepik: int, months: Sequence[datetime.date], share: int, key: str
) -> None:
    lang = person.preferred_language or "az"
    notification_queue(
        person=person,
        event="overpayment_recovery",
        context={
            "name": _name(person),
            "amount": format_money(amount_qepik, lang),
            "months": _months(months),
            "share": share,
            "portal_url": PORTAL_PATH.format(language=lang),
        },
        channel_preferences=_channels(person),
        dedupe_key=f"overpayment-recovery:{key}",
    )


def estate_contact(deceased: Person, *, today: datetime.date) -> Person | None:
    """A living adult of the deceased's household with a verified contact, closest first."""
    households = HouseholdMembership.objects.filter(person=deceased).values("household_id")
    adult_born_by = today.replace(year=today.year - ADULT_YEARS)
    members = (
        HouseholdMembership.objects.select_related("person")
        .filter(household_id__in=households, left_on__isnull=True)
        .exclude(person=deceased)
        .filter(person__died_on__isnull=True, person__birth_on__lte=adult_born_by)
        .filter(Q(person__verified_phone__isnull=False) | Q(person__verified_email__isnull=False))
    )
    ranked = sorted(members, key=lambda m: (_RELATION_ORDER.index(Relation(m.relation)), m.pk))
    return ranked[0].person if ranked else None


def estate_letter(
    *,
    deceased: Person,
    amount_qepik: int,
    months: Sequence[datetime.date],
    key: str,
    today: datetime.date,
) -> str:
    """Queue the estate's letter; returns to whom ('family', 'deceased_contact' or '')."""
    assert deceased.died_on is not None  # noqa: S101 — only for the dead
    contact = estate_contact(deceased, today=today)
    addressee = contact or deceased
    lang = addressee.preferred_language or "az"
    context = {
        "name": _name(contact) if contact else "",
        "deceased_name": deceased.full_name,
        "died_on": format_date(deceased.died_on, lang),
        "amount": format_money(amount_qepik, lang),
        "months": _months(months),
        "repay_iban": DEBTOR_IBAN,
    }
    dedupe_key = f"overpayment-estate:{key}"
    if contact is not None:
        notification_queue(
            person=contact,
            event="overpayment_estate",
            context=context,
            channel_preferences=_channels(contact),
            dedupe_key=dedupe_key,
        )
        return "family"
    channel, address = (
        (MessageChannel.SMS.value, deceased.verified_phone)
        if deceased.verified_phone
        else (MessageChannel.EMAIL.value, deceased.verified_email)
    )
    if not address:
        return ""
    with translation.override(lang):
        context["name"] = _("family of %(name)s") % {"name": deceased.full_name}
    notification_queue_to_contact(
        contact=address,
        channel=channel,
        event="overpayment_estate",
        context=context,
        language=lang,
        dedupe_key=dedupe_key,
        person=deceased,
        contact_verification=False,
    )
    return "deceased_contact"
