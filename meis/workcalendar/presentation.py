"""How a clock reading reads to people: translated status names and "days remaining" text."""

from __future__ import annotations

import datetime
import functools

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import get_language, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

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
    return _deadline_text(
        reading.due_on, reading.remaining_working_days, reading.status, get_language()
    )


# A queue page writes this line for up to 200 cases, most of them sharing a few due dates;
# formatting the date alone cost a tenth of the page. The text depends only on the arguments
# (`language` is the active one, in which it is computed).
@functools.lru_cache(maxsize=4096)
def _deadline_text(
    due_on: datetime.date | None, remaining: int, status: DeadlineStatus, language: str | None
) -> str:
    if due_on is None:
        return ngettext(
            "The clock is stopped while we wait for the applicant; %(count)d working day will "
            "be left when it restarts",
            "The clock is stopped while we wait for the applicant; %(count)d working days will "
            "be left when it restarts",
            remaining,
        ) % {"count": remaining}
    due = date_format(due_on, "j E Y")  # E: genitive month where the language has one
    if remaining == 0 and status != DeadlineStatus.OVERDUE:
        return pgettext("deadline", "Due today — %(date)s") % {"date": due}
    return _("%(left)s — due %(date)s") % {
        "left": working_days_left_text(remaining),
        "date": due,
    }
