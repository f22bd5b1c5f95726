"""`{% load case_decisions %}`: a case's decision, award and appeals on its pages.

`{% decision_panel case %}` (the applicant's case page): the decision taken, its award and
arrears, how the rules assessed it, the appeal chain and — for the applicant, within the
period — the way to appeal. `{% appeal_chain case %}` lists an application and its appeal
(the back office's case page too). `{{ amount_qepik|qepik }}` formats money in the active
language. The case is one the page has already read through the access funnel.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from meis.cases import decision_selectors
from meis.cases.models import DECIDED_STATUSES, Case
from meis.cases.services import decision_explanation
from meis.cases.services.delivery import amount_text, arrears_text
from meis.rules.explain import LANGUAGES, format_money

register = template.Library()


@register.filter(name="qepik")
def qepik(amount: int | None) -> str:
    """Integer qəpik as money in the active language ("" for none)."""
    return "" if amount is None else format_money(int(amount), _lang())


@register.filter(name="qepik_input")
def qepik_input(amount: int | None) -> str:
    """Integer qəpik as a form field's manat value ("240.00")."""
    if amount is None:
        return ""
    whole, cents = divmod(int(amount), 100)
    return f"{whole}.{cents:02d}"


@register.inclusion_tag("cases/_decision_panel.html", takes_context=True)
def decision_panel(context: dict[str, Any], case: Case) -> dict[str, Any]:
    taken = decision_selectors.decision_taken(case) if case.status in DECIDED_STATUSES else None
    award = taken.award if taken is not None else None
    is_applicant = bool(context.get("is_applicant"))
    window = decision_selectors.appeal_window(case) if taken is not None else None
    return {
        "case": case,
        "taken": taken,
        "award": award,
        "amount": amount_text(award) if award is not None else "",
        "arrears": arrears_text(taken) if taken is not None else "",
        "explanation": _blocks(decision_explanation(taken)) if taken is not None else [],
        "is_applicant": is_applicant,
        "window": window,
        "may_appeal": is_applicant and window is not None and window.is_open,
        "chain": _chain(case),
    }


@register.inclusion_tag("cases/_appeal_chain.html")
def appeal_chain(case: Case, url_name: str = "cases:case_detail") -> dict[str, Any]:
    return {"case": case, "chain": _chain(case), "url_name": url_name}


def _chain(case: Case) -> list[Case]:
    # `has_appeals`: annotated by the access funnel (no query of its own).
    has_appeals = getattr(case, "has_appeals", None)
    if has_appeals is None:
        has_appeals = case.appeals.exists()
    if case.appeal_of_id is None and not has_appeals:
        return []
    return decision_selectors.appeal_chain(case)


def _blocks(text: str) -> list[dict[str, Any]]:
    """Paragraphs, with consecutive "- " lines (the explanation's list items) as one list.

    A block is {"bullets": [...]} or {"paragraph": "..."}: not "items", which a template reads
    as the dict's own `items` method, true for a paragraph too."""
    blocks: list[dict[str, Any]] = []
    for line in text.splitlines():
        if line.startswith("- "):
            if not blocks or "bullets" not in blocks[-1]:
                blocks.append({"bullets": []})
            blocks[-1]["bullets"].append(line[2:])
        elif line.strip():
            blocks.append({"paragraph": line})
    return blocks


def _lang() -> str:
    language = (get_language() or "az")[:2]
    return language if language in LANGUAGES else "az"
