"""API clients (ADR 0019): an institution's system registered by an administrator, its
credentials (stored as password hashes; several valid at once, so a key can be rotated with an
overlap; each revocable) and the short-lived bearer tokens they obtain (stored as SHA-256
digests: a database dump holds nothing a caller could present)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    CERTIFICATES_VERIFY = "certificates:verify", _("Verify e-certificates")
    PERSON_STATUS = "person:status", _("Read whether a person receives a pension or benefit")
    APPLICATIONS_SUBMIT = "applications:submit", _("Submit applications for citizens")
    APPLICATIONS_READ = "applications:read", _("Read the status of the applications it submitted")
    EMPLOYERS_CONTRACTS = (
        "employers:contracts",
        _("Notify and read the employment contracts of the employers it is bound to"),
    )


class ApiClient(models.Model):
    """Müştəri sistem: a bank, the e-government gateway, an employer's payroll system."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    institution = models.CharField(
        _("institution"),
        max_length=255,
        help_text=_("As the people whose data it reads see it in “who looked at my data”."),
    )
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    allowed_addresses = models.JSONField(
        _("allowed addresses"),
        default=list,
        blank=True,
        help_text=_("IP addresses or networks (CIDR) it may call from; empty: any."),
    )
    rate_limit_per_minute = models.PositiveIntegerField(_("requests per minute"), default=600)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ApiCredential(models.Model):
    """A client id and secret; the secret is shown once, when made, and kept only hashed."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="credentials")
    key_id = models.CharField(_("client id"), max_length=40, unique=True)
    secret_hash = models.CharField(max_length=255)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("valid until"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API credential")
        verbose_name_plural = _("API credentials")

    def __str__(self) -> str:
        return self.key_id


class ApiToken(models.Model):
    """A bearer token, known here only by its SHA-256 digest."""

    digest = models.CharField(max_length=64, unique=True)
    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="+")
    credential = models.ForeignKey(ApiCredential, on_delete=models.CASCADE, related_name="+")
    scopes = models.JSONField(default=list)
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["expires_at"], name="api_token_expires")]

    def __str__(self) -> str:
        return f"token of {self.client_id} until {self.expires_at:%H:%M}"


class ApiCall(models.Model):
    """One call of a registered client, whatever its answer: the access log an auditor reads to
    see what an institution's system did and why (the purpose it gave). The person-data reads
    among them are also audit events of that person."""

    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="calls")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    operation = models.CharField(_("operation"), max_length=64)
    method = models.CharField(_("method"), max_length=8)
    status = models.PositiveSmallIntegerField(_("answer status"))
    purpose = models.CharField(_("purpose"), max_length=64, blank=True)
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)

    class Meta:
        verbose_name = _("API call")
        verbose_name_plural = _("API calls")
        indexes = [models.Index(fields=["client", "-at"], name="api_call_client_time")]

    def __str__(self) -> str:
        return f"{self.operation} {self.status}"


class ApiSubmission(models.Model):
    """An application a client submitted, under the Idempotency-Key it sent: a retry with the
    same key gets the same case back, and the client reads the status of its own cases only."""

    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="submissions")
    idempotency_key = models.CharField(max_length=128)
    fingerprint = models.CharField(max_length=64)  # SHA-256 of the request body's meaning
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["client", "idempotency_key"], name="api_submission_key_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.client_id}:{self.idempotency_key}"


class ApiClientEmployer(models.Model):
    """An employer's payroll system may notify contracts for this employer (issue 15): bound by
    an administrator, as a representative is bound to an employer."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="employers")
    employer = models.ForeignKey(
        "registry.Employer", on_delete=models.PROTECT, related_name="+", verbose_name=_("employer")
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("employer of an API client")
        verbose_name_plural = _("employers of API clients")
        constraints = [
            models.UniqueConstraint(fields=["client", "employer"], name="api_client_employer_once")
        ]

    def __str__(self) -> str:
        return f"{self.client_id} → {self.employer_id}"


class ApiVacancyCall(models.Model):
    """A vacancy a client posted under an Idempotency-Key, with the fingerprint of what it
    asked; written in the transaction that posts the vacancy, so a key posts at most once."""

    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="+")
    idempotency_key = models.CharField(max_length=128)
    fingerprint = models.CharField(max_length=64)
    vacancy = models.OneToOneField("employment.Vacancy", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["client", "idempotency_key"], name="api_vacancy_key_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.client_id}:{self.idempotency_key}"


class ApiContractsCall(models.Model):
    """A batch of notifications a client sent under an Idempotency-Key, with the fingerprint of
    what it asked: the same key with another request is refused, not answered with the first."""

    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="+")
    idempotency_key = models.CharField(max_length=128)
    fingerprint = models.CharField(max_length=64)
    batch = models.OneToOneField(
        "labour.NotificationBatch", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["client", "idempotency_key"], name="api_contracts_key_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.client_id}:{self.idempotency_key}"
