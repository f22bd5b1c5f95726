"""Writes of the employment service: registration and its end, referrals and their outcome.

    check = registration_check(person=..., on=...)            # selectors: what the registers say
    job_seeker = job_seeker_create(person=..., status=..., ...)  # after the check; the e-service
                                                               # (meis.jobcentre) files the case
    job_seeker_pause / job_seeker_resume / job_seeker_cancel   # the e-service's own three acts
    referral = referral_issue(job_seeker=..., vacancy=..., is_suitable=..., actor=...)
    referral_outcome_record(referral=..., outcome=..., reason=..., actor=...)
    statuses_end(on=...), pauses_end(on=...)                   # the daily job's steps

The registers decide the status (`selectors.registration_check`); the letter says why. A
registration ends by itself (`statuses_end`): when the contracts register shows a
contract that started after it, when a pension is awarded, at death, after the refused suitable
jobs or missed calls the law counts — each with a letter.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.contrib.auth.models import AnonymousUser, User
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meis.audit.services import audit_record
from meis.awards.models import HELD_STATUSES, Award
from meis.core.bulk import frame_write
from meis.core.dates import months_add
from meis.core.formats import LANGUAGES
from meis.employment.models import (
    OPEN_STATES,
    Education,
    EndReason,
    JobSeeker,
    Referral,
    ReferralOutcome,
    RegistrationState,
    SeekerStatus,
    StatusChange,
    Vacancy,
    VacancyStatus,
)
from meis.employment.selectors import PENSION_KINDS
from meis.labour.models import Contract, ContractStatus, Occupation
from meis.notifications.models import Channel as MessageChannel
from meis.notifications.models import Message
from meis.notifications.services import notification_queue
from meis.notifications.services.bulk import messages_frame, recipients_by_channel
from meis.registry.models import Person, Region
from meis.rules.explain import format_date, format_money
from meis.rules.store import default_store
from meis.usage.models import UsageEvent, UsageKind
from meis.usage.services import usage_record

Actor = User | AnonymousUser
SERVICE_CODE = "job-seeker-registration"
PORTAL_PATH = "/{language}/my/employment/"


class RegistrationRefused(Exception):
    """The registers do not allow the registration; `reasons` say why, translated."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


class EmploymentError(Exception):
    """A change the register refuses (a closed vacancy, an outcome recorded twice, …)."""


class ConcurrentChange(EmploymentError):
    """Someone else changed the registration first; reload and try again."""


@dataclass(frozen=True)
class Profile:
    """What the job seeker tells the service about the work they look for."""

    education: str
    occupations: tuple[Occupation, ...] = ()
    skills: str = ""
    desired_region: str = ""
    desired_salary_qepik: int | None = None

    def __post_init__(self) -> None:
        if self.education not in Education.values:
            raise EmploymentError(_("Choose your education from the list."))
        if self.desired_region and self.desired_region not in Region.values:
            raise EmploymentError(_("Choose a region from the list."))
        if self.desired_salary_qepik is not None and self.desired_salary_qepik < 0:
            raise EmploymentError(_("The desired salary cannot be negative."))
        if "\x00" in self.skills or len(self.skills) > 1000:
            raise EmploymentError(_("Describe your skills in at most 1,000 characters."))


# --- Registration ------------------------------------------------------------------------------


def job_seeker_create(
    *,
    person: Person,
    status: str,
    reason_code: str,
    reason_text: str,
    profile: Profile,
    actor: Actor,
    channel: str,
    case: Any = None,
    request: HttpRequest | None = None,
) -> JobSeeker:
    """Write a registration the registers allowed (`selectors.registration_check`, called by
    the e-service in the same transaction): the row and its profile, the change on its
    history, an audit event, a usage event and the letter. A second open registration of the
    same person is refused by the database (`RegistrationRefused` for the caller to show)."""
    today = timezone.localdate()
    try:
        with transaction.atomic():
            job_seeker = JobSeeker.objects.create(
                person=person,
                status=status,
                status_reason=reason_code,
                registered_on=today,
                education=profile.education,
                skills=profile.skills,
                desired_region=profile.desired_region,
                desired_salary_qepik=profile.desired_salary_qepik,
                case=case,
            )
    except IntegrityError:
        raise RegistrationRefused([_("You are already registered with the service.")]) from None
    job_seeker.occupations.set(profile.occupations)
    _change(job_seeker, StatusChange.Kind.REGISTERED, today, reason_text[:500], actor)
    _audit("employment.register", actor, person, job_seeker, request, status=status)
    usage_record(
        kind=UsageKind.JOB_SEEKER_REGISTERED,
        occurred_at=timezone.now(),
        service_code=SERVICE_CODE,
        channel=channel,
        region=person.region,
        outcome=status,
        source=f"job_seeker:{job_seeker.pk}",
    )
    _registered_letter(job_seeker, reason_text)
    return job_seeker


def job_seeker_profile_update(
    *, job_seeker: JobSeeker, profile: Profile, actor: Actor, version: int
) -> JobSeeker:
    """Change the profile of an open registration (optimistic: `version` is the one read)."""
    with transaction.atomic():
        changed = JobSeeker.objects.filter(
            pk=job_seeker.pk, version=version, state__in=OPEN_STATES
        ).update(
            education=profile.education,
            skills=profile.skills,
            desired_region=profile.desired_region,
            desired_salary_qepik=profile.desired_salary_qepik,
            version=F("version") + 1,
        )
        if not changed:
            raise ConcurrentChange(_("The registration was changed meanwhile; look again."))
        job_seeker.refresh_from_db()
        job_seeker.occupations.set(profile.occupations)
        _change(job_seeker, StatusChange.Kind.PROFILE, timezone.localdate(), "", actor)
        _audit("employment.profile", actor, job_seeker.person, job_seeker, None)
    return job_seeker


def job_seeker_pause(
    *, job_seeker: JobSeeker, until: datetime.date, reason: str, actor: Actor
) -> JobSeeker:
    """Temporary de-registration (müvəqqəti qeydiyyatdan çıxma) until `until`, at most
    `employment.pause_longest_months` ahead; the registration resumes by itself after it."""
    today = timezone.localdate()
    longest = int(str(default_store().value("employment.pause_longest_months", on=today)))
    if until <= today:
        raise EmploymentError(_("The end of the de-registration must be after today."))
    if until > months_add(today, longest):
        raise EmploymentError(
            _("A temporary de-registration lasts at most %(months)s months.") % {"months": longest}
        )
    reason = _text(reason, 500)
    return _state_change(
        job_seeker,
        expect=RegistrationState.ACTIVE,
        values={"state": RegistrationState.PAUSED, "paused_from": today, "paused_until": until},
        kind=StatusChange.Kind.PAUSED,
        reason=reason,
        actor=actor,
    )


def job_seeker_resume(*, job_seeker: JobSeeker, actor: Actor) -> JobSeeker:
    return _state_change(
        job_seeker,
        expect=RegistrationState.PAUSED,
        values={"state": RegistrationState.ACTIVE, "paused_from": None, "paused_until": None},
        kind=StatusChange.Kind.RESUMED,
        reason="",
        actor=actor,
    )


def job_seeker_cancel(*, job_seeker: JobSeeker, actor: Actor, reason: str = "") -> JobSeeker:
    """Cancellation at the person's request: the registration ends today."""
    today = timezone.localdate()
    with transaction.atomic():
        changed = JobSeeker.objects.filter(pk=job_seeker.pk, state__in=OPEN_STATES).update(
            state=RegistrationState.ENDED,
            ended_on=today,
            end_reason=EndReason.CANCELLED,
            version=F("version") + 1,
        )
        if not changed:
            raise ConcurrentChange(_("The registration has already ended."))
        job_seeker.refresh_from_db()
        _change(job_seeker, StatusChange.Kind.ENDED, today, _text(reason, 500), actor)
        _audit("employment.cancel", actor, job_seeker.person, job_seeker, None)
        _ended_usage(_ended_people([job_seeker.pk]), EndReason.CANCELLED)
    return job_seeker


def _state_change(
    job_seeker: JobSeeker,
    *,
    expect: str,
    values: dict[str, Any],
    kind: str,
    reason: str,
    actor: Actor,
) -> JobSeeker:
    with transaction.atomic():
        changed = JobSeeker.objects.filter(pk=job_seeker.pk, state=expect).update(
            **values, version=F("version") + 1
        )
        if not changed:
            raise ConcurrentChange(_("The registration was changed meanwhile; look again."))
        job_seeker.refresh_from_db()
        _change(job_seeker, kind, timezone.localdate(), reason, actor)
        _audit(f"employment.{kind}", actor, job_seeker.person, job_seeker, None)
    return job_seeker


# --- Referrals ---------------------------------------------------------------------------------


def referral_issue(
    *,
    job_seeker: JobSeeker,
    vacancy: Vacancy,
    is_suitable: bool,
    actor: User,
    request: HttpRequest | None = None,
) -> Referral:
    """A centre officer refers an active job seeker to an open vacancy; the person is told."""
    today = timezone.localdate()
    with transaction.atomic():
        vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
        if vacancy.status != VacancyStatus.OPEN or vacancy.closes_on < today:
            raise EmploymentError(_("This vacancy is closed; refer the person to an open one."))
        job_seeker = JobSeeker.objects.select_related("person").get(pk=job_seeker.pk)
        if job_seeker.state != RegistrationState.ACTIVE:
            raise EmploymentError(_("Only an active registration can be referred to a vacancy."))
        if Referral.objects.filter(job_seeker=job_seeker, vacancy=vacancy).exists():
            raise EmploymentError(_("This person was already referred to this vacancy."))
        referral = Referral.objects.create(
            job_seeker=job_seeker,
            vacancy=vacancy,
            is_suitable=is_suitable,
            referred_on=today,
            referred_by=actor,
        )
        _audit("employment.refer", actor, job_seeker.person, referral, request, vacancy=vacancy.pk)
        usage_record(
            kind=UsageKind.REFERRAL,
            occurred_at=timezone.now(),
            region=vacancy.region,
            source=f"referral:{referral.pk}",
        )
        _referral_letter(referral)
    return referral


def referral_outcome_record(
    *,
    referral: Referral,
    outcome: str,
    reason: str,
    actor: Actor,
    request: HttpRequest | None = None,
) -> Referral:
    """The employer's answer to a referral. A suitable job the job seeker refused is counted
    toward losing the unemployed status (the daily job ends it at the limit); a hire fills a
    position, and the last one closes the vacancy."""
    if outcome not in ReferralOutcome.values or outcome == ReferralOutcome.PENDING:
        raise EmploymentError(_("Choose what happened with the referral."))
    reason = _text(reason, 500)
    needs_reason = (ReferralOutcome.REFUSED_BY_SEEKER, ReferralOutcome.REFUSED_BY_EMPLOYER)
    if outcome in needs_reason and not reason:
        raise EmploymentError(_("Give the reason for the refusal."))
    today = timezone.localdate()
    with transaction.atomic():
        changed = Referral.objects.filter(pk=referral.pk, outcome=ReferralOutcome.PENDING).update(
            outcome=outcome, outcome_reason=reason, outcome_on=today, outcome_by=_user(actor)
        )
        if not changed:
            raise EmploymentError(_("The outcome of this referral is already recorded."))
        referral.refresh_from_db()
        job_seeker = referral.job_seeker
        if outcome == ReferralOutcome.HIRED:
            _position_fill(referral.vacancy_id, today)
            usage_record(
                kind=UsageKind.PLACEMENT,
                occurred_at=timezone.now(),
                region=referral.vacancy.region,
                source=f"placement:{referral.pk}",
            )
        elif outcome == ReferralOutcome.REFUSED_BY_SEEKER and referral.is_suitable:
            JobSeeker.objects.filter(pk=job_seeker.pk).update(
                suitable_jobs_refused=F("suitable_jobs_refused") + 1
            )
            _change(job_seeker, StatusChange.Kind.REFUSAL_COUNTED, today, reason, actor)
        elif outcome == ReferralOutcome.DID_NOT_COME:
            JobSeeker.objects.filter(pk=job_seeker.pk).update(calls_missed=F("calls_missed") + 1)
            _change(job_seeker, StatusChange.Kind.CALL_MISSED, today, reason, actor)
        _audit(
            "employment.referral_outcome",
            actor,
            job_seeker.person,
            referral,
            request,
            outcome=outcome,
        )
    return referral


def job_seeker_call_missed(
    *,
    job_seeker: JobSeeker,
    called_for: datetime.date,
    note: str,
    actor: User,
    request: HttpRequest | None = None,
) -> JobSeeker:
    """The officer records that the person did not appear when called (without a valid
    reason); at `employment.calls_missed_limit` the daily job ends the registration."""
    note = _text(note, 500)
    today = timezone.localdate()
    if called_for > today:
        raise EmploymentError(_("The day of the call cannot be in the future."))
    with transaction.atomic():
        changed = JobSeeker.objects.filter(pk=job_seeker.pk, state=RegistrationState.ACTIVE).update(
            calls_missed=F("calls_missed") + 1, version=F("version") + 1
        )
        if not changed:
            raise EmploymentError(_("Only an active registration can miss a call."))
        job_seeker.refresh_from_db()
        reason = _("Did not appear when called on %(day)s.") % {"day": f"{called_for:%d.%m.%Y}"}
        _change(
            job_seeker,
            StatusChange.Kind.CALL_MISSED,
            today,
            f"{reason} {note}".strip()[:500],
            actor,
        )
        _audit(
            "employment.call_missed",
            actor,
            job_seeker.person,
            job_seeker,
            request,
            called_for=called_for,
        )
    return job_seeker


def _position_fill(vacancy_id: int, today: datetime.date) -> None:
    Vacancy.objects.filter(pk=vacancy_id, positions_filled__lt=F("positions")).update(
        positions_filled=F("positions_filled") + 1, version=F("version") + 1
    )
    closed = Vacancy.objects.filter(
        pk=vacancy_id, status=VacancyStatus.OPEN, positions_filled__gte=F("positions")
    ).update(status=VacancyStatus.FILLED, closed_on=today)
    if closed:
        vacancy = Vacancy.objects.get(pk=vacancy_id)
        usage_record(
            kind=UsageKind.VACANCY_CLOSED,
            occurred_at=timezone.now(),
            region=vacancy.region,
            outcome=VacancyStatus.FILLED,
            source=f"vacancy_closed:{vacancy_id}",
        )


# --- The daily job -----------------------------------------------------------------------------


def statuses_end(*, on: datetime.date) -> dict[str, int]:
    """End, set-based, every open registration the registers end on `on`, one UPDATE per
    reason, then write their history, usage and letters. The first reason found wins."""
    limits = {
        "refused": int(str(default_store().value("employment.suitable_jobs_refused_limit", on=on))),
        "missed": int(str(default_store().value("employment.calls_missed_limit", on=on))),
    }
    dead = Person.objects.filter(died_on__isnull=False, died_on__lte=on).values("pk")
    # A contract that started on or after the registration (one in force before it made the
    # person a job seeker, not unemployed, and does not end the registration).
    contracts = Contract.objects.filter(
        person=OuterRef("person"),
        status__in=(ContractStatus.ACTIVE, ContractStatus.SUSPENDED),
        start_on__lte=on,
        start_on__gte=OuterRef("registered_on"),
    )
    # A pension granted after the registration (its start may be earlier: arrears).
    pensions = Award.objects.filter(
        person=OuterRef("person"),
        kind__in=PENSION_KINDS,
        status__in=HELD_STATUSES,
        created_at__date__gte=OuterRef("registered_on"),
    )
    reasons: list[tuple[str, Q]] = [
        (EndReason.DEATH, Q(person__in=dead)),
        (EndReason.EMPLOYED, Q(Exists(contracts))),
        (EndReason.PENSION, Q(Exists(pensions))),
        (
            EndReason.REFUSED_JOBS,
            Q(status=SeekerStatus.UNEMPLOYED, suitable_jobs_refused__gte=limits["refused"]),
        ),
        (EndReason.DID_NOT_APPEAR, Q(calls_missed__gte=limits["missed"])),
    ]
    counts: dict[str, int] = {}
    for reason, condition in reasons:
        with transaction.atomic():
            ids = list(
                JobSeeker.objects.filter(condition, state__in=OPEN_STATES)
                .select_for_update(skip_locked=True)
                .values_list("pk", flat=True)
            )
            if not ids:
                continue
            ended_on = on
            JobSeeker.objects.filter(pk__in=ids, state__in=OPEN_STATES).update(
                state=RegistrationState.ENDED,
                ended_on=ended_on,
                end_reason=reason,
                version=F("version") + 1,
            )
            _ended_record(ids, reason, ended_on)
            counts[str(reason)] = len(ids)
    return counts


def pauses_end(*, on: datetime.date) -> int:
    """Temporary de-registrations whose last day has passed resume."""
    with transaction.atomic():
        ids = list(
            JobSeeker.objects.filter(state=RegistrationState.PAUSED, paused_until__lt=on)
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        JobSeeker.objects.filter(pk__in=ids, state=RegistrationState.PAUSED).update(
            state=RegistrationState.ACTIVE,
            paused_from=None,
            paused_until=None,
            version=F("version") + 1,
        )
        StatusChange.objects.bulk_create(
            StatusChange(job_seeker_id=pk, kind=StatusChange.Kind.RESUMED, on=on) for pk in ids
        )
    return len(ids)


def _ended_record(ids: list[int], reason: str, ended_on: datetime.date) -> None:
    """The history, the usage events and the letters of registrations ended together, each
    written as one statement (the daily job ends thousands at once after a month's hires)."""
    label = str(EndReason(reason).label)
    StatusChange.objects.bulk_create(
        StatusChange(job_seeker_id=pk, kind=StatusChange.Kind.ENDED, on=ended_on, reason=label)
        for pk in ids
    )
    people = _ended_people(ids)
    _ended_usage(people, reason)
    if reason == EndReason.DEATH:
        return  # nothing more is sent to a dead person
    _ended_letters_write(people, reason, ended_on)


def _ended_people(ids: list[int]) -> pl.DataFrame:
    rows = JobSeeker.objects.filter(pk__in=ids).values_list(
        "pk",
        "person_id",
        "person__region",
        "person__first_name",
        "person__last_name",
        "person__preferred_language",
        "person__verified_phone",
        "person__verified_email",
    )
    return pl.DataFrame(
        list(rows),
        schema={
            "job_seeker_id": pl.Int64,
            "person_id": pl.Int64,
            "region": pl.String,
            "first_name": pl.String,
            "last_name": pl.String,
            "preferred_language": pl.String,
            "verified_phone": pl.String,
            "verified_email": pl.String,
        },
        orient="row",
    )


def _ended_usage(people: pl.DataFrame, reason: str) -> None:
    now = timezone.now()
    day = timezone.localdate(now)
    UsageEvent.objects.bulk_create(
        (
            UsageEvent(
                occurred_at=now,
                day=day,
                kind=UsageKind.JOB_SEEKER_ENDED,
                service_code=SERVICE_CODE,
                region=region or "",
                outcome=str(reason),
                source=f"job_seeker_ended:{pk}",
            )
            for pk, region in people.select("job_seeker_id", "region").iter_rows()
        ),
        ignore_conflicts=True,
    )


def _ended_letters_write(people: pl.DataFrame, reason: str, ended_on: datetime.date) -> None:
    """The `job_seeker_ended` letters, rendered set-based (`messages_frame`) and written with
    COPY: the same rows `notification_queue` writes one at a time."""
    if people.height == 0:
        return
    reasons, days = {}, {}
    for code in LANGUAGES:
        with translation.override(code):
            reasons[code] = str(EndReason(reason).label)
        days[code] = format_date(ended_on, code)
    language = (
        pl.when(pl.col("preferred_language").is_in(LANGUAGES))
        .then(pl.col("preferred_language"))
        .otherwise(pl.lit("az"))
    )
    letters = people.with_columns(language=language).with_columns(
        name=pl.concat_str("first_name", "last_name", separator=" "),
        reason=pl.col("language").replace_strict(reasons, return_dtype=pl.String),
        ended_on=pl.col("language").replace_strict(days, return_dtype=pl.String),
        portal_url=pl.lit("/") + pl.col("language") + pl.lit("/my/employment/"),
        dedupe_key=pl.lit("job_seeker:")
        + pl.col("job_seeker_id").cast(pl.String)
        + pl.lit(":ended"),
        case_reference=pl.lit(""),
    )
    recipients = recipients_by_channel(
        letters,
        [MessageChannel.PORTAL.value, MessageChannel.SMS.value, MessageChannel.EMAIL.value],
    )
    frame_write(
        Message._meta.db_table, messages_frame(event="job_seeker_ended", recipients=recipients)
    )


# --- Letters -----------------------------------------------------------------------------------


def _registered_letter(job_seeker: JobSeeker, reason_text: str) -> None:
    """`reason_text` is the registers' reason, in the person's language (the e-service checks
    in it: `meis.jobcentre.services.job_seeker_register`)."""
    person = job_seeker.person
    with translation.override(person.preferred_language):
        status = str(SeekerStatus(job_seeker.status).label)
    notification_queue(
        person=person,
        event="job_seeker_registered",
        context={
            "name": _name(person),
            "status": status,
            "reason": reason_text,
            "registered_on": format_date(job_seeker.registered_on, person.preferred_language),
            "portal_url": PORTAL_PATH.format(language=person.preferred_language),
        },
        channel_preferences=_channels(person),
        dedupe_key=f"job_seeker:{job_seeker.pk}:registered",
    )


def _referral_letter(referral: Referral) -> None:
    person = referral.job_seeker.person
    vacancy = referral.vacancy
    notification_queue(
        person=person,
        event="referral_issued",
        context={
            "name": _name(person),
            "vacancy_title": vacancy.title,
            "employer_name": vacancy.employer.name,
            "workplace": vacancy.workplace,
            "salary": format_money(vacancy.salary_qepik, person.preferred_language),
            "portal_url": PORTAL_PATH.format(language=person.preferred_language),
        },
        channel_preferences=_channels(person),
        dedupe_key=f"referral:{referral.pk}",
    )


def _name(person: Person) -> str:
    return f"{person.first_name} {person.last_name}"


def _channels(person: Person) -> list[str]:
    channels = [MessageChannel.PORTAL.value]
    if person.verified_phone:
        channels.append(MessageChannel.SMS.value)
    if person.verified_email:
        channels.append(MessageChannel.EMAIL.value)
    return channels


# --- Small helpers -----------------------------------------------------------------------------


def _change(job_seeker: JobSeeker, kind: str, on: datetime.date, reason: str, actor: Actor) -> None:
    StatusChange.objects.create(
        job_seeker=job_seeker, kind=kind, on=on, reason=reason, actor=_user(actor)
    )


def _audit(
    action: str,
    actor: Actor,
    person: Person,
    obj: Any,
    request: HttpRequest | None,
    **details: Any,
) -> None:
    from meis.accounts.access import actor_roles, staff_institution

    audit_record(
        action=action,
        actor=actor,
        actor_role=",".join(sorted(actor_roles(actor))) or "system",
        actor_institution=staff_institution(actor),
        person=person,
        obj=obj,
        request=request,
        details={k: str(v) for k, v in details.items()},
    )


def _user(actor: Actor | None) -> User | None:
    return actor if isinstance(actor, User) else None


def _text(value: str, limit: int) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise EmploymentError(_("The text contains a character that cannot be stored."))
    if len(value) > limit:
        raise EmploymentError(
            _("Write at most %(limit)s characters.") % {"limit": f"{limit:,}".replace(",", " ")}
        )
    return value
