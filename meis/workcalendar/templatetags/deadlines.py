"""`{% load deadlines %}`: `{% deadline_summary reading %}` and `{{ reading|deadline_text }}`."""

from __future__ import annotations

from typing import Any

from django import template

from meis.workcalendar import presentation
from meis.workcalendar.arithmetic import ClockReading

register = template.Library()


@register.filter(name="deadline_text")
def deadline_text(reading: ClockReading) -> str:
    return presentation.deadline_text(reading)


@register.inclusion_tag("workcalendar/_deadline.html")
def deadline_summary(reading: ClockReading) -> dict[str, Any]:
    """A status tag and the days-remaining line, for the case page and the citizen's view."""
    return {
        "reading": reading,
        "status_label": presentation.STATUS_LABELS[reading.status],
        "status_class": presentation.STATUS_TAG_CLASSES[reading.status],
        "text": presentation.deadline_text(reading),
    }
