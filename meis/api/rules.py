"""The rules over HTTP, open to anyone (limited per address): calculate a scheme from facts, as
`meis rules evaluate` does and as OpenFisca's web API does, and read the parameters in force on
a date — so that a developer can build a calculator on them."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from meis.api.fields import IsoDay
from meis.core.formats import money
from meis.rules.cli import evaluate, list_everything
from meis.rules.errors import ImpossibleFacts, ParameterError, RulesError
from meis.rules.explain import impossible
from meis.rules.schemes import SCHEMES
from meis.rules.store import default_store

router = Router(tags=["Rules"])


class RulesProblem(Exception):
    def __init__(self, kind: str, status: int, detail: str) -> None:
        super().__init__(detail)
        self.kind, self.status, self.detail = kind, status, detail


class Problem(Schema):
    """RFC 9457 problem details (application/problem+json)."""

    type: str
    title: str
    status: int
    instance: str
    detail: str | None = None
    errors: list[dict[str, str]] | None = None
    error: str | None = None  # an OAuth error code (RFC 6749 / RFC 6750) for a client's problem


PROBLEMS: dict[int, type[Problem]] = {400: Problem, 422: Problem, 429: Problem}


class CalculateIn(Schema):
    on: IsoDay = Field(
        description="The day to calculate for (parameters in force that day).",
        examples=["2020-03-01"],
    )
    facts: dict[str, int | bool | str | float | None] = Field(
        description="The scheme's facts by name (GET /api/v1/schemes lists them); money in qəpik.",
        examples=[
            {
                "members": 4,
                "income_12_months_qepik": 480000,
                "declaration_matches_checks": True,
                "purchases_sales_12_months_qepik": 0,
                "has_vehicle": False,
                "refused_suitable_jobs": 0,
                "utility_spending_12_months_qepik": 60000,
                "same_purpose_real_estate_units": 1,
            }
        ],
    )
    explain: Literal["az", "en", "ru"] | None = Field(
        None, description="Also explain the result in this language."
    )


class CalculateOut(Schema):
    scheme: str
    on: datetime.date
    outcome: bool | str | None = Field(description="Whether the conditions are met.")
    amount_qepik: int | None = Field(description="The amount in qəpik (1 manat = 100 qəpik).")
    amount: str | None = Field(description="The amount written in manat, e.g. “240,00 manat”.")
    explanation: list[Any] | str | None = None
    trace: dict[str, Any] = Field(description="Every step of the calculation, with its rule.")


class FactOut(Schema):
    name: str
    kind: str
    unit: str | None = None
    description: str


class SchemeOut(Schema):
    name: str
    title: str
    entity: str
    facts: list[FactOut]


class ParameterOut(Schema):
    name: str
    description: str
    unit: str
    value: str = Field(description="The value in force on the day, as the law writes it.")
    since: datetime.date
    until: datetime.date | None
    act: str
    article: str
    url: str


@router.post(
    "/calculate/{scheme}",
    response={200: CalculateOut, 404: Problem, **PROBLEMS},
    summary="Calculate a scheme from facts",
    operation_id="rules_calculate",
)
def calculate(request: HttpRequest, scheme: str, body: CalculateIn) -> dict[str, Any]:
    if scheme not in SCHEMES:
        raise RulesProblem("unknown-scheme", 404, f"{scheme!r} is not a rules scheme.")
    language = body.explain
    try:
        result = evaluate(
            scheme, on=body.on.isoformat(), facts=dict(body.facts), explain_in=language
        )
    except ImpossibleFacts as error:
        reasons = [impossible(problem, language or "en", on=body.on) for problem in error.problems]
        raise RulesProblem("impossible-facts", 422, " ".join(reasons)) from None
    except (RulesError, ParameterError) as error:
        raise RulesProblem("invalid-input", 422, str(error)) from None
    amount = result["amount_qepik"]
    return {
        **result,
        "on": body.on,
        "amount": money(amount, language or "az") if isinstance(amount, int) else None,
    }


@router.get(
    "/schemes",
    response={200: list[SchemeOut], **PROBLEMS},
    summary="The rules schemes and their facts",
)
def schemes(request: HttpRequest) -> list[dict[str, Any]]:
    everything: list[dict[str, Any]] = list_everything()["schemes"]
    return everything


class ParametersQuery(Schema):
    on: IsoDay = Field(description="The day the values are in force.", examples=["2020-03-01"])


@router.get(
    "/parameters",
    response={200: list[ParameterOut], **PROBLEMS},
    summary="The parameters in force on a day, with the act that sets each",
)
def parameters(request: HttpRequest, query: Query[ParametersQuery]) -> list[dict[str, Any]]:
    answer = []
    for parameter in default_store():
        try:
            period = parameter.period_on(query.on)
        except ParameterError:
            continue  # not in force that day
        answer.append(
            {
                "name": parameter.name,
                "description": parameter.description,
                "unit": parameter.unit,
                "value": _written(period.value),
                "since": period.start,
                "until": period.end,
                "act": period.reference.act,
                "article": period.reference.article,
                "url": period.reference.url,
            }
        )
    return answer


def _written(value: object) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def open_limit() -> int:
    return int(getattr(settings, "API_OPEN_RATE_LIMIT_PER_MINUTE", 120))
