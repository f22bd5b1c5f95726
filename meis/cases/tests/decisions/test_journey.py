"""Issue 14's decisions and appeals as people meet them, through the pages, on the registers'
facts: a family applies for targeted assistance and the case worker approves — the award, its
explanation and the letter follow; a refused pension applicant appeals and a second officer
grants the pension with arrears."""

from __future__ import annotations

import datetime
from typing import cast

import pytest
import time_machine
from django.urls import reverse

from meis.awards.models import Award
from meis.cases.models import ApplicationDraft, Case, CaseStatus
from meis.cases.tests.conftest import answers, iban, pdf
from meis.insurance.models import InsuranceAccount
from meis.lifeevents.models import HouseholdMeans
from meis.notifications.models import Message
from meis.proactive.tests.factories import InsuranceAccountFactory
from meis.registry.models import Household, Person, Relation, Sex
from meis.registry.tests.factories import (
    HouseholdFactory,
    HouseholdMembershipFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


def at(year: int, month: int, day: int) -> time_machine.travel:
    return time_machine.travel(datetime.datetime(year, month, day, 9, tzinfo=datetime.UTC))


def apply(client, centre, code: str, data: dict[str, str], documents: list[str]) -> Case:
    """The portal's pages: start, questions, documents, contact (the portal inbox), send."""
    client.post(reverse("cases:apply", kwargs={"code": code}))
    client.post(reverse("cases:apply_questions", kwargs={"code": code}), data)
    for document in documents:
        client.post(
            reverse("cases:apply_documents", kwargs={"code": code}),
            {"document": document, "file": pdf(f"{document}.pdf")},
        )
    client.post(
        reverse("cases:apply_contact", kwargs={"code": code}),
        {"centre": centre.pk, "channel": "portal", "value": ""},
    )
    draft = ApplicationDraft.objects.filter(service_version__service__code=code).latest("id")
    sent = client.post(reverse("cases:apply_check", kwargs={"code": code}), {"key": draft.key})
    assert sent.status_code == 302, sent.content.decode()[:2000]
    return Case.objects.filter(service_version__service__code=code).latest("id")


def act(client, case: Case, action: str, **data: str):
    case.refresh_from_db()
    return client.post(
        reverse("backoffice:case", kwargs={"reference": case.reference}),
        {"action": action, "version": case.version, **data},
    )


def test_a_family_applies_a_worker_approves_and_the_award_and_its_letter_follow(
    citizen, version, centre, worker, citizen_client, staff_client
):
    family = cast(Household, HouseholdFactory())
    HouseholdMembershipFactory(household=family, person=citizen, relation=Relation.HEAD)
    for relation in (Relation.SPOUSE, Relation.CHILD, Relation.CHILD):
        HouseholdMembershipFactory(household=family, relation=relation)
    HouseholdMeans.objects.create(
        household=family,
        income_12_months_qepik=480_000,  # 400 AZN a month
        purchases_sales_12_months_qepik=0,
        has_vehicle=False,
        refused_suitable_jobs=0,
        utility_spending_12_months_qepik=0,
        same_purpose_real_estate_units=0,
        declaration_matches_checks=True,
        updated_on=datetime.date(2020, 1, 1),
    )
    with at(2020, 3, 19):
        applicant = citizen_client(citizen)
        case = apply(
            applicant,
            centre,
            "targeted-social-assistance",
            answers(),
            ["identity_card", "family_composition_certificate"],
        )
        officer = staff_client(worker)
        act(officer, case, "claim")
        page = officer.get(reverse("backoffice:case", kwargs={"reference": case.reference}))
        assert 'value="240.00"' in page.content.decode()  # the rules' amount, from the registers
        approved = act(officer, case, "approve", amount="240.00")
        assert approved.status_code == 302

        seen = applicant.get(reverse("cases:case_detail", kwargs={"reference": case.reference}))
    case.refresh_from_db()
    assert case.status == CaseStatus.APPROVED
    award = Award.objects.get(person=citizen)
    assert (award.amount_qepik, award.start_on) == (24_000, datetime.date(2020, 3, 1))
    assert award.record["facts"]["income_12_months_qepik"] == 480_000
    letter = Message.objects.get(case_reference=case.reference, event="case_award")
    assert "240,00" in letter.body_text  # in the citizen's language (az): "240,00 manat"
    assert "640,00" in letter.body_text  # how it was computed: the sum of the need criteria
    html = seen.content.decode()
    assert 'data-testid="award"' in html
    assert 'data-testid="explanation"' in html


def test_a_refused_pension_applicant_appeals_and_a_second_officer_grants_it_with_arrears(
    version, centre, pensions_worker, pensions_worker_2, citizen_client, staff_client
):
    woman = cast(Person, PersonFactory(sex=Sex.FEMALE, birth_on=datetime.date(1958, 7, 10)))
    InsuranceAccountFactory(person=woman, record_months=120, pension_capital_qepik=1_000_000)
    pension = {"contact_phone": "050 123 45 67", "bank_account_iban": iban()}
    with at(2020, 5, 4):
        applicant = citizen_client(woman)
        case = apply(applicant, centre, "old-age-pension", pension, ["identity_card"])
        first = staff_client(pensions_worker)
        act(first, case, "claim")
        refused = act(first, case, "reject", reason="conditions_not_met")
        assert refused.status_code == 302
        page = applicant.get(reverse("cases:case_detail", kwargs={"reference": case.reference}))
        assert 'data-testid="appeal-button"' in page.content.decode()

    with at(2020, 5, 11):
        applicant = citizen_client(woman)
        appealed = applicant.post(
            reverse("cases:appeal", kwargs={"reference": case.reference}),
            {
                "grounds": "My work-book shows 25 years of work.",
                "key": "6c6f7f0e-0d5e-4c38-9d5e-3c1b0a1e2f00",
            },
        )
        assert appealed.status_code == 302
    appeal = Case.objects.get(appeal_of=case)
    # The insurance register is corrected from the work-book.
    InsuranceAccount.objects.filter(person=woman).update(record_months=300)

    with at(2020, 6, 2):
        first = staff_client(pensions_worker)
        queue = first.get(reverse("backoffice:queue")).content.decode()
        assert appeal.reference not in queue  # not for the officer who decided
        second = staff_client(pensions_worker_2)
        assert appeal.reference in second.get(reverse("backoffice:queue")).content.decode()
        act(second, appeal, "claim")
        granted = act(second, appeal, "approve", amount="200.00")
        assert granted.status_code == 302
        chain = second.get(reverse("backoffice:case", kwargs={"reference": case.reference}))
        applicant = citizen_client(woman)
        seen = applicant.get(reverse("cases:case_detail", kwargs={"reference": appeal.reference}))

    award = Award.objects.get(person=woman)
    assert (award.amount_qepik, award.start_on) == (20_000, datetime.date(2020, 1, 10))
    assert award.record["arrears"] == {"months": 5, "qepik": 100_000, "until": "2020-06-01"}
    letter = Message.objects.get(case_reference=appeal.reference, event="case_award")
    assert "1 000,00" in letter.body_text  # five months of 200 manat
    assert appeal.reference in chain.content.decode()  # staff see the chain on both cases
    assert case.reference in seen.content.decode()  # and the citizen on theirs
    assert 'data-testid="arrears"' in seen.content.decode()
