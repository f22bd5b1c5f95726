"""A read compiled once per process answers as the queryset it was built from, for any value."""

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db.models import Count, F, Q, QuerySet

from meis.core.compiled import CompiledQuery, CompiledRead

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


# --- Model instances ---------------------------------------------------------------------------
def _permission_named(codename: str) -> QuerySet[Any, Any]:
    from django.contrib.auth.models import Permission

    return (
        Permission.objects.select_related("content_type")
        .annotate(groups_holding=Count("group"))
        .filter(codename=codename)
        .order_by("pk")[:1]
    )


def test_an_instance_is_the_one_the_queryset_makes_with_its_related_objects(
    django_assert_num_queries,
):
    read = CompiledQuery(_permission_named, arguments=(str,))
    for codename in ("add_user", "change_group", "view_permission"):
        expected = _permission_named(codename).get()
        with django_assert_num_queries(1):
            found = read.first(codename)
            # the related object and the annotation came with it: no further query
            assert found.content_type.app_label == expected.content_type.app_label
            assert found.groups_holding == expected.groups_holding == 0
        assert type(found) is type(expected)
        assert found.pk == expected.pk
        assert found.name == expected.name
        assert found.content_type == expected.content_type
        assert found._state.db == "default"
        assert not found._state.adding
    assert read.first("no such permission") is None


def test_a_missing_reverse_one_to_one_is_known_without_a_query(django_assert_num_queries):
    ann = User.objects.create_user(username="ann")
    read = CompiledQuery(
        lambda pk: User.objects.select_related("citizen_account__person").filter(pk=pk)[:1],
        arguments=(int,),
    )
    with django_assert_num_queries(1):
        user = read.first(ann.pk)
        assert user.username == "ann"
        assert not hasattr(user, "citizen_account")  # cached as absent: no second query


def test_a_text_value_the_orm_would_transform_is_refused():
    read = CompiledQuery(
        lambda name: User.objects.filter(username__icontains=name), arguments=(str,)
    )
    with pytest.raises(ValueError, match="compared by equality"):
        read.first("ann")


def test_values_of_the_wrong_type_or_number_are_refused():
    read = CompiledQuery(lambda pk: User.objects.filter(pk=pk), arguments=(int,))
    with pytest.raises(TypeError):
        read.first("1")
    with pytest.raises(TypeError):
        read.first(1, 2)
    with pytest.raises(TypeError):
        CompiledQuery(lambda pk: User.objects.filter(pk=pk), arguments=(float,))


def test_tuples_come_converted_as_the_values_list_gives_them():
    """Dates come as dates on every database (SQLite returns text the converters turn back)."""
    ann = User.objects.create_user(username="ann")
    bob = User.objects.create_user(username="bob")

    def either(first: int, name: str) -> QuerySet[Any, Any]:
        by_id = User.objects.filter(pk=first).values_list("username", "date_joined", "is_active")
        by_name = User.objects.filter(username=name).values_list(
            "username", "date_joined", "is_active"
        )
        return by_id.order_by().union(by_name.order_by(), all=True)

    read = CompiledQuery(either, arguments=(int, str))
    expected = sorted(either(ann.pk, "bob"))
    assert sorted(read.tuples(ann.pk, "bob")) == expected
    assert {row[1] for row in expected} == {ann.date_joined, bob.date_joined}
    assert read.tuples(-1, "nobody") == []
    with pytest.raises(TypeError, match="use all"):
        CompiledQuery(lambda pk: User.objects.filter(pk=pk), arguments=(int,)).tuples(ann.pk)
    with pytest.raises(TypeError, match="use tuples"):
        read.all(ann.pk, "bob")


def test_dictionaries_and_reordered_columns_are_refused():
    with pytest.raises(ValueError, match="values_list"):
        CompiledQuery(
            lambda pk: User.objects.filter(pk=pk).values("username"), arguments=(int,)
        ).tuples(1)
    with pytest.raises(ValueError, match="order selected"):
        CompiledQuery(
            lambda pk: (
                User.objects.filter(pk=pk).annotate(name=F("username")).values_list("name", "pk")
            ),
            arguments=(int,),
        ).tuples(1)
