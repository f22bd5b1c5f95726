"""The disability assessment register (TSERAS, docs/domain.md §4): who refers, who decides.

A medical institution's staff issue an electronic referral (Form 88) for a person in its
catchment; the referral is assigned at random to an eligible commission (TSEK), which sees it
under a pseudonym (`Referral.pseudonym`: age, sex, diagnosis codes, the clinical summary; no
name, FİN or institution) until every member has signed its decision. The signed decision
writes the register's `lifeevents.DisabilityDecision`, from which the awards, the extract and
the examination statements are read.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class MedicalInstitution(models.Model):
    """Tibb müəssisəsi: a polyclinic or hospital that may refer people living in its catchment."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    # The economic regions whose residents it refers (a person's `Person.region`).
    catchment = models.JSONField(_("catchment regions"), default=list)

    class Meta:
        verbose_name = _("medical institution")
        verbose_name_plural = _("medical institutions")

    def __str__(self) -> str:
        return self.name


class ClinicStaff(models.Model):
    """A medical-staff account and the one institution it refers from."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinic_staff"
    )
    institution = models.ForeignKey(
        MedicalInstitution, on_delete=models.PROTECT, related_name="staff"
    )

    class Meta:
        verbose_name = _("medical institution staff member")
        verbose_name_plural = _("medical institution staff")

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.institution_id}"


class CommissionLevel(models.TextChoices):
    CENTRAL = "central", _("Central commission")
    REGIONAL = "regional", _("Regional commission")


class Commission(models.Model):
    """TSEK: a medical-social expert commission, central or regional."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    level = models.CharField(_("level"), max_length=16, choices=CommissionLevel.choices)
    # The regions it serves; the central commission serves all (empty list).
    regions = models.JSONField(_("regions served"), default=list, blank=True)
    is_active = models.BooleanField(_("takes referrals"), default=True)

    class Meta:
        verbose_name = _("expert commission")
        verbose_name_plural = _("expert commissions")

    def __str__(self) -> str:
        return self.name


class CommissionMember(models.Model):
    """A member of one commission; exactly one chair signs with the members."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="commission_membership"
    )
    commission = models.ForeignKey(Commission, on_delete=models.PROTECT, related_name="members")
    is_chair = models.BooleanField(_("chair"), default=False)

    class Meta:
        verbose_name = _("commission member")
        verbose_name_plural = _("commission members")
        constraints = [
            models.UniqueConstraint(
                fields=["commission"], condition=Q(is_chair=True), name="disability_one_chair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.commission_id}"


class Sitting(models.Model):
    """Iclas: a day and place a commission examines people in person, up to its capacity."""

    commission = models.ForeignKey(Commission, on_delete=models.PROTECT, related_name="sittings")
    held_on = models.DateField(_("held on"))
    starts_at = models.TimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=255)
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    booked = models.PositiveSmallIntegerField(_("booked"), default=0)

    class Meta:
        verbose_name = _("sitting")
        verbose_name_plural = _("sittings")
        constraints = [
            models.CheckConstraint(
                condition=Q(booked__lte=models.F("capacity")), name="disability_sitting_capacity"
            )
        ]

    def __str__(self) -> str:
        return f"{self.commission_id} {self.held_on}"


class ReferralKind(models.TextChoices):
    INITIAL = "initial", _("Initial examination")
    REEXAMINATION = "reexamination", _("Re-examination")
    APPEAL = "appeal", _("Appeal examination")


class ReferralState(models.TextChoices):
    ASSIGNED = "assigned", _("With the commission")
    BOOKED = "booked", _("In-person examination booked")
    DRAFTED = "drafted", _("Decision being signed")
    SIGNED = "signed", _("Decided")


class Referral(models.Model):
    """Göndəriş (forma 88): one examination asked for, from a clinic or the person."""

    number = models.CharField(_("referral number"), max_length=20, unique=True)
    # What the commission calls the patient until the decision is signed.
    pseudonym = models.CharField(_("pseudonym"), max_length=12, unique=True)
    kind = models.CharField(_("examination"), max_length=16, choices=ReferralKind.choices)
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="disability_referrals"
    )
    institution = models.ForeignKey(
        MedicalInstitution, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"))
    # Medical content (special-category data): readable by the deciding commission and the
    # person only, every read by the commission audited.
    diagnoses = models.JSONField(_("diagnoses (ICD-10)"), default=list)
    clinical_summary = models.TextField(_("clinical summary"), max_length=4000)
    age_years = models.PositiveSmallIntegerField(_("age"))
    sex = models.CharField(_("sex"), max_length=1)
    # The decision a re-examination or an appeal reviews.
    reviews = models.ForeignKey(
        "lifeevents.DisabilityDecision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    commission = models.ForeignKey(Commission, on_delete=models.PROTECT, related_name="referrals")
    state = models.CharField(
        _("state"), max_length=16, choices=ReferralState.choices, default=ReferralState.ASSIGNED
    )
    assigned_on = models.DateField(_("assigned on"))
    due_on = models.DateField(_("decide by"))
    extended_reason = models.CharField(_("reason for the extension"), max_length=500, blank=True)
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True)
    sitting = models.ForeignKey(
        Sitting, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    # The self-referral's application (e-service case), when the person asked for it.
    case_reference = models.CharField(_("application"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["commission", "state"], name="disability_worklist"),
            models.Index(
                fields=["due_on"],
                name="disability_overdue",
                condition=~Q(state="signed") & Q(escalated_on__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.number


class Cause(models.TextChoices):
    GENERAL_ILLNESS = "general_illness", _("General illness")
    WORK_INJURY = "work_injury", _("Work injury")
    OCCUPATIONAL_DISEASE = "occupational_disease", _("Occupational disease")
    CHERNOBYL = "chernobyl", _("The Chernobyl accident")
    MILITARY_SERVICE = "military_service", _("Military service")
    JANUARY_1990 = "january_1990", _("The events of 20 January 1990")


class Category(models.TextChoices):
    """The life-activity categories of the 2022 criteria."""

    SELF_CARE = "self_care", _("Self-care")
    MOBILITY = "mobility", _("Mobility")
    ORIENTATION = "orientation", _("Orientation")
    COMMUNICATION = "communication", _("Communication")
    BEHAVIOUR = "behaviour", _("Behaviour control")
    LEARNING = "learning", _("Learning")
    WORK = "work", _("Work")


class Decision(models.Model):
    """The commission's decision on one referral: drafted, then signed by each member."""

    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="decision")
    is_established = models.BooleanField(_("disability established"))
    degree = models.CharField(_("degree"), max_length=5, blank=True)
    percentage = models.PositiveSmallIntegerField(_("loss of body functions (%)"), null=True)
    categories = models.JSONField(_("life-activity categories limited"), default=list)
    cause = models.CharField(_("cause"), max_length=40, blank=True, choices=Cause.choices)
    reexamine_on = models.DateField(_("re-examination on"), null=True, blank=True)
    reasoning = models.TextField(_("reasoning"), max_length=4000)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drafted_at = models.DateTimeField(_("drafted at"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed by all at"), null=True, blank=True)
    outcome = models.OneToOneField(
        "lifeevents.DisabilityDecision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commission_decision",
    )

    class Meta:
        verbose_name = _("commission decision")
        verbose_name_plural = _("commission decisions")

    def __str__(self) -> str:
        return f"decision on {self.referral_id}"


class Signature(models.Model):
    """One member's confirmation of a decision; a member signs once."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="signatures")
    member = models.ForeignKey(CommissionMember, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("signed at"))

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [
            models.UniqueConstraint(fields=["decision", "member"], name="disability_sign_once")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} signed {self.decision_id}"
