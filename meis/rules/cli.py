"""Command line for analysts and testers; works without Django or a database.

    python -m meis.rules evaluate SCHEME --on DATE --facts FILE|- [--explain az|en|ru]
    python -m meis.rules list
    python -m meis.rules docs [--output docs/rules] [--check]
    python -m meis.rules ledger [--append]
``meis rules ...`` is this same command: meis/manage.py hands it here before Django loads, so it
needs no settings, secret or database. Bad input prints one line on stderr and exits with status 2,
facts that cannot be true together too (a disability before birth), in the --explain language.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, Protocol, TextIO

from meis.rules import ledger
from meis.rules.docs import write as write_docs
from meis.rules.engine import evaluate_case
from meis.rules.errors import ImpossibleFacts, RulesError
from meis.rules.explain import LANGUAGES, explain, impossible
from meis.rules.schemes import SCHEMES, get_scheme
from meis.rules.store import default_store


class Writer(Protocol):
    """Where output goes: a text stream, or a Django command's ``self.stdout``."""

    def write(self, text: str, /) -> object: ...


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise RulesError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="meis rules", description="Evaluate MEİS rules as code.")
    commands = parser.add_subparsers(dest="command", required=True)
    evaluate = commands.add_parser(
        "evaluate", help="evaluate one case and print outcome, amount and trace"
    )
    evaluate.add_argument("scheme", help="scheme name (see `meis rules list`)")
    evaluate.add_argument("--on", required=True, help="evaluation date YYYY-MM-DD")
    evaluate.add_argument("--facts", required=True, help="JSON file with the facts, or - for stdin")
    evaluate.add_argument(
        "--explain",
        metavar="LANG",
        choices=LANGUAGES,
        help="add a plain-language explanation in az, en or ru",
    )
    commands.add_parser("list", help="list schemes with their facts, and parameters")
    ledger = commands.add_parser(
        "ledger", help="check that parameter values were only added (parameters/ledger.lock)"
    )
    ledger.add_argument("--append", action="store_true", help="record newly added values")
    docs = commands.add_parser("docs", help="generate the reference in docs/rules/")
    docs.add_argument("--output", default="docs/rules", help="output folder (docs/rules)")
    docs.add_argument("--check", action="store_true", help="only report stale pages (exit 1)")
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    stdin: TextIO | None = None,
    stdout: Writer | None = None,
    stderr: Writer | None = None,
) -> int:
    out, err = stdout or sys.stdout, stderr or sys.stderr
    try:
        args = build_parser().parse_args(argv)
        if args.command == "list":
            _write(out, list_everything())
        elif args.command == "ledger":
            return _ledger(out, err, append=args.append)
        elif args.command == "docs":
            stale = write_docs(Path(args.output), check=args.check)
            for page in stale:
                out.write(f"{'stale' if args.check else 'wrote'} {args.output}/{page}\n")
            if args.check and stale:
                return 1
        else:
            _write(
                out,
                evaluate(
                    args.scheme,
                    on=args.on,
                    facts=_read_facts(args.facts, stdin or sys.stdin),
                    explain_in=args.explain,
                ),
            )
    except RulesError as error:
        err.write(f"error: {error}\n")
        return 2
    return 0


def evaluate(scheme: str, *, on: str, facts: Any, explain_in: str | None = None) -> dict[str, Any]:
    """Evaluate a case from JSON-like input; raises RulesError on bad input."""
    try:
        on_date = date.fromisoformat(on)
    except ValueError:
        raise RulesError(f"--on must be a date YYYY-MM-DD, got {on!r}") from None
    if not isinstance(facts, dict):
        raise RulesError("facts must be a JSON object of fact names to values")
    try:
        result = evaluate_case(get_scheme(scheme), facts, on=on_date)
    except ImpossibleFacts as error:
        if explain_in is None:
            raise
        reasons = (impossible(problem, explain_in, on=on_date) for problem in error.problems)
        raise RulesError(f"{scheme}: {' '.join(reasons)}") from None
    output: dict[str, Any] = {
        "scheme": scheme,
        "on": on,
        "outcome": result.outcome,
        "amount_qepik": result.amount_qepik,
    }
    if explain_in is not None:
        output["explanation"] = explain(result.trace, explain_in)
    output["trace"] = result.trace
    return output


def list_everything() -> dict[str, Any]:
    return {
        "schemes": [
            {
                "name": scheme.name,
                "title": scheme.title,
                "entity": scheme.entity,
                "facts": [
                    {"name": f.name, "kind": f.kind, "unit": f.unit, "description": f.description}
                    for f in scheme.facts
                ],
            }
            for scheme in SCHEMES.values()
        ],
        "parameters": [
            {"name": p.name, "unit": p.unit, "description": p.description} for p in default_store()
        ],
    }


def _ledger(out: Writer, err: Writer, *, append: bool) -> int:
    if append:
        for entry in ledger.append():
            out.write(f"recorded {entry.parameter} from {entry.start}\n")
        return 0
    recorded, current = ledger.read(), ledger.current_entries()
    problems = ledger.violations(recorded, current)
    problems += [
        f"{e.parameter} from {e.start}: not recorded (run `python -m meis.rules ledger --append`)"
        for e in ledger.unrecorded(recorded, current)
    ]
    for problem in problems:
        err.write(f"error: {problem}\n")
    return 1 if problems else 0


def _read_facts(source: str, stdin: TextIO) -> Any:
    try:
        text = stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as error:
        raise RulesError(f"cannot read facts file {source!r}: {error.strerror}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise RulesError(f"facts are not valid JSON: {error.msg} at line {error.lineno}") from None


def _write(out: Writer, data: dict[str, Any]) -> None:
    out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
