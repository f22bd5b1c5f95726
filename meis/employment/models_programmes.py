"""Active programmes of the employment service (docs/domain.md §8): the self-employment
programme's projects and vocational training with a stipend.

Imported at the end of `models.py` (Django finds an app's models there); the workflows are in
`programmes.py` and in `meis.jobcentre.training`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from meis.labour.models import Occupation
from meis.registry.models import Region

__all__ = [
    "AssetHandover",
    "EnrolmentStatus",
    "FollowUpOutcome",
    "ProjectFollowUp",
    "ProjectStatus",
    "SelfEmploymentProject",
    "TrainingCourse",
    "TrainingEnrolment",
]


class ProjectStatus(models.TextChoices):
    ASSESSMENT = "assessment", _("Business plan being assessed")
    APPROVED = "approved", _("Approved")
    ASSETS_HANDED = "assets_handed", _("Assets being handed over")
    FOLLOW_UP = "follow_up", _("Followed up")
    COMPLETED = "completed", _("Completed")
    STOPPED = "stopped", _("Stopped")


# Projects still in the programme's hands (a page lists them first; follow-ups are due in them).
RUNNING_STATUSES = (
    ProjectStatus.ASSESSMENT.value,
    ProjectStatus.APPROVED.value,
    ProjectStatus.ASSETS_HANDED.value,
    ProjectStatus.FOLLOW_UP.value,
)


class SelfEmploymentProject(models.Model):
    """Özünüməşğulluq layihəsi: an approved self-employment application turned into a project.

    Its business plan is assessed (a score out of 100 and a recommendation) by one officer and
    approved by another (four eyes: the database refuses the assessor as approver); the assets
    are handed over in kind, never as cash, under a contract (`AssetHandover`); the project is
    then visited until the follow-up period ends (`ProjectFollowUp`)."""

    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="self_employment_projects",
        verbose_name=_("participant"),
    )
    case = models.OneToOneField(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("application"),
    )
    business_idea = models.TextField(_("business idea"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.ASSESSMENT
    )
    # The business plan's assessment
    score = models.PositiveSmallIntegerField(_("business-plan score (0–100)"), null=True)
    is_recommended = models.BooleanField(_("recommended for approval"), null=True)
    assessment_note = models.TextField(_("assessor's note"), max_length=2000, blank=True)
    # Released from prison: no register of it is connected, the person says so.
    is_released_prisoner = models.BooleanField(_("released from prison (declared)"), default=False)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True)
    # The approval (a second officer)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    handed_over_on = models.DateField(_("hand-over completed on"), null=True, blank=True)
    follow_up_until = models.DateField(_("followed up until"), null=True, blank=True)
    ended_on = models.DateField(_("completed or stopped on"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("self-employment project")
        verbose_name_plural = _("self-employment projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=100),
                name="employment_project_score_0_100",
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True)
                | (Q(assessed_by__isnull=False) & ~Q(approved_by=F("assessed_by"))),
                name="employment_project_four_eyes",
                violation_error_message=_("The officer who assessed a plan cannot approve it."),
            ),
        ]
        indexes = [models.Index(fields=["status", "opened_at"], name="employment_project_status")]

    def __str__(self) -> str:
        return f"project {self.pk} ({self.status})"

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING_STATUSES


class AssetHandover(models.Model):
    """One asset handed over in kind (never cash) under the programme's contract."""

    project = models.ForeignKey(
        SelfEmploymentProject, on_delete=models.PROTECT, related_name="handovers"
    )
    description = models.CharField(_("asset"), max_length=255)
    value_qepik = models.BigIntegerField(_("value (qəpik)"))
    handed_on = models.DateField(_("handed over on"))
    contract_number = models.CharField(_("contract number"), max_length=40)
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("asset hand-over")
        verbose_name_plural = _("asset hand-overs")
        ordering = ["handed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value_qepik__gt=0), name="employment_handover_value_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.description} ({self.project_id})"


class FollowUpOutcome(models.TextChoices):
    OPERATING = "operating", _("The business is operating")
    STOPPED = "stopped", _("The business has stopped")
    NOT_REACHED = "not_reached", _("The participant could not be reached")


class ProjectFollowUp(models.Model):
    """A visit due to a project after its hand-over, and what the officer found."""

    project = models.ForeignKey(
        SelfEmploymentProject, on_delete=models.PROTECT, related_name="follow_ups"
    )
    due_on = models.DateField(_("due on"))
    visited_on = models.DateField(_("visited on"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=FollowUpOutcome.choices, blank=True
    )
    note = models.TextField(_("note"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("project follow-up")
        verbose_name_plural = _("project follow-ups")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "due_on"], name="employment_follow_up_once_per_day"
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(visited_on__isnull=False),
                name="employment_follow_up_outcome_dated",
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_on"],
                name="employment_follow_up_due",
                condition=Q(visited_on__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.project_id} due {self.due_on}"


class TrainingCourse(models.Model):
    """Peşə hazırlığı kursu: a vocational course the employment service sends people to."""

    title = models.CharField(_("title"), max_length=200)
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, related_name="+", verbose_name=_("occupation")
    )
    provider = models.CharField(_("training provider"), max_length=200)
    region = models.CharField(_("region"), max_length=32, choices=Region.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    seats = models.PositiveSmallIntegerField(_("seats"))

    class Meta:
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="employment_course_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(seats__gte=1), name="employment_course_has_seats"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_on})"


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    COMPLETED = "completed", _("Completed")
    DROPPED = "dropped", _("Dropped out")


class TrainingEnrolment(models.Model):
    """A job seeker's place on a course, and the stipend award it granted."""

    job_seeker = models.ForeignKey(
        "employment.JobSeeker", on_delete=models.PROTECT, related_name="enrolments"
    )
    course = models.ForeignKey(TrainingCourse, on_delete=models.PROTECT, related_name="enrolments")
    enrolled_on = models.DateField(_("enrolled on"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.ENROLLED,
    )
    ended_on = models.DateField(_("dropped or completed on"), null=True, blank=True)
    award = models.ForeignKey(
        "awards.Award",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("stipend"),
    )
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("training enrolment")
        verbose_name_plural = _("training enrolments")
        ordering = ["enrolled_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["job_seeker", "course"], name="employment_enrolment_once"
            ),
            models.CheckConstraint(
                condition=Q(status="enrolled") | Q(ended_on__isnull=False),
                name="employment_enrolment_end_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job_seeker_id} on {self.course_id} ({self.status})"
