"""`meis rules` on a fresh checkout: no environment at all, and Django is never imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from meis.rules.tests.test_cli import FAMILY

BIN = Path(sys.executable).parent
ENTRY_POINTS = {
    "meis rules": [str(BIN / "meis"), "rules"],
    "python -m meis.rules": [sys.executable, "-m", "meis.rules"],
}


def _run_bare(command: list[str], cwd: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run with only PATH set: no SECRET_KEY, DEBUG, DATABASE_URL or DJANGO_SETTINGS_MODULE."""
    return subprocess.run(  # noqa: S603 — our own executables
        command,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={"PATH": os.defpath},
        cwd=cwd,
        check=False,
    )


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_list_runs_with_no_environment(entry: str, tmp_path: Path) -> None:
    result = _run_bare([*ENTRY_POINTS[entry], "list"], tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    assert "targeted_assistance" in {s["name"] for s in json.loads(result.stdout)["schemes"]}


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_evaluate_runs_with_no_environment(entry: str, tmp_path: Path) -> None:
    facts = tmp_path / "family.json"
    facts.write_text(json.dumps(FAMILY), encoding="utf-8")
    argv = ["evaluate", "targeted_assistance", "--on", "2020-03-01", "--facts", str(facts)]
    result = _run_bare([*ENTRY_POINTS[entry], *argv, "--explain", "az"], tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    output = json.loads(result.stdout)
    assert (output["outcome"], output["amount_qepik"]) == (True, 24000)
    assert "240,00 manat" in output["explanation"][0]


def test_bad_input_exits_2_with_one_line_with_no_environment(tmp_path: Path) -> None:
    argv = ["evaluate", "nope", "--on", "2020-03-01", "--facts", "-"]
    result = _run_bare([*ENTRY_POINTS["meis rules"], *argv], tmp_path, stdin="{}")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("error: unknown scheme 'nope'")
    assert result.stderr.count("\n") == 1


def test_meis_rules_imports_neither_django_nor_the_settings(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from meis.manage import main\n"
        "try:\n"
        "    main(['meis', 'rules', 'list'])\n"
        "except SystemExit as exit:\n"
        "    loaded = sorted(m for m in sys.modules if m.partition('.')[0] == 'django')\n"
        "    loaded += [m for m in ('environ', 'meis.settings') if m in sys.modules]\n"
        "    print(exit.code, loaded, file=sys.stderr)\n"
    )
    result = _run_bare([sys.executable, "-c", script], tmp_path)
    assert result.stderr == "0 []\n"
