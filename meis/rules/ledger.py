"""Values are added, never edited: a committed ledger of every parameter value.

``parameters/ledger.lock`` holds one line per value — ``parameter  start  sha256(value)`` — in
the order the values were added. A test fails when a value in the ledger changed or disappeared
from the YAML, or when a YAML value is not in the ledger yet. After appending a value to a
parameter file (a correction is a new value with its own start date and reference), record it:

    python -m meis.rules ledger --append

which only ever appends lines; it refuses when an existing value was edited.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from meis.rules.errors import ParameterError
from meis.rules.store import PARAMETERS_DIR, ParameterStore, default_store

LEDGER_FILE = PARAMETERS_DIR / "ledger.lock"
HEADER = (
    "# Values are added, never edited: parameter, start date, sha256 of the value.\n"
    "# Append new values with `python -m meis.rules ledger --append`; never edit a line.\n"
)


@dataclass(frozen=True)
class Entry:
    parameter: str
    start: str
    digest: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.parameter, self.start)

    def line(self) -> str:
        return f"{self.parameter}  {self.start}  {self.digest}\n"


def digest(raw: Any) -> str:
    canonical = json.dumps(raw, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def current_entries(store: ParameterStore | None = None) -> list[Entry]:
    return [
        Entry(p.name, period.start.isoformat(), digest(period.raw))
        for p in (store or default_store())
        for period in p.periods
    ]


def read(path: Path = LEDGER_FILE) -> list[Entry]:
    if not path.exists():
        return []
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 3:
            raise ParameterError(f"{path.name}:{number}: expected 'parameter start sha256'")
        entries.append(Entry(*parts))
    return entries


def violations(ledger: list[Entry], current: list[Entry]) -> list[str]:
    """Values that were edited or removed since they were recorded."""
    now = {entry.key: entry for entry in current}
    problems = []
    for entry in ledger:
        found = now.get(entry.key)
        if found is None:
            problems.append(f"{entry.parameter} from {entry.start}: value removed")
        elif found.digest != entry.digest:
            problems.append(
                f"{entry.parameter} from {entry.start}: value edited (append a new value instead)"
            )
    return problems


def unrecorded(ledger: list[Entry], current: list[Entry]) -> list[Entry]:
    known = {entry.key for entry in ledger}
    return [entry for entry in current if entry.key not in known]


def append(path: Path = LEDGER_FILE, store: ParameterStore | None = None) -> list[Entry]:
    """Append the new values to the ledger; refuse if a recorded value was edited or removed."""
    ledger, current = read(path), current_entries(store)
    problems = violations(ledger, current)
    if problems:
        raise ParameterError("; ".join(problems))
    new = unrecorded(ledger, current)
    if new or not path.exists():
        fresh = not path.exists() or path.stat().st_size == 0
        with path.open("a", encoding="utf-8") as handle:
            if fresh:
                handle.write(HEADER)
            handle.writelines(entry.line() for entry in new)
    return new
