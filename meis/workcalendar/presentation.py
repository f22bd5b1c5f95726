"""How a clock reading reads to people: translated status names and "days remaining" text."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext

from meis.workcalendar.arithmetic import ClockReading, DeadlineStatus

STATUS_LABELS: dict[DeadlineStatus, Promise] = {
    DeadlineStatus.ON_TRACK: _("On track"),
    DeadlineStatus.DUE_SOON: _("Due soon"),
    DeadlineStatus.OVERDUE: _("Overdue"),
    DeadlineStatus.SUSPENDED: _("Waiting for the applicant"),
}

# GOV.UK tag colours per status.
STATUS_TAG_CLASSES: dict[DeadlineStatus, str] = {
    DeadlineStatus.ON_TRACK: "govuk-tag--green",
    DeadlineStatus.DUE_SOON: "govuk-tag--yellow",
    DeadlineStatus.OVERDUE: "govuk-tag--red",
    DeadlineStatus.SUSPENDED: "govuk-tag--grey",
}


def working_days_left_text(remaining: int) -> str:
    """'5 working days left', 'Due today' or '3 working days overdue', in the active language."""
    if remaining > 0:
        return ngettext("%(count)d working day left", "%(count)d working days left", remaining) % {
            "count": remaining
        }
    if remaining == 0:
        return pgettext("deadline", "Due today")
    return ngettext(
        "%(count)d working day overdue", "%(count)d working days overdue", -remaining
    ) % {"count": -remaining}


def deadline_text(reading: ClockReading) -> str:
    """One line for citizens and case workers, e.g. '5 working days left — due 2 April 2020'."""
    if reading.due_on is None:
        return ngettext(
            "The clock is stopped while we wait for the applicant; %(count)d working day will "
            "be left when it restarts",
            "The clock is stopped while we wait for the applicant; %(count)d working days will "
            "be left when it restarts",
            reading.remaining_working_days,
        ) % {"count": reading.remaining_working_days}
    due = date_format(reading.due_on, "j E Y")  # E: genitive month where the language has one
    if reading.remaining_working_days == 0 and reading.status != DeadlineStatus.OVERDUE:
        return pgettext("deadline", "Due today — %(date)s") % {"date": due}
    return _("%(left)s — due %(date)s") % {
        "left": working_days_left_text(reading.remaining_working_days),
        "date": due,
    }
