"""Reads made on every request, their SQL built by the ORM once per process.

Building a query — resolving lookups, joins and annotations, then compiling them — costs the ORM
more CPU than the database spends answering a small indexed read. A `CompiledRead` builds its
queryset once per process and database, with a placeholder for each value, keeps the SQL, and
runs it with each call's own values: the SQL the ORM would send, without building it again.

Only for integer values (ids) compared by equality (`field=value`), which the ORM passes to the
database as they are, so each placeholder stands exactly where its value goes (a text or boolean
field would convert the placeholder); and for columns the database returns as they are meant
(numbers, booleans, text): rows come from the cursor, without the fields' converters.

A `CompiledQuery` does the same for model instances (with their `select_related` objects and
annotations) and for `values_list` tuples, through the fields' converters and Django's own
populators, and takes text values compared by equality too: the case page's case and timeline,
the signed-in user with their person (issue 24).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection, connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import (  # type: ignore[attr-defined] # Django's own, not in the stubs
    ModelIterable,
    ValuesListIterable,
    get_related_populators,
)

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


# A text value's stand-in: compared by equality (`field=value` on a text field), the ORM passes
# the string as it is, so it marks where the value goes. Never a real reference or name.
_TEXT_PLACEHOLDER = "\x1ecompiled-placeholder-{}\x1e"


class CompiledQuery:
    """What the queryset `build(*placeholders)` would give — model instances with their
    `select_related` objects and annotations (`first`, `all`), or a `values_list` queryset's
    tuples (`tuples`) — from SQL compiled once per process and database vendor (a case page's
    case, the signed-in user: about 1.3 ms of the ORM's CPU per read saved, most of a small
    indexed read's cost).

    `arguments` names each value's type: `int` (an id compared by equality) or `str` (a text
    field compared by equality, `field=value`). A value the ORM would transform (`iexact`,
    `contains`, a text field given an int) is refused when the SQL is first built.
    The rows go through the fields' converters and Django's own populators of related objects,
    so an instance is the one the queryset would have made; known-related objects and
    `prefetch_related` are not supported.
    """

    def __init__(self, build: Callable[..., QuerySet[Any]], *, arguments: tuple[type, ...]) -> None:
        if any(kind not in (int, str) for kind in arguments):
            raise TypeError("each argument is an int or a str")
        self._build = build
        self._arguments = arguments
        self._model: type[Model] | None = None
        self._gives_tuples = False  # a values_list queryset (known once built)
        # Per database vendor: the compiler (its select list, related-object layout and
        # converters), the SQL, its parameters, and where each value goes in them.
        self._compiled: dict[str, tuple[Any, str, list[Any], list[tuple[int, int]]]] = {}

    def first(self, *values: Any) -> Any:
        """The first instance, or None (build the queryset with its order and `[:1]`)."""
        found = self.all(*values)
        return found[0] if found else None

    def all(self, *values: Any) -> list[Any]:
        compiler, rows, db = self._run(values)
        if self._gives_tuples:
            raise TypeError("a values_list queryset: use tuples()")
        return self._instances(compiler, rows, db) if rows else []

    def tuples(self, *values: Any) -> list[tuple[Any, ...]]:
        """The rows of a `values_list(...)` queryset (its fields in their order), converted
        as the queryset converts them."""
        compiler, rows, _db = self._run(values)
        if not self._gives_tuples:
            raise TypeError("a queryset of model instances: use all() or first()")
        return list(compiler.results_iter(results=[rows], tuple_expected=True)) if rows else []

    def _run(self, values: tuple[Any, ...]) -> tuple[Any, list[tuple[Any, ...]], str]:
        if len(values) != len(self._arguments):
            raise TypeError(f"expected {len(self._arguments)} values, got {len(values)}")
        for value, kind in zip(values, self._arguments, strict=True):
            if type(value) is not kind:
                raise TypeError(f"{value!r} is not a {kind.__name__}")
        if self._model is None:
            queryset = self._build(*self._placeholders())
            self._gives_tuples = queryset._iterable_class is ValuesListIterable
            self._model = queryset.model
        db = router.db_for_read(self._model)
        compiler, sql, params, slots = self._compiled_for(db)
        params = list(params)
        for position, index in slots:
            params[position] = values[index]
        with connections[db].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return compiler, rows, db

    def _placeholders(self) -> list[Any]:
        return [
            _PLACEHOLDER_BASE - n if kind is int else _TEXT_PLACEHOLDER.format(n)
            for n, kind in enumerate(self._arguments)
        ]

    def _compiled_for(self, db: str) -> tuple[Any, str, list[Any], list[tuple[int, int]]]:
        vendor = connections[db].vendor
        if vendor not in self._compiled:
            placeholders = self._placeholders()
            queryset: Any = self._build(*placeholders)  # its private attributes are read
            if queryset._prefetch_related_lookups or queryset._known_related_objects:
                raise ValueError("prefetch_related and known related objects are not supported")
            if queryset._iterable_class not in (ModelIterable, ValuesListIterable):
                raise ValueError("only model instances and values_list() tuples are supported")
            if queryset._iterable_class is ValuesListIterable:
                query = queryset.query
                names = [*query.extra_select, *query.values_select, *query.annotation_select]
                if list(queryset._fields) != names:
                    # ValuesListIterable would reorder the columns: not supported here.
                    raise ValueError("values_list() fields must be in the order selected")
            compiler = queryset.query.get_compiler(using=db)
            # Also fills the compiler's select list, klass_info and annotation_col_map.
            sql, params = compiler.as_sql()
            slots = [
                (position, placeholders.index(value))
                for position, value in enumerate(params)
                if isinstance(value, int | str) and value in placeholders
            ]
            if sorted(index for _position, index in slots) != list(range(len(placeholders))):
                raise ValueError("every value must be compared by equality, once, as it is")
            self._compiled[vendor] = (compiler, sql, list(params), slots)
        return self._compiled[vendor]

    @staticmethod
    def _instances(compiler: Any, rows: list[tuple[Any, ...]], db: str) -> list[Any]:
        """Django's ModelIterable over rows already fetched."""
        select, klass_info = compiler.select, compiler.klass_info
        annotations = compiler.annotation_col_map
        model = klass_info["model"]
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        init_list = [column[0].target.attname for column in select[start:end]]
        populators = get_related_populators(klass_info, select, db)
        instances = []
        for row in compiler.results_iter(results=[rows]):
            instance = model.from_db(db, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, instance)
            for name, position in (annotations or {}).items():
                setattr(instance, name, row[position])
            instances.append(instance)
        return instances
