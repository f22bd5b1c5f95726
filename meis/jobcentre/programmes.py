"""From an approved self-employment application to a project (docs/domain.md §8).

    project = project_open_from_case(case=case, actor=officer)
    grant = programme_grant(profile, person, roles)  # a person-grant source (AppConfig.ready)

The case engine decides the application (`self-employment-programme`, a case worker's
decision); the employment register keeps the project (`meis.employment.programmes`). This is
the bridge between them, here because the register sits below the case engine. A project's
participant stays readable by the employment officers while the programme follows the project,
even after their registration ends (`programme_grant`).
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from meis.accounts.access import Grant
from meis.accounts.models import StaffProfile
from meis.accounts.roles import Role, Subsystem
from meis.cases.models import Case, CaseStatus
from meis.employment.models import SelfEmploymentProject
from meis.employment.models_programmes import RUNNING_STATUSES
from meis.employment.programmes import ProgrammeError, project_open
from meis.registry.models import Person

SERVICE_CODE = "self-employment-programme"


def case_by_reference(*, reference: str) -> Case | None:
    """The self-employment application with this reference, or None."""
    return (
        Case.objects.filter(
            reference=reference.strip().upper(), service_version__service__code=SERVICE_CODE
        )
        .select_related("person")
        .first()
    )


def project_open_from_case(*, case: Case, actor: User) -> SelfEmploymentProject:
    """Open the project of an approved self-employment application; ProgrammeError says why not
    (another service, not approved, a project open already, the benefit held)."""
    service_code = case.service_version.service.code
    if service_code != SERVICE_CODE:
        raise ProgrammeError(
            _("Application %(ref)s is not an application to the self-employment programme.")
            % {"ref": case.reference}
        )
    if case.status != CaseStatus.APPROVED:
        raise ProgrammeError(
            _("Application %(ref)s is not approved: a project opens only for an approved one.")
            % {"ref": case.reference}
        )
    idea = str(case.answers.get("business_idea", "") or "")
    return project_open(person=case.person, case=case, business_idea=idea, actor=actor)


def programme_grant(profile: StaffProfile, person: Person, roles: frozenset[Role]) -> Grant | None:
    """An employment officer may read the participant of a project the programme still follows
    (the registration may have ended when the business started)."""
    handles = Role.CENTRE_HEAD in roles or (
        Role.CASE_WORKER in roles and Subsystem.EMPLOYMENT in (profile.subsystems or [])
    )
    if not handles:
        return None
    project = (
        SelfEmploymentProject.objects.filter(person=person, status__in=RUNNING_STATUSES)
        .only("pk")
        .first()
    )
    if project is None:
        return None
    role = Role.CENTRE_HEAD if Role.CENTRE_HEAD in roles else Role.CASE_WORKER
    return Grant(role, f"self-employment project {project.pk}")
