"""The employer's pages: a representative notifies a hire, confirms it with a one-time code, and
amends, suspends and terminates contracts; no one reaches an employer they do not act for."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from meis.accounts.models import BindingGrantor, EmployerRepresentative
from meis.accounts.services import citizen_account_get_or_create
from meis.labour.models import (
    Assurance,
    Contract,
    ContractStatus,
    ContractVersion,
    NotificationBatch,
    TerminationGround,
)
from meis.labour.services import contract_conclude, representative_bind
from meis.labour.tests.factories import EmployerFactory, draft
from meis.notifications.models import Message
from meis.registry.models import Employer, Person
from meis.registry.tests.factories import IdentityDocumentFactory, PersonFactory

pytestmark = pytest.mark.django_db
BAKU = ZoneInfo("Asia/Baku")


@pytest.fixture(autouse=True)
def _friday_13_march_2020() -> Iterator[None]:
    with time_machine.travel(datetime.datetime(2020, 3, 13, 10, tzinfo=BAKU), tick=False):
        yield


@pytest.fixture
def employer() -> Employer:
    return EmployerFactory.create(name="Xəzər Tikinti MMC")


@pytest.fixture
def representative(employer: Employer) -> Person:
    person = PersonFactory.create()
    representative_bind(
        employer=employer,
        person=person,
        actor=AnonymousUser(),
        granted_as=BindingGrantor.ADMINISTRATOR,
    )
    return person


def signed_in(person: Person) -> Client:
    client = Client()
    client.force_login(citizen_account_get_or_create(person=person))
    return client


@pytest.fixture
def client_rep(representative: Person) -> Client:
    return signed_in(representative)


def url(name: str, employer: Employer, **kwargs: Any) -> str:
    return reverse(f"employers:{name}", kwargs={"voen": employer.voen, **kwargs})


def hire_form(fin: str, **changes: str) -> dict[str, str]:
    values = {
        "employee_fin": fin,
        "occupation_code": "2512",
        "position": "Proqramçı",
        "workplace": "Bakı ofisi",
        "monthly_wage": "1 500,00",
        "weekly_hours": "40",
        "term": "indefinite",
        "fixed_end_on": "",
        "probation_months": "0",
        "concluded_on": "2020-03-13",
        "start_on": "2020-03-16",
        "job": "main",
    }
    values.update(changes)
    return values


def last_code(person: Person) -> str:
    message = Message.objects.filter(person=person, event="one_time_code").latest("pk")
    found = re.search(r"\b(\d{6})\b", message.body_text)
    assert found is not None
    return found.group(1)


def challenge_of(client: Client) -> str:
    return str(client.session["meis_employer_confirmation"]["challenge_id"])


def confirm(client: Client, employer: Employer, code: str) -> Any:
    return client.post(url("confirm", employer), {"code": code, "challenge": challenge_of(client)})


# --- Reaching the pages ----------------------------------------------------------------------


def test_a_representative_of_one_employer_goes_straight_to_it(
    client_rep: Client, employer: Employer
) -> None:
    response = client_rep.get(reverse("employers:list"))
    assert response.status_code == 302
    assert response["Location"] == url("home", employer)
    page = client_rep.get(url("home", employer))
    assert page.status_code == 200
    assert employer.voen in page.content.decode()


def test_the_home_lists_live_employees_and_finds_them_by_fin(
    client_rep: Client, employer: Employer
) -> None:
    workers = PersonFactory.create_batch(2)
    for worker in workers:
        contract_conclude(
            employer=employer,
            draft=draft(worker.fin),
            actor=None,
            assurance=Assurance.ONE_TIME_CODE,
        )
    page = client_rep.get(url("home", employer), {"q": workers[0].fin.lower()}).content.decode()
    assert workers[0].fin in page
    assert workers[1].fin not in page


def test_a_representative_of_another_employer_gets_404(
    client_rep: Client, employer: Employer
) -> None:
    other = EmployerFactory.create()
    contract = contract_conclude(
        employer=other,
        draft=draft(PersonFactory.create().fin),
        actor=None,
        assurance=Assurance.ONE_TIME_CODE,
    )
    for name, kwargs in [
        ("home", {}),
        ("history", {}),
        ("contract_new", {}),
        ("contract", {"contract_id": contract.pk}),
        ("contract_terminate", {"contract_id": contract.pk}),
        ("representatives", {}),
    ]:
        assert client_rep.get(url(name, other, **kwargs)).status_code == 404, name
    # Nor the other employer's contract under one's own VÖEN.
    assert client_rep.get(url("contract", employer, contract_id=contract.pk)).status_code == 404


def test_a_citizen_without_a_binding_gets_404_and_a_visitor_is_sent_to_sign_in(
    employer: Employer,
) -> None:
    citizen = signed_in(PersonFactory.create())
    assert citizen.get(reverse("employers:list")).status_code == 404
    assert citizen.get(url("home", employer)).status_code == 404
    anonymous = Client().get(url("home", employer))
    assert anonymous.status_code == 302
    assert "/sign-in/" in anonymous["Location"]


def test_a_revoked_binding_no_longer_opens_the_employer(
    client_rep: Client, employer: Employer, representative: Person
) -> None:
    EmployerRepresentative.objects.filter(person=representative).update(
        revoked_at=datetime.datetime(2020, 3, 13, tzinfo=BAKU)
    )
    assert client_rep.get(url("home", employer)).status_code == 404


def test_the_head_reaches_his_employer_without_a_binding() -> None:
    head = PersonFactory.create()
    employer = EmployerFactory.create(head=head)
    assert signed_in(head).get(url("home", employer)).status_code == 200


def test_malformed_addresses_and_queries_are_not_errors(
    client_rep: Client, employer: Employer
) -> None:
    assert client_rep.get("/az/employer/12%0034/").status_code == 404
    assert client_rep.get("/az/employer/" + "9" * 300 + "/").status_code == 404
    huge = f"/az/employer/{employer.voen}/contracts/{'9' * 30}/"
    assert client_rep.get(huge).status_code == 404
    home = url("home", employer)
    assert client_rep.get(home, {"q": "a\x00b" * 1000, "page": "x"}).status_code == 200


def test_a_hire_starting_long_ago_is_checked_not_crashed(
    client_rep: Client, employer: Employer
) -> None:
    response = client_rep.post(
        url("contract_new", employer),
        hire_form(PersonFactory.create().fin, concluded_on="2000-01-01", start_on="2000-01-03"),
    )
    assert response.status_code in (302, 400)
    too_early = client_rep.post(
        url("contract_new", employer), hire_form(PersonFactory.create().fin, start_on="1990-01-01")
    )
    assert "start_on" in too_early.context["form"].errors


# --- Notifying a hire ------------------------------------------------------------------------


def test_a_representative_notifies_a_hire_and_confirms_it_with_a_code(
    client_rep: Client, employer: Employer, representative: Person
) -> None:
    worker = PersonFactory.create()
    response = client_rep.post(url("contract_new", employer), hire_form(worker.fin))
    assert response.status_code == 302
    assert response["Location"] == url("confirm", employer)
    review = client_rep.get(url("confirm", employer)).content.decode()
    assert worker.full_name in review
    assert "1 500,00 manat" in review
    assert not Contract.objects.exists()

    response = confirm(client_rep, employer, last_code(representative))

    contract = Contract.objects.get(person=worker)
    assert response.status_code == 302
    assert response["Location"] == url("contract", employer, contract_id=contract.pk)
    assert contract.monthly_wage_qepik == 150_000
    assert ContractVersion.objects.get(contract=contract).assurance == Assurance.ONE_TIME_CODE
    assert Message.objects.filter(person=worker, event="contract_registered").exists()
    page = client_rep.get(response["Location"]).content.decode()
    assert contract.number in page


@pytest.mark.parametrize(
    ("typed", "qepik"),
    [("1500", 150_000), ("1 500,00", 150_000), ("1500.50", 150_050), ("1,500.05", 150_005)],
)
def test_the_wage_is_read_exactly_in_qepik(typed: str, qepik: int) -> None:
    from meis.employers.forms import wage_parse

    assert wage_parse(typed) == qepik


def test_a_bad_wage_is_a_translated_error_on_the_field_and_nothing_is_written(
    client_rep: Client, employer: Employer
) -> None:
    worker = PersonFactory.create()
    response = client_rep.post(
        url("contract_new", employer).replace("/en/", "/az/"),
        hire_form(worker.fin, monthly_wage="on min"),
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == ["monthly_wage"]
    assert 'href="#id_monthly_wage"' in response.content.decode()
    assert not Contract.objects.exists()
    assert not NotificationBatch.objects.exists()
    assert "meis_employer_confirmation" not in client_rep.session


def test_a_wage_under_the_minimum_is_refused_on_the_wage_field(
    client_rep: Client, employer: Employer
) -> None:
    response = client_rep.post(
        url("contract_new", employer), hire_form(PersonFactory.create().fin, monthly_wage="100")
    )
    assert response.status_code == 400
    assert "monthly_wage" in response.context["form"].errors
    assert not Message.objects.filter(event="one_time_code").exists()


def test_an_unknown_employee_and_nul_bytes_are_errors_not_crashes(
    client_rep: Client, employer: Employer
) -> None:
    response = client_rep.post(
        url("contract_new", employer), hire_form("5VBK5VR", position="Pro\x00qramçı")
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "position" in errors


def test_a_wrong_code_is_refused_and_the_right_one_registers(
    client_rep: Client, employer: Employer, representative: Person
) -> None:
    worker = PersonFactory.create()
    client_rep.post(url("contract_new", employer), hire_form(worker.fin))
    code = last_code(representative)
    wrong = "000000" if code != "000000" else "111111"

    refused = confirm(client_rep, employer, wrong)

    assert refused.status_code == 400
    assert "code" in refused.context["form"].errors
    assert not Contract.objects.exists()
    assert confirm(client_rep, employer, code).status_code == 302
    assert Contract.objects.filter(person=worker).count() == 1


def test_the_same_confirmation_posted_twice_registers_once(
    client_rep: Client, employer: Employer, representative: Person
) -> None:
    worker = PersonFactory.create()
    client_rep.post(url("contract_new", employer), hire_form(worker.fin))
    code = last_code(representative)
    challenge = challenge_of(client_rep)
    first = client_rep.post(url("confirm", employer), {"code": code, "challenge": challenge})
    second = client_rep.post(url("confirm", employer), {"code": code, "challenge": challenge})
    assert second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Contract.objects.filter(person=worker).count() == 1


def test_a_code_cannot_confirm_for_another_employer(
    client_rep: Client, employer: Employer, representative: Person
) -> None:
    other = EmployerFactory.create()
    representative_bind(
        employer=other,
        person=representative,
        actor=AnonymousUser(),
        granted_as=BindingGrantor.ADMINISTRATOR,
    )
    client_rep.post(url("contract_new", employer), hire_form(PersonFactory.create().fin))
    response = confirm(client_rep, other, last_code(representative))
    assert response.status_code == 302
    assert not Contract.objects.exists()


# --- Later notifications ---------------------------------------------------------------------


@pytest.fixture
def contract(employer: Employer) -> Contract:
    return contract_conclude(
        employer=employer,
        draft=draft(PersonFactory.create().fin),
        actor=None,
        assurance=Assurance.ONE_TIME_CODE,
    )


def test_the_amendment_form_is_prefilled_and_a_raise_is_registered(
    client_rep: Client, employer: Employer, representative: Person, contract: Contract
) -> None:
    form_page = client_rep.get(url("contract_amend", employer, contract_id=contract.pk))
    assert 'value="1500.00"' in form_page.content.decode()
    data = {
        "effective_on": "2020-04-01",
        "occupation_code": "2512",
        "position": "Baş proqramçı",
        "workplace": "Bakı ofisi",
        "monthly_wage": "2000",
        "weekly_hours": "40",
        "term": "indefinite",
        "probation_months": "0",
        "job": "main",
    }
    response = client_rep.post(url("contract_amend", employer, contract_id=contract.pk), data)
    assert response.status_code == 302
    confirm(client_rep, employer, last_code(representative))
    contract.refresh_from_db()
    assert (contract.version, contract.monthly_wage_qepik) == (2, 200_000)
    assert contract.position == "Baş proqramçı"


def test_a_termination_on_a_cited_ground_ends_the_contract(
    client_rep: Client, employer: Employer, representative: Person, contract: Contract
) -> None:
    ground = TerminationGround.objects.filter(is_active=True).first()
    assert ground is not None
    page = client_rep.get(url("contract_terminate", employer, contract_id=contract.pk))
    assert ground.article in page.content.decode()
    client_rep.post(
        url("contract_terminate", employer, contract_id=contract.pk),
        {"terminated_on": "2020-06-30", "ground": ground.code},
    )
    confirm(client_rep, employer, last_code(representative))
    contract.refresh_from_db()
    assert contract.status == ContractStatus.TERMINATED
    assert contract.termination_ground == ground
    history = client_rep.get(url("history", employer)).content.decode()
    assert ground.article in history


def test_a_termination_before_the_start_is_an_error_on_the_date(
    client_rep: Client, employer: Employer, contract: Contract
) -> None:
    ground = TerminationGround.objects.filter(is_active=True).first()
    assert ground is not None
    response = client_rep.post(
        url("contract_terminate", employer, contract_id=contract.pk),
        {"terminated_on": "2020-03-01", "ground": ground.code},
    )
    assert response.status_code == 400
    assert "terminated_on" in response.context["form"].errors


def test_suspend_then_resume(
    client_rep: Client, employer: Employer, representative: Person, contract: Contract
) -> None:
    client_rep.post(
        url("contract_suspend", employer, contract_id=contract.pk), {"effective_on": "2020-04-01"}
    )
    confirm(client_rep, employer, last_code(representative))
    contract.refresh_from_db()
    assert contract.status == ContractStatus.SUSPENDED
    client_rep.post(
        url("contract_resume", employer, contract_id=contract.pk), {"effective_on": "2020-05-01"}
    )
    confirm(client_rep, employer, last_code(representative))
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ACTIVE


# --- Representatives -------------------------------------------------------------------------


def test_the_head_binds_a_representative_by_fin_and_document_and_revokes_him() -> None:
    head = PersonFactory.create()
    employer = EmployerFactory.create(head=head)
    document = IdentityDocumentFactory.create()
    client = signed_in(head)
    wrong = client.post(
        url("representatives", employer),
        {"fin": document.person.fin, "document_number": "AA0000001"},
    )
    assert wrong.status_code == 400
    response = client.post(
        url("representatives", employer),
        {"fin": document.person.fin, "document_number": document.number},
    )
    assert response.status_code == 302
    binding = EmployerRepresentative.objects.get(person=document.person, employer=employer)
    assert signed_in(document.person).get(url("home", employer)).status_code == 200
    client.post(url("representative_revoke", employer, binding_id=binding.pk))
    assert signed_in(document.person).get(url("home", employer)).status_code == 404


def test_a_representative_who_is_not_the_head_cannot_bind(
    client_rep: Client, employer: Employer
) -> None:
    assert client_rep.get(url("representatives", employer)).status_code == 404
