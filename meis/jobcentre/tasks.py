"""Scheduled work of the employment centre: thin, calls services; safe to run twice."""

from __future__ import annotations

from django.utils import timezone


def employment_daily() -> str:
    """End the statuses the registers end today, close the vacancies past their date, offer
    the unemployment benefit after qualifying dismissals."""
    from meis.jobcentre.services import employment_daily_run

    return str(employment_daily_run(on=timezone.localdate()))
