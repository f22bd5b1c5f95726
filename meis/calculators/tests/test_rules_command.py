"""The `rules` Django command: what `meis help` lists and `call_command` runs, over meis.rules.cli;
and `meis` itself sends every subcommand except `rules` to Django as before."""

from __future__ import annotations

import io
import json
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import CommandError, ManagementUtility, call_command

from meis import manage
from meis.rules.tests.test_cli import FAMILY


def test_call_command_evaluates_a_case(tmp_path: Path) -> None:
    facts = tmp_path / "family.json"
    facts.write_text(json.dumps(FAMILY), encoding="utf-8")
    out = io.StringIO()
    call_command(
        "rules",
        "evaluate",
        "targeted_assistance",
        "--on",
        "2020-03-01",
        "--facts",
        str(facts),
        "--explain",
        "en",
        stdout=out,
    )
    assert json.loads(out.getvalue())["amount_qepik"] == 24000


def test_call_command_lists_schemes() -> None:
    out = io.StringIO()
    call_command("rules", "list", stdout=out)
    assert "old_age_pension" in {s["name"] for s in json.loads(out.getvalue())["schemes"]}


def test_call_command_raises_with_the_status_on_bad_input() -> None:
    err = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("rules", "frobnicate", stdout=io.StringIO(), stderr=err)
    assert raised.value.returncode == 2
    assert "invalid choice" in err.getvalue()


def test_meis_help_lists_the_rules_command() -> None:
    assert "    rules\n" in ManagementUtility(["meis", "help"]).main_help_text()


def test_meis_help_rules_shows_the_rules_usage(capsys: pytest.CaptureFixture[str]) -> None:
    ManagementUtility(["meis", "help", "rules"]).execute()
    assert capsys.readouterr().out.startswith("usage: meis rules [-h] {evaluate,list,")


@pytest.mark.parametrize(
    "argv", [["meis"], ["meis", "check"], ["meis", "help", "rules"], ["meis", "check", "rules"]]
)
def test_meis_sends_every_other_subcommand_to_django(argv: list[str]) -> None:
    with mock.patch("django.core.management.execute_from_command_line") as django:
        manage.main(argv)
    django.assert_called_once_with(argv)
