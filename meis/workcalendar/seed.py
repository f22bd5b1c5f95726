"""Loading the decreed days of docs/domain.md §11 (seed/decreed_days.yaml) into `CalendarDay`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from meis.workcalendar.models import DayKind

SEED_FILE = Path(__file__).resolve().parent / "seed" / "decreed_days.yaml"


def decreed_days_read(path: Path = SEED_FILE) -> list[dict[str, Any]]:
    """The seed rows as `CalendarDay` field values."""
    rows: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        {
            "date": row["date"],
            "kind": row["kind"],
            "is_working": row["kind"] == DayKind.TRANSFERRED_WORKING_DAY,
            "reason_az": row["reason"]["az"],
            "reason_en": row["reason"]["en"],
            "reason_ru": row["reason"]["ru"],
            "legal_basis": row["legal_basis"],
        }
        for row in rows
    ]


def decreed_days_load(model: Any, path: Path = SEED_FILE) -> int:
    """Create the seed days that do not exist yet (an administrator's edit is never undone)."""
    created = 0
    for values in decreed_days_read(path):
        _, is_new = model.objects.get_or_create(date=values.pop("date"), defaults=values)
        created += int(is_new)
    return created
