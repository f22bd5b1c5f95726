"""The rules command line: JSON out, one-line errors with exit status 2."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from meis.rules.cli import main

FAMILY = {
    "members": 4,
    "income_12_months_qepik": 480000,
    "declaration_matches_checks": True,
    "purchases_sales_12_months_qepik": 0,
    "has_vehicle": False,
    "refused_suitable_jobs": 0,
    "utility_spending_12_months_qepik": 0,
    "same_purpose_real_estate_units": 1,
}


def _run(argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_it_evaluates_facts_from_a_file(tmp_path: Path) -> None:
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps(FAMILY), encoding="utf-8")
    code, out, _ = _run(
        ["evaluate", "targeted_assistance", "--on", "2020-03-01", "--facts", str(facts)]
    )
    assert code == 0
    assert json.loads(out)["amount_qepik"] == 24000


def test_it_reads_facts_from_stdin() -> None:
    code, out, _ = _run(
        ["evaluate", "targeted_assistance", "--on", "2020-03-01", "--facts", "-"],
        json.dumps(FAMILY),
    )
    assert code == 0
    assert json.loads(out)["trace"]["steps"][0]["name"] == "need_total_qepik"


def test_it_lists_schemes_and_parameters() -> None:
    code, out, _ = _run(["list"])
    data = json.loads(out)
    assert code == 0
    assert "old_age_pension" in {s["name"] for s in data["schemes"]}
    assert "targeted_assistance.need_criterion" in {p["name"] for p in data["parameters"]}


@pytest.mark.parametrize(
    ("argv", "stdin", "message"),
    [
        (["evaluate", "nope", "--on", "2020-03-01", "--facts", "-"], "{}", "unknown scheme"),
        (
            ["evaluate", "targeted_assistance", "--on", "2020-03-01", "--facts", "-"],
            "{not json",
            "not valid JSON",
        ),
        (
            ["evaluate", "targeted_assistance", "--on", "2020-03-01", "--facts", "-"],
            "{}",
            "missing fact 'members'",
        ),
        (
            ["evaluate", "targeted_assistance", "--on", "1 March", "--facts", "-"],
            "{}",
            "YYYY-MM-DD",
        ),
        (
            ["evaluate", "targeted_assistance", "--on", "2020-03-01", "--facts", "-"],
            "[1]",
            "JSON object",
        ),
        (
            ["evaluate", "targeted_assistance", "--on", "2020-03-01", "--facts", "/no/such/file"],
            "",
            "cannot read",
        ),
        (["frobnicate"], "", "invalid choice"),
    ],
)
def test_it_reports_bad_input_in_one_line(argv: list[str], stdin: str, message: str) -> None:
    code, out, err = _run(argv, stdin)
    assert code == 2
    assert out == ""
    assert message in err
    assert err.count("\n") == 1


def test_evaluate_with_explanation(tmp_path: Path) -> None:
    facts = tmp_path / "family.json"
    facts.write_text(json.dumps(FAMILY), encoding="utf-8")
    code, out, _ = _run(
        [
            "evaluate",
            "targeted_assistance",
            "--on",
            "2020-03-01",
            "--facts",
            str(facts),
            "--explain",
            "az",
        ]
    )
    assert code == 0
    data = json.loads(out)
    assert data["explanation"] == [
        "Ailənizin orta aylıq gəliri 400,00 manat təşkil edir; 2020-ci ildə 4 nəfərlik ailə üçün"
        " ehtiyac meyarı 640,00 manat təşkil edir; fərq, 240,00 manat, sizin aylıq yardımınızdır."
    ]


def test_explain_rejects_an_unknown_language() -> None:
    code, _, err = _run(
        [
            "evaluate",
            "targeted_assistance",
            "--on",
            "2020-03-01",
            "--facts",
            "-",
            "--explain",
            "de",
        ],
        json.dumps(FAMILY),
    )
    assert code == 2
    assert "invalid choice" in err


DISABLED_BEFORE_BIRTH = {
    "birth_on": "2015-03-01",
    "disability_on": "2010-01-15",
    "insurance_record_months": 0,
    "pre_2006_capital_qepik": 0,
    "pension_capital_qepik": 0,
}


def test_a_disability_before_birth_exits_non_zero_instead_of_paying_the_minimum() -> None:
    code, out, err = _run(
        ["evaluate", "disability_pension", "--on", "2020-03-01", "--facts", "-"],
        json.dumps(DISABLED_BEFORE_BIRTH),
    )
    assert (code, out) == (2, "")
    assert err == (
        "error: disability_pension: the facts are impossible together on 2020-03-01: The"
        " disability is recorded as established on 15 January 2010, before the date of birth,"
        " 1 March 2015: a disability cannot begin before birth. Check both dates.\n"
    )


def test_impossible_facts_are_reported_in_the_explanation_language() -> None:
    code, _, err = _run(
        ["evaluate", "disability_pension", "--on", "2020-03-01", "--facts", "-", "--explain", "ru"],
        json.dumps(DISABLED_BEFORE_BIRTH),
    )
    assert code == 2
    assert "инвалидность не может начаться до рождения" in err
    assert err.count("\n") == 1
