"""From an approved self-employment application to a project (docs/domain.md §8).

    project = project_open_from_case(case=case, actor=officer)

The case engine decides the application (`self-employment-programme`, a case worker's
decision); the employment register keeps the project (`meis.employment.programmes`). This is
the bridge between them, here because the register sits below the case engine.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from meis.cases.models import Case, CaseStatus
from meis.employment.models import SelfEmploymentProject
from meis.employment.programmes import ProgrammeError, project_open

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
