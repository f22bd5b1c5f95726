"""The parameter store answers by date and refuses invalid parameter files loudly."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from meis.rules.errors import ParameterError
from meis.rules.store import COVERAGE_START, default_store, load_store

REF = 'tag: S, act: "Law", article: "Art. 1", url: "https://example.org/law"'


def _write(tmp_path: Path, body: str) -> Path:
    (tmp_path / "law.yaml").write_text(body, encoding="utf-8")
    return tmp_path


def test_it_answers_the_value_in_force_on_a_date() -> None:
    store = default_store()
    assert store.value("targeted_assistance.need_criterion", on=date(2019, 12, 31)) == 14300
    assert store.value("targeted_assistance.need_criterion", on=date(2020, 1, 1)) == 16000
    assert store.value("labour_pensions.retirement_age_men", on=date(2020, 3, 1)) == 64 * 12 + 6


def test_every_parameter_answers_on_every_first_of_month_from_2019() -> None:
    store = default_store()
    for parameter in store:
        if parameter.periods[-1].end is not None or parameter.periods[0].start > COVERAGE_START:
            continue
        for year in range(2019, 2027):
            for month in (1, 7):
                store.value(parameter.name, on=date(year, month, 1))


def test_a_repealed_parameter_has_no_value_after_its_end() -> None:
    with pytest.raises(ParameterError, match="no value in force"):
        default_store().value("social_benefits.age_benefit_age_men", on=date(2020, 1, 1))


def test_every_value_has_a_reference_and_a_tag() -> None:
    for parameter in default_store():
        for period in parameter.periods:
            assert period.reference.url.startswith("http")
            assert period.reference.act
            assert period.reference.tag in {"S", "M", "D"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            f"x:\n  description: d\n  unit: furlongs\n  values:\n    - {{start: 2019-01-01, value: 1, {REF}}}\n",
            "unknown unit",
        ),
        (
            'x:\n  description: d\n  unit: count\n  values:\n    - {start: 2019-01-01, value: 1, tag: S, act: "Law", article: "1"}\n',
            "missing reference url",
        ),
        (
            f"x:\n  description: d\n  unit: count\n  values:\n    - {{start: 2019-01-01, value: 1, {REF}}}\n    - {{start: 2019-01-01, value: 2, {REF}}}\n",
            "overlap",
        ),
        (
            f"x:\n  description: d\n  unit: count\n  values:\n    - {{start: 2019-01-01, value: 1, {REF}}}\n    - {{start: 2018-01-01, value: 2, {REF}}}\n",
            "overlap",
        ),
        (
            f"x:\n  description: d\n  unit: count\n  values:\n    - {{start: 2019-01-01, end: 2019-06-30, value: 1, {REF}}}\n    - {{start: 2019-09-01, value: 2, {REF}}}\n",
            "gap between",
        ),
        (
            f"x:\n  description: d\n  unit: count\n  values:\n    - {{start: 2019-02-01, value: 1, {REF}}}\n",
            "gap",
        ),
        (
            f"x:\n  description: d\n  unit: AZN\n  values:\n    - {{start: 2019-01-01, value: '1.234', {REF}}}\n",
            "two decimals",
        ),
        (
            f"x:\n  description: d\n  unit: ratio\n  values:\n    - {{start: 2019-01-01, value: 0.5, {REF}}}\n",
            "quoted",
        ),
        (
            f"x:\n  unit: count\n  values:\n    - {{start: 2019-01-01, value: 1, {REF}}}\n",
            "missing description",
        ),
    ],
    ids=[
        "unknown unit",
        "missing reference",
        "same start",
        "out of order",
        "gap",
        "starts after 2019",
        "sub-qəpik amount",
        "float ratio",
        "no description",
    ],
)
def test_it_refuses_an_invalid_parameter_file(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        load_store(_write(tmp_path, body))
