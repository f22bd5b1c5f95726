"""The employer's vacancies: the list with referral counts, posting one, its page with the job
seekers referred to it, the outcome of each referral, and withdrawing it. Parse, call
`meis.employment`'s services, render; 404 for an employer the person does not act for and for
any vacancy or referral not of that employer (the same answer as one that does not exist)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from meis.accounts.decorators import citizen_required
from meis.employers import selectors
from meis.employers.forms import DATE_FORMATS, WageInvalid, occupation_choices, wage_parse
from meis.employment.models import Referral, ReferralOutcome, Vacancy
from meis.employment.search import referrals_of_vacancy, vacancies_of_employer, vacancy_of_employer
from meis.employment.services import EmploymentError, referral_outcome_record
from meis.employment.vacancies import (
    LIMITS,
    LONGEST_OPEN_DAYS,
    MAX_POSITIONS,
    MAX_WEEKLY_HOURS,
    VacancyRefused,
    vacancy_post,
    vacancy_withdraw,
)
from meis.labour.models import Occupation
from meis.registry.models import Employer, Region

PAGE_SIZE = 25
# The service's field names → the form's.
FORM_FIELD = {"salary_qepik": "salary", "occupation": "occupation_code"}
# The outcomes an employer records, and those that need a reason.
OUTCOMES = [
    (ReferralOutcome.HIRED.value, gettext_lazy("Hired")),
    (ReferralOutcome.REFUSED_BY_EMPLOYER.value, gettext_lazy("We did not hire the job seeker")),
    (ReferralOutcome.DID_NOT_COME.value, gettext_lazy("The job seeker did not come")),
    (ReferralOutcome.REFUSED_BY_SEEKER.value, gettext_lazy("The job seeker refused the job")),
]
NEEDS_REASON = {ReferralOutcome.REFUSED_BY_EMPLOYER.value, ReferralOutcome.REFUSED_BY_SEEKER.value}


class VacancyForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Title of the job"),
        max_length=LIMITS["title"],
        error_messages={"required": gettext_lazy("Enter the title of the job.")},
    )
    occupation_code = forms.ChoiceField(
        label=gettext_lazy("Occupation"),
        help_text=gettext_lazy("From the occupation classifier: code and title."),
        error_messages={
            "required": gettext_lazy("Choose the occupation."),
            "invalid_choice": gettext_lazy("Choose an occupation from the list."),
        },
    )
    region = forms.ChoiceField(
        label=gettext_lazy("Region"),
        choices=[("", gettext_lazy("Choose a region")), *Region.choices],
        error_messages={
            "required": gettext_lazy("Choose the region."),
            "invalid_choice": gettext_lazy("Choose a region from the list."),
        },
    )
    workplace = forms.CharField(
        label=gettext_lazy("Place of work"),
        help_text=gettext_lazy("The address or the unit where the job is."),
        max_length=LIMITS["workplace"],
        error_messages={"required": gettext_lazy("Enter the place of work.")},
    )
    salary = forms.CharField(
        label=gettext_lazy("Monthly salary, manat"),
        help_text=gettext_lazy("Before tax, for example 800 or 1 200,50."),
        max_length=30,
        error_messages={"required": gettext_lazy("Enter the monthly salary.")},
    )
    weekly_hours = forms.IntegerField(
        label=gettext_lazy("Working hours a week"),
        min_value=1,
        max_value=MAX_WEEKLY_HOURS,
        error_messages={
            "required": gettext_lazy("Enter the working hours a week."),
            "invalid": gettext_lazy("Enter the hours as a whole number, for example 40."),
            "min_value": gettext_lazy("Enter from 1 to 40 working hours a week."),
            "max_value": gettext_lazy("Enter from 1 to 40 working hours a week."),
        },
    )
    positions = forms.IntegerField(
        label=gettext_lazy("Positions"),
        min_value=1,
        max_value=MAX_POSITIONS,
        initial=1,
        error_messages={
            "required": gettext_lazy("Enter how many people you will hire."),
            "invalid": gettext_lazy("Enter a whole number, for example 1."),
            "min_value": gettext_lazy("Enter at least 1 position."),
            "max_value": gettext_lazy("Enter at most 999 positions."),
        },
    )
    closes_on = forms.DateField(
        label=gettext_lazy("Closing date"),
        help_text=gettext_lazy("The last day job seekers can be referred, within six months."),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": gettext_lazy("Enter the closing date."),
            "invalid": gettext_lazy("Enter a real date, for example 16.03.2026."),
        },
    )
    description = forms.CharField(
        label=gettext_lazy("About the job"),
        max_length=LIMITS["description"],
        required=False,
        widget=forms.Textarea,
    )
    requirements = forms.CharField(
        label=gettext_lazy("Requirements"),
        help_text=gettext_lazy("Education, experience, languages, skills."),
        max_length=LIMITS["requirements"],
        required=False,
        widget=forms.Textarea,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        occupation = self.fields["occupation_code"]
        assert isinstance(occupation, forms.ChoiceField)  # noqa: S101 — declared above
        occupation.choices = occupation_choices()

    def clean_salary(self) -> int:
        try:
            return wage_parse(str(self.cleaned_data["salary"]))
        except WageInvalid:
            raise forms.ValidationError(
                _("Enter the salary in manat as a number, for example 800.")
            ) from None


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("What happened"),
        choices=OUTCOMES,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose what happened."),
            "invalid_choice": gettext_lazy("Choose what happened."),
        },
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        help_text=gettext_lazy("Needed when you did not hire or the job seeker refused."),
        max_length=500,
        required=False,
        widget=forms.Textarea,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") in NEEDS_REASON and not str(data.get("reason", "")).strip():
            self.add_error("reason", _("Give the reason."))
        return data


@citizen_required
def vacancy_list(request: HttpRequest, voen: str) -> HttpResponse:
    employer = selectors.employer_for_actor(actor=request.user, voen=voen)
    page = Paginator(vacancies_of_employer(employer_id=employer.pk), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"employer": employer, "page": page}
    return render(request, "employers/vacancy_list.html", context)


@citizen_required
def vacancy_new(request: HttpRequest, voen: str) -> HttpResponse:
    employer = selectors.employer_for_actor(actor=request.user, voen=voen)
    today = timezone.localdate()
    initial = {
        "region": employer.region,
        "weekly_hours": 40,
        "closes_on": today + datetime.timedelta(days=30),
    }
    form = VacancyForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            vacancy = _post(request, form, employer)
            if vacancy is not None:
                messages.success(request, _("The vacancy is posted. Job seekers can find it now."))
                return redirect("employers:vacancy", voen=employer.voen, vacancy_id=vacancy.pk)
    context = {"employer": employer, "form": form, "longest_days": LONGEST_OPEN_DAYS}
    return render(request, "employers/vacancy_new.html", context, status=status)


def _post(request: HttpRequest, form: VacancyForm, employer: Employer) -> Vacancy | None:
    data = form.cleaned_data
    try:
        return vacancy_post(
            employer=employer,
            actor=request.user,
            occupation=Occupation.objects.get(code=data["occupation_code"]),
            title=data["title"],
            description=data["description"],
            requirements=data["requirements"],
            region=data["region"],
            workplace=data["workplace"],
            salary_qepik=data["salary"],
            weekly_hours=data["weekly_hours"],
            positions=data["positions"],
            closes_on=data["closes_on"],
            request=request,
        )
    except VacancyRefused as refused:
        for name, message in refused.problems.items():
            field = FORM_FIELD.get(name, name)
            form.add_error(field if field in form.fields else None, message)
        return None


def _vacancy(request: HttpRequest, voen: str, vacancy_id: int) -> tuple[Employer, Vacancy]:
    employer = selectors.employer_for_actor(actor=request.user, voen=voen)
    vacancy = vacancy_of_employer(employer_id=employer.pk, vacancy_id=vacancy_id)
    if vacancy is None:
        raise Http404
    return employer, vacancy


@citizen_required
def vacancy_detail(request: HttpRequest, voen: str, vacancy_id: int) -> HttpResponse:
    employer, vacancy = _vacancy(request, voen, vacancy_id)
    context = {
        "employer": employer,
        "vacancy": vacancy,
        "referrals": list(referrals_of_vacancy(vacancy=vacancy)),
    }
    return render(request, "employers/vacancy_detail.html", context)


@citizen_required
@require_POST
def vacancy_withdraw_view(request: HttpRequest, voen: str, vacancy_id: int) -> HttpResponse:
    employer, vacancy = _vacancy(request, voen, vacancy_id)
    try:
        vacancy_withdraw(vacancy=vacancy, actor=request.user, request=request)
    except VacancyRefused as refused:
        messages.error(request, " ".join(refused.problems.values()))
    else:
        messages.success(request, _("The vacancy is withdrawn. Job seekers no longer see it."))
    return redirect("employers:vacancy", voen=employer.voen, vacancy_id=vacancy.pk)


@citizen_required
def referral_outcome(
    request: HttpRequest, voen: str, vacancy_id: int, referral_id: int
) -> HttpResponse:
    employer, vacancy = _vacancy(request, voen, vacancy_id)
    referral = _referral(vacancy, referral_id)
    if referral.outcome != ReferralOutcome.PENDING:
        messages.info(request, _("The outcome of this referral is already recorded."))
        return redirect("employers:vacancy", voen=employer.voen, vacancy_id=vacancy.pk)
    form = OutcomeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                referral_outcome_record(
                    referral=referral,
                    outcome=form.cleaned_data["outcome"],
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                    request=request,
                )
            except EmploymentError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The outcome is recorded."))
                return redirect("employers:vacancy", voen=employer.voen, vacancy_id=vacancy.pk)
    context = {"employer": employer, "vacancy": vacancy, "referral": referral, "form": form}
    return render(request, "employers/referral_outcome.html", context, status=status)


def _referral(vacancy: Vacancy, referral_id: int) -> Referral:
    referral = None
    if 0 < referral_id < 2**63:
        referral = referrals_of_vacancy(vacancy=vacancy).filter(pk=referral_id).first()
    if referral is None:
        raise Http404
    return referral
