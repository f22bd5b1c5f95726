"""The seven MEİS subsystems as the home page presents them (docs/architecture.md, the 2020 news text).

Content lives here once, in English msgids; the az/ru text comes from meis/locale.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Subsystem:
    """Altsistem: one of the ministry's subsystems and the e-services it offers."""

    slug: str
    title: Promise
    summary: Promise


SUBSYSTEMS: tuple[Subsystem, ...] = (
    Subsystem(
        slug="labour-contracts",
        title=_("Employment contract notification"),
        summary=_(
            "Employers notify the conclusion, amendment and termination of employment contracts "
            "online. Employees can see every contract registered in their name."
        ),
    ),
    Subsystem(
        slug="targeted-assistance",
        title=_("Targeted social assistance"),
        summary=_(
            "Low-income families apply for targeted state social assistance online and follow "
            "the decision, which is due within 15 working days."
        ),
    ),
    Subsystem(
        slug="disability",
        title=_("Disability assessment"),
        summary=_(
            "Referral to the medical and social expert commission, the disability degree and its "
            "re-examination, and the pension and benefits that follow from it."
        ),
    ),
    Subsystem(
        slug="insurance",
        title=_("Social insurance"),
        summary=_(
            "Your individual insurance account: the contributions your employers paid, your "
            "insurance record and your pension capital."
        ),
    ),
    Subsystem(
        slug="pensions",
        title=_("Pensions"),
        summary=_(
            "Old-age, disability and survivor's pensions: applications, recalculation and "
            "payment details. Many pensions are granted without an application."
        ),
    ),
    Subsystem(
        slug="employment",
        title=_("Employment and unemployment"),
        summary=_(
            "Register as a job seeker, find vacancies and training, and apply for "
            "unemployment insurance benefit."
        ),
    ),
    Subsystem(
        slug="e-certificates",
        title=_("E-certificates"),
        summary=_(
            "Download electronically signed certificates about your pension, benefits, "
            "insurance record or employment. Anyone can check a certificate by its code."
        ),
    ),
)
