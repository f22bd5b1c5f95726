"""The citizen's awards: amount, period, how it was computed, and the letter sent."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from meis.accounts.access import citizen_person
from meis.accounts.decorators import citizen_required
from meis.awards.selectors import award_get_for_person, award_letters, award_list_for_person
from meis.awards.services import award_trace
from meis.rules.explain import explain, format_money


@citizen_required
def my_awards(request: HttpRequest) -> HttpResponse:
    person = citizen_person(request.user)
    if person is None:  # citizen_required let only citizens in
        raise Http404
    lang = _lang()
    rows = [(a, format_money(a.amount_qepik, lang)) for a in award_list_for_person(person=person)]
    return render(request, "awards/my_awards.html", {"rows": rows})


@citizen_required
def my_award(request: HttpRequest, award_id: int) -> HttpResponse:
    person = citizen_person(request.user)
    if person is None:  # citizen_required let only citizens in
        raise Http404
    award = award_get_for_person(person=person, award_id=award_id)
    lang = _lang()
    lines = explain(award_trace(award), lang)
    return render(
        request,
        "awards/my_award.html",
        {
            "award": award,
            "amount": format_money(award.amount_qepik, lang),
            "explanation": lines,
            "letters": award_letters(award=award),
        },
    )


def _lang() -> str:
    lang = (get_language() or "az")[:2]
    return lang if lang in ("az", "en", "ru") else "az"
