"""Pages: the citizen's registration with the employment service; the officer's referrals."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from meis.accounts.access import (
    PersonNotFound,
    citizen_person,
    person_get_for_actor,
    persons_listed_for_actor,
)
from meis.accounts.decorators import citizen_required
from meis.accounts.selectors import staff_profile_get
from meis.employment import selectors
from meis.employment.models import JobSeeker, RegistrationState, StatusChange, Vacancy
from meis.employment.programmes import enrolments_of, projects_of
from meis.employment.services import (
    ConcurrentChange,
    EmploymentError,
    RegistrationRefused,
    job_seeker_call_missed,
    job_seeker_cancel,
    job_seeker_pause,
    job_seeker_profile_update,
    job_seeker_resume,
    referral_issue,
)
from meis.jobcentre.access import officer_required
from meis.jobcentre.forms import (
    FindForm,
    MissedCallForm,
    PauseForm,
    ProfileForm,
    ReferralForm,
    RegistrationForm,
)
from meis.jobcentre.services import job_seeker_register
from meis.registry.models import Person


def _citizen(request: HttpRequest) -> Person:
    person = citizen_person(request.user)
    if person is None:  # citizen_required let only citizens in
        raise Http404
    return person


# --- The citizen's side ------------------------------------------------------------------------


@citizen_required
def my_employment(request: HttpRequest) -> HttpResponse:
    person = _citizen(request)
    registration = selectors.registration_open(person=person)
    context: dict[str, object] = {
        "registration": registration,
        "earlier": selectors.registrations_of(person=person).exclude(
            state__in=(RegistrationState.ACTIVE, RegistrationState.PAUSED)
        )[:5],
        "projects": projects_of(person=person),
        "enrolments": enrolments_of(person=person),
    }
    if registration is not None:
        context |= {
            "suggestions": selectors.vacancies_suggested(job_seeker=registration),
            "referrals": selectors.referrals_of(job_seeker=registration),
            "changes": selectors.registration_changes(job_seeker=registration),
            "reason": _reason_now(registration),
            "pause_form": PauseForm(),
        }
    return render(request, "jobcentre/my_employment.html", context)


def _reason_now(registration: JobSeeker) -> str:
    """Why the registers made the person a job seeker and not unemployed, as written on the
    registration's history when it was made (in the person's language)."""
    if not registration.status_reason:
        return ""
    registered = selectors.registration_changes(job_seeker=registration).filter(
        kind=StatusChange.Kind.REGISTERED
    )
    first = registered.first()
    return first.reason if first is not None else ""


@citizen_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    person = _citizen(request)
    today = timezone.localdate()
    check = selectors.registration_check(person=person, on=today)
    if check.open_registration is not None:
        messages.info(request, _("You are already registered with the service."))
        return redirect("jobcentre:mine")
    form = RegistrationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and check.can_register and form.is_valid():
        try:
            job_seeker_register(
                person=person,
                profile=form.profile(),
                actor=request.user,
                declared_not_employed=form.cleaned_data["is_employed_otherwise"] == "no",
                request=request,
            )
        except (RegistrationRefused, EmploymentError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("You are registered with the employment service."))
            return redirect("jobcentre:mine")
    return render(request, "jobcentre/register.html", {"form": form, "check": check})


def _own_registration(request: HttpRequest) -> JobSeeker:
    registration = selectors.registration_open(person=_citizen(request))
    if registration is None:
        raise Http404
    return registration


@citizen_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    registration = _own_registration(request)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                job_seeker_profile_update(
                    job_seeker=registration,
                    profile=form.profile(),
                    actor=request.user,
                    version=_version(request, registration),
                )
            except (ConcurrentChange, EmploymentError) as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Your profile is saved."))
                return redirect("jobcentre:mine")
    else:
        form = ProfileForm(initial=ProfileForm.initial_from(registration))
    return render(request, "jobcentre/profile.html", {"form": form, "registration": registration})


def _version(request: HttpRequest, registration: JobSeeker) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return registration.version


@citizen_required
@require_http_methods(["GET", "POST"])
def pause(request: HttpRequest) -> HttpResponse:
    registration = _own_registration(request)
    form = PauseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            job_seeker_pause(
                job_seeker=registration,
                until=form.cleaned_data["until"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except EmploymentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("You are temporarily de-registered."))
            return redirect("jobcentre:mine")
    return render(request, "jobcentre/pause.html", {"form": form, "registration": registration})


@citizen_required
@require_POST
def resume(request: HttpRequest) -> HttpResponse:
    registration = _own_registration(request)
    try:
        job_seeker_resume(job_seeker=registration, actor=request.user)
    except EmploymentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your registration is active again."))
    return redirect("jobcentre:mine")


@citizen_required
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest) -> HttpResponse:
    registration = _own_registration(request)
    if request.method == "POST":
        try:
            job_seeker_cancel(job_seeker=registration, actor=request.user)
        except EmploymentError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your registration is cancelled."))
        return redirect("jobcentre:mine")
    return render(request, "jobcentre/cancel.html", {"registration": registration})


# --- The officer's side ------------------------------------------------------------------------


@officer_required
def officer_home(request: HttpRequest) -> HttpResponse:
    form = FindForm(request.GET if "fin" in request.GET else None)
    if form.is_bound and form.is_valid():
        # Only people registered with the service are found: the page is no registry search.
        registration = selectors.registration_open_by_fin(fin=form.cleaned_data["fin"])
        if registration is not None:
            return redirect("jobcentre:officer_person", person_id=registration.person_id)
        form.add_error("fin", _("No registration with the employment service has this FİN."))
    recent = _worklist(request)
    return render(request, "jobcentre/officer_home.html", {"form": form, "recent": recent})


WORKLIST_SIZE = 50


def _worklist(request: HttpRequest) -> list[JobSeeker]:
    """The newest registrations of the officer's centre's region; a read of each person listed
    (audited, one insert), as a case queue is."""
    profile = staff_profile_get(user=request.user)
    if profile is None or profile.centre is None:
        return []
    recent = selectors.registrations_recent(region=profile.centre.region, limit=WORKLIST_SIZE)
    persons_listed_for_actor(
        actor=request.user,
        listed=[(registration.person_id, registration) for registration in recent],
        purpose="employment centre: newest registrations",
        request=request,
    )
    return recent


def _officer_registration(request: HttpRequest, person_id: int) -> tuple[Person, JobSeeker]:
    """The person (the read audited, or refused and audited) and their open registration."""
    assert isinstance(request.user, User)  # noqa: S101 — officer_required let staff only
    try:
        person = person_get_for_actor(
            actor=request.user,
            person_id=person_id,
            purpose="employment centre: job seeker",
            request=request,
        )
    except PersonNotFound:
        raise Http404 from None
    registration = selectors.registration_open(person=person)
    if registration is None:
        raise Http404
    return person, registration


@officer_required
@require_http_methods(["GET", "POST"])
def officer_person(request: HttpRequest, person_id: int) -> HttpResponse:
    assert isinstance(request.user, User)  # noqa: S101 — officer_required let staff only
    person, registration = _officer_registration(request, person_id)
    form = ReferralForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        vacancy = Vacancy.objects.filter(pk=form.cleaned_data["vacancy"]).first()
        if vacancy is None:
            form.add_error("vacancy", _("No vacancy has this number."))
        else:
            try:
                referral_issue(
                    job_seeker=registration,
                    vacancy=vacancy,
                    is_suitable=form.cleaned_data["is_suitable"],
                    actor=request.user,
                    request=request,
                )
            except EmploymentError as error:
                form.add_error("vacancy", str(error))
            else:
                messages.success(request, _("The person is referred; they are told by letter."))
                return redirect("jobcentre:officer_person", person_id=person.pk)
    suggestions = selectors.vacancies_suggested(job_seeker=registration)
    return render(
        request,
        "jobcentre/officer_person.html",
        {
            "person": person,
            "registration": registration,
            "suggestions": suggestions,
            "referrals": selectors.referrals_of(job_seeker=registration),
            "form": form,
        },
    )


@officer_required
@require_http_methods(["GET", "POST"])
def officer_call_missed(request: HttpRequest, person_id: int) -> HttpResponse:
    assert isinstance(request.user, User)  # noqa: S101 — officer_required let staff only
    person, registration = _officer_registration(request, person_id)
    form = MissedCallForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            job_seeker_call_missed(
                job_seeker=registration,
                called_for=form.cleaned_data["called_for"],
                note=form.cleaned_data["note"],
                actor=request.user,
                request=request,
            )
        except EmploymentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Recorded. The registration ends when the law's count is reached.")
            )
            return redirect("jobcentre:officer_person", person_id=person.pk)
    return render(
        request,
        "jobcentre/officer_call_missed.html",
        {"person": person, "registration": registration, "form": form},
    )
