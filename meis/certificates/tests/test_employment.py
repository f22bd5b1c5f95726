# mypy: disable-error-code="no-untyped-def,misc,arg-type"
"""The work-history and active-contracts certificates read the contracts register."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser

from meis.accounts.tests.conftest import signed_in_citizen_client
from meis.certificates.definitions import certificate_type_get
from meis.certificates.facts import active_contracts_facts, employment_facts
from meis.certificates.models import Certificate
from meis.certificates.services import certificate_check, certificate_issue
from meis.certificates.tests.test_journey import get_certificate
from meis.insurance.models import Contribution
from meis.labour.models import Assurance, TerminationGround
from meis.labour.services import contract_conclude, contract_terminate
from meis.labour.tests.factories import EmployerFactory, draft
from meis.rules.explain import format_money

pytestmark = pytest.mark.django_db

BAKU = ZoneInfo("Asia/Baku")
OTP = Assurance.ONE_TIME_CODE
ON = datetime.date(2020, 3, 13)


@pytest.fixture(autouse=True)
def _friday_13_march_2020() -> Iterator[None]:
    with time_machine.travel(datetime.datetime(2020, 3, 13, 10, tzinfo=BAKU), tick=False):
        yield


def hire(person, *, name: str, start_on: datetime.date, **changes):
    employer = EmployerFactory.create(name=name)
    return contract_conclude(
        employer=employer,
        draft=draft(person.fin, start_on=start_on, concluded_on=start_on, **changes),
        actor=None,
        assurance=OTP,
    )


def staff_reduction():
    return TerminationGround.objects.get(code="70.b")


def values(facts, lang: str) -> str:
    return "\n".join(f"{label[lang]}: {value[lang]}" for label, value in facts.rows)


def test_the_work_history_lists_each_contract_with_its_end_and_ground(citizen):
    first = hire(
        citizen,
        name="Xəzər Tikinti MMC",
        start_on=datetime.date(2018, 2, 1),
        position="Mühəndis",
        occupation_code="2512",
    )
    contract_terminate(
        contract=first,
        on=datetime.date(2019, 12, 31),
        ground=staff_reduction(),
        actor=None,
        assurance=OTP,
    )
    hire(citizen, name="Bakı Ofis ASC", start_on=datetime.date(2020, 1, 15))

    facts = employment_facts(citizen, ON)

    az, en, ru = (values(facts, lang) for lang in ("az", "en", "ru"))
    assert "not yet connected" not in en
    lines = en.splitlines()
    assert lines[1].startswith(f"Xəzər Tikinti MMC (VÖEN {first.employer.voen}): Mühəndis (2512 ")
    assert "01.02.2018 – 31.12.2019" in lines[1]
    assert "main job" in lines[1]
    assert "Art. 70(b): Reduction of the number of employees or of the staff" in lines[1]
    assert "Bakı Ofis ASC" in lines[2]
    assert "15.01.2020 – to date" in lines[2]
    assert "Maddə 70(b)" in az
    assert "hal-hazırda" in az
    assert "Ст. 70(b)" in ru
    assert "по настоящее время" in ru
    assert facts.key == employment_facts(citizen, ON).key  # deterministic
    assert facts.key["contracts"][0][5:7] == ["2019-12-31", "70.b"]


def test_work_before_the_register_is_shown_from_contributions_and_said_so(citizen):
    contract = hire(citizen, name="Xəzər Tikinti MMC", start_on=datetime.date(2018, 2, 1))
    old = EmployerFactory.create(name="Köhnə Zavod ASC")
    for month in (datetime.date(2012, 5, 1), datetime.date(2013, 11, 1)):
        Contribution.objects.create(
            person=citizen, month_on=month, amount_qepik=5_000, employer_voen=old.voen
        )
    # A month the register's contract covers is not shown twice.
    Contribution.objects.create(
        person=citizen,
        month_on=datetime.date(2019, 3, 1),
        amount_qepik=5_000,
        employer_voen=contract.employer.voen,
    )

    facts = employment_facts(citizen, ON)

    en = values(facts, "en")
    assert "Work before July 2014" in en
    assert (
        f"Köhnə Zavod ASC (VÖEN {old.voen}): 05.2012 – 11.2013 (from insurance contributions)"
        in (en)
    )
    assert en.count("from insurance contributions)") == 1
    assert facts.key["employers"] == [[old.voen, "2012-05-01", "2013-11-01"]]


def test_a_person_with_neither_contracts_nor_contributions_has_none_recorded(citizen):
    assert "None recorded" in values(employment_facts(citizen, ON), "en")


def test_the_active_contracts_certificate_lists_live_contracts_without_the_wage(citizen):
    ended = hire(citizen, name="Xəzər Tikinti MMC", start_on=datetime.date(2018, 2, 1))
    contract_terminate(
        contract=ended,
        on=datetime.date(2019, 12, 31),
        ground=staff_reduction(),
        actor=None,
        assurance=OTP,
    )
    live = hire(
        citizen,
        name="Bakı Ofis ASC",
        start_on=datetime.date(2020, 1, 15),
        position="Baş mühasib",
        monthly_wage_qepik=234_567,
    )

    facts = active_contracts_facts(citizen, ON)

    en = values(facts, "en")
    assert "Has an employment contract in force: Yes" in en
    assert "Bakı Ofis ASC" in en
    assert "Baş mühasib" in en
    assert "since 15.01.2020" in en
    assert live.number in en
    assert "Xəzər Tikinti" not in en
    assert format_money(234_567, "en") not in en  # no wage on a certificate others verify
    assert facts.key == {
        "contracts": [
            [
                live.number,
                live.employer.voen,
                "Baş mühasib",
                "2020-01-15",
                None,
                True,
                "active",
            ]
        ]
    }


def test_someone_without_a_contract_in_force_gets_a_no(citizen):
    facts = active_contracts_facts(citizen, ON)
    assert values(facts, "en") == "Has an employment contract in force: No"


@pytest.mark.slow
def test_a_citizen_finds_the_active_contracts_certificate_and_gets_a_signed_pdf(citizen, catalogue):
    hire(citizen, name="Bakı Ofis ASC", start_on=datetime.date(2020, 1, 15))
    client = signed_in_citizen_client(citizen)

    page = client.get("/az/certificates/").content.decode()
    assert "İş yerləri haqqında arayış" in page
    assert 'value="active_contracts"' in page

    pdf = get_certificate(client, type_code="active_contracts", language="en")
    assert pdf.startswith(b"%PDF-")
    certificate = Certificate.objects.get(type_code="active_contracts")
    assert any("Bakı Ofis ASC" in label for label, _ in certificate.facts["rows"])
    assert certificate_type_get("active_contracts").service_code == (
        "certificate-employment-history"
    )


@pytest.mark.slow
def test_a_work_history_checked_after_a_termination_says_the_registers_changed(citizen, catalogue):
    contract = hire(citizen, name="Bakı Ofis ASC", start_on=datetime.date(2020, 1, 15))
    issued = certificate_issue(
        person=citizen,
        type_code="employment",
        language="az",
        recipient="Kapital Bank",
        actor=AnonymousUser(),
    )
    contract_terminate(
        contract=contract,
        on=datetime.date(2020, 3, 13),
        ground=staff_reduction(),
        actor=None,
        assurance=OTP,
    )

    check = certificate_check(
        code=issued.code, organisation="Kapital Bank", via="page", request=None
    )

    assert check is not None
    assert check.facts_changed
