"""The purposes an institution's system may give for reading a person's data through the API
(the law on personal data lets data be processed only for a stated purpose). The code is what
the caller sends and what the audit event keeps; the label is what the person reads in "who
looked at my data", in their language."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReadPurpose(models.TextChoices):
    SERVICE_ELIGIBILITY = (
        "service-eligibility",
        _("Deciding a service the person asked another institution for"),
    )
    FEE_EXEMPTION = "fee-exemption", _("Granting a discount or exemption from a fee")
    SOCIAL_COORDINATION = (
        "social-coordination",
        _("Coordinating social support between state institutions"),
    )
    PERSON_REQUEST = "person-request", _("At the person's own request")


# The fixed purposes staff pages record for a list or a look-up (meis.accounts.access), as the
# person reads them.
STAFF_PURPOSE_LABELS = {
    "admin list": _("A list in the administration"),
    "admin search": _("A search in the administration"),
    "admin message list": _("A list of the messages sent to people"),
    "admin message search": _("A search of the messages sent to people"),
    "message desk search": _("A search of the messages sent to people"),
    "case queue": _("The centre's queue of applications"),
    "centre overview": _("The centre's most overdue applications"),
    "142 caller identification": _("Identifying a caller to the 142 call centre"),
    "payment account": _("Your payment account and its history, by the payroll staff"),
}


def purpose_label(stored: str) -> str:
    """The purpose as the person reads it: the label of a known code, else the text as stored."""
    if stored in STAFF_PURPOSE_LABELS:
        return str(STAFF_PURPOSE_LABELS[stored])
    try:
        return str(ReadPurpose(stored).label)
    except ValueError:
        return stored
