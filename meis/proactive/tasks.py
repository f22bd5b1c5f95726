"""Scheduled work of the proactive pipeline: thin, calls the pipeline; safe to run twice."""

from __future__ import annotations

import datetime


def proactive_daily() -> str:
    """Run (or resume) today's incremental pipeline; a finished day writes nothing."""
    from meis.proactive.services import run_daily

    today = datetime.date.today()  # noqa: DTZ011 — the civil date of the ministry
    return run_daily(on=today)
