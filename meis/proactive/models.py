"""The proactive pipeline's bookkeeping: runs, their chunks (checkpoints), per-candidate results
and the e-service usage events that statistics will aggregate."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RunMode(models.TextChoices):
    INCREMENTAL = "incremental", _("Incremental (daily)")
    FULL = "full", _("Full registry")


class RunStatus(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed (resumable)")
    REJECTED = "rejected", _("Rejected")


class ProactiveRun(models.Model):
    """One run of the pipeline for a date (or one partition of it)."""

    on = models.DateField(_("run for"))
    mode = models.CharField(_("mode"), max_length=12, choices=RunMode.choices)
    schemes = models.JSONField(_("schemes"))
    partition_index = models.PositiveSmallIntegerField(_("partition"), default=1)
    partition_count = models.PositiveSmallIntegerField(_("partitions"), default=1)
    chunk_size = models.PositiveIntegerField(_("chunk size"))
    status = models.CharField(_("status"), max_length=20, choices=RunStatus.choices)
    expected_changes = models.PositiveIntegerField(
        _("awards it may create (upper bound)"), default=0
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("started by"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("approved by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    seconds = models.FloatField(_("duration (s)"), default=0)
    report = models.JSONField(_("report"), default=dict)
    error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("proactive run")
        verbose_name_plural = _("proactive runs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["on", "mode", "status"], name="proactive_run_day")]

    def __str__(self) -> str:
        return (
            f"{self.mode} {self.on} {self.partition_index}/{self.partition_count} ({self.status})"
        )


class RunChunk(models.Model):
    """A checkpoint: this chunk of this scheme is committed (with its awards and messages)."""

    run = models.ForeignKey(ProactiveRun, on_delete=models.CASCADE, related_name="chunks")
    scheme = models.CharField(max_length=40)
    chunk_no = models.PositiveIntegerField()
    counts = models.JSONField(default=dict)
    seconds = models.FloatField(default=0)
    finished_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["run", "scheme", "chunk_no"], name="proactive_chunk_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.run_id} {self.scheme} #{self.chunk_no}"


class Outcome(models.TextChoices):
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")
    NEAR_MISS = "near_miss", _("Near miss")
    ALREADY_HOLDS = "already_holds", _("Already holds this or an exclusive award")


class CandidateResult(models.Model):
    """What the pipeline decided for one candidate, and why.

    A log written in bulk (millions of rows a full run) from ids read in the same transaction:
    no foreign-key constraints in the database (each would cost a row lock on the person and a
    look-up per row at commit) and one index, by person (what happened to me); a run's totals
    are in its report, from the chunk checkpoints.
    """

    run = models.ForeignKey(
        ProactiveRun,
        on_delete=models.CASCADE,
        related_name="results",
        db_constraint=False,
        db_index=False,
    )
    chunk_no = models.PositiveIntegerField()
    scheme = models.CharField(max_length=40)
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,  # proactive_result_person
    )
    household = models.ForeignKey(
        "registry.Household",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        db_constraint=False,
        db_index=False,
    )
    region = models.CharField(max_length=32)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    rule = models.CharField(_("deciding rule"), max_length=64, blank=True)
    months_short = models.PositiveIntegerField(null=True)
    amount_qepik = models.BigIntegerField(default=0)
    award_id = models.BigIntegerField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["person"], name="proactive_result_person"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} {self.person_id}: {self.outcome}"
