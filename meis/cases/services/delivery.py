"""Messages to the citizen about their case: the acknowledgement, requests and the decision.

Each is an outbox row written in the caller's transaction, in the citizen's language, to the
portal inbox and the contact they gave for the result when it is a verified one.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import dateformat, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meis.cases.models import Case, CaseStatus, ContactChannel
from meis.cases.reasons import APPEAL_TEXT, refusal_reasons
from meis.catalog.definitions import text_in
from meis.notifications.events import EventCode
from meis.notifications.models import Channel as MessageChannel
from meis.notifications.services import notification_queue, notification_queue_to_contact


def service_name(case: Case) -> str:
    return text_in(case.service_version.definition["name"])


def decision_text(case: Case) -> str:
    """The decision as the citizen reads it, in the active language: outcome, reason, appeal."""
    if case.status == CaseStatus.APPROVED:
        text = _("Your application was approved.")
    else:
        reasons = refusal_reasons(case.service_version.definition["code"])
        reason = reasons.get(case.decision_reason, gettext_lazy("No reason recorded."))
        text = _("Your application was refused. Legal reason: %(reason)s") % {"reason": reason}
    if case.decision_note:
        text += " " + case.decision_note
    if case.status == CaseStatus.REJECTED:
        text += " " + str(APPEAL_TEXT)
    return text


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
            "service_name": service_name(case),
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
            due_on=dateformat.format(case.due_on, "j E Y") if case.due_on else "—",
        )


def decision_notify(case: Case) -> None:
    """Queue the decision in the citizen's language to the portal and the contact they gave."""
    with translation.override(case.person.preferred_language or "az"):
        context = {
            "name": case.person.first_name,
            "case_reference": case.reference,
            "service_name": service_name(case),
            "decision": decision_text(case),
            "portal_url": reverse("cases:case_detail", kwargs={"reference": case.reference}),
        }
        channels = message_channels(case)
        dedupe_key = f"case:{case.reference}:decision"
        notification_queue(
            person=case.person,
            event=EventCode.CASE_DECISION,
            context=context,
            channel_preferences=channels,
            dedupe_key=dedupe_key,
            case_reference=case.reference,
        )
        if case.contact_channel != ContactChannel.PORTAL and case.contact_channel not in channels:
            # A contact that is not (or no longer) the person's verified one: the outbox
            # refuses it permanently unless it was verified, and the refusal is on the timeline.
            notification_queue_to_contact(
                contact=case.contact_value,
                channel=case.contact_channel,
                event=EventCode.CASE_DECISION,
                context=context,
                language=case.person.preferred_language or "az",
                dedupe_key=dedupe_key,
                person=case.person,
                contact_verification=False,
                case_reference=case.reference,
            )
