"""The moment the DOST centres' pages and the appointment book take as "now".

In production the real clock. The demo replays March 2020 (restricted reception, Novruz) with
`DEMO_NOW=2020-03-16T10:00` (obeyed only in the demo or with DEBUG, docs/configuration.md); the clock then
runs on from that moment as the process runs, so that a booking made "now" is in the future.
"""

from __future__ import annotations

import datetime
import time

from django.conf import settings
from django.utils import timezone

_started = time.monotonic()  # not the wall clock: tests that travel in time must not move it


def centres_now() -> datetime.datetime:
    """Now, or the demo's moment plus the time since this process started."""
    configured = getattr(settings, "MEIS_DEMO_NOW", "")
    is_demo = settings.DEBUG or getattr(settings, "MEIS_DEMO", False)
    if not configured or not is_demo:
        return timezone.now()
    moment = datetime.datetime.fromisoformat(configured)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment + datetime.timedelta(seconds=time.monotonic() - _started)
