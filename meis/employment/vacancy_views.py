"""The public vacancy pages (no sign-in): the search and a vacancy's page. Parse, call
`meis.employment.search`, render. Anything typed wrong is said on the page; a page number
past the results is an empty page, never an error."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from meis.accounts.access import citizen_person
from meis.employment.search import MAX_QUERY_LENGTH, vacancy_get_open, vacancy_search
from meis.employment.selectors import registration_open
from meis.labour.models import Occupation
from meis.registry.models import Region

PER_PAGE = 20
# The largest page number read: past it (and past the results) the page is empty.
LAST_PAGE = 10_000
# A typed salary: whole manat or with one or two decimals, optional thousands spaces.
_MANAT = re.compile(r"^\d{1,3}(?:[ \u00a0]?\d{3})*(?:[.,]\d{1,2})?$")


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Words"),
        help_text=_("For example: accountant, driver, Excel. Letters like ə and ş are optional."),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={"max_length": _("Write at most %(limit_value)d characters.")},
    )
    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        error_messages={"invalid_choice": _("Choose a region from the list.")},
    )
    occupation = forms.ChoiceField(
        label=_("Occupation"),
        required=False,
        error_messages={"invalid_choice": _("Choose an occupation from the list.")},
    )
    min_salary = forms.CharField(
        label=_("Salary at least, manat a month"),
        help_text=_("For example 500."),
        required=False,
        max_length=20,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region, occupation = self.fields["region"], self.fields["occupation"]
        assert isinstance(region, forms.ChoiceField)  # noqa: S101 — declared above
        assert isinstance(occupation, forms.ChoiceField)  # noqa: S101 — declared above
        region.choices = [("", _("Any region")), *Region.choices]
        occupation.choices = [("", _("Any occupation"))] + [
            (o.code, f"{o.code} {o.title}") for o in Occupation.objects.filter(is_active=True)
        ]

    def clean_q(self) -> str:
        return str(self.cleaned_data["q"]).replace("\x00", "").strip()

    def clean_min_salary(self) -> int | None:
        text = str(self.cleaned_data["min_salary"]).strip()
        if not text:
            return None
        if not _MANAT.match(text):
            raise forms.ValidationError(
                _("Enter the salary in manat as a number, for example 500.")
            )
        try:
            amount = Decimal(text.replace(" ", "").replace("\u00a0", "").replace(",", "."))
        except InvalidOperation as error:  # pragma: no cover — the pattern admits only numbers
            raise forms.ValidationError(_("Enter the salary in manat as a number.")) from error
        return int(amount * 100)


def vacancy_search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    page = None
    filters = ""
    if form.is_bound and form.is_valid() or not form.is_bound:
        data = form.cleaned_data if form.is_bound else {}
        page = vacancy_search(
            text=data.get("q", ""),
            region=data.get("region", ""),
            occupation_code=data.get("occupation", ""),
            min_salary_qepik=data.get("min_salary"),
            page=_page_number(request.GET.get("page")),
            per_page=PER_PAGE,
        )
        filters = urlencode(
            {name: request.GET[name] for name in form.fields if request.GET.get(name, "").strip()}
        )
    context = {"form": form, "page": page, "filters": filters}
    return render(request, "employment/vacancy_search.html", context)


def vacancy_detail_page(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    vacancy = vacancy_get_open(vacancy_id=vacancy_id)
    if vacancy is None:
        raise Http404
    person = citizen_person(request.user)
    is_job_seeker = person is not None and registration_open(person=person) is not None
    context = {"vacancy": vacancy, "is_job_seeker": is_job_seeker}
    return render(request, "employment/vacancy_detail.html", context)


def _page_number(text: str | None) -> int:
    """The page asked for: 1 for anything not a whole number."""
    if text and text.isascii() and text.isdigit() and len(text) <= 6:
        return min(max(int(text), 1), LAST_PAGE)
    return 1
