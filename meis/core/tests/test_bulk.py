# mypy: disable-error-code="no-untyped-def,attr-defined"
"""The set-based check that stands in for foreign-key triggers during a full run."""

from __future__ import annotations

import polars as pl
import pytest
from django.db import IntegrityError, connection

from meis.core import bulk
from meis.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the check runs on PostgreSQL only"
)


def test_references_to_existing_rows_pass(db: None) -> None:
    person = PersonFactory()

    bulk.references_verify([("registry_person", pl.Series([person.pk, person.pk, None]))])


def test_a_reference_to_a_missing_row_fails_the_chunk(db: None) -> None:
    person = PersonFactory()

    with pytest.raises(IntegrityError, match="registry_person has no row with id"):
        bulk.references_verify([("registry_person", pl.Series([person.pk, person.pk + 10_000]))])
