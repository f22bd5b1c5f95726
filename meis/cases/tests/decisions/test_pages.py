"""The decision and appeal pages: the back office's controls and the applicant's case page.

Each refusal is seen from the side of the person refused: a message on the page, never a 500.
"""

from __future__ import annotations

import datetime
import uuid

import pytest
import time_machine
from django.urls import reverse

from meis.awards.models import Award
from meis.cases import services
from meis.cases.models import Case, CaseStatus
from meis.cases.tests.decisions.stories import (
    FAMILY_OF_FOUR,
    OLD_AGE,
    PENSIONER_SHORT_RECORD,
    file,
    taken_by,
)

pytestmark = pytest.mark.django_db

MARCH_2020 = datetime.datetime(2020, 3, 19, 10, tzinfo=datetime.UTC)


def case_page(reference: str) -> str:
    return reverse("backoffice:case", kwargs={"reference": reference})


def act(client, case: Case, action: str, **data: str):
    return client.post(
        case_page(case.reference), {"action": action, "version": case.version, **data}
    )


def test_the_case_page_shows_the_rules_result_and_approving_grants_the_award(
    citizen, version, centre, worker, staff_client, registers
):
    registers.facts["targeted_assistance"] = FAMILY_OF_FOUR
    client = staff_client(worker)
    with time_machine.travel(MARCH_2020):
        case = taken_by(file(citizen, centre), worker)
        page = client.get(case_page(case.reference)).content.decode()
        assert 'data-testid="rules-result"' in page
        assert 'value="240.00"' in page  # the amount field holds the rules' amount

        response = act(client, case, "approve", amount="240.00")

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.APPROVED
    assert Award.objects.get(person=citizen).amount_qepik == 24_000
    # Back from 2020, signed in again (idle sessions end).
    page = staff_client(worker).get(case_page(case.reference)).content.decode()
    assert 'data-testid="decision-record"' in page
    assert 'data-testid="record-closed"' in page  # the closed case no longer opens the record
    award = Award.objects.get(person=citizen)
    assert f'href="/en/backoffice/awards/{award.pk}/"' in page  # one click to the award


def test_another_amount_without_a_reason_is_refused_on_the_page(
    citizen, version, centre, worker, staff_client, registers
):
    registers.facts["targeted_assistance"] = FAMILY_OF_FOUR
    with time_machine.travel(MARCH_2020):
        case = taken_by(file(citizen, centre), worker)
        response = act(staff_client(worker), case, "approve", amount="300")

    assert response.status_code == 200
    assert "departs from the rules" in response.content.decode()
    assert not Award.objects.exists()


def test_the_proposer_sees_no_confirm_button_and_a_second_officer_does(
    citizen, version, centre, worker, worker_2, staff_client, registers
):
    registers.facts["targeted_assistance"] = FAMILY_OF_FOUR
    own_client, second = staff_client(worker), staff_client(worker_2)
    with time_machine.travel(MARCH_2020):
        case = taken_by(file(citizen, centre), worker)
        act(own_client, case, "approve", amount="300", departure_reason="Care costs.")
    case.refresh_from_db()
    assert case.status == CaseStatus.AWAITING_CONFIRMATION

    own_client, second = staff_client(worker), staff_client(worker_2)  # signed in again
    own = own_client.get(case_page(case.reference)).content.decode()
    assert 'data-testid="waiting"' in own
    assert 'value="confirm"' not in own
    # Posting it anyway is refused with the reason.
    refused = act(own_client, case, "confirm").content.decode()
    assert "You proposed this decision" in refused

    assert 'value="confirm"' in second.get(case_page(case.reference)).content.decode()
    with time_machine.travel(MARCH_2020):
        assert act(second, case, "confirm").status_code == 302
    assert Award.objects.get(person=citizen).amount_qepik == 30_000


def test_a_stale_page_loses_with_a_message_not_a_500(
    citizen, version, centre, worker, head, staff_client, registers
):
    registers.facts["targeted_assistance"] = FAMILY_OF_FOUR
    first, second = staff_client(worker), staff_client(head)
    with time_machine.travel(MARCH_2020):
        case = taken_by(file(citizen, centre), worker)
        act(first, case, "approve", amount="240")
        response = act(second, case, "reject", reason="tsa_vehicle")

    assert response.status_code == 200
    assert "Someone else changed this case" in response.content.decode()
    assert Award.objects.count() == 1


def test_the_applicant_sees_being_decided_while_a_second_officer_is_awaited(
    citizen, version, centre, worker, citizen_client, registers
):
    registers.facts["targeted_assistance"] = FAMILY_OF_FOUR
    with time_machine.travel(MARCH_2020):
        case = taken_by(file(citizen, centre), worker)
    services.case_approve(
        case=case,
        actor=worker,
        amount_qepik=30_000,
        departure_reason="Care costs.",
        expected_version=case.version,
    )

    page = citizen_client(citizen).get(
        reverse("cases:case_detail", kwargs={"reference": case.reference})
    )
    html = page.content.decode()
    assert "Being decided" in html
    assert "Care costs" not in html  # staff-only until the decision is taken


def test_the_applicant_reads_the_award_its_explanation_and_may_appeal(
    citizen, version, centre, worker, citizen_client, registers
):
    registers.facts["targeted_assistance"] = FAMILY_OF_FOUR
    client = citizen_client(citizen)
    with time_machine.travel(MARCH_2020):
        case = taken_by(file(citizen, centre), worker)
        services.case_approve(case=case, actor=worker, expected_version=case.version)
        html = client.get(
            reverse("cases:case_detail", kwargs={"reference": case.reference})
        ).content.decode()

    assert 'data-testid="award"' in html
    assert "240.00 AZN a month" in html
    assert 'data-testid="explanation"' in html
    assert 'data-testid="appeal-button"' in html


def test_the_applicant_appeals_from_the_case_page(
    citizen, version, centre, pensions_worker, citizen_client, registers
):
    client = citizen_client(citizen)
    registers.facts["old_age_pension"] = PENSIONER_SHORT_RECORD
    with time_machine.travel(datetime.datetime(2020, 5, 4, 10, tzinfo=datetime.UTC)):
        case = taken_by(file(citizen, centre, code=OLD_AGE), pensions_worker)
        case = services.case_reject(
            case=case,
            actor=pensions_worker,
            reason="conditions_not_met",
            expected_version=case.version,
        )
    url = reverse("cases:appeal", kwargs={"reference": case.reference})
    with time_machine.travel(datetime.datetime(2020, 5, 11, 10, tzinfo=datetime.UTC)):
        form = client.get(url)
        assert form.status_code == 200
        key = str(uuid.uuid4())
        empty = client.post(url, {"grounds": "", "key": key})
        assert "Say why you disagree" in empty.content.decode()
        response = client.post(url, {"grounds": "My work-book shows 25 years.", "key": key})

    appeal = Case.objects.get(appeal_of=case)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "cases:appeal_lodged", kwargs={"reference": appeal.reference}
    )
    client = citizen_client(citizen)  # signed in again after the trip to 2020
    lodged = client.get(response["Location"]).content.decode()
    assert appeal.reference in lodged
    chain = client.get(reverse("cases:case_detail", kwargs={"reference": case.reference}))
    assert appeal.reference in chain.content.decode()


def test_after_the_period_the_appeal_page_says_so_and_offers_no_form(
    citizen, version, centre, pensions_worker, citizen_client, registers
):
    registers.facts["old_age_pension"] = PENSIONER_SHORT_RECORD
    with time_machine.travel(datetime.datetime(2020, 5, 4, 10, tzinfo=datetime.UTC)):
        case = taken_by(file(citizen, centre, code=OLD_AGE), pensions_worker)
        case = services.case_reject(
            case=case,
            actor=pensions_worker,
            reason="conditions_not_met",
            expected_version=case.version,
        )
    url = reverse("cases:appeal", kwargs={"reference": case.reference})
    client = citizen_client(citizen)
    with time_machine.travel(datetime.datetime(2020, 7, 1, 10, tzinfo=datetime.UTC)):
        html = client.get(url).content.decode()
        posted = client.post(url, {"grounds": "Late, sorry.", "key": str(uuid.uuid4())})

    assert "The period to appeal this decision ended on 4 June 2020" in html
    assert 'name="grounds"' not in html
    assert posted.status_code == 200
    assert "ended on 4 June 2020" in posted.content.decode()
    assert not Case.objects.filter(appeal_of=case).exists()


def test_another_citizen_cannot_open_the_appeal_page(
    citizen, other_citizen, version, centre, worker, citizen_client, registers
):
    registers.facts["targeted_assistance"] = FAMILY_OF_FOUR
    with time_machine.travel(MARCH_2020):
        case = taken_by(file(citizen, centre), worker)
        services.case_approve(case=case, actor=worker, expected_version=case.version)

    response = citizen_client(other_citizen).get(
        reverse("cases:appeal", kwargs={"reference": case.reference})
    )
    assert response.status_code == 404


def test_the_officer_who_decided_is_told_on_the_appeals_page(
    citizen, version, centre, pensions_worker, staff_client, registers
):
    registers.facts["old_age_pension"] = PENSIONER_SHORT_RECORD
    with time_machine.travel(datetime.datetime(2020, 5, 4, 10, tzinfo=datetime.UTC)):
        case = taken_by(file(citizen, centre, code=OLD_AGE), pensions_worker)
        case = services.case_reject(
            case=case,
            actor=pensions_worker,
            reason="conditions_not_met",
            expected_version=case.version,
        )
    from meis.accounts.services import citizen_account_get_or_create

    with time_machine.travel(datetime.datetime(2020, 5, 11, 10, tzinfo=datetime.UTC)):
        appeal = services.case_appeal(
            case=case,
            actor=citizen_account_get_or_create(person=citizen),
            grounds="Wrong record.",
            idempotency_key=str(uuid.uuid4()),
        )
    client = staff_client(pensions_worker)
    assert appeal.reference not in client.get(reverse("backoffice:queue")).content.decode()
    html = client.get(case_page(appeal.reference)).content.decode()
    assert "You took that decision" in html
    refused = act(client, appeal, "claim").content.decode()
    assert "You took the decision this appeal is against" in refused
