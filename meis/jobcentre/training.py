"""Vocational training with a stipend (peşə hazırlığı, docs/domain.md §8).

    enrolment = training_enrol(job_seeker=..., course=..., actor=officer)
    training_enrolment_drop(enrolment=..., on=..., actor=officer)
    training_daily(on=today)          # courses that ended; registrations that ended

An officer enrols a registered job seeker on a course. The rules (`training_stipend`) decide the
stipend: a person registered as unemployed and enrolled is paid a monthly stipend from the
course's start (or the enrolment day, when later) to its end, granted as an award of kind
`stipend` with the rules' record (`meis.awards.services.grant.award_grant`). A job seeker who
is not unemployed is enrolled without a stipend.

The stipend ends early when the enrolment is dropped or the registration ends: its last day
moves to that day (reason `decision`), and the awards' daily job ends it, with its letter, once
that day has passed (a drop before the course starts keeps one day: an award never ends before
it starts). The courses and enrolments are the register's tables (`meis.employment`); enrolling
is an act of the centre's officers, with their other pages here.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from meis.accounts.access import actor_roles, role_codes, staff_institution
from meis.audit.services import audit_record
from meis.awards.models import HELD_STATUSES, Award, AwardEndReason, AwardKind, AwardOrigin
from meis.awards.services.grant import award_grant, basis_get_or_create
from meis.employment.models import (
    EnrolmentStatus,
    JobSeeker,
    RegistrationState,
    SeekerStatus,
    TrainingCourse,
    TrainingEnrolment,
)
from meis.rules.engine import evaluate_case
from meis.rules.schemes import get_scheme

SCHEME = "training_stipend"
TAKEN = (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED)


class TrainingError(Exception):
    """An enrolment the service refuses (no seat, the course is over, …); says why."""


def courses_open(*, on: datetime.date) -> QuerySet[TrainingCourse]:
    """Courses not yet ended, with the seats taken (`taken`)."""
    return (
        TrainingCourse.objects.filter(ends_on__gte=on)
        .select_related("occupation")
        .annotate(taken=Count("enrolments", filter=Q(enrolments__status__in=TAKEN)))
        .order_by("starts_on", "pk")
    )


def enrolments_of_course(*, course: TrainingCourse) -> QuerySet[TrainingEnrolment]:
    return course.enrolments.select_related("job_seeker__person", "award").order_by("pk")


def training_enrol(
    *, job_seeker: JobSeeker, course: TrainingCourse, actor: User
) -> TrainingEnrolment:
    """Enrol a registered job seeker; grant the stipend the rules find (none: no award)."""
    today = timezone.localdate()
    if not job_seeker.is_open:
        raise TrainingError(_("Only a person registered with the employment service is enrolled."))
    if course.ends_on < today:
        raise TrainingError(_("This course has ended: choose a course still running."))
    with transaction.atomic():
        locked = TrainingCourse.objects.select_for_update().get(pk=course.pk)
        if locked.enrolments.filter(job_seeker=job_seeker).exists():
            raise TrainingError(_("The person is already enrolled on this course."))
        if locked.enrolments.filter(status__in=TAKEN).count() >= locked.seats:
            raise TrainingError(_("The course has no free seat left."))
        enrolment = TrainingEnrolment.objects.create(
            job_seeker=job_seeker, course=locked, enrolled_on=today, enrolled_by=actor
        )
        enrolment.award = _stipend_grant(enrolment, start_on=max(locked.starts_on, today))
        enrolment.save(update_fields=["award"])
        _audit("employment.training_enrol", actor, enrolment, award=enrolment.award_id)
    return enrolment


def _stipend_grant(enrolment: TrainingEnrolment, *, start_on: datetime.date) -> Award | None:
    job_seeker, course = enrolment.job_seeker, enrolment.course
    facts = {
        "is_registered_unemployed": job_seeker.status == SeekerStatus.UNEMPLOYED,
        "is_enrolled": True,
    }
    result = evaluate_case(get_scheme(SCHEME), facts, on=start_on)
    if not result.outcome:
        return None
    record: dict[str, Any] = {
        "facts": result.trace["facts"],
        "steps": {step["name"]: step["value"] for step in result.trace["steps"]},
        "enrolment": enrolment.pk,
        "course": {"id": course.pk, "title": course.title, "ends_on": course.ends_on.isoformat()},
        "registration": job_seeker.pk,
        "officers": {"enrolled_by": enrolment.enrolled_by.get_username()},
    }
    award = award_grant(
        person=job_seeker.person,
        kind=AwardKind.STIPEND,
        amount_qepik=result.amount_qepik,
        start_on=start_on,
        end_on=course.ends_on,
        basis=basis_get_or_create(scheme=SCHEME, on=start_on),
        record=record,
        origin=AwardOrigin.CASE_DECISION,
        origin_reference=f"training-enrolment:{enrolment.pk}",
    )
    if award is None:
        raise TrainingError(_("The person already holds a stipend from this day."))
    return award


def training_enrolment_drop(
    *, enrolment: TrainingEnrolment, on: datetime.date, actor: User | None, reason: str = ""
) -> TrainingEnrolment:
    """The person left the course on `on`: the enrolment is dropped, the stipend's last day
    moves to `on` (never before its first day)."""
    with transaction.atomic():
        updated = TrainingEnrolment.objects.filter(
            pk=enrolment.pk, status=EnrolmentStatus.ENROLLED
        ).update(status=EnrolmentStatus.DROPPED, ended_on=on)
        if updated != 1:
            raise TrainingError(_("This enrolment has already ended."))
        if enrolment.award_id is not None:
            _stipend_end(enrolment.award_id, on=on)
        _audit("employment.training_drop", actor, enrolment, on=on, reason=reason)
    enrolment.refresh_from_db()
    return enrolment


def _stipend_end(award_id: int, *, on: datetime.date) -> None:
    award = Award.objects.select_for_update().filter(pk=award_id, status__in=HELD_STATUSES).first()
    if award is None or (award.end_on is not None and award.end_on <= on):
        return
    award.end_on = max(on, award.start_on)
    award.end_reason = AwardEndReason.DECISION
    award.save(update_fields=["end_on", "end_reason"])


def training_daily(*, on: datetime.date) -> dict[str, int]:
    """The training steps of the employment service's daily job; safe to run twice.

    Enrolments on a course that has ended are completed; those of a registration that has
    ended are dropped on the registration's last day, their stipend ending with it."""
    course_end = TrainingCourse.objects.filter(pk=OuterRef("course_id")).values("ends_on")[:1]
    completed = TrainingEnrolment.objects.filter(
        status=EnrolmentStatus.ENROLLED, course__ends_on__lt=on
    ).update(status=EnrolmentStatus.COMPLETED, ended_on=Subquery(course_end))
    ended = TrainingEnrolment.objects.filter(
        status=EnrolmentStatus.ENROLLED, job_seeker__state=RegistrationState.ENDED
    ).select_related("job_seeker")
    dropped = 0
    for enrolment in ended:
        last_day = enrolment.job_seeker.ended_on or on
        training_enrolment_drop(
            enrolment=enrolment, on=last_day, actor=None, reason="registration ended"
        )
        dropped += 1
    return {"completed": completed, "dropped": dropped}


def _audit(action: str, actor: User | None, enrolment: TrainingEnrolment, **details: Any) -> None:
    audit_record(
        action=action,
        actor=actor,
        actor_role=role_codes(actor_roles(actor)) if actor is not None else "system",
        actor_institution=staff_institution(actor) if actor is not None else "",
        person=enrolment.job_seeker.person,
        obj=enrolment,
        details={k: str(v) for k, v in details.items()},
    )
