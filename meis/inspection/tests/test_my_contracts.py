"""The employee's side: a citizen sees their own contracts and history, and disputes an entry."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from meis.accounts.tests.conftest import signed_in_citizen_client
from meis.audit.models import AuditAction, AuditEvent
from meis.inspection.models import ContractDispute, DisputeReason, DisputeStatus
from meis.inspection.tests.conftest import OTP, hire
from meis.labour.models import TerminationGround
from meis.labour.services import contract_amend, contract_terminate
from meis.labour.tests.factories import draft

pytestmark = pytest.mark.django_db

MY_CONTRACTS = "/az/my/contracts/"


def dispute_url(contract, lang="az"):
    return f"/{lang}/my/contracts/{contract.pk}/dispute/"


def test_the_message_link_is_the_page(contract):
    with translation.override("az"):
        assert reverse("inspection:my_contracts") == MY_CONTRACTS


def test_a_citizen_sees_their_contract_its_history_and_the_insurance_account(citizen, contract):
    contract_amend(
        contract=contract,
        changes=draft(citizen.fin, monthly_wage_qepik=180_000),
        effective_on=datetime.date(2020, 5, 1),
        actor=None,
        assurance=OTP,
    )
    contract_terminate(
        contract=contract,
        on=datetime.date(2020, 9, 30),
        ground=TerminationGround.objects.get(code="70.b"),
        actor=None,
        assurance=OTP,
    )

    page = signed_in_citizen_client(citizen).get("/en/my/contracts/").content.decode()

    assert contract.employer.name in page
    assert contract.employer.voen in page
    assert contract.number in page
    assert "Proqramçı" in page
    assert "2512" in page
    assert "1,800.00 AZN" in page  # the wage in force after the amendment
    assert "Art. 70(b)" in page
    assert "30 September 2020" in page
    # The history: conclusion, amendment, termination (plus the table's header row).
    assert page.count('<tr class="govuk-table__row">') == 4
    assert "Insurance account opened on 16 March 2020." in page


def test_the_page_says_so_when_no_contract_is_registered(citizen):
    page = signed_in_citizen_client(citizen).get("/en/my/contracts/").content.decode()
    assert "No employment contract is registered for you." in page
    assert "Insurance account opened" not in page


def test_a_citizen_never_sees_another_persons_contract(citizen, other_citizen):
    theirs = hire(other_citizen)
    client = signed_in_citizen_client(citizen)

    assert theirs.number not in client.get(MY_CONTRACTS).content.decode()
    assert client.get(dispute_url(theirs)).status_code == 404
    assert client.post(dispute_url(theirs), {"reason": "wage", "text": "x"}).status_code == 404
    assert not ContractDispute.objects.exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(client, contract):
    for url in (MY_CONTRACTS, dispute_url(contract)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:citizen_sign_in"))


def test_a_dispute_is_opened_once_however_often_it_is_sent(citizen, contract):
    client = signed_in_citizen_client(citizen)
    answer = {"reason": DisputeReason.NEVER_WORKED, "text": "Mən orada heç vaxt işləməmişəm."}

    first = client.post(dispute_url(contract, "en"), answer, follow=True)
    client.post(dispute_url(contract, "en"), answer)

    dispute = ContractDispute.objects.get()
    assert (dispute.person, dispute.contract, dispute.status) == (citizen, contract, "open")
    assert dispute.reference in first.content.decode()
    assert "Being examined by the labour inspection" in first.content.decode()
    assert AuditEvent.objects.filter(purpose="inspection.dispute_open", person=citizen).count() == 1


def test_the_database_allows_one_open_dispute_per_contract_and_person(citizen, contract):
    from django.db import IntegrityError, transaction

    ContractDispute.objects.create(contract=contract, person=citizen, reason="wage", text="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        ContractDispute.objects.create(contract=contract, person=citizen, reason="wage", text="b")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Maaş\x00 səhvdir", "Bu cavabdan idarəedici simvolları (məsələn, NUL) silin."),
        ("ə" * 2001, "Bu cavabı ən çoxu 2000 simvola qədər qısaldın."),
    ],
)
def test_a_bad_explanation_gets_a_translated_error_and_nothing_is_written(
    citizen, contract, text, message
):
    response = signed_in_citizen_client(citizen).post(
        dispute_url(contract), {"reason": DisputeReason.WAGE, "text": text}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'href="#id_text"' in page  # the error summary names the field
    assert not ContractDispute.objects.exists()


def test_a_missing_reason_is_named_in_the_error_summary(citizen, contract):
    response = signed_in_citizen_client(citizen).post(
        dispute_url(contract, "en"), {"text": "Wrong"}
    )
    assert response.status_code == 400
    assert 'href="#id_reason_0"' in response.content.decode()


def test_the_citizen_sees_the_inspectors_decision(citizen, contract):
    ContractDispute.objects.create(
        contract=contract,
        person=citizen,
        reason="wage",
        text="a",
        status=DisputeStatus.UPHELD,
        decided_at=datetime.datetime(2020, 3, 13, 12, tzinfo=datetime.UTC),
        decision_note="The employer will correct the wage.",
    )
    page = signed_in_citizen_client(citizen).get("/en/my/contracts/").content.decode()
    assert "Upheld: the entry is wrong" in page
    assert "The employer will correct the wage." in page
    assert "This is wrong" in page  # a decided dispute does not stop a new one


def test_my_record_links_to_the_contracts(citizen):
    page = signed_in_citizen_client(citizen).get(reverse("accounts:my_record")).content.decode()
    assert f'href="{reverse("inspection:my_contracts")}"' in page


def test_a_citizens_own_reads_are_not_audited_as_someone_elses(citizen, contract):
    signed_in_citizen_client(citizen).get(MY_CONTRACTS)
    assert not AuditEvent.objects.filter(action=AuditAction.PERSON_READ, person=citizen).exists()
