"""Messages to the citizen about their case: the acknowledgement, requests and the decision.

Each is an outbox row written in the caller's transaction, in the citizen's language, to the
portal inbox and the contact they gave for the result when it is a verified one.

The decision's letter: for a rules-backed service, an award (`case_award`: the amount, its
start, the arrears and how the rules computed it) or a refusal (`case_refusal`: the legal ground
and the rules' explanation); for any other service, `case_decision`. Every letter says until
when and how the decision can be appealed (or, for an appeal's decision, that a court is next).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from meis.awards.models import Award, AwardKind
from meis.cases.decision_selectors import appeal_until, decision_taken
from meis.cases.models import (
    Case,
    CaseDecision,
    CaseStatus,
    ContactChannel,
    DecisionOutcome,
    Departure,
)
from meis.cases.reasons import decision_reasons
from meis.cases.services.awarding import Granted
from meis.catalog.definitions import text_in
from meis.core.formats import day
from meis.notifications.events import EventCode
from meis.notifications.models import Channel as MessageChannel
from meis.notifications.services import notification_queue, notification_queue_to_contact
from meis.rules.errors import RulesError
from meis.rules.explain import LANGUAGES, explain_text, format_date, format_money


def case_service_name(case: Case) -> str:
    name = text_in(case.service_version.definition["name"])
    if case.appeal_of_id is not None:
        return _("Appeal: %(service)s") % {"service": name}
    return name


def decision_text(case: Case, decision: CaseDecision | None = None) -> str:
    """The decision as the citizen reads it, in the active language: the outcome (with the
    award, when one was granted) or the legal reason, the note, and how to appeal. `decision`
    is the case's taken decision when the caller holds it (else it is read)."""
    if decision is None:
        decision = decision_taken(case)
    if case.status == CaseStatus.APPROVED:
        text = _approval_text(case, decision)
    else:
        reasons = decision_reasons(
            case.service_version.definition["code"], is_appeal=case.appeal_of_id is not None
        )
        reason = reasons.get(case.decision_reason, gettext_lazy("No reason recorded."))
        if case.appeal_of_id is not None:
            text = _("Your appeal was not upheld: the decision on %(reference)s stands.") % {
                "reference": case.appeal_of.reference if case.appeal_of else ""
            }
            text += " " + _("Legal reason: %(reason)s") % {"reason": reason}
        else:
            text = _("Your application was refused. Legal reason: %(reason)s") % {"reason": reason}
    if case.decision_note:
        text += " " + case.decision_note
    return text + " " + appeal_text(case)


def _approval_text(case: Case, decision: CaseDecision | None) -> str:
    award = decision.award if decision is not None else None
    if award is None:
        if case.appeal_of_id is not None:
            return _("Your appeal was considered: the award you receive stays as it was.")
        return _("Your application was approved.")
    opening = (
        _("Your appeal was upheld:")
        if case.appeal_of_id is not None
        else _("Your application was approved:")
    )
    text = opening + " " + _award_sentence(award)
    assert decision is not None  # noqa: S101 — an award comes with its decision
    arrears = arrears_text(decision)
    return f"{text} {arrears}" if arrears else text


def _award_sentence(award: Award) -> str:
    return _("%(award)s of %(amount)s from %(start)s.") % {
        "award": AwardKind(award.kind).label,
        "amount": amount_text(award),
        "start": format_date(award.start_on, _lang()),
    }


def amount_text(award: Award) -> str:
    """ "250,00 manat a month", or "200,00 manat, paid once" (in the active language)."""
    money = format_money(award.amount_qepik, _lang())
    if award.is_one_off:
        return _("%(amount)s, paid once") % {"amount": money}
    return _("%(amount)s a month") % {"amount": money}


def arrears_text(decision: CaseDecision) -> str:
    """The arrears a decision pays ("" when none)."""
    if not decision.arrears_qepik:
        return ""
    months = decision.arrears_months or 0
    return ngettext(
        "Arrears for %(months)d month, %(arrears)s, are paid with the next payment.",
        "Arrears for %(months)d months, %(arrears)s, are paid with the next payment.",
        months,
    ) % {"months": months, "arrears": format_money(decision.arrears_qepik, _lang())}


def appeal_text(case: Case) -> str:
    """How the decision can be challenged: an appeal until a date, or for an appeal, a court."""
    if case.appeal_of_id is not None:
        return _(
            "This is the decision on your appeal. If you disagree, you can take it to an "
            "administrative court."
        )
    decided_on = timezone.localdate(case.decided_at) if case.decided_at else timezone.localdate()
    return _(
        "If you disagree, you can appeal until %(date)s from the page of your application on "
        "the portal or through the 142 call centre. Quote your reference number."
    ) % {"date": format_date(appeal_until(decided_on), _lang())}


def decision_explanation(decision: CaseDecision) -> str:
    """How the rules assessed the case (their readable explanation, in the active language),
    and, for a decision that departs from them, what was decided instead and why."""
    lines = []
    if decision.rules_trace.get("steps"):
        try:
            lines.append(explain_text(decision.rules_trace, _lang()))
        except (RulesError, KeyError, ValueError):
            lines.append(_("The rules' explanation is not available in this language."))
    elif decision.rules_outcome:
        lines.append(_("The rules could not assess the application: information was missing."))
    if decision.departure:
        lines.append(
            _(
                "The case worker decided differently from the rules (%(departure)s), for this "
                "reason: %(reason)s A second officer confirmed the decision."
            )
            % {
                "departure": Departure(decision.departure).label,
                "reason": decision.departure_reason.rstrip(".") + ".",
            }
        )
    return "\n".join(lines)


def _lang() -> str:
    language = (get_language() or "az")[:2]
    return language if language in LANGUAGES else "az"


def message_channels(case: Case) -> list[str]:
    """The portal, and the contact given for the result when it is the person's verified one."""
    channels = [MessageChannel.PORTAL.value]
    verified = {
        ContactChannel.SMS: case.person.verified_phone,
        ContactChannel.EMAIL: case.person.verified_email,
    }.get(ContactChannel(case.contact_channel))
    if case.contact_channel != ContactChannel.PORTAL and verified == case.contact_value:
        channels.append(case.contact_channel)
    return channels


def citizen_notify(case: Case, *, event: EventCode, dedupe_key: str, **context: str) -> None:
    """Queue `event` about `case` to the citizen's portal inbox and verified contacts, with the
    context every case message shares; call it inside the citizen's language."""
    notification_queue(
        person=case.person,
        event=event,
        context={
            "name": case.person.first_name,
            "case_reference": case.reference,
            "service_name": case_service_name(case),
            "portal_url": reverse("cases:case_detail", kwargs={"reference": case.reference}),
            **context,
        },
        channel_preferences=message_channels(case),
        dedupe_key=dedupe_key,
        case_reference=case.reference,
    )


def received_notify(case: Case) -> None:
    """The acknowledgement: reference and legal due date, to the portal and the contact given
    (once per case, whichever channel filed it)."""
    with translation.override(case.person.preferred_language or "az"):
        citizen_notify(
            case,
            event=EventCode.CASE_RECEIVED,
            dedupe_key=f"case:{case.reference}:received",
            due_on=day(case.due_on) if case.due_on else "—",
        )


def decision_notify(
    case: Case, *, decision: CaseDecision | None = None, granted: Granted | None = None
) -> None:
    """Queue the decision's letter in the citizen's language to the portal and the contact they
    gave: the award with its amount and explanation, the refusal with its legal ground and
    explanation, or (for a service without rules) the decision."""
    with translation.override(case.person.preferred_language or "az"):
        event, context = _letter(case, decision, granted)
        _queue_to_applicant(
            case, event=event, context=context, dedupe_key=f"case:{case.reference}:decision"
        )


def _letter(
    case: Case, decision: CaseDecision | None, granted: Granted | None
) -> tuple[EventCode, dict[str, str]]:
    common = {
        "name": case.person.first_name,
        "case_reference": case.reference,
        "service_name": case_service_name(case),
        "portal_url": reverse("cases:case_detail", kwargs={"reference": case.reference}),
    }
    if decision is None or not decision.rules_outcome:
        return EventCode.CASE_DECISION, {**common, "decision": _dated(case, decision)}
    if granted is not None and granted.award is not None:
        award = granted.award
        return EventCode.CASE_AWARD, {
            **common,
            "award_name": str(AwardKind(award.kind).label),
            "amount": amount_text(award),
            "start_on": format_date(award.start_on, _lang()),
            "arrears": arrears_text(decision) or _("No arrears are due."),
            "explanation": _with_note(decision_explanation(decision), case),
            "appeal": appeal_text(case),
        }
    if decision.outcome == DecisionOutcome.REJECT:
        return EventCode.CASE_REFUSAL, {
            **common,
            "decision": _dated(case, decision),
            "explanation": decision_explanation(decision),
        }
    return EventCode.CASE_DECISION, {**common, "decision": _dated(case, decision)}


def _dated(case: Case, decision: CaseDecision | None) -> str:
    """The decision as a letter states it: the date it was taken, then `decision_text`."""
    decided_on = timezone.localdate(case.decided_at) if case.decided_at else timezone.localdate()
    dated = _("Decided on %(date)s.") % {"date": day(decided_on)}
    return f"{dated} {decision_text(case, decision)}"


def _with_note(explanation: str, case: Case) -> str:
    """The explanation, and the case worker's note to the applicant when there is one."""
    if not case.decision_note:
        return explanation
    note = _("The case worker's note: %(note)s") % {"note": case.decision_note}
    return f"{explanation}\n{note}"


def _queue_to_applicant(
    case: Case, *, event: EventCode, context: dict[str, str], dedupe_key: str
) -> None:
    channels = message_channels(case)
    notification_queue(
        person=case.person,
        event=event,
        context=context,
        channel_preferences=channels,
        dedupe_key=dedupe_key,
        case_reference=case.reference,
    )
    if case.contact_channel != ContactChannel.PORTAL and case.contact_channel not in channels:
        # A contact that is not (or no longer) the person's verified one: the outbox
        # refuses it permanently unless it was verified — as the person's, or by its code for
        # this application only — and the refusal is on the timeline.
        notification_queue_to_contact(
            contact=case.contact_value,
            channel=case.contact_channel,
            event=event,
            context=context,
            language=case.person.preferred_language or "az",
            dedupe_key=dedupe_key,
            person=case.person,
            contact_verification=False,
            case_reference=case.reference,
            verified_for_case=case.contact_for_case_only,
        )
