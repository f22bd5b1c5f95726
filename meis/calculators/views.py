"""Public calculators (no sign-in): old-age pension date and amount, targeted-assistance amount.

Thin over meis.rules: the form turns answers into facts, the scheme decides on today's date,
and the explanation comes from meis.rules.explain in the page's language. The forms use GET,
so a result can be bookmarked or shared and no session or CSRF token is needed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meis.calculators.forms import AssistanceForm, PensionForm
from meis.core.replica import replica_reads
from meis.rules.engine import Result, evaluate_case
from meis.rules.errors import ImpossibleFacts, RulesError
from meis.rules.explain import LANGUAGES, explain, format_date, format_money, impossible
from meis.rules.schemes import get_scheme


@replica_reads
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "calculators/index.html")


@replica_reads
def pension(request: HttpRequest) -> HttpResponse:
    form, result = _evaluate(request, PensionForm, "old_age_pension")
    context: dict[str, Any] = {"form": form}
    if result is not None:
        steps = {step["name"]: step["value"] for step in result.trace["steps"]}
        minimum = next(
            int(p["value"])
            for p in result.trace["parameters"]
            if p["name"] == "labour_pensions.minimum_pension"
        )
        if result.outcome:
            estimate: int | None = result.amount_qepik
        elif steps["has_pension_right"]:
            estimate = max(int(steps["insurance_part_qepik"]), minimum)
        else:
            estimate = None
        context |= {
            "result": result,
            "pension_on": format_date(steps["pension_age_on"], _language()),
            "reached": steps["has_reached_pension_age"],
            "estimate": None if estimate is None else format_money(estimate, _language()),
            "explanation": _blocks(explain(result.trace, _language())),
        }
    return render(request, "calculators/pension.html", context)


@replica_reads
def assistance(request: HttpRequest) -> HttpResponse:
    form, result = _evaluate(request, AssistanceForm, "targeted_assistance")
    context: dict[str, Any] = {"form": form}
    if result is not None:
        context |= {
            "result": result,
            "amount": format_money(result.amount_qepik, _language()),
            "explanation": _blocks(explain(result.trace, _language())),
        }
    return render(request, "calculators/assistance.html", context)


def _evaluate(
    request: HttpRequest, form_class: type[PensionForm] | type[AssistanceForm], scheme: str
) -> tuple[forms.Form, Result | None]:
    if not request.GET:
        return form_class(), None
    form = form_class(request.GET)
    if not form.is_valid():
        return form, None
    try:
        result = evaluate_case(get_scheme(scheme), form.facts(), on=timezone.localdate())
    except ImpossibleFacts as error:
        # Answers that cannot all be true: say which, in the page's language, at the answer.
        for problem in error.problems:
            field = form.impossible_fields.get(problem.check)
            form.add_error(field, impossible(problem, _language(), on=error.on))
        return form, None
    except RulesError:
        form.add_error(None, _("We cannot estimate this case. Call the call centre 142."))
        return form, None
    return form, result


def _language() -> str:
    code = (translation.get_language() or "en")[:2]
    return code if code in LANGUAGES else "en"


def _blocks(lines: list[str]) -> list[dict[str, Any]]:
    """Paragraphs, with runs of '- ' lines grouped as one bulleted list."""
    blocks: list[dict[str, Any]] = []
    for line in lines:
        if line.startswith("- "):
            if not blocks or "bullets" not in blocks[-1]:
                blocks.append({"bullets": []})
            blocks[-1]["bullets"].append(line[2:])
        else:
            blocks.append({"text": line})
    return blocks
