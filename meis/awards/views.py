"""The citizen's awards: current, suspended and past, amount, period, why one ended, how it was
computed, and the letters sent."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from meis.accounts.access import citizen_person
from meis.accounts.decorators import citizen_required
from meis.awards.models import SERVICE_CODES, Award, AwardKind, AwardStatus
from meis.awards.selectors import (
    award_get_for_person,
    award_letters,
    award_list_for_person,
    award_to_renew,
)
from meis.awards.services import award_trace
from meis.rules.explain import explain, format_money


@citizen_required
def my_awards(request: HttpRequest) -> HttpResponse:
    person = citizen_person(request.user)
    if person is None:  # citizen_required let only citizens in
        raise Http404
    lang = _lang()
    awards = list(award_list_for_person(person=person))
    current = [_row(a, lang) for a in awards if a.status != AwardStatus.ENDED]
    past = [_row(a, lang) for a in awards if a.status == AwardStatus.ENDED]
    renew = award_to_renew(awards=awards)
    return render(
        request,
        "awards/my_awards.html",
        {
            "current": current,
            "past": past,
            "renew": renew,
            "renew_code": SERVICE_CODES[AwardKind(renew.kind)] if renew else "",
        },
    )


def _row(award: Award, lang: str) -> tuple[Award, str]:
    return award, format_money(award.amount_qepik, lang)


@citizen_required
def my_award(request: HttpRequest, award_id: int) -> HttpResponse:
    person = citizen_person(request.user)
    if person is None:  # citizen_required let only citizens in
        raise Http404
    award = award_get_for_person(person=person, award_id=award_id)
    lang = _lang()
    lines = _explanation(award, lang)
    return render(
        request,
        "awards/my_award.html",
        {
            "award": award,
            "amount": format_money(award.amount_qepik, lang),
            "explanation": lines,
            "letters": award_letters(award=award),
            "suspensions": list(award.suspensions.all()),
        },
    )


def _explanation(award: Award, lang: str) -> list[str]:
    """How the amount was computed; nothing (the page says so) when the decision record lacks
    a step the explanation needs — a record brought from an older system, say — not an error."""
    try:
        return explain(award_trace(award), lang)
    except (KeyError, TypeError, ValueError):
        return []


def _lang() -> str:
    lang = (get_language() or "az")[:2]
    return lang if lang in ("az", "en", "ru") else "az"
