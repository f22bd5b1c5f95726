"""Withdrawing asks first: the case page links a page that says what withdrawing does, and only
its POST — with the CSRF token and the version the page showed — withdraws."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from meis.accounts.services import citizen_account_get_or_create
from meis.cases import services
from meis.cases.models import CaseStatus
from meis.cases.tests.test_services import submit

pytestmark = pytest.mark.django_db


def _url(case, name: str) -> str:
    return reverse(f"cases:{name}", kwargs={"reference": case.reference})


def test_the_case_page_links_a_confirmation_that_withdraws_only_when_confirmed(
    citizen, version, centre, citizen_client
):
    case = submit(citizen, version, centre).case
    client = citizen_client(citizen)
    detail = client.get(_url(case, "case_detail")).content.decode()
    assert f'href="{_url(case, "withdraw")}"' in detail

    asked = client.get(_url(case, "withdraw"))
    page = asked.content.decode()
    assert asked.status_code == 200
    assert "Are you sure you want to withdraw this application?" in page
    assert "we stop considering it" in page
    assert f'href="{_url(case, "case_detail")}"' in page  # "No, go back"
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED

    done = client.post(_url(case, "withdraw"), {"version": case.version})
    assert done.status_code == 302
    assert done["Location"] == _url(case, "case_detail")
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN
    # A closed case has no withdrawal page any more: back to the case.
    assert client.get(_url(case, "withdraw"))["Location"] == _url(case, "case_detail")


def test_a_stale_page_does_not_withdraw_and_says_why(
    citizen, version, centre, citizen_client, worker
):
    case = submit(citizen, version, centre).case
    shown_version = case.version
    services.case_claim(case=case, actor=worker, expected_version=shown_version)
    response = citizen_client(citizen).post(_url(case, "withdraw"), {"version": shown_version})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_REVIEW


def test_a_withdrawal_without_the_csrf_token_is_refused(citizen, version, centre):
    case = submit(citizen, version, centre).case
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen_account_get_or_create(person=citizen))
    assert client.post(_url(case, "withdraw"), {"version": case.version}).status_code == 403
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_another_citizen_cannot_open_the_withdrawal_page(
    citizen, other_citizen, version, centre, citizen_client
):
    case = submit(citizen, version, centre).case
    intruder = citizen_client(other_citizen)
    assert intruder.get(_url(case, "withdraw")).status_code == 404
    assert intruder.post(_url(case, "withdraw"), {"version": case.version}).status_code == 404
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_a_malformed_version_loses_nothing(citizen, version, centre, citizen_client):
    case = submit(citizen, version, centre).case
    response = citizen_client(citizen).post(_url(case, "withdraw"), {"version": "x"})
    assert response.status_code == 200
    assert "out of date" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
