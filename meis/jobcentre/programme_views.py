"""The officer's pages of the active programmes: self-employment projects and training courses.

Every page that shows a person's data records the read: a list as one read per person listed
(`persons_listed_for_actor`), a project or an enrolment as a read of its person
(`person_get_for_actor`, which refuses — 404 — a person the officer has no ground to read).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from meis.accounts.access import PersonNotFound, person_get_for_actor, persons_listed_for_actor
from meis.catalog.forms import COMMON_MESSAGES, IdentifierField, MoneyField
from meis.core import identifiers
from meis.employment import programmes
from meis.employment.models import (
    FollowUpOutcome,
    ProjectStatus,
    SelfEmploymentProject,
    TrainingCourse,
    TrainingEnrolment,
)
from meis.employment.selectors import registration_open_by_fin
from meis.jobcentre.access import officer_required
from meis.jobcentre.programmes import case_by_reference, project_open_from_case
from meis.jobcentre.training import (
    TrainingError,
    courses_open,
    enrolments_of_course,
    training_enrol,
    training_enrolment_drop,
)
from meis.labour.models import Occupation
from meis.registry.models import Person, Region

YES_NO = [("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]


# --- Forms -------------------------------------------------------------------------------------


class OpenForm(forms.Form):
    reference = forms.CharField(
        label=gettext_lazy("Reference of the approved application"),
        max_length=20,
        error_messages={**COMMON_MESSAGES, "required": gettext_lazy("Enter the reference.")},
    )


class AssessForm(forms.Form):
    score = forms.IntegerField(
        label=gettext_lazy("Business-plan score (0–100)"),
        min_value=0,
        max_value=100,
        error_messages={
            **COMMON_MESSAGES,
            "required": gettext_lazy("Give the business plan a score from 0 to 100."),
            "invalid": gettext_lazy("Give the business plan a score from 0 to 100."),
            "min_value": gettext_lazy("Give the business plan a score from 0 to 100."),
            "max_value": gettext_lazy("Give the business plan a score from 0 to 100."),
        },
    )
    recommended = forms.ChoiceField(
        label=gettext_lazy("Do you recommend approving it?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={**COMMON_MESSAGES, "required": gettext_lazy("Choose yes or no.")},
    )
    released_prisoner = forms.ChoiceField(
        label=gettext_lazy("Does the person say they were released from prison?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        initial="no",
        error_messages={**COMMON_MESSAGES, "required": gettext_lazy("Choose yes or no.")},
    )
    note = forms.CharField(
        label=gettext_lazy("Assessment note"),
        max_length=2000,
        required=False,
        widget=forms.Textarea,
    )


class HandoverForm(forms.Form):
    description = forms.CharField(
        label=gettext_lazy("Asset handed over"),
        max_length=255,
        error_messages={**COMMON_MESSAGES, "required": gettext_lazy("Describe the asset.")},
    )
    value = MoneyField(
        label=gettext_lazy("Value (manat)"),
        error_messages={**COMMON_MESSAGES, "required": gettext_lazy("Give the asset's value.")},
    )
    handed_on = forms.DateField(
        label=gettext_lazy("Handed over on"), widget=forms.DateInput, error_messages=COMMON_MESSAGES
    )
    contract_number = forms.CharField(
        label=gettext_lazy("Hand-over contract number"),
        max_length=40,
        error_messages={**COMMON_MESSAGES, "required": gettext_lazy("Enter the contract number.")},
    )


class FollowUpForm(forms.Form):
    follow_up = forms.IntegerField(widget=forms.HiddenInput)
    visited_on = forms.DateField(
        label=gettext_lazy("Visited on"), widget=forms.DateInput, error_messages=COMMON_MESSAGES
    )
    outcome = forms.ChoiceField(
        label=gettext_lazy("What did the visit find?"),
        choices=FollowUpOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            **COMMON_MESSAGES,
            "required": gettext_lazy("Choose what the visit found."),
        },
    )
    note = forms.CharField(
        label=gettext_lazy("Note"), max_length=2000, required=False, widget=forms.Textarea
    )


class CourseForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Course title"), max_length=200)
    occupation = forms.ModelChoiceField(
        label=gettext_lazy("Occupation"),
        queryset=Occupation.objects.filter(is_active=True).order_by("code"),
        to_field_name="code",
    )
    provider = forms.CharField(label=gettext_lazy("Training provider"), max_length=200)
    region = forms.ChoiceField(label=gettext_lazy("Region"), choices=Region.choices)
    starts_on = forms.DateField(label=gettext_lazy("Starts on"), widget=forms.DateInput)
    ends_on = forms.DateField(label=gettext_lazy("Ends on"), widget=forms.DateInput)
    seats = forms.IntegerField(label=gettext_lazy("Seats"), min_value=1, max_value=1000)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("A course cannot end before it starts."))
        return data


class EnrolForm(forms.Form):
    fin = IdentifierField(
        label=gettext_lazy("FİN of the person to enrol"),
        normalize=identifiers.normalize_fin,
        error_messages={**COMMON_MESSAGES, "required": gettext_lazy("Enter the FİN.")},
    )


# --- Self-employment projects ------------------------------------------------------------------


def _officer(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # noqa: S101 — officer_required let staff only
    return request.user


@officer_required
@require_http_methods(["GET", "POST"])
def programme_list(request: HttpRequest) -> HttpResponse:
    officer = _officer(request)
    form = OpenForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        project = _open(request, form)
        if project is not None:
            return redirect("jobcentre:programme_project", pk=project.pk)
    status = request.GET.get("status", "")
    status = status if status in ProjectStatus.values else ""
    projects = list(programmes.projects_list(status=status or None)[:100])
    persons_listed_for_actor(
        actor=officer,
        listed=[(p.person_id, p) for p in projects],
        purpose="employment centre: self-employment projects",
        request=request,
    )
    return render(
        request,
        "jobcentre/programme_list.html",
        {
            "form": form,
            "projects": projects,
            "status": status,
            "statuses": ProjectStatus.choices,
            "due": programmes.follow_ups_due(on=timezone.localdate()).count(),
        },
    )


def _open(request: HttpRequest, form: OpenForm) -> SelfEmploymentProject | None:
    case = case_by_reference(reference=form.cleaned_data["reference"])
    if case is None:
        form.add_error("reference", _("No application to the self-employment programme has it."))
        return None
    try:
        project = project_open_from_case(case=case, actor=_officer(request))
    except programmes.ProgrammeError as error:
        form.add_error("reference", str(error))
        return None
    messages.success(request, _("The project is open: assess its business plan."))
    return project


@officer_required
@require_http_methods(["GET", "POST"])
def programme_project(request: HttpRequest, pk: int) -> HttpResponse:
    officer = _officer(request)
    project = get_object_or_404(SelfEmploymentProject.objects.select_related("case"), pk=pk)
    person = _person(request, project.person_id, purpose="self-employment project")
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms_: dict[str, forms.Form] = {
        "assess": AssessForm(request.POST if action == "assess" else None),
        "handover": HandoverForm(request.POST if action == "handover" else None),
        "follow_up": FollowUpForm(request.POST if action == "follow_up" else None),
    }
    if action:
        error = _act(request, project, action, forms_)
        if error is None:
            return redirect("jobcentre:programme_project", pk=project.pk)
        if error:
            messages.error(request, error)
    today = timezone.localdate()
    return render(
        request,
        "jobcentre/programme_project.html",
        {
            "project": project,
            "person": person,
            "groups": programmes.priority_groups(
                person=person, on=today, is_released_prisoner=project.is_released_prisoner
            ),
            "handovers": project.handovers.all(),
            "follow_ups": project.follow_ups.all(),
            "next_visit": project.follow_ups.filter(
                visited_on__isnull=True, due_on__lte=today
            ).first(),
            "may_approve": project.assessed_by_id not in (None, officer.pk),
            "form": forms_.get(action) or forms_["assess"],
            "assess_form": forms_["assess"],
            "handover_form": forms_["handover"],
            "follow_up_form": forms_["follow_up"],
        },
    )


def _act(
    request: HttpRequest,
    project: SelfEmploymentProject,
    action: str,
    forms_: dict[str, forms.Form],
) -> str | None:
    """Do `action`; None when done, an error to show otherwise ("" when a form shows it)."""
    officer = _officer(request)
    form = forms_.get(action)
    if form is not None and not form.is_valid():
        return ""
    data = form.cleaned_data if form is not None else {}
    try:
        if action == "assess":
            programmes.project_assess(
                project=project,
                score=data["score"],
                is_recommended=data["recommended"] == "yes",
                is_released_prisoner=data["released_prisoner"] == "yes",
                note=data["note"],
                actor=officer,
            )
        elif action == "approve":
            programmes.project_approve(project=project, actor=officer)
        elif action == "handover":
            programmes.handover_add(
                project=project,
                description=data["description"],
                value_qepik=data["value"],
                handed_on=data["handed_on"],
                contract_number=data["contract_number"],
                actor=officer,
            )
        elif action == "handover_complete":
            programmes.handover_complete(project=project, actor=officer)
        elif action == "follow_up":
            follow_up = project.follow_ups.filter(pk=data["follow_up"]).first()
            if follow_up is None:
                raise Http404
            programmes.follow_up_record(
                follow_up=follow_up,
                visited_on=data["visited_on"],
                outcome=data["outcome"],
                note=data["note"],
                actor=officer,
            )
        else:
            return _("Choose an action on the page.")
    except programmes.ProgrammeError as error:
        return str(error)
    messages.success(request, _("Saved."))
    return None


def _person(request: HttpRequest, person_id: int, *, purpose: str) -> Person:
    try:
        return person_get_for_actor(
            actor=request.user,
            person_id=person_id,
            purpose=f"employment centre: {purpose}",
            request=request,
        )
    except PersonNotFound:
        raise Http404 from None


# --- Training courses --------------------------------------------------------------------------


@officer_required
@require_http_methods(["GET", "POST"])
def training_list(request: HttpRequest) -> HttpResponse:
    form = CourseForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        course = TrainingCourse.objects.create(**form.cleaned_data)
        messages.success(request, _("The course is added: enrol people on it."))
        return redirect("jobcentre:training_course", pk=course.pk)
    courses = courses_open(on=timezone.localdate())
    return render(request, "jobcentre/training_list.html", {"form": form, "courses": courses})


@officer_required
@require_http_methods(["GET", "POST"])
def training_course(request: HttpRequest, pk: int) -> HttpResponse:
    officer = _officer(request)
    course = get_object_or_404(TrainingCourse.objects.select_related("occupation"), pk=pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = EnrolForm(request.POST if action == "enrol" else None)
    if action == "enrol" and form.is_valid() and _enrol(request, course, form):
        return redirect("jobcentre:training_course", pk=course.pk)
    if action == "drop":
        _drop(request, course)
        return redirect("jobcentre:training_course", pk=course.pk)
    enrolments = list(enrolments_of_course(course=course))
    persons_listed_for_actor(
        actor=officer,
        listed=[(e.job_seeker.person_id, e) for e in enrolments],
        purpose="employment centre: training course",
        request=request,
    )
    return render(
        request,
        "jobcentre/training_course.html",
        {"course": course, "enrolments": enrolments, "form": form},
    )


def _enrol(request: HttpRequest, course: TrainingCourse, form: EnrolForm) -> bool:
    registration = registration_open_by_fin(fin=form.cleaned_data["fin"])
    if registration is None:
        form.add_error("fin", _("No registration with the employment service has this FİN."))
        return False
    _person(request, registration.person_id, purpose="training enrolment")
    registration.refresh_from_db()
    try:
        enrolment = training_enrol(job_seeker=registration, course=course, actor=_officer(request))
    except TrainingError as error:
        form.add_error("fin", str(error))
        return False
    if enrolment.award is None:
        messages.success(request, _("Enrolled. The rules give no stipend: not unemployed."))
    else:
        messages.success(request, _("Enrolled, with a monthly stipend from the course's start."))
    return True


def _drop(request: HttpRequest, course: TrainingCourse) -> None:
    raw = request.POST.get("enrolment", "")
    enrolment = get_object_or_404(
        TrainingEnrolment.objects.select_related("job_seeker"),
        pk=int(raw) if raw.isdigit() else 0,
        course=course,
    )
    try:
        training_enrolment_drop(
            enrolment=enrolment, on=timezone.localdate(), actor=_officer(request)
        )
    except TrainingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The enrolment is dropped; the stipend ends today."))
