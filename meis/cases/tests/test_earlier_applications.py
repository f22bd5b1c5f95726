"""A second application for a service already applied for, or already received.

The start page warns about an open application (with a link to it) and about an award held
(with a link to it). Targeted social assistance considers one application per family at a time
(docs/domain.md, "One ÜDSY application per family at a time"): its start page refuses while the
citizen's or a household member's application is open, and so does the submit service itself.
A double submission of one draft makes one case.
"""

from __future__ import annotations

import datetime
import threading
import uuid
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.urls import reverse

from meis.accounts.services import citizen_account_get_or_create
from meis.accounts.tests.factories import MembershipFactory
from meis.cases import services
from meis.cases.models import ApplicationDraft, Case
from meis.cases.tests.conftest import SERVICE, answers, iban, pdf
from meis.cases.tests.test_services import submit
from meis.catalog.selectors import eservice_version_current, version_definition
from meis.certificates.tests.conftest import pension_for
from meis.registry.models import Relation

pytestmark = pytest.mark.django_db


def start() -> str:
    """The start page of targeted social assistance, in the test's language (English)."""
    return reverse("cases:apply", kwargs={"code": SERVICE})


def _pension_case(person: Any, centre: Any) -> Case:
    version = eservice_version_current(code="old-age-pension")
    documents = [(d.code, pdf()) for d in version_definition(version).documents if d.required]
    case: Case = submit(
        person,
        version,
        centre,
        answers={"contact_phone": "050 123 45 67", "bank_account_iban": iban()},
        documents=documents,
    ).case
    return case


def test_an_open_application_is_warned_about_with_a_link(citizen, version, centre, citizen_client):
    case = _pension_case(citizen, centre)
    page = citizen_client(citizen).get(reverse("cases:apply", kwargs={"code": "old-age-pension"}))
    text = page.content.decode()
    assert 'data-testid="earlier-case"' in text
    assert f"You already have an open application for this service, {case.reference}" in text
    assert reverse("cases:case_detail", kwargs={"reference": case.reference}) in text
    assert "Start now" in text  # only a warning: this service takes a second application


def test_an_award_held_is_warned_about_with_a_link(citizen, version, citizen_client):
    award = pension_for(citizen)
    text = (
        citizen_client(citizen)
        .get(reverse("cases:apply", kwargs={"code": "old-age-pension"}))
        .content.decode()
    )
    assert 'data-testid="earlier-award"' in text
    assert f"You already receive {award.get_kind_display()}" in text
    assert reverse("awards:my_award", args=[award.pk]) in text
    assert "Start now" in text


def test_a_second_assistance_application_is_refused_at_the_start(
    citizen, version, centre, citizen_client
):
    case = submit(citizen, version, centre).case
    client = citizen_client(citizen)

    page = client.get(start())
    text = page.content.decode()
    assert 'data-testid="one-at-a-time"' in text
    assert case.reference in text
    assert "one application per family at a time" in text
    assert "Start now" not in text

    drafts_before = ApplicationDraft.objects.count()
    refused = client.post(start())
    assert refused.status_code == 200
    assert 'data-testid="one-at-a-time"' in refused.content.decode()
    assert ApplicationDraft.objects.count() == drafts_before


def test_the_submit_service_refuses_a_second_open_assistance_application(citizen, version, centre):
    first = submit(citizen, version, centre).case
    with pytest.raises(services.OneAtATime, match=first.reference):
        submit(citizen, version, centre)
    assert Case.objects.count() == 1

    services.case_withdraw(
        case=first,
        actor=citizen_account_get_or_create(person=citizen),
        expected_version=first.version,
    )
    assert submit(citizen, version, centre).created


def test_a_household_members_open_application_refuses_without_naming_it(
    citizen, other_citizen, version, centre, citizen_client
):
    home = MembershipFactory(person=citizen).household
    MembershipFactory(household=home, person=other_citizen, relation=Relation.SPOUSE)
    spouse_case = submit(other_citizen, version, centre).case

    text = citizen_client(citizen).get(start()).content.decode()
    assert "A member of your family already has an open application" in text
    assert spouse_case.reference not in text
    with pytest.raises(services.OneAtATime, match="member of your family"):
        submit(citizen, version, centre)


def test_a_former_household_member_does_not_block(
    citizen, other_citizen, version, centre, citizen_client
):
    home = MembershipFactory(person=citizen).household
    MembershipFactory(
        household=home,
        person=other_citizen,
        relation=Relation.SPOUSE,
        left_on=datetime.date(2020, 1, 1),
    )
    submit(other_citizen, version, centre)
    assert "Start now" in citizen_client(citizen).get(start()).content.decode()


def test_the_same_draft_submitted_twice_makes_one_case(citizen, version, centre):
    key = str(uuid.uuid4())
    first = submit(citizen, version, centre, key=key)
    again = submit(citizen, version, centre, key=key)
    assert first.created
    assert not again.created
    assert again.case.pk == first.case.pk


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("same_key", [True, False], ids=["one draft", "two drafts"])
def test_two_submissions_at_the_same_moment_make_one_case(citizen, version, centre, same_key):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections (PostgreSQL)")
    key = str(uuid.uuid4())
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def file() -> None:
        barrier.wait()
        try:
            result = services.case_submit(
                person=citizen,
                version=version,
                answers=answers(),
                channel="api",
                actor=AnonymousUser(),
                centre=centre,
                contact_channel="portal",
                contact_value="",
                idempotency_key=key if same_key else str(uuid.uuid4()),
                documents=[("identity_card", pdf()), ("family_composition_certificate", pdf())],
            )
            outcomes.append("created" if result.created else "the same case")
        except services.OneAtATime:
            outcomes.append("refused")
        except Exception as error:  # noqa: BLE001 — reported by the assertion below
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=file) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Case.objects.count() == 1
    assert sorted(outcomes) == (
        ["created", "the same case"] if same_key else ["created", "refused"]
    )
