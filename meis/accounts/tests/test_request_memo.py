"""The signed-in user's roles and person are read once per request, and never beyond it.

`meis.accounts.request_memo` keeps them on the request's own User object: the next request, and
any other user, reads them afresh, so a role revoked between two requests is refused at once.
"""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from meis.accounts.access import actor_roles
from meis.accounts.request_memo import request_memo_forget, request_memo_open
from meis.accounts.roles import Role
from meis.accounts.testing import otp_verified

pytestmark = pytest.mark.django_db


def test_a_role_revoked_between_two_requests_is_refused_on_the_second(case_worker):
    client = otp_verified(Client(), case_worker)
    assert client.get(reverse("backoffice:queue")).status_code == 200
    case_worker.groups.remove(Group.objects.get(name=Role.CASE_WORKER))
    assert client.get(reverse("backoffice:queue")).status_code == 403


def test_a_user_held_outside_a_request_is_read_afresh_every_time(case_worker):
    assert Role.CASE_WORKER in actor_roles(case_worker)
    case_worker.groups.remove(Group.objects.get(name=Role.CASE_WORKER))
    assert Role.CASE_WORKER not in actor_roles(case_worker)


def test_within_a_request_the_roles_are_read_once_until_forgotten(
    case_worker, django_assert_num_queries
):
    request_memo_open(case_worker)
    actor_roles(case_worker)
    with django_assert_num_queries(0):
        assert Role.CASE_WORKER in actor_roles(case_worker)
    case_worker.groups.remove(Group.objects.get(name=Role.CASE_WORKER))
    request_memo_forget(case_worker)
    assert Role.CASE_WORKER not in actor_roles(case_worker)
