"""Case references: MEIS-YYYY-NNNNNNN, unique and increasing."""

from __future__ import annotations

from django.db import connection
from django.db.models import F

from meis.cases.models import ReferenceCounter

REFERENCE_SEQUENCE = "cases_reference"


def reference_next(*, year: int) -> str:
    """MEIS-YYYY-NNNNNNN: a PostgreSQL sequence (no row lock held), a counter row on SQLite.

    Numbers are unique and increasing; a rolled-back submission leaves a gap (by design).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(%s)", [REFERENCE_SEQUENCE])
            number = int(cursor.fetchone()[0])
    else:
        ReferenceCounter.objects.get_or_create(year=year)
        ReferenceCounter.objects.filter(year=year).update(last=F("last") + 1)
        number = ReferenceCounter.objects.values_list("last", flat=True).get(year=year)
    return f"MEIS-{year}-{number:07d}"
