"""Scheduled work of awards: thin, calls the services; safe to run twice."""

from __future__ import annotations

import datetime


def awards_daily() -> str:
    """End, continue and remind what the law makes due today; a second run changes nothing."""
    from meis.awards.services import awards_end_due

    today = datetime.date.today()  # noqa: DTZ011 — the civil date of the ministry
    return str(awards_end_due(on=today))
