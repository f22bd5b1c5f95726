"""The events MEİS tells people about, each with the context fields its templates may use.

A template may only use `((field))` placeholders its event declares here; the service that queues
a message must supply every declared field. Adding an event means adding it here, to
`EventCode`, and seeding its templates in az, en and ru (meis/notifications/seed.py); no
migration (see `event_choices`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

StrOrPromise = str | Promise


class EventCode(models.TextChoices):
    ONE_TIME_CODE = "one_time_code", _("One-time code")
    CASE_DECISION = "case_decision", _("Decision on a case")
    CASE_AWARD = "case_award", _("Award granted on an application")
    CASE_REFUSAL = "case_refusal", _("Application refused, with its legal ground")
    CASE_RECEIVED = "case_received", _("Application received")
    INFORMATION_REQUESTED = "information_requested", _("More information requested")
    PROACTIVE_AWARD = "proactive_award", _("Benefit awarded without application")
    PICKUP_REMINDER = "pickup_reminder", _("Pickup reminder")
    PICKUP_READY = "pickup_ready", _("Ready to collect at a centre")
    APPOINTMENT_REMINDER = "appointment_reminder", _("Appointment reminder")
    CERTIFICATE_ISSUED = "certificate_issued", _("E-certificate issued")
    PROACTIVE_AWARD_CHILD = (
        "proactive_award_child",
        _("Child's benefit awarded without application"),
    )
    AWARD_ENDED = "award_ended", _("Benefit ended")
    AWARD_ENDED_CHILD = "award_ended_child", _("Child's benefit ended")
    AWARD_RENEWAL_REMINDER = "award_renewal_reminder", _("Reminder to apply again")
    AWARD_SUSPENDED = "award_suspended", _("Benefit suspended")
    AWARD_RESUMED = "award_resumed", _("Benefit resumed")
    EMAIL_RECEIVED = "email_received", _("E-mail to a centre received")
    EMAIL_REFUSED = "email_refused", _("E-mail to a centre not accepted")
    CONTRACT_REGISTERED = "contract_registered", _("Employment contract registered")
    CONTRACT_CONFIRMED = "contract_confirmed", _("Notification confirmed to the employer")
    CONTRACT_DISPUTE_DECIDED = "contract_dispute_decided", _("Contract dispute decided")
    JOB_SEEKER_REGISTERED = "job_seeker_registered", _("Registered with the employment service")
    JOB_SEEKER_ENDED = "job_seeker_ended", _("Employment-service registration ended")
    REFERRAL_ISSUED = "referral_issued", _("Referred to a vacancy")
    UNEMPLOYMENT_BENEFIT_OFFERED = (
        "unemployment_benefit_offered",
        _("Unemployment insurance benefit offered"),
    )
    DISABILITY_REFERRAL = "disability_referral", _("Referred to an expert commission")
    DISABILITY_EXAMINATION = (
        "disability_examination",
        _("Called to an expert-commission examination"),
    )
    DISABILITY_DECISION = "disability_decision", _("Expert commission's decision")
    DISABILITY_REMINDER = "disability_reminder", _("Re-examination reminder")
    OVERPAYMENT_RECOVERY = "overpayment_recovery", _("Overpayment to be withheld")
    OVERPAYMENT_ESTATE = "overpayment_estate", _("Overpayment after a death, claimed")


@dataclass(frozen=True)
class Event:
    code: EventCode
    fields: frozenset[str]
    # Only one-time codes may go to a contact that is being verified and is not yet verified.
    allows_unverified_contact: bool = False


EVENTS: dict[str, Event] = {
    event.code: event
    for event in (
        Event(
            code=EventCode.ONE_TIME_CODE,
            fields=frozenset({"code", "minutes_valid"}),
            allows_unverified_contact=True,
        ),
        Event(
            code=EventCode.CASE_DECISION,
            fields=frozenset({"name", "case_reference", "service_name", "decision", "portal_url"}),
        ),
        Event(
            # A rules-backed approval: what is paid, from when, the arrears, how it was computed
            # (`meis.rules.explain`) and until when it can be appealed.
            code=EventCode.CASE_AWARD,
            fields=frozenset(
                {
                    "name",
                    "case_reference",
                    "service_name",
                    "award_name",
                    "amount",
                    "start_on",
                    "arrears",
                    "explanation",
                    "appeal",
                    "portal_url",
                }
            ),
        ),
        Event(
            # A rules-backed refusal: the decision (its legal ground and how to appeal) and the
            # rules' explanation.
            code=EventCode.CASE_REFUSAL,
            fields=frozenset(
                {"name", "case_reference", "service_name", "decision", "explanation", "portal_url"}
            ),
        ),
        Event(
            code=EventCode.CASE_RECEIVED,
            fields=frozenset({"name", "case_reference", "service_name", "due_on", "portal_url"}),
        ),
        Event(
            code=EventCode.INFORMATION_REQUESTED,
            fields=frozenset(
                {
                    "name",
                    "case_reference",
                    "service_name",
                    "requested_information",
                    "due_on",
                    "portal_url",
                }
            ),
        ),
        Event(
            code=EventCode.PROACTIVE_AWARD,
            fields=frozenset(
                {"name", "award_name", "amount", "start_on", "bank_branch", "portal_url"}
            ),
        ),
        Event(
            code=EventCode.PICKUP_REMINDER,
            fields=frozenset({"name", "item", "place", "pickup_on", "pickup_time"}),
        ),
        Event(
            # A decision's result is handed over in person (meis.appointments): book a time.
            code=EventCode.PICKUP_READY,
            fields=frozenset({"name", "item", "case_reference", "place", "portal_url"}),
        ),
        Event(
            # The day before an appointment at a DOST centre (not a pickup: pickup_reminder).
            code=EventCode.APPOINTMENT_REMINDER,
            fields=frozenset(
                {
                    "name",
                    "service_name",
                    "place",
                    "appointment_on",
                    "appointment_time",
                    "portal_url",
                }
            ),
        ),
        Event(
            # The e-mail carries the signed PDF; the SMS and portal texts say where to get it.
            code=EventCode.CERTIFICATE_ISSUED,
            fields=frozenset(
                {"name", "certificate_title", "issued_on", "valid_until", "portal_url"}
            ),
        ),
        Event(
            # To a parent (or an adult of the household) about a child's award. No portal link:
            # the award is the child's, and a parent cannot open it at /my/awards/.
            code=EventCode.PROACTIVE_AWARD_CHILD,
            fields=frozenset(
                {"name", "child_name", "award_name", "amount", "start_on", "bank_branch"}
            ),
        ),
        Event(
            # The daily end of awards (meis.awards.services.ending): the last day paid and why.
            code=EventCode.AWARD_ENDED,
            fields=frozenset({"name", "award_name", "end_on", "reason", "portal_url"}),
        ),
        Event(
            # To a minor's parents about the child's award ending (no portal link, as at grant).
            code=EventCode.AWARD_ENDED_CHILD,
            fields=frozenset({"name", "child_name", "award_name", "end_on", "reason"}),
        ),
        Event(
            # Before a fixed-term award ends: the link opens an application pre-filled from the
            # last one.
            code=EventCode.AWARD_RENEWAL_REMINDER,
            fields=frozenset({"name", "award_name", "end_on", "renew_url"}),
        ),
        Event(
            code=EventCode.AWARD_SUSPENDED,
            fields=frozenset({"name", "award_name", "suspended_on", "reason", "portal_url"}),
        ),
        Event(
            code=EventCode.AWARD_RESUMED,
            fields=frozenset({"name", "award_name", "resumed_on", "reason", "portal_url"}),
        ),
        # The automatic answer to an e-mail a centre received (meis.mailintake). It goes to
        # whatever address wrote, verified or not, so it carries no personal data: the
        # reference, the centre's name and the names of files that were not accepted.
        Event(
            code=EventCode.EMAIL_RECEIVED,
            fields=frozenset({"reference", "centre_name", "refused_files"}),
            allows_unverified_contact=True,
        ),
        Event(
            code=EventCode.EMAIL_REFUSED,
            fields=frozenset({"centre_name", "reason"}),
            allows_unverified_contact=True,
        ),
        Event(
            code=EventCode.CONTRACT_REGISTERED,
            fields=frozenset(
                {"name", "employer_name", "notice", "contract_number", "effective_on", "portal_url"}
            ),
        ),
        Event(
            code=EventCode.CONTRACT_CONFIRMED,
            fields=frozenset({"name", "employer_name", "notice", "count", "portal_url"}),
        ),
        Event(
            # To the citizen who disputed a contract entry: the labour inspection's decision.
            code=EventCode.CONTRACT_DISPUTE_DECIDED,
            fields=frozenset(
                {
                    "name",
                    "dispute_reference",
                    "employer_name",
                    "contract_number",
                    "outcome",
                    "note",
                    "portal_url",
                }
            ),
        ),
        Event(
            # Registration as a job seeker or unemployed; `reason` says why not unemployed.
            code=EventCode.JOB_SEEKER_REGISTERED,
            fields=frozenset({"name", "status", "reason", "registered_on", "portal_url"}),
        ),
        Event(
            code=EventCode.JOB_SEEKER_ENDED,
            fields=frozenset({"name", "reason", "ended_on", "portal_url"}),
        ),
        Event(
            code=EventCode.REFERRAL_ISSUED,
            fields=frozenset(
                {"name", "vacancy_title", "employer_name", "workplace", "salary", "portal_url"}
            ),
        ),
        Event(
            # Proactive: a contract ended on a ground that gives unemployment insurance.
            code=EventCode.UNEMPLOYMENT_BENEFIT_OFFERED,
            fields=frozenset(
                {"name", "employer_name", "terminated_on", "ground", "apply_url", "register_url"}
            ),
        ),
        # The disability register (meis.disability.letters): the referral with its deadline, the
        # in-person examination, the signed decision (result and re-examination, the extract's
        # place), the reminder before the re-examination date.
        Event(
            code=EventCode.DISABILITY_REFERRAL,
            fields=frozenset({"name", "referral_number", "examination", "due_on", "portal_url"}),
        ),
        Event(
            code=EventCode.DISABILITY_EXAMINATION,
            fields=frozenset(
                {"name", "referral_number", "held_on", "starts_at", "place", "portal_url"}
            ),
        ),
        Event(
            code=EventCode.DISABILITY_DECISION,
            fields=frozenset(
                {"name", "referral_number", "result", "reexamination", "payments", "portal_url"}
            ),
        ),
        Event(
            code=EventCode.DISABILITY_REMINDER,
            fields=frozenset({"name", "reexamine_on", "portal_url"}),
        ),
        # Payments (meis.payments.letters): a payment made for a month the award no longer
        # covered; withheld from later payments within the limit, or claimed from the estate.
        Event(
            code=EventCode.OVERPAYMENT_RECOVERY,
            fields=frozenset({"name", "amount", "months", "share", "portal_url"}),
        ),
        Event(
            code=EventCode.OVERPAYMENT_ESTATE,
            fields=frozenset(
                {"name", "deceased_name", "died_on", "amount", "months", "repay_iban"}
            ),
        ),
    )
}


def event_choices() -> list[tuple[str, StrOrPromise]]:
    """The events as a model field's choices, read when used.

    A callable rather than the list itself: migrations record the function, not the events, so
    adding an event here needs no migration of the message and template tables (with the list,
    each new event wrote an AlterField for both).
    """
    return list(EventCode.choices)


def event_get(code: str) -> Event:
    try:
        return EVENTS[code]
    except KeyError:
        raise ValueError(f"Unknown notification event {code!r}; declare it in EVENTS.") from None
