"""The employment service's register: registrations of job seekers, vacancies, referrals."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meis.labour.models import Occupation
from meis.registry.models import Employer, Person, Region


class SeekerStatus(models.TextChoices):
    """The two statuses of the Law "On employment" (2018): anyone looking for work is a job
    seeker (işaxtaran); the unemployed (işsiz) are those of working age with no job or income
    from work, who are not pensioners, entrepreneurs or full-time students."""

    JOB_SEEKER = "job_seeker", _("Job seeker")
    UNEMPLOYED = "unemployed", _("Unemployed")


class RegistrationState(models.TextChoices):
    ACTIVE = "active", _("Registered")
    PAUSED = "paused", _("Temporarily de-registered")
    ENDED = "ended", _("Registration ended")


OPEN_STATES = (RegistrationState.ACTIVE.value, RegistrationState.PAUSED.value)


class EndReason(models.TextChoices):
    EMPLOYED = "employed", _("An employment contract was registered")
    REFUSED_JOBS = "refused_jobs", _("Suitable jobs were refused")
    DID_NOT_APPEAR = "did_not_appear", _("Did not appear when called by the employment service")
    CANCELLED = "cancelled", _("Cancelled at the person's request")
    PENSION = "pension", _("A pension was awarded")
    DEATH = "death", _("The person died")


class Education(models.TextChoices):
    """Levels of the Law "On education" (2009), as the registration form asks them."""

    NONE = "none", _("No completed education")
    GENERAL_SECONDARY = "general_secondary", _("General secondary (9 grades)")
    FULL_SECONDARY = "full_secondary", _("Complete secondary (11 grades)")
    VOCATIONAL = "vocational", _("Vocational")
    SPECIALISED_SECONDARY = "specialised_secondary", _("Specialised secondary")
    BACHELOR = "bachelor", _("Higher: bachelor")
    MASTER = "master", _("Higher: master")
    DOCTORATE = "doctorate", _("Doctorate")


class JobSeeker(models.Model):
    """A registration with the employment service (işaxtaran / işsiz kimi qeydiyyat).

    One open registration per person (active or temporarily de-registered); an ended one is
    kept, and a new registration is a new row. `status_reason` says why a person who asked to
    be unemployed was registered as a job seeker (a code of `selectors.RegistrationCheck`)."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="job_seeker_registrations"
    )
    status = models.CharField(_("status"), max_length=12, choices=SeekerStatus.choices)
    status_reason = models.CharField(_("why not unemployed"), max_length=32, blank=True)
    state = models.CharField(
        _("state"),
        max_length=8,
        choices=RegistrationState.choices,
        default=RegistrationState.ACTIVE,
    )
    registered_on = models.DateField(_("registered on"))
    paused_from = models.DateField(_("de-registered from"), null=True, blank=True)
    paused_until = models.DateField(_("de-registered until"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(
        _("end reason"), max_length=16, choices=EndReason.choices, blank=True
    )
    # Profile
    education = models.CharField(_("education"), max_length=24, choices=Education.choices)
    occupations = models.ManyToManyField(
        Occupation, related_name="+", verbose_name=_("occupations"), blank=True
    )
    skills = models.TextField(_("skills"), max_length=1000, blank=True)
    desired_region = models.CharField(
        _("desired region"), max_length=32, choices=Region.choices, blank=True
    )
    desired_salary_qepik = models.BigIntegerField(_("desired monthly salary (qəpik)"), null=True)
    # Counted toward losing the status (`employment.*_limit` parameters).
    suitable_jobs_refused = models.PositiveSmallIntegerField(_("suitable jobs refused"), default=0)
    calls_missed = models.PositiveSmallIntegerField(_("calls not answered"), default=0)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registration application"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("job-seeker registration")
        verbose_name_plural = _("job-seeker registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(state__in=OPEN_STATES),
                name="employment_one_open_registration",
            ),
            models.CheckConstraint(
                condition=Q(state="ended", ended_on__isnull=False, end_reason__gt="")
                | ~Q(state="ended"),
                name="employment_ended_has_date_and_reason",
            ),
            models.CheckConstraint(
                condition=Q(desired_salary_qepik__isnull=True) | Q(desired_salary_qepik__gte=0),
                name="employment_desired_salary_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "status"], name="employment_seeker_state"),
            models.Index(fields=["person", "state"], name="employment_seeker_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.status} ({self.state})"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class StatusChange(models.Model):
    """Every change of a registration, with its reason, kept (the letter names it)."""

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        PROFILE = "profile", _("Profile changed")
        PAUSED = "paused", _("Temporarily de-registered")
        RESUMED = "resumed", _("Registration resumed")
        ENDED = "ended", _("Registration ended")
        REFUSAL_COUNTED = "refusal_counted", _("A refused suitable job was counted")
        CALL_MISSED = "call_missed", _("Did not appear when called")

    job_seeker = models.ForeignKey(JobSeeker, on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField(_("change"), max_length=16, choices=Kind.choices)
    on = models.DateField(_("effective on"))
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    occurred_at = models.DateTimeField(_("occurred at"), auto_now_add=True)

    class Meta:
        verbose_name = _("registration change")
        verbose_name_plural = _("registration changes")
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return f"{self.job_seeker_id}: {self.kind} on {self.on}"


class VacancyStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FILLED = "filled", _("Filled")
    EXPIRED = "expired", _("Closing date passed")
    WITHDRAWN = "withdrawn", _("Withdrawn by the employer")


class Vacancy(models.Model):
    """A job an employer posts with the employment service (vakansiya)."""

    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="vacancies")
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, related_name="+", verbose_name=_("occupation")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    requirements = models.TextField(_("requirements"), max_length=2000, blank=True)
    region = models.CharField(_("region"), max_length=32, choices=Region.choices)
    workplace = models.CharField(_("place of work"), max_length=255)
    salary_qepik = models.BigIntegerField(_("monthly salary (qəpik)"))
    weekly_hours = models.PositiveSmallIntegerField(_("working hours a week"))
    positions = models.PositiveSmallIntegerField(_("positions"), default=1)
    positions_filled = models.PositiveSmallIntegerField(_("positions filled"), default=0)
    closes_on = models.DateField(_("closing date"))
    status = models.CharField(
        _("status"), max_length=10, choices=VacancyStatus.choices, default=VacancyStatus.OPEN
    )
    # Title, occupation, description and requirements in lower case with the Azerbaijani
    # letters folded to Latin (ə→e, ş→s, …): a search typed without diacritics finds them.
    search_text = models.TextField(_("search text"), editable=False, default="")
    posted_at = models.DateTimeField(_("posted at"))
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        constraints = [
            models.CheckConstraint(
                condition=Q(salary_qepik__gt=0), name="employment_vacancy_salary_positive"
            ),
            models.CheckConstraint(
                condition=Q(positions__gte=1) & Q(positions_filled__lte=models.F("positions")),
                name="employment_vacancy_positions",
            ),
            models.CheckConstraint(
                condition=Q(weekly_hours__gte=1) & Q(weekly_hours__lte=40),
                name="employment_vacancy_hours",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "region", "occupation"], name="employment_vacancy_find"),
            models.Index(fields=["status", "closes_on"], name="employment_vacancy_closing"),
            models.Index(fields=["employer", "status"], name="employment_vacancy_employer"),
            # The public search's salary filter and its count (search.py): open vacancies only.
            models.Index(
                fields=["salary_qepik", "closes_on"],
                condition=Q(status="open"),
                name="employment_vacancy_salary",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.employer_id})"

    @property
    def is_open(self) -> bool:
        return self.status == VacancyStatus.OPEN


class ReferralOutcome(models.TextChoices):
    PENDING = "pending", _("Awaiting the employer's answer")
    HIRED = "hired", _("Hired")
    REFUSED_BY_SEEKER = "refused_by_seeker", _("The job seeker refused the job")
    REFUSED_BY_EMPLOYER = "refused_by_employer", _("The employer did not hire")
    DID_NOT_COME = "did_not_come", _("The job seeker did not come")


class Referral(models.Model):
    """A centre officer's referral (göndəriş) of a job seeker to a vacancy, and its outcome.

    A job the job seeker refused counts toward losing the unemployed status when the officer
    judged it suitable (`is_suitable`: the person's occupation, region and a salary not below
    what they asked), and feeds the targeted-assistance refusal ground."""

    job_seeker = models.ForeignKey(JobSeeker, on_delete=models.PROTECT, related_name="referrals")
    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="referrals")
    is_suitable = models.BooleanField(_("suitable job"))
    referred_on = models.DateField(_("referred on"))
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(
        _("outcome"),
        max_length=20,
        choices=ReferralOutcome.choices,
        default=ReferralOutcome.PENDING,
    )
    outcome_reason = models.CharField(_("reason"), max_length=500, blank=True)
    outcome_on = models.DateField(_("outcome recorded on"), null=True, blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.UniqueConstraint(
                fields=["job_seeker", "vacancy"], name="employment_referral_once"
            ),
            models.CheckConstraint(
                condition=Q(outcome="pending") | Q(outcome_on__isnull=False),
                name="employment_referral_outcome_dated",
            ),
        ]
        indexes = [
            models.Index(fields=["vacancy", "outcome"], name="employment_referral_vacancy"),
        ]

    def __str__(self) -> str:
        return f"{self.job_seeker_id} → {self.vacancy_id}: {self.outcome}"


from meis.employment.models_programmes import *  # noqa: E402, F403 — the programmes' tables
