"""The employment centre's e-service writes: registration through the case engine; the daily job.

    job_seeker = job_seeker_register(person=..., profile=..., actor=..., declared_not_employed=...)
    report = employment_daily_run(on=...)     # the scheduler's `employment.daily`

Registration is an instant e-service ("İşaxtaran və ya işsiz kimi qeydiyyat"): the registers
decide the status (`meis.employment.selectors.registration_check`), the case engine files the
application and records it as decided at once (`case_submit_instant`: case, timeline, audit,
usage), and the register writes the registration and its letter — one transaction. The check
runs again inside it, under a lock on the person, so two tabs cannot both register.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation

from meis.cases.models import Channel
from meis.cases.services import case_submit_instant
from meis.catalog.selectors import eservice_version_current
from meis.centres.models import ServiceCentre
from meis.employment.benefit import benefit_offers_send, benefits_end_on_new_contract
from meis.employment.models import JobSeeker, SeekerStatus
from meis.employment.selectors import registration_check
from meis.employment.services import (
    SERVICE_CODE,
    Actor,
    Profile,
    RegistrationRefused,
    job_seeker_create,
    pauses_end,
    statuses_end,
)
from meis.employment.vacancies import vacancies_expire
from meis.jobcentre.training import training_daily
from meis.registry.models import Person


def job_seeker_register(
    *,
    person: Person,
    profile: Profile,
    actor: Actor,
    declared_not_employed: bool = True,
    channel: str = Channel.PORTAL,
    request: HttpRequest | None = None,
) -> JobSeeker:
    """Register `person` with the status the registers allow; `RegistrationRefused` says why
    not (under age, dead, already registered)."""
    today = timezone.localdate()
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()
        # In the person's language: the reasons are kept on the registration's history and
        # sent in the letter as written now.
        with translation.override(person.preferred_language or "az"):
            check = registration_check(
                person=person, on=today, declared_not_employed=declared_not_employed
            )
        if not check.can_register:
            raise RegistrationRefused([r.text for r in check.refusals])
        status = str(check.status)
        sought = SeekerStatus.UNEMPLOYED if declared_not_employed else SeekerStatus.JOB_SEEKER
        case = case_submit_instant(
            person=person,
            version=eservice_version_current(code=SERVICE_CODE),
            answers={
                "status_sought": sought.value,
                "occupation": ", ".join(o.code for o in profile.occupations)[:200],
            },
            channel=channel,
            actor=actor,
            centre=_centre_for(person),
            # One registration a day: a double submission finds the case already filed.
            idempotency_key=f"job-seeker:{person.pk}:{today.isoformat()}:{_serial(person)}",
            decided_at=timezone.now(),
            note=_status_label(status, person.preferred_language),
            request=request,
        )
        return job_seeker_create(
            person=person,
            status=status,
            reason_code=check.reason_code,
            reason_text=" ".join(r.text for r in check.reasons),
            profile=profile,
            actor=actor,
            channel=channel,
            case=case,
            request=request,
        )


def _status_label(status: str, language: str) -> str:
    """The status as the case's timeline records it: in the person's own language (a stored
    note is not translated when read)."""
    with translation.override(language or "az"):
        return str(SeekerStatus(status).label)


def _serial(person: Person) -> int:
    """How many registrations the person had: a new one after a cancellation today is new."""
    return JobSeeker.objects.filter(person=person).count()


def _centre_for(person: Person) -> ServiceCentre:
    """The registration's centre: one in the person's region, else the first."""
    centres = ServiceCentre.objects.order_by("code")
    return centres.filter(region=person.region).first() or centres[0]


# --- The daily job -----------------------------------------------------------------------------


@dataclass
class DailyReport:
    ended: dict[str, int] = field(default_factory=dict)
    resumed: int = 0
    vacancies_expired: int = 0
    benefit_offers: int = 0
    benefits_ended: int = 0
    training: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        ends = ", ".join(f"{k} {v}" for k, v in sorted(self.ended.items())) or "none"
        training = ", ".join(f"{k} {v}" for k, v in sorted(self.training.items())) or "none"
        return (
            f"registrations ended: {ends}; resumed {self.resumed}; vacancies expired "
            f"{self.vacancies_expired}; benefit offers {self.benefit_offers}; benefits ended "
            f"{self.benefits_ended}; training: {training}"
        )


def employment_daily_run(*, on: datetime.date) -> DailyReport:
    """Everything the register does by itself on `on`; safe to run any number of times.

    The benefit moves to the eve of a new contract before the registration ends for it (the
    end's letter then names the contract), and the offers go out last, to the dismissals the
    day's other steps left standing."""
    report = DailyReport()
    report.benefits_ended = benefits_end_on_new_contract(on=on)
    report.ended = statuses_end(on=on)
    report.resumed = pauses_end(on=on)
    report.vacancies_expired = vacancies_expire(on=on)
    report.benefit_offers = benefit_offers_send(on=on)
    # Enrolments end with the course, or with the registration that ended above.
    report.training = training_daily(on=on)
    return report
