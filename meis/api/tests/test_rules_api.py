"""The rules over HTTP: DOMAIN's worked example returns 240 manat with its trace, the parameters
in force on a day come with their act, and every mistake is a problem+json answer in the
caller's language — never a 500."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from meis.api import ratelimit

pytestmark = pytest.mark.django_db

FAMILY_OF_FOUR = {
    "members": 4,
    "income_12_months_qepik": 480000,
    "declaration_matches_checks": True,
    "purchases_sales_12_months_qepik": 0,
    "has_vehicle": False,
    "refused_suitable_jobs": 0,
    "utility_spending_12_months_qepik": 60000,
    "same_purpose_real_estate_units": 1,
}


def calculate(scheme: str, body: Any, language: str = "en") -> Any:
    data = body if isinstance(body, str) else json.dumps(body)
    return Client().post(
        f"/api/v1/calculate/{scheme}",
        data,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
    )


def test_the_worked_example_returns_240_manat_with_its_trace():
    response = calculate(
        "targeted_assistance", {"on": "2020-03-01", "facts": FAMILY_OF_FOUR, "explain": "az"}
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["outcome"], body["amount_qepik"], body["amount"]) == (True, 24000, "240,00 manat")
    steps = {step["name"]: step for step in body["trace"]["steps"]}
    assert steps["need_total_qepik"]["value"] == 64000
    assert "targeted_assistance.need_criterion" in {p["name"] for p in body["trace"]["parameters"]}
    assert "240,00" in " ".join(body["explanation"])


def test_the_same_family_in_2019_gets_the_old_criterion():
    body = calculate("targeted_assistance", {"on": "2019-12-31", "facts": FAMILY_OF_FOUR}).json()
    assert body["amount_qepik"] == 17200


def test_the_parameters_in_force_on_a_day_name_their_act():
    response = Client().get("/api/v1/parameters", {"on": "2020-03-01"})

    assert response.status_code == 200
    names = {p["name"]: p for p in response.json()}
    assert names
    assert all(p["act"] and p["since"] <= "2020-03-01" for p in names.values())


def test_the_schemes_list_their_facts():
    schemes = {s["name"]: s for s in Client().get("/api/v1/schemes").json()}
    assert "members" in {f["name"] for f in schemes["targeted_assistance"]["facts"]}


@pytest.mark.parametrize(
    ("scheme", "body", "status", "kind"),
    [
        ("targeted_assistance", "{not json", 400, "malformed"),
        (
            "targeted_assistance",
            {"on": "2020-02-30", "facts": FAMILY_OF_FOUR},
            422,
            "invalid-input",
        ),
        ("targeted_assistance", {"facts": FAMILY_OF_FOUR}, 422, "invalid-input"),
        ("targeted_assistance", {"on": "2020-03-01", "facts": []}, 422, "invalid-input"),
        (
            "targeted_assistance",
            {"on": "2020-03-01", "facts": {"members": "four"}},
            422,
            "invalid-input",
        ),
        ("no_such_scheme", {"on": "2020-03-01", "facts": {}}, 404, "unknown-scheme"),
        (
            "targeted_assistance",
            {"on": "1900-01-01", "facts": FAMILY_OF_FOUR},
            422,
            "invalid-input",
        ),
        (
            "targeted_assistance",
            {"on": "2020-03-01\u0000", "facts": FAMILY_OF_FOUR},
            422,
            "invalid-input",
        ),
    ],
)
def test_a_mistake_is_a_problem_in_the_callers_language(scheme, body, status, kind):
    response = calculate(scheme, body, language="ru")

    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"].endswith("/" + kind)
    assert problem["status"] == status
    assert problem["title"].isascii() is False  # Russian, not English


def test_a_burst_past_the_limit_is_told_when_to_come_back(settings):
    settings.API_OPEN_RATE_LIMIT_PER_MINUTE = 3
    ratelimit.rate_limit_reset()
    client = Client(REMOTE_ADDR="10.9.8.7")
    answers = [client.get("/api/v1/schemes") for _ in range(4)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[-1]["Content-Type"] == "application/problem+json"
    assert 1 <= int(answers[-1]["Retry-After"]) <= 60
    assert Client(REMOTE_ADDR="10.9.8.6").get("/api/v1/schemes").status_code == 200


def test_the_limit_is_one_counter_for_every_process():
    """Two connections (as two worker processes would have) count into the same key."""
    ratelimit.rate_limit_reset()
    first = ratelimit.rate_limit_hit("shared", limit=2, now=1_000_000)
    other_process = __import__("redis").Redis.from_url(
        ratelimit.redis_client().connection_pool.connection_kwargs and "redis://127.0.0.1:6379/2"
    )
    other_process.incr(f"{ratelimit._prefix()}shared:{1_000_000 // 60}")
    third = ratelimit.rate_limit_hit("shared", limit=2, now=1_000_001)
    assert (first.allowed, third.allowed, third.count) == (True, False, 3)


def test_the_documentation_lists_every_endpoint_with_its_own_assets():
    page = Client().get("/api/v1/docs")
    assert page.status_code == 200
    assert "/static/ninja/swagger-ui" in page.content.decode()
    assert "cdn" not in page.content.decode().lower()
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert set(schema["paths"]) == {
        "/api/v1/calculate/{scheme}",
        "/api/v1/parameters",
        "/api/v1/schemes",
        "/api/v1/token",
        "/api/v1/certificates/verify-pdf",
        "/api/v1/certificates/{code}",
        "/api/v1/person-status",
        "/api/v1/applications",
        "/api/v1/applications/{reference}",
        "/api/v1/employers/{voen}/contracts",
        "/api/v1/employers/{voen}/contracts/{number}/termination",
        "/api/v1/vacancies",
        "/api/v1/vacancies/{vacancy_id}",
        "/api/v1/employers/{voen}/vacancies",
        "/api/v1/employers/{voen}/vacancies/{vacancy_id}/withdraw",
    }


def test_a_ten_megabyte_body_is_refused_as_too_large():
    big = json.dumps({"on": "2020-03-01", "facts": {"members": 4, "padding": "x" * 10_000_000}})
    response = calculate("targeted_assistance", big)

    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"].endswith("/too-large")
