"""The self-employment programme (özünüməşğulluq proqramı, docs/domain.md §8) as a workflow.

    project = project_open(person=..., case=..., business_idea=..., actor=...)  # an approved case
    project_assess(project=..., score=..., is_recommended=..., note=..., actor=...)
    project_approve(project=..., actor=...)               # a second officer, never the assessor
    handover_add(project=..., description=..., value_qepik=..., handed_on=..., contract_number=...)
    handover_complete(project=..., actor=...)             # schedules the follow-up visits
    follow_up_record(follow_up=..., visited_on=..., outcome=..., note=..., actor=...)

Presidential order No. 1941 of 7 Apr 2016: the programme gives assets in kind (never cash) for a
business plan, with priority for families on targeted assistance, people with disabilities, the
long-term unemployed, people less than 2 years before their pension age and people released
from prison (`priority_groups` says which apply, from the registers where one exists); people
paid the unemployment-insurance benefit are excluded (`ProgrammeRefused`). The assets are handed
over under a contract and the project is visited every `self_employment_follow_up_interval_months`
until `self_employment_follow_up_months` after the hand-over (dated parameters).

Opening a project from an application is `meis.jobcentre.programmes.project_open_from_case`:
this app sits below the case engine and does not read cases. Each function is one transaction
that writes its audit row; a change made on an older version of the project is refused.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meis.audit.services import audit_record
from meis.awards.models import HELD_STATUSES, Award, AwardKind
from meis.core.dates import months_add
from meis.employment.models import (
    OPEN_STATES,
    AssetHandover,
    FollowUpOutcome,
    JobSeeker,
    ProjectFollowUp,
    ProjectStatus,
    SeekerStatus,
    SelfEmploymentProject,
    TrainingEnrolment,
)
from meis.employment.selectors import pension_age_on
from meis.lifeevents.models import DisabilityDecision
from meis.registry.models import HouseholdMembership, Person
from meis.rules.store import default_store

Actor = User | AnonymousUser
PARAMETER = "employment.self_employment_{}"


class ProgrammeError(Exception):
    """A step the programme refuses now (wrong stage, four eyes, a changed project); says why."""


class ProgrammeRefused(ProgrammeError):
    """The person cannot take part in the programme (docs/domain.md §8)."""


@dataclass(frozen=True)
class PriorityGroup:
    """A priority group of the programme; `applies` is None where no register tells."""

    code: str
    label: str | Promise
    applies: bool | None
    source: str | Promise


def parameter(name: str, *, on: datetime.date) -> int:
    value = default_store().value(PARAMETER.format(name), on=on)
    return int(value)  # type: ignore[arg-type]  # a months parameter is an int


# --- Reads ------------------------------------------------------------------------------------


def unemployment_benefit_held(*, person: Person, on: datetime.date) -> bool:
    """The person holds the unemployment-insurance benefit on `on` (they are excluded)."""
    return (
        Award.objects.filter(
            person=person,
            kind=AwardKind.UNEMPLOYMENT_BENEFIT,
            status__in=HELD_STATUSES,
            start_on__lte=on,
        )
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=on))
        .exists()
    )


def priority_groups(
    *, person: Person, on: datetime.date, is_released_prisoner: bool = False
) -> list[PriorityGroup]:
    """Which of the programme's priority groups the person is in on `on`, from the registers."""
    return [
        PriorityGroup(
            "targeted_assistance",
            gettext_lazy("Family receiving targeted social assistance"),
            _targeted_assistance_held(person, on),
            gettext_lazy("Awards: a targeted-assistance award held by the person's family"),
        ),
        PriorityGroup(
            "disability",
            gettext_lazy("Person with a disability"),
            _disabled(person, on),
            gettext_lazy("Disability decisions (TSEK)"),
        ),
        PriorityGroup(
            "long_term_unemployed",
            gettext_lazy("Long-term unemployed"),
            _long_term_unemployed(person, on),
            gettext_lazy("Employment service: registered as unemployed for 12 months or more"),
        ),
        PriorityGroup(
            "near_pension_age",
            gettext_lazy("Less than 2 years before the pension age"),
            _near_pension_age(person, on),
            gettext_lazy("Population register: date of birth; the pension-age schedule"),
        ),
        PriorityGroup(
            "released_prisoner",
            gettext_lazy("Released from prison"),
            True if is_released_prisoner else None,
            gettext_lazy("No register is connected: the person's own statement"),
        ),
    ]


def _targeted_assistance_held(person: Person, on: datetime.date) -> bool:
    households = HouseholdMembership.objects.filter(person=person, joined_on__lte=on).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=on)
    )
    return (
        Award.objects.filter(
            kind=AwardKind.TARGETED_ASSISTANCE, status__in=HELD_STATUSES, start_on__lte=on
        )
        .filter(Q(person=person) | Q(household__in=households.values("household_id")))
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=on))
        .exists()
    )


def _disabled(person: Person, on: datetime.date) -> bool:
    return (
        DisabilityDecision.objects.filter(person=person, decided_on__lte=on)
        .filter(Q(reexamine_on__isnull=True) | Q(reexamine_on__gt=on))
        .exists()
    )


def _long_term_unemployed(person: Person, on: datetime.date) -> bool:
    months = parameter("long_term_unemployed_months", on=on)
    return JobSeeker.objects.filter(
        person=person,
        state__in=OPEN_STATES,
        status=SeekerStatus.UNEMPLOYED,
        registered_on__lte=months_add(on, -months),
    ).exists()


def _near_pension_age(person: Person, on: datetime.date) -> bool:
    months = parameter("priority_months_before_pension_age", on=on)
    reaches = pension_age_on(person)
    return on < reaches < months_add(on, months)


def projects_of(*, person: Person) -> QuerySet[SelfEmploymentProject]:
    """The person's own projects, newest first (the citizen's page)."""
    return (
        SelfEmploymentProject.objects.filter(person=person)
        .select_related("case")
        .order_by("-opened_at", "-pk")
    )


def enrolments_of(*, person: Person) -> QuerySet[TrainingEnrolment]:
    """The person's own course enrolments, newest first (the citizen's page)."""
    return (
        TrainingEnrolment.objects.filter(job_seeker__person=person)
        .select_related("course", "award")
        .order_by("-enrolled_on", "-pk")
    )


def projects_list(*, status: str | None = None) -> QuerySet[SelfEmploymentProject]:
    projects = SelfEmploymentProject.objects.select_related("person", "case").order_by(
        "-opened_at", "-pk"
    )
    return projects.filter(status=status) if status else projects


def follow_ups_due(*, on: datetime.date) -> QuerySet[ProjectFollowUp]:
    """Visits due by `on` and not recorded yet, of projects still followed up."""
    return (
        ProjectFollowUp.objects.filter(
            due_on__lte=on, visited_on__isnull=True, project__status=ProjectStatus.FOLLOW_UP
        )
        .select_related("project", "project__person")
        .order_by("due_on", "pk")
    )


# --- Writes -----------------------------------------------------------------------------------


def project_open(
    *, person: Person, case: Any, business_idea: str, actor: User
) -> SelfEmploymentProject:
    """Open the project of an approved application (`case`, checked by the caller)."""
    today = timezone.localdate()
    if unemployment_benefit_held(person=person, on=today):
        raise ProgrammeRefused(_excluded_text())
    try:
        with transaction.atomic():
            project = SelfEmploymentProject.objects.create(
                person=person,
                case_id=case.pk,
                business_idea=business_idea[:2000],
                opened_by=actor,
            )
            _audit("employment.project_open", actor, project, case=case.reference)
    except IntegrityError:
        raise ProgrammeError(
            _("A project is already open for application %(ref)s.") % {"ref": case.reference}
        ) from None
    return project


def project_assess(
    *,
    project: SelfEmploymentProject,
    score: int,
    is_recommended: bool,
    note: str,
    actor: User,
    is_released_prisoner: bool = False,
    version: int | None = None,
) -> SelfEmploymentProject:
    """Record the business plan's assessment; a new assessment replaces an earlier one."""
    if not 0 <= score <= 100:
        raise ProgrammeError(_("Give the business plan a score from 0 to 100."))
    fields = {
        "score": score,
        "is_recommended": is_recommended,
        "assessment_note": note.strip()[:2000],
        "is_released_prisoner": is_released_prisoner,
        "assessed_by": actor,
        "assessed_on": timezone.localdate(),
    }
    return _change(
        project,
        expected=(ProjectStatus.ASSESSMENT,),
        fields=fields,
        version=version,
        action="employment.project_assess",
        actor=actor,
        score=score,
        recommended=is_recommended,
    )


def project_approve(
    *, project: SelfEmploymentProject, actor: User, version: int | None = None
) -> SelfEmploymentProject:
    """Approve a recommended plan: a second officer, never the one who assessed it."""
    if project.assessed_by_id is None or not project.is_recommended:
        raise ProgrammeError(_("Only a plan assessed and recommended for approval is approved."))
    if project.assessed_by_id == actor.pk:
        raise ProgrammeError(
            _("You assessed this business plan: another officer of the centre approves it.")
        )
    today = timezone.localdate()
    if unemployment_benefit_held(person=project.person, on=today):
        raise ProgrammeRefused(_excluded_text())
    return _change(
        project,
        expected=(ProjectStatus.ASSESSMENT,),
        fields={"status": ProjectStatus.APPROVED, "approved_by": actor, "approved_on": today},
        version=version,
        action="employment.project_approve",
        actor=actor,
    )


def handover_add(
    *,
    project: SelfEmploymentProject,
    description: str,
    value_qepik: int,
    handed_on: datetime.date,
    contract_number: str,
    actor: User,
) -> AssetHandover:
    """Record one asset handed over in kind under the programme's contract."""
    if project.status not in (ProjectStatus.APPROVED, ProjectStatus.ASSETS_HANDED):
        raise ProgrammeError(_("Assets are handed over only for an approved project."))
    if value_qepik <= 0:
        raise ProgrammeError(_("Give the asset's value in manat, more than zero."))
    if project.approved_on is not None and handed_on < project.approved_on:
        raise ProgrammeError(_("An asset cannot be handed over before the project was approved."))
    if handed_on > timezone.localdate():
        raise ProgrammeError(_("Record a hand-over once it has taken place."))
    with transaction.atomic():
        line = AssetHandover.objects.create(
            project=project,
            description=description.strip()[:255],
            value_qepik=value_qepik,
            handed_on=handed_on,
            contract_number=contract_number.strip()[:40],
            handed_by=actor,
        )
        if project.status == ProjectStatus.APPROVED:
            _change(
                project,
                expected=(ProjectStatus.APPROVED,),
                fields={"status": ProjectStatus.ASSETS_HANDED},
                version=None,
                action="employment.project_assets",
                actor=actor,
            )
        _audit("employment.handover_add", actor, project, line=line.pk, value_qepik=value_qepik)
    return line


def handover_complete(
    *, project: SelfEmploymentProject, actor: User, version: int | None = None
) -> SelfEmploymentProject:
    """Close the hand-over and schedule the visits: every interval after the last asset's day
    until the follow-up period ends (6, 12, 18 and 24 months by default)."""
    last = project.handovers.order_by("-handed_on").values_list("handed_on", flat=True).first()
    if last is None:
        raise ProgrammeError(_("Record at least one asset handed over first."))
    period = parameter("follow_up_months", on=last)
    interval = parameter("follow_up_interval_months", on=last)
    until = months_add(last, period)
    with transaction.atomic():
        changed = _change(
            project,
            expected=(ProjectStatus.ASSETS_HANDED,),
            fields={
                "status": ProjectStatus.FOLLOW_UP,
                "handed_over_on": last,
                "follow_up_until": until,
            },
            version=version,
            action="employment.handover_complete",
            actor=actor,
        )
        ProjectFollowUp.objects.bulk_create(
            [
                ProjectFollowUp(project=project, due_on=months_add(last, months))
                for months in range(interval, period + 1, interval)
            ]
        )
    return changed


def follow_up_record(
    *, follow_up: ProjectFollowUp, visited_on: datetime.date, outcome: str, note: str, actor: User
) -> ProjectFollowUp:
    """Record a visit. A stopped business stops the project; the last visit finding it
    operating completes it."""
    project = follow_up.project
    if outcome not in FollowUpOutcome.values:
        raise ProgrammeError(_("Choose what the visit found."))
    if visited_on > timezone.localdate():
        raise ProgrammeError(_("Record a visit once it has taken place."))
    if project.handed_over_on is not None and visited_on < project.handed_over_on:
        raise ProgrammeError(_("A visit cannot come before the assets were handed over."))
    with transaction.atomic():
        updated = ProjectFollowUp.objects.filter(
            pk=follow_up.pk, visited_on__isnull=True, project__status=ProjectStatus.FOLLOW_UP
        ).update(
            visited_on=visited_on, outcome=outcome, note=note.strip()[:2000], recorded_by=actor
        )
        if updated != 1:
            raise ProgrammeError(_("This visit is recorded already, or the project has ended."))
        _end_after_visit(project, follow_up, outcome=outcome, visited_on=visited_on, actor=actor)
        _audit(
            "employment.follow_up_record", actor, project, follow_up=follow_up.pk, outcome=outcome
        )
    follow_up.refresh_from_db()
    return follow_up


def _end_after_visit(
    project: SelfEmploymentProject,
    follow_up: ProjectFollowUp,
    *,
    outcome: str,
    visited_on: datetime.date,
    actor: User,
) -> None:
    is_last = not project.follow_ups.filter(due_on__gt=follow_up.due_on).exists()
    if outcome == FollowUpOutcome.STOPPED:
        status = ProjectStatus.STOPPED
        project.follow_ups.filter(visited_on__isnull=True).delete()
    elif outcome == FollowUpOutcome.OPERATING and is_last:
        status = ProjectStatus.COMPLETED
    else:
        return
    _change(
        project,
        expected=(ProjectStatus.FOLLOW_UP,),
        fields={"status": status, "ended_on": visited_on},
        version=None,
        action=f"employment.project_{status.value}",
        actor=actor,
    )


# --- Helpers ----------------------------------------------------------------------------------


def _change(
    project: SelfEmploymentProject,
    *,
    expected: tuple[str, ...],
    fields: dict[str, Any],
    version: int | None,
    action: str,
    actor: User,
    **details: Any,
) -> SelfEmploymentProject:
    """A conditional UPDATE: the project must still be at `expected` (and `version`)."""
    seen = project.version if version is None else version
    with transaction.atomic():
        updated = SelfEmploymentProject.objects.filter(
            pk=project.pk, status__in=expected, version=seen
        ).update(**fields, version=seen + 1)
        if updated != 1:
            raise ProgrammeError(
                _("The project was changed by someone else or is at another stage: reload it.")
            )
        project.refresh_from_db()
        _audit(action, actor, project, **details)
    return project


def _audit(action: str, actor: User, project: SelfEmploymentProject, **details: Any) -> None:
    from meis.accounts.access import actor_roles, staff_institution

    audit_record(
        action=action,
        actor=actor,
        actor_role=",".join(sorted(actor_roles(actor))),
        actor_institution=staff_institution(actor),
        person=project.person,
        obj=project,
        details={k: str(v) for k, v in details.items()},
    )


def _excluded_text() -> str:
    return str(
        _(
            "The person is paid the unemployment-insurance benefit: its recipients cannot take "
            "part in the self-employment programme. They may apply once the benefit has ended."
        )
    )
