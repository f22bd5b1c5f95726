"""The labour inspection: the disputes queue and decisions, the reports, and who is refused."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse

from meis.accounts.models import EmployerRepresentative
from meis.accounts.tests import factories
from meis.accounts.tests.conftest import signed_in_citizen_client, signed_in_staff_client
from meis.audit.models import AuditAction, AuditEvent
from meis.awards.models import Award, AwardKind
from meis.awards.tests.factories import granted
from meis.inspection.models import DisputeStatus
from meis.inspection.services import DisputeAlreadyDecided, dispute_decide, dispute_open
from meis.inspection.tests.conftest import BAKU, OTP, hire
from meis.insurance.models import Contribution
from meis.labour.models import TerminationGround
from meis.labour.services import contract_conclude, contract_terminate
from meis.labour.tests.factories import EmployerFactory, draft
from meis.notifications.models import Message
from meis.registry.models import Relation
from meis.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

HOME = "/en/backoffice/labour/"


def a_dispute(citizen, contract):
    return dispute_open(
        contract=contract, person=citizen, reason="never_worked", text="Heç vaxt.", actor=None
    ).dispute


def inspector_pages(dispute_id=1, person_id=1):
    return [
        HOME,
        f"{HOME}disputes/{dispute_id}/",
        f"{HOME}late/",
        f"{HOME}terminations/",
        f"{HOME}informal-work/",
        f"{HOME}informal-work/{person_id}/",
    ]


# --- Disputes ----------------------------------------------------------------------------------


def test_an_inspector_opens_a_dispute_reads_the_contract_audited_and_decides(
    inspector, citizen, contract
):
    dispute = a_dispute(citizen, contract)
    staff = signed_in_staff_client(inspector)

    queue = staff.get(HOME).content.decode()
    assert dispute.reference in queue
    page = staff.get(f"{HOME}disputes/{dispute.pk}/")
    assert page.status_code == 200
    assert contract.number in page.content.decode()
    read = AuditEvent.objects.get(action=AuditAction.PERSON_READ, person=citizen)
    assert (read.actor, read.actor_role) == (inspector, "labour_inspector")
    assert dispute.reference in read.purpose

    response = staff.post(
        f"{HOME}disputes/{dispute.pk}/",
        {"outcome": "rejected", "note": "The employer's payroll shows your work."},
    )

    assert response.status_code == 302
    dispute.refresh_from_db()
    assert (dispute.status, dispute.decided_by) == (DisputeStatus.REJECTED, inspector)
    assert AuditEvent.objects.filter(purpose="inspection.dispute_decide", actor=inspector).exists()
    mine = signed_in_citizen_client(citizen).get("/en/my/contracts/").content.decode()
    assert "Rejected: the entry stands" in mine
    assert "The employer&#x27;s payroll shows your work." in mine
    # The citizen is told on their contacts too, in their language.
    told = Message.objects.get(person=citizen, event="contract_dispute_decided", channel="portal")
    assert dispute.reference in told.subject
    assert contract.number in told.body_text
    assert "The employer's payroll shows your work." in told.body_text


def test_open_disputes_come_first_in_the_queue(inspector, citizen, other_citizen):
    decided = a_dispute(citizen, hire(citizen))
    dispute_decide(dispute=decided, upheld=True, note="ok", actor=inspector)
    waiting = a_dispute(other_citizen, hire(other_citizen))

    page = signed_in_staff_client(inspector).get(HOME).content.decode()

    assert page.index(waiting.reference) < page.index(decided.reference)


def test_a_decision_without_a_note_is_named_in_the_error_summary(inspector, citizen, contract):
    dispute = a_dispute(citizen, contract)
    response = signed_in_staff_client(inspector).post(
        f"{HOME}disputes/{dispute.pk}/", {"outcome": "upheld", "note": "\x00"}
    )
    assert response.status_code == 400
    assert 'href="#id_note"' in response.content.decode()
    dispute.refresh_from_db()
    assert dispute.is_open


def test_a_dispute_is_decided_once(inspector, citizen, contract):
    dispute = a_dispute(citizen, contract)
    dispute_decide(dispute=dispute, upheld=True, note="first", actor=inspector)
    with pytest.raises(DisputeAlreadyDecided):
        dispute_decide(dispute=dispute, upheld=False, note="second", actor=inspector)
    response = signed_in_staff_client(inspector).post(
        f"{HOME}disputes/{dispute.pk}/", {"outcome": "rejected", "note": "third"}
    )
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert (dispute.status, dispute.decision_note) == (DisputeStatus.UPHELD, "first")


def test_an_unknown_dispute_is_not_found(inspector):
    assert signed_in_staff_client(inspector).get(f"{HOME}disputes/999999/").status_code == 404


# --- Who is refused ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", ["case_worker", "centre_head", "call_centre_operator", "analyst", "auditor"]
)
def test_other_staff_get_403_on_every_inspection_page_and_it_is_audited(role, citizen, contract):
    dispute = a_dispute(citizen, contract)
    user = factories.staff_user(role, centre_code="baku-1")
    staff = signed_in_staff_client(user)
    for url in inspector_pages(dispute.pk, citizen.pk):
        assert staff.get(url).status_code == 403, url
    assert AuditEvent.objects.filter(action=AuditAction.ACCESS_REFUSED, actor=user).count() == 6
    assert not AuditEvent.objects.filter(action=AuditAction.PERSON_READ, actor=user).exists()


def test_a_citizen_and_an_employer_representative_get_403(citizen, other_citizen, contract):
    dispute = a_dispute(citizen, contract)
    EmployerRepresentative.objects.create(person=other_citizen, employer=contract.employer)
    for person in (citizen, other_citizen):
        client = signed_in_citizen_client(person)
        for url in inspector_pages(dispute.pk, citizen.pk):
            assert client.get(url).status_code == 403, url
        assert (
            client.post(
                f"{HOME}disputes/{dispute.pk}/", {"outcome": "upheld", "note": "x"}
            ).status_code
            == 403
        )
    dispute.refresh_from_db()
    assert dispute.is_open


def test_an_anonymous_visitor_is_sent_to_the_staff_sign_in(client):
    for url in inspector_pages():
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:staff_sign_in"))


def test_an_inspector_has_the_labour_inspection_in_the_navigation(inspector):
    page = signed_in_staff_client(inspector).get(reverse("accounts:staff_home")).content.decode()
    assert f'href="{reverse("inspection:home")}"' in page


def test_other_staff_do_not_see_the_labour_inspection_link():
    analyst = factories.staff_user("analyst")
    page = signed_in_staff_client(analyst).get(reverse("accounts:staff_home")).content.decode()
    assert reverse("inspection:home") not in page


# --- Reports ---------------------------------------------------------------------------------


def _at(year, month, day):
    return datetime.datetime(year, month, day, 10, tzinfo=BAKU)


def test_the_late_notifications_report_counts_by_employer_in_the_month(inspector):
    slow, prompt = EmployerFactory.create(), EmployerFactory.create()
    for _ in range(2):  # work began 2 March, notified 10 March: late
        contract_conclude(
            employer=slow,
            draft=draft(
                PersonFactory.create().fin,
                start_on=datetime.date(2020, 3, 2),
                concluded_on=datetime.date(2020, 3, 1),
            ),
            actor=None,
            assurance=OTP,
            now=_at(2020, 3, 10),
        )
    contract_conclude(  # on time
        employer=prompt,
        draft=draft(PersonFactory.create().fin, concluded_on=datetime.date(2020, 3, 9)),
        actor=None,
        assurance=OTP,
        now=_at(2020, 3, 10),
    )
    contract_conclude(  # late, but registered in February
        employer=prompt,
        draft=draft(
            PersonFactory.create().fin,
            start_on=datetime.date(2020, 2, 3),
            concluded_on=datetime.date(2020, 2, 1),
        ),
        actor=None,
        assurance=OTP,
        now=_at(2020, 2, 20),
    )
    staff = signed_in_staff_client(inspector)

    page = staff.get(f"{HOME}late/", {"month": "2020-03"}).content.decode()

    assert page.count('data-testid="late-employer"') == 1
    assert slow.name in page
    assert prompt.name not in page
    assert page.count('data-testid="late-version"') == 2
    february = staff.get(f"{HOME}late/", {"month": "2020-02"}).content.decode()
    assert prompt.name in february
    assert slow.name not in february


def test_a_malformed_month_is_a_field_error(inspector):
    response = signed_in_staff_client(inspector).get(f"{HOME}late/", {"month": "2020-13\x00"})
    assert response.status_code == 400
    assert 'href="#id_month"' in response.content.decode()


def test_terminations_are_counted_by_ground_and_employer_with_a_csv(inspector):
    reduction = TerminationGround.objects.get(code="70.b")
    own_wish = TerminationGround.objects.get(code="69.1")
    first, second = EmployerFactory.create(), EmployerFactory.create()
    plan = [(first, reduction), (first, reduction), (first, own_wish), (second, reduction)]
    for employer, ground in plan:
        contract = contract_conclude(
            employer=employer, draft=draft(PersonFactory.create().fin), actor=None, assurance=OTP
        )
        contract_terminate(
            contract=contract,
            on=datetime.date(2020, 6, 30),
            ground=ground,
            actor=None,
            assurance=OTP,
        )
    outside = contract_conclude(
        employer=second, draft=draft(PersonFactory.create().fin), actor=None, assurance=OTP
    )
    contract_terminate(
        contract=outside,
        on=datetime.date(2021, 1, 31),
        ground=own_wish,
        actor=None,
        assurance=OTP,
    )
    staff = signed_in_staff_client(inspector)
    period = {"start": "2020-01-01", "end": "2020-12-31"}

    page = staff.get(f"{HOME}terminations/", period).content.decode()
    by_ground = list(
        csv.reader(
            io.StringIO(
                staff.get(f"{HOME}terminations/", {**period, "csv": "ground"}).content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    by_employer = list(
        csv.reader(
            io.StringIO(
                staff.get(f"{HOME}terminations/", {**period, "csv": "employer"}).content.decode(
                    "utf-8-sig"
                )
            )
        )
    )

    assert "4 contracts terminated" in page
    assert by_ground[1:] == [
        [reduction.article, reduction.title_en, "3"],
        [own_wish.article, own_wish.title_en, "1"],
    ]
    assert by_employer[1:] == [
        [first.voen, first.name, "3"],
        [second.voen, second.name, "1"],
    ]


def test_a_period_that_ends_before_it_starts_is_a_field_error(inspector):
    response = signed_in_staff_client(inspector).get(
        f"{HOME}terminations/", {"start": "2020-05-01", "end": "2020-04-01"}
    )
    assert response.status_code == 400
    assert 'href="#id_end"' in response.content.decode()


# --- Possible informal work --------------------------------------------------------------------


def _assisted_household_member(*, birth_on, relation=Relation.SPOUSE):
    head_person = PersonFactory.create()
    head = factories.MembershipFactory(person=head_person, relation=Relation.HEAD)
    award = granted(head_person, AwardKind.TARGETED_ASSISTANCE, datetime.date(2020, 1, 1))
    Award.objects.filter(pk=award.pk).update(household=head.household)
    member = PersonFactory.create(birth_on=birth_on)
    factories.MembershipFactory(household=head.household, person=member, relation=relation)
    return member


def _wages(person, voen, *months):
    for month in months:
        Contribution.objects.create(
            person=person,
            month_on=datetime.date(2020, month, 1),
            amount_qepik=4_500,
            employer_voen=voen,
        )


def test_the_informal_work_report_finds_exactly_the_planted_person(inspector):
    employer = EmployerFactory.create()
    planted = _assisted_household_member(birth_on=datetime.date(1990, 5, 5))
    _wages(planted, employer.voen, 1, 2, 3)
    # Not listed: a member with a registered contract, a child, a 64-year-old, wages too old,
    # a household whose assistance ended, and contributions with no employer.
    hired = _assisted_household_member(birth_on=datetime.date(1985, 1, 1))
    hire(hired)
    _wages(hired, employer.voen, 3)
    child = _assisted_household_member(birth_on=datetime.date(2004, 1, 1), relation=Relation.CHILD)
    _wages(child, employer.voen, 3)
    _wages(_assisted_household_member(birth_on=datetime.date(1956, 3, 1)), employer.voen, 3)
    stale = _assisted_household_member(birth_on=datetime.date(1980, 1, 1))
    Contribution.objects.create(
        person=stale,
        month_on=datetime.date(2019, 12, 1),
        amount_qepik=4_500,
        employer_voen=employer.voen,
    )
    ended = _assisted_household_member(birth_on=datetime.date(1980, 1, 1))
    Award.objects.filter(household__memberships__person=ended).update(status="ended")
    _wages(ended, employer.voen, 3)
    _wages(_assisted_household_member(birth_on=datetime.date(1980, 1, 1)), "", 3)
    _wages(PersonFactory.create(birth_on=datetime.date(1980, 1, 1)), employer.voen, 3)

    staff = signed_in_staff_client(inspector)
    page = staff.get(f"{HOME}informal-work/").content.decode()

    assert page.count('data-testid="informal"') == 1
    assert planted.fin not in page  # masked until opened
    assert f"•••••{planted.fin[-2:]}" in page
    assert employer.name in page
    assert not AuditEvent.objects.filter(action=AuditAction.PERSON_READ).exists()

    opened = staff.get(f"{HOME}informal-work/{planted.pk}/").content.decode()
    assert planted.fin in opened
    read = AuditEvent.objects.get(action=AuditAction.PERSON_READ, person=planted)
    assert read.purpose == "labour inspection: informal-work report"


def test_an_inspector_cannot_open_a_person_not_on_the_report(inspector, citizen):
    response = signed_in_staff_client(inspector).get(f"{HOME}informal-work/{citizen.pk}/")
    assert response.status_code == 404
    refusal = AuditEvent.objects.get(action=AuditAction.ACCESS_REFUSED, actor=inspector)
    assert refusal.person == citizen
