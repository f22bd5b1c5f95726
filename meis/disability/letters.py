"""The disability register's letters, in the person's language, to the portal inbox and to
each verified contact (SMS first: the law tells the person by SMS, docs/domain.md §4)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils import translation
from django.utils.translation import gettext as _

from meis.awards.models import Award, AwardKind
from meis.lifeevents.models import DisabilityDecision, DisabilityDegree
from meis.notifications.models import Channel as MessageChannel
from meis.notifications.services.outbox import notification_queue
from meis.registry.models import Person
from meis.rules.explain import format_date, format_money

if TYPE_CHECKING:
    from meis.disability.models import Decision, Referral

PORTAL_PATH = "/{language}/my/disability/"


def _name(person: Person) -> str:
    return f"{person.first_name} {person.last_name}"


def _channels(person: Person) -> list[str]:
    channels = [MessageChannel.PORTAL.value]
    if person.verified_phone:
        channels.append(MessageChannel.SMS.value)
    if person.verified_email:
        channels.append(MessageChannel.EMAIL.value)
    return channels


def _language(person: Person) -> str:
    return person.preferred_language or "az"


def referral_registered(referral: Referral) -> None:
    person = referral.person
    lang = _language(person)
    with translation.override(lang):
        examination = str(referral.get_kind_display()).lower()
    notification_queue(
        person=person,
        event="disability_referral",
        context={
            "name": _name(person),
            "referral_number": referral.number,
            "examination": examination,
            "due_on": format_date(referral.due_on, lang),
            "portal_url": PORTAL_PATH.format(language=lang),
        },
        channel_preferences=_channels(person),
        dedupe_key=f"disability-referral:{referral.pk}",
    )


def examination_booked(referral: Referral) -> None:
    person = referral.person
    sitting = referral.sitting
    assert sitting is not None  # noqa: S101 — called once booked
    lang = _language(person)
    notification_queue(
        person=person,
        event="disability_examination",
        context={
            "name": _name(person),
            "referral_number": referral.number,
            "held_on": format_date(sitting.held_on, lang),
            "starts_at": sitting.starts_at.strftime("%H:%M"),
            "place": sitting.place,
            "portal_url": PORTAL_PATH.format(language=lang),
        },
        channel_preferences=_channels(person),
        dedupe_key=f"disability-examination:{referral.pk}:{sitting.pk}",
    )


def result_text(decision: Decision | DisabilityDecision | None, language: str) -> str:
    """ "Degree II (70 %)", "disability of a child", "disability not established"."""
    with translation.override(language):
        if decision is None or not getattr(decision, "is_established", True):
            return str(_("disability is not established"))
        if decision.degree == DisabilityDegree.CHILD:
            text = str(_("disability of a child under 18 is established"))
        else:
            text = str(_("disability of degree %(degree)s is established")) % {
                "degree": decision.degree
            }
        if decision.percentage is not None:
            text += f" ({decision.percentage} %)"
        return text


def reexamination_text(reexamine_on: object, language: str) -> str:
    with translation.override(language):
        if reexamine_on is None:
            return str(_("No re-examination is needed."))
        return str(_("Re-examination on %(day)s.")) % {
            "day": format_date(reexamine_on, language)  # type: ignore[arg-type]
        }


def _payments_text(recalculated: Sequence[Award], language: str) -> str:
    with translation.override(language):
        lines = [
            str(_("%(award)s is recalculated: %(amount)s a month from %(day)s."))
            % {
                "award": AwardKind(award.kind).label,
                "amount": format_money(award.amount_qepik, language),
                "day": format_date(award.start_on, language),
            }
            for award in recalculated
        ]
    return "\n".join(lines)


def decision_signed(decision: Decision, *, recalculated: Sequence[Award]) -> None:
    referral = decision.referral
    person = referral.person
    lang = _language(person)
    notification_queue(
        person=person,
        event="disability_decision",
        context={
            "name": _name(person),
            "referral_number": referral.number,
            "result": result_text(decision, lang),
            "reexamination": reexamination_text(decision.reexamine_on, lang)
            if decision.is_established
            else "",
            "payments": _payments_text(recalculated, lang),
            "portal_url": PORTAL_PATH.format(language=lang),
        },
        channel_preferences=[MessageChannel.SMS.value, *_channels(person)],
        dedupe_key=f"disability-decision:{decision.pk}",
    )


def reexamination_reminder(decision: DisabilityDecision) -> None:
    person = decision.person
    lang = _language(person)
    notification_queue(
        person=person,
        event="disability_reminder",
        context={
            "name": _name(person),
            "reexamine_on": format_date(decision.reexamine_on, lang),  # type: ignore[arg-type]
            "portal_url": PORTAL_PATH.format(language=lang),
        },
        channel_preferences=_channels(person),
        dedupe_key=f"disability-reminder:{decision.pk}",
    )
