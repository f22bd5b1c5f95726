"""Roles (rollar) and subsystems (altsistemlər): the vocabulary of who may do what.

Staff roles are Django groups named by `Role`'s values, so an administrator grants a role in the
admin by adding the user to the group; the access funnel (`meis.accounts.access`) is the only
place that turns a role into rights.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    REPRESENTATIVE = "representative", _("Parent or legal representative")
    CASE_WORKER = "case_worker", _("Case worker")
    CENTRE_HEAD = "centre_head", _("Head of service centre")
    CALL_CENTRE_OPERATOR = "call_centre_operator", _("Call centre 142 operator")
    COMMISSION_MEMBER = "commission_member", _("Disability commission member")
    MEDICAL_STAFF = "medical_staff", _("Medical institution staff")
    LABOUR_INSPECTOR = "labour_inspector", _("Labour inspector")
    ANALYST = "analyst", _("Analyst")
    AUDITOR = "auditor", _("Auditor")
    ADMINISTRATOR = "administrator", _("Administrator")
    EMPLOYER = "employer", _("Employer representative")


# Roles held through a Django group of the same name.
STAFF_ROLES: tuple[Role, ...] = (
    Role.CASE_WORKER,
    Role.CENTRE_HEAD,
    Role.CALL_CENTRE_OPERATOR,
    Role.COMMISSION_MEMBER,
    Role.MEDICAL_STAFF,
    Role.LABOUR_INSPECTOR,
    Role.ANALYST,
    Role.AUDITOR,
    Role.ADMINISTRATOR,
)


class Subsystem(models.TextChoices):
    """The seven MEİS subsystems a case worker may handle."""

    LABOUR_CONTRACTS = "labour_contracts", _("Employment contract notification")
    TARGETED_ASSISTANCE = "targeted_assistance", _("Targeted social assistance")
    DISABILITY = "disability", _("Disability assessment")
    INSURANCE = "insurance", _("Social insurance")
    PENSIONS = "pensions", _("Pensions and benefits")
    EMPLOYMENT = "employment", _("Employment and unemployment insurance")
    E_CERTIFICATES = "e_certificates", _("E-certificates")


def role_label(code: str) -> str:
    """The translated name of a role code as stored on audit events ("" for an unknown code)."""
    try:
        return str(Role(code).label)
    except ValueError:
        return code
