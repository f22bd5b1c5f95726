"""A read compiled once per process answers as the queryset it was built from, for any value."""

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet

from meis.core.compiled import CompiledRead

pytestmark = pytest.mark.django_db


def _either_user(first: int, second: int) -> QuerySet[Any, Any]:
    return (
        User.objects.filter(Q(pk=first) | Q(pk=second))
        .annotate(groups_held=Count("groups"))
        .order_by("pk")
        .values("pk", "username", "groups_held")
    )


def test_each_call_runs_the_same_sql_with_its_own_values():
    ann, bob, eve = (User.objects.create_user(username=name) for name in ("ann", "bob", "eve"))
    read = CompiledRead(_either_user, arguments=2)
    assert read.rows(ann.pk, eve.pk) == [
        {"pk": ann.pk, "username": "ann", "groups_held": 0},
        {"pk": eve.pk, "username": "eve", "groups_held": 0},
    ]
    assert [row["username"] for row in read.rows(bob.pk, bob.pk)] == ["bob"]
    assert read.rows(-1, -2) == []


def test_a_value_the_query_converts_is_refused():
    read = CompiledRead(lambda name: User.objects.filter(username=name).values("pk"), arguments=1)
    with pytest.raises(ValueError, match="integer compared by equality"):
        read.rows("ann")


def test_the_number_of_values_is_checked():
    read = CompiledRead(lambda pk: User.objects.filter(pk=pk).values("pk"), arguments=1)
    with pytest.raises(TypeError):
        read.rows(1, 2)
