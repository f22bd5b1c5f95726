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


def purpose_label(stored: str) -> str:
    """The purpose as the person reads it: the label of a known code, else the text as stored."""
    try:
        return str(ReadPurpose(stored).label)
    except ValueError:
        return stored
