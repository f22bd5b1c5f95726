"""A read made on every request, its SQL built by the ORM once per process.

Building a query — resolving lookups, joins and annotations, then compiling them — costs the ORM
more CPU than the database spends answering a small indexed read. A `CompiledRead` builds its
queryset once per process and database, with a placeholder for each value, keeps the SQL, and
runs it with each call's own values: the SQL the ORM would send, without building it again.

Only for integer values (ids) compared by equality (`field=value`), which the ORM passes to the
database as they are, so each placeholder stands exactly where its value goes (a text or boolean
field would convert the placeholder); and for columns the database returns as they are meant
(numbers, booleans, text): rows come from the cursor, without the fields' converters.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.db.models import QuerySet

# Stand-ins for the values while the SQL is built: never a real id, never another parameter,
# and within a 32-bit integer column's range (the ORM compiles an out-of-range value to "no
# rows" without SQL).
_PLACEHOLDER_BASE = -2_047_364_000


class CompiledRead:
    """`build(*placeholders)` compiled once; `rows(*values)` runs it with the values in place.

    `build` returns a `values(...)` queryset: a row's keys are its names."""

    def __init__(self, build: Callable[..., QuerySet[Any]], *, arguments: int) -> None:
        self._build = build
        self._arguments = arguments
        # Per database vendor: the SQL, its parameters, and where each value goes in them.
        self._compiled: dict[str, tuple[str, list[Any], list[tuple[int, int]]]] = {}

    def rows(self, *values: Any) -> list[dict[str, Any]]:
        """The rows, each by its columns' names (the queryset's `values()` names)."""
        if len(values) != self._arguments:
            raise TypeError(f"expected {self._arguments} values, got {len(values)}")
        sql, params, slots = self._compiled_for(connection.vendor)
        params = list(params)
        for position, index in slots:
            params[position] = values[index]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def _compiled_for(self, vendor: str) -> tuple[str, list[Any], list[tuple[int, int]]]:
        if vendor not in self._compiled:
            placeholders = [_PLACEHOLDER_BASE - n for n in range(self._arguments)]
            sql, params = self._build(*placeholders).query.sql_with_params()
            slots = [
                (position, placeholders.index(value))
                for position, value in enumerate(params)
                if value in placeholders
            ]
            if {index for _position, index in slots} != set(range(self._arguments)):
                raise ValueError("every value must be an integer compared by equality in the query")
            self._compiled[vendor] = (sql, list(params), slots)
        return self._compiled[vendor]
