"""Əmək müqavilələri reyestri: the register of employment contracts (docs/domain.md §6).

An employer notifies the conclusion, amendment, suspension and termination of each contract;
the contract takes effect when registered. `Contract` holds the terms in force now (what the
monthly accrual, the certificates and the eligibility facts read); every notification is kept
as a dated `ContractVersion` with the terms it set, who notified it, with what assurance, and
whether it came late. The occupation classifier and the termination grounds are data
(`data/`), loaded by migrations and kept in the admin.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def _in_language(obj: Occupation | TerminationGround) -> str:
    language = (get_language() or "az")[:2]
    return str(getattr(obj, f"title_{language}", "") or obj.title_az)


class Occupation(models.Model):
    """Peşə: a unit group of the occupation classifier (ISCO-08 based), as data."""

    code = models.CharField(_("code"), max_length=8)
    title_az = models.CharField(_("title (Azerbaijani)"), max_length=255)
    title_en = models.CharField(_("title (English)"), max_length=255)
    title_ru = models.CharField(_("title (Russian)"), max_length=255)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["code"], name="labour_occupation_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        return _in_language(self)


class Initiator(models.TextChoices):
    EMPLOYEE = "employee", _("Employee's initiative")
    EMPLOYER = "employer", _("Employer's initiative")
    PARTIES = "parties", _("Agreement of the parties")
    EXPIRY = "expiry", _("Expiry of the term")
    OUTSIDE = "outside", _("Circumstances beyond the parties' control")
    DEATH = "death", _("Death of the employee")


class TerminationGround(models.Model):
    """Xitam əsası: a legal ground for ending a contract, cited; it decides later whether the
    dismissal gives a right to unemployment insurance (docs/domain.md §8)."""

    code = models.CharField(_("code"), max_length=16)
    article = models.CharField(_("article"), max_length=64)
    initiated_by = models.CharField(_("initiated by"), max_length=16, choices=Initiator.choices)
    title_az = models.CharField(_("title (Azerbaijani)"), max_length=255)
    title_en = models.CharField(_("title (English)"), max_length=255)
    title_ru = models.CharField(_("title (Russian)"), max_length=255)
    gives_unemployment_insurance = models.BooleanField(_("gives unemployment insurance"))
    source_url = models.URLField(_("source"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("termination ground")
        verbose_name_plural = _("termination grounds")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["code"], name="labour_ground_code")]

    def __str__(self) -> str:
        return f"{self.article}: {self.title}"

    @property
    def title(self) -> str:
        return _in_language(self)


class ContractTerm(models.TextChoices):
    INDEFINITE = "indefinite", _("Indefinite")
    FIXED = "fixed", _("Fixed-term")


class ContractStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    TERMINATED = "terminated", _("Terminated")


class Assurance(models.TextChoices):
    """How the notifying representative proved it was them (ADR 0020)."""

    ONE_TIME_CODE = "otp", _("Representative's one-time code")
    QUALIFIED_SIGNATURE = "qualified_signature", _("Enhanced electronic signature")
    API_CLIENT = "api_client", _("Registered API client")
    REGISTER_IMPORT = "register_import", _("Imported from the earlier register")


class ContractTerms(models.Model):
    """The terms a notification sets (Labour Code Art. 43.2), shared by contract and version."""

    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, related_name="+", verbose_name=_("occupation")
    )
    position = models.CharField(_("position"), max_length=255)
    workplace = models.CharField(_("workplace"), max_length=255)
    monthly_wage_qepik = models.BigIntegerField(_("monthly wage (qəpik)"))
    weekly_hours = models.PositiveSmallIntegerField(_("working hours a week"))
    term = models.CharField(_("term"), max_length=12, choices=ContractTerm.choices)
    fixed_end_on = models.DateField(_("end of the fixed term"), null=True, blank=True)
    probation_months = models.PositiveSmallIntegerField(_("probation (months)"), default=0)
    is_main_job = models.BooleanField(_("main job"), default=True)

    class Meta:
        abstract = True


class Contract(ContractTerms):
    """Əmək müqaviləsi: one contract between an employer and a person, as in force now."""

    employer = models.ForeignKey(
        "registry.Employer",
        on_delete=models.PROTECT,
        related_name="contracts",
        verbose_name=_("employer"),
    )
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="contracts",
        verbose_name=_("employee"),
    )
    concluded_on = models.DateField(_("concluded on"))
    start_on = models.DateField(_("start of work"))
    status = models.CharField(
        _("status"), max_length=12, choices=ContractStatus.choices, default=ContractStatus.ACTIVE
    )
    suspended_from = models.DateField(_("suspended from"), null=True, blank=True)
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    termination_ground = models.ForeignKey(
        TerminationGround,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("termination ground"),
    )
    registered_at = models.DateTimeField(_("registered at"))
    is_late = models.BooleanField(_("notified late"), default=False)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("employment contract")
        verbose_name_plural = _("employment contracts")
        ordering = ["-start_on", "-id"]
        constraints = [
            # One main job at a time (Labour Code: further jobs are secondary, "əlavə iş").
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(is_main_job=True) & ~Q(status="terminated"),
                name="labour_one_main_job",
            ),
            models.UniqueConstraint(
                fields=["employer", "person"],
                condition=~Q(status="terminated"),
                name="labour_one_live_contract_per_employer",
            ),
            models.CheckConstraint(
                condition=Q(monthly_wage_qepik__gt=0) & Q(weekly_hours__gt=0),
                name="labour_contract_paid_work",
            ),
            models.CheckConstraint(
                condition=Q(term="indefinite", fixed_end_on__isnull=True)
                | Q(term="fixed", fixed_end_on__isnull=False),
                name="labour_contract_term_end",
            ),
            models.CheckConstraint(
                condition=~Q(status="terminated")
                | Q(terminated_on__isnull=False, termination_ground__isnull=False),
                name="labour_contract_termination_complete",
            ),
        ]
        indexes = [
            models.Index(fields=["employer", "status"], name="labour_contract_employer"),
            models.Index(fields=["status", "start_on"], name="labour_contract_status_start"),
            models.Index(fields=["terminated_on"], name="labour_contract_terminated_on"),
        ]

    def __str__(self) -> str:
        return f"{self.number}: {self.person_id} at {self.employer_id}"

    @property
    def number(self) -> str:
        """The registration number the parties quote (stable: the row's id)."""
        return f"ƏM-{self.pk:08d}" if self.pk else ""


class Notice(models.TextChoices):
    CONCLUSION = "conclusion", _("Conclusion")
    AMENDMENT = "amendment", _("Amendment")
    SUSPENSION = "suspension", _("Suspension")
    RESUMPTION = "resumption", _("Resumption")
    TERMINATION = "termination", _("Termination")


class ContractVersion(ContractTerms):
    """One registered notification: the terms it set from `effective_on`, kept for ever."""

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="versions", verbose_name=_("contract")
    )
    number = models.PositiveIntegerField(_("version"))
    notice = models.CharField(_("notification"), max_length=12, choices=Notice.choices)
    effective_on = models.DateField(_("effective from"))
    termination_ground = models.ForeignKey(
        TerminationGround,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("termination ground"),
    )
    registered_at = models.DateTimeField(_("registered at"))
    notified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("notified by"),
    )
    assurance = models.CharField(_("assurance"), max_length=24, choices=Assurance.choices)
    is_late = models.BooleanField(_("notified late"), default=False)
    batch = models.ForeignKey(
        "NotificationBatch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="versions",
        verbose_name=_("upload"),
    )

    class Meta:
        verbose_name = _("contract version")
        verbose_name_plural = _("contract versions")
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="labour_version_number"),
        ]
        indexes = [
            # The inspectors' late-notification report reads a period of late versions.
            models.Index(
                fields=["registered_at"],
                condition=Q(is_late=True),
                name="labour_version_late",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} v{self.number} ({self.notice})"


class BatchMode(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", _("All rows or none")
    ROW_BY_ROW = "row_by_row", _("Each valid row")


class NotificationBatch(models.Model):
    """Toplu bildiriş: one uploaded file (or API call) of notifications and what became of it."""

    employer = models.ForeignKey(
        "registry.Employer",
        on_delete=models.PROTECT,
        related_name="notification_batches",
        verbose_name=_("employer"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    mode = models.CharField(_("mode"), max_length=16, choices=BatchMode.choices)
    idempotency_key = models.CharField(_("idempotency key"), max_length=128, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    registered = models.PositiveIntegerField(_("registered"), default=0)
    refused = models.PositiveIntegerField(_("refused"), default=0)
    # [{"row": 7, "field": "employee_fin", "code": "person_unknown", "message": "..."}, ...]
    problems = models.JSONField(_("problems"), default=list, blank=True)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("notification upload")
        verbose_name_plural = _("notification uploads")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="labour_batch_idempotency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employer_id} {self.created_at:%Y-%m-%d}: {self.registered}/{self.rows}"


class AccrualRun(models.Model):
    """One month's contribution accrual from the register (run once per month)."""

    month_on = models.DateField(_("month (first day)"))
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    contracts = models.PositiveIntegerField(_("contracts"), default=0)
    people = models.PositiveIntegerField(_("people"), default=0)
    amount_qepik = models.BigIntegerField(_("contributions (qəpik)"), default=0)
    # Contracts notified late, after this month's run: caught up by `late_contributions_accrue`.
    late_checked_at = models.DateTimeField(
        _("late notifications checked at"), null=True, blank=True
    )
    late_people = models.PositiveIntegerField(_("people credited late"), default=0)
    late_amount_qepik = models.BigIntegerField(_("contributions accrued late (qəpik)"), default=0)

    class Meta:
        verbose_name = _("contribution accrual")
        verbose_name_plural = _("contribution accruals")
        ordering = ["-month_on"]
        constraints = [models.UniqueConstraint(fields=["month_on"], name="labour_accrual_once")]

    def __str__(self) -> str:
        return f"{self.month_on:%Y-%m}"
