"""Scheduled work of the employment service: thin, calls services; safe to run twice."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task


@task()
def employment_daily() -> str:
    """End the statuses the registers end today and close the vacancies past their date."""
    from meis.employment.services import employment_daily_run

    report = employment_daily_run(on=timezone.localdate())
    return str(report)
