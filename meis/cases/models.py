"""Cases (müraciətlər): one model for every channel, with documents, requests and a timeline.

State changes happen only in `meis.cases.services` (explicit transitions with optimistic
locking on `Case.version`); these models hold fields, constraints and cheap properties. A
decision is a `CaseDecision` beside the rules' result (four eyes when it departs from them); an
appeal is a new case whose `appeal_of` is the decided one.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from meis.accounts.roles import Subsystem


class Channel(models.TextChoices):
    PORTAL = "portal", _("Portal")
    CALL_CENTRE = "call_centre", _("Call centre 142")
    CENTRE_DESK = "centre_desk", _("Service centre desk")
    EMAIL = "email", _("E-mail")
    API = "api", _("API")
    PROACTIVE = "proactive", _("Proactive")


class CaseStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Received")
    IN_REVIEW = "in_review", _("Being reviewed")
    AWAITING_INFORMATION = "awaiting_information", _("Waiting for your information")
    # A decision that departs from the rules' result waits for a second officer (four eyes);
    # the applicant sees only that it is being decided.
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("Being decided")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATUSES = (
    CaseStatus.SUBMITTED,
    CaseStatus.IN_REVIEW,
    CaseStatus.AWAITING_INFORMATION,
    CaseStatus.AWAITING_CONFIRMATION,
)
DECIDED_STATUSES = (CaseStatus.APPROVED, CaseStatus.REJECTED)


class ContactChannel(models.TextChoices):
    SMS = "sms", _("Text message (SMS)")
    EMAIL = "email", _("E-mail")
    PORTAL = "portal", _("Only my portal inbox")


class ReferenceCounter(models.Model):
    """The last case number of a year (SQLite; PostgreSQL uses the sequence `cases_reference`)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Case(models.Model):
    """Müraciət: an application, whichever channel it came through, and its decision."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=64, unique=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="+"
    )
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    service_version = models.ForeignKey(
        "catalog.EServiceVersion",
        verbose_name=_("service version"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    subsystem = models.CharField(_("subsystem"), max_length=32, choices=Subsystem.choices)
    centre = models.ForeignKey(
        "centres.ServiceCentre",
        verbose_name=_("service centre"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    answers = models.JSONField(_("answers"), default=dict)
    language = models.CharField(_("language"), max_length=2, default="az")
    contact_channel = models.CharField(
        _("send the result by"), max_length=8, choices=ContactChannel.choices
    )
    contact_value = models.CharField(_("contact"), max_length=254, blank=True)
    # Verified by a code for this application only (given through staff on the person's behalf):
    # the result goes there, the person's own verified contact — their sign-in — is unchanged.
    contact_for_case_only = models.BooleanField(
        _("contact for this application only"), default=False
    )
    status = models.CharField(
        _("status"), max_length=24, choices=CaseStatus.choices, default=CaseStatus.SUBMITTED
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("case worker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_on = models.DateField(_("submitted on"))
    decision_working_days = models.PositiveSmallIntegerField(
        _("legal deadline (working days)"), null=True, blank=True
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    pre_check = models.JSONField(_("pre-check"), default=dict, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.CharField(_("legal reason"), max_length=64, blank=True)
    decision_note = models.TextField(_("note to the applicant"), blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    # An appeal (şikayət) is a case of its own, linked to the decided case it challenges.
    appeal_of = models.ForeignKey(
        "self",
        verbose_name=_("appeal against"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
    )
    appeal_grounds = models.TextField(_("grounds of the appeal"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["centre", "subsystem", "status", "due_on"], name="case_queue"),
            models.Index(fields=["person", "-submitted_at"], name="case_person"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CaseStatus.values), name="case_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="case_channel_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_appeal(self) -> bool:
        return self.appeal_of_id is not None


class DecisionOutcome(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Refuse")


class DecisionState(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for a second officer")
    TAKEN = "taken", _("Taken")
    RETURNED = "returned", _("Returned for another review")


class Departure(models.TextChoices):
    """How a decision departs from the rules' result ("" when it follows it)."""

    NONE = "", _("Follows the rules")
    AMOUNT = "amount", _("Another amount than the rules compute")
    APPROVES_REFUSAL = "approves_refusal", _("Approves what the rules refuse")
    REFUSES_ELIGIBLE = "refuses_eligible", _("Refuses what the rules find eligible")


class CaseDecision(models.Model):
    """Qərar: a decision on a case as an officer made it, beside the rules' result.

    One that follows the rules is taken at once. One that departs from them carries the
    officer's reason and waits for a second officer — the centre head or another case worker
    of the centre and subsystem, never the proposer (the database refuses it too) — who
    confirms it (taken) or returns it (the case is reviewed again). A taken approval of a
    rules-backed service names the award it granted, its start and the arrears it paid.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(_("decision"), max_length=8, choices=DecisionOutcome.choices)
    amount_qepik = models.BigIntegerField(_("amount (qəpik)"), null=True, blank=True)
    reason = models.CharField(_("legal reason"), max_length=64, blank=True)
    note = models.TextField(_("note to the applicant"), blank=True)
    departure = models.CharField(
        _("departure from the rules"), max_length=32, choices=Departure.choices, blank=True
    )
    departure_reason = models.TextField(_("why the decision departs from the rules"), blank=True)
    rules_outcome = models.CharField(_("rules' result"), max_length=16, blank=True)
    rules_amount_qepik = models.BigIntegerField(_("rules' amount (qəpik)"), null=True, blank=True)
    # The rules' trace the decision was taken against (facts, parameters, steps): its
    # explanation is the one the applicant reads, whatever the registers say later.
    rules_trace = models.JSONField(_("rules' trace"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=DecisionState.choices)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("decided at"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("second officer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("second officer's note"), blank=True)
    award = models.ForeignKey(
        "awards.Award",
        verbose_name=_("award"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    start_on = models.DateField(_("award from"), null=True, blank=True)
    arrears_months = models.PositiveSmallIntegerField(_("months of arrears"), null=True, blank=True)
    arrears_qepik = models.BigIntegerField(_("arrears (qəpik)"), null=True, blank=True)
    # The result is handed over in person (a paper original, documents to return): the
    # applicant is told when it is ready and books a pickup (meis.appointments).
    is_handover_in_person = models.BooleanField(_("handed over in person"), default=False)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["proposed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(state="proposed"),
                name="cases_decision_one_proposed",
            ),
            models.UniqueConstraint(
                fields=["case"], condition=Q(state="taken"), name="cases_decision_one_taken"
            ),
            # Four eyes: the second officer is never the one who proposed.
            models.CheckConstraint(
                condition=~Q(reviewed_by=F("proposed_by")), name="cases_decision_four_eyes"
            ),
            # Only a departure waits for (or is returned by) a second officer.
            models.CheckConstraint(
                condition=Q(state="taken") | ~Q(departure=""),
                name="cases_decision_only_departures_wait",
            ),
            models.CheckConstraint(
                condition=Q(state__in=DecisionState.values), name="cases_decision_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=DecisionOutcome.values),
                name="cases_decision_outcome_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.outcome} ({self.state})"


class InformationRequest(models.Model):
    """Əlavə məlumat sorğusu: the clock stops from `starts_on` until the citizen answers."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="information_requests")
    requested_text = models.TextField(_("information requested"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))
    starts_on = models.DateField(_("clock stopped on"))
    ends_on = models.DateField(_("clock restarted on"), null=True, blank=True)
    answer_text = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(ends_on__isnull=True), name="one_open_request"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.starts_on}–{self.ends_on or '…'}"


class ApplicationDraft(models.Model):
    """Qaralama: an application being filled in; its key becomes the case's idempotency key."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.PORTAL)
    service_version = models.ForeignKey(
        "catalog.EServiceVersion", on_delete=models.PROTECT, related_name="+"
    )
    answers = models.JSONField(default=dict, blank=True)
    centre = models.ForeignKey(
        "centres.ServiceCentre", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contact_channel = models.CharField(max_length=8, choices=ContactChannel.choices, blank=True)
    contact_value = models.CharField(max_length=254, blank=True)
    contact_pending = models.CharField(max_length=254, blank=True)  # awaiting its one-time code
    contact_for_case_only = models.BooleanField(default=False)  # see Case.contact_for_case_only
    code_salt = models.CharField(max_length=32, blank=True)
    code_hash = models.CharField(max_length=128, blank=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    code_attempts = models.PositiveSmallIntegerField(default=0)
    case = models.ForeignKey(Case, on_delete=models.SET_NULL, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return str(self.key)


class CaseDocument(models.Model):
    """Sənəd: an uploaded file, checked by content, stored under a random name with its SHA-256."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    draft = models.ForeignKey(
        ApplicationDraft, on_delete=models.SET_NULL, null=True, blank=True, related_name="documents"
    )
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    information_request = models.ForeignKey(
        InformationRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    document_code = models.CharField(_("document"), max_length=64)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    storage_name = models.CharField(max_length=255, unique=True)
    scan_result = models.CharField(_("virus scan"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class CaseEvent(models.Model):
    """One entry of the case timeline (the citizen sees those not marked internal)."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Application received")
        CLAIMED = "claimed", _("Taken by a case worker")
        ASSIGNED = "assigned", _("Assigned to a case worker")
        INFORMATION_REQUESTED = "information_requested", _("More information requested")
        INFORMATION_PROVIDED = "information_provided", _("Information provided")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        ESCALATED = "escalated", _("Deadline breached: escalated to the centre head")
        DECISION_PROPOSED = (
            "decision_proposed",
            _("Decision proposed: waiting for a second officer"),
        )
        DECISION_RETURNED = "decision_returned", _("Proposed decision returned for another review")
        APPEALED = "appealed", _("Appeal lodged")
        APPEAL_DECIDED = "appeal_decided", _("Appeal decided")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_role = models.CharField(max_length=64, blank=True)
    status_after = models.CharField(max_length=24, choices=CaseStatus.choices)
    note = models.TextField(blank=True)
    is_internal = models.BooleanField(default=False)

    class Meta:
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"
