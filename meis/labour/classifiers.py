"""The occupation classifier and the termination grounds, kept as data files in `data/`.

`classifiers_load` upserts both by code (a migration runs it; `meis labour classifiers` runs it
again after the files change). A code that left a file is marked not in use, never deleted:
contracts registered under it keep pointing at it.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).parent / "data"


def occupations_read() -> list[dict[str, str]]:
    with (DATA / "occupations.csv").open(encoding="utf-8", newline="") as file:
        return [{key: value.strip() for key, value in row.items()} for row in csv.DictReader(file)]


def grounds_read() -> list[dict[str, Any]]:
    with (DATA / "termination_grounds.yaml").open(encoding="utf-8") as file:
        return list(yaml.safe_load(file))


def classifiers_load(*, occupation: Any = None, ground: Any = None) -> tuple[int, int]:
    """Upsert the files into the tables (models passed by a migration, or the current ones)."""
    if occupation is None or ground is None:
        from meis.labour.models import Occupation, TerminationGround

        occupation, ground = Occupation, TerminationGround
    occupations = occupations_read()
    for row in occupations:
        occupation.objects.update_or_create(
            code=row["code"],
            defaults={
                "title_az": row["title_az"],
                "title_en": row["title_en"],
                "title_ru": row["title_ru"],
                "is_active": True,
            },
        )
    occupation.objects.exclude(code__in=[r["code"] for r in occupations]).update(is_active=False)
    grounds = grounds_read()
    for item in grounds:
        ground.objects.update_or_create(
            code=str(item["code"]),
            defaults={
                "article": item["article"],
                "initiated_by": item["initiated_by"],
                "title_az": item["title_az"],
                "title_en": item["title_en"],
                "title_ru": item["title_ru"],
                "gives_unemployment_insurance": bool(item["unemployment_insurance"]),
                "source_url": item.get("url", ""),
                "is_active": True,
            },
        )
    ground.objects.exclude(code__in=[str(g["code"]) for g in grounds]).update(is_active=False)
    return len(occupations), len(grounds)
