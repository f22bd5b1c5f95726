# mypy: disable-error-code="attr-defined,misc"
"""The access funnel from the side of every persona that must be refused, and of those allowed."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from meis.accounts.models import CallSession, EmployerRepresentative
from meis.accounts.tests import factories
from meis.accounts.tests.conftest import signed_in_citizen_client, signed_in_staff_client
from meis.audit.models import AuditAction, AuditEvent
from meis.registry.models import Employer, Relation
from meis.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def staff_record(person):
    return reverse("accounts:staff_person", args=[person.pk])


def refusals_of(user):
    return AuditEvent.objects.filter(action=AuditAction.ACCESS_REFUSED, actor=user)


# --- Allowed reads are audited ----------------------------------------------------------------
def test_a_case_worker_reads_a_person_registered_at_their_centre(case_worker, registered_citizen):
    response = signed_in_staff_client(case_worker).get(staff_record(registered_citizen))
    assert response.status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.PERSON_READ, person=registered_citizen)
    assert (event.actor, event.actor_role) == (case_worker, "case_worker")
    assert event.actor_institution == "Baku DOST centre No. 1"
    assert "registration R-" in event.purpose
    assert event.client_address == "127.0.0.1"


def test_an_operator_reads_the_caller_they_identified(client, operator, citizen, citizen_document):
    staff = signed_in_staff_client(operator)
    response = staff.post(
        reverse("accounts:call_start"),
        {"document_number": citizen_document.number, "fin": citizen.fin},
        follow=True,
    )
    assert response.status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.PERSON_READ, person=citizen)
    assert "142 call 142-" in event.purpose


def test_an_administrator_reads_anyone_and_it_is_audited(administrator, citizen):
    assert signed_in_staff_client(administrator).get(staff_record(citizen)).status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.PERSON_READ, actor=administrator).exists()


def test_a_centre_head_reads_any_registration_of_their_centre(citizen):
    head = factories.staff_user("centre_head", centre_code="baku-1")
    factories.registration(citizen, centre_code="baku-1", subsystem="pensions")
    assert signed_in_staff_client(head).get(staff_record(citizen)).status_code == 200


def test_a_parent_reads_their_minor_child_in_the_same_household(citizen):
    head = factories.MembershipFactory(person=citizen, relation=Relation.HEAD)
    child = factories.PersonFactory(birth_on=timezone.localdate() - datetime.timedelta(days=3650))
    factories.MembershipFactory(household=head.household, person=child, relation=Relation.CHILD)
    response = signed_in_citizen_client(citizen).get(
        reverse("accounts:household_member", args=[child.pk])
    )
    assert response.status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.PERSON_READ, person=child)
    assert event.actor_role == "representative"


# --- Refusals: 404 for records, 403 for pages, always audited --------------------------------
def test_a_case_worker_of_another_centre_is_refused(other_centre_case_worker, registered_citizen):
    response = signed_in_staff_client(other_centre_case_worker).get(
        staff_record(registered_citizen)
    )
    assert response.status_code == 404
    assert refusals_of(other_centre_case_worker).get().person == registered_citizen


def test_a_case_worker_is_refused_a_person_of_another_subsystem(case_worker, citizen):
    factories.registration(citizen, centre_code="baku-1", subsystem="disability")
    assert signed_in_staff_client(case_worker).get(staff_record(citizen)).status_code == 404
    assert refusals_of(case_worker).exists()


def test_a_case_worker_is_refused_once_the_registration_is_closed(case_worker, citizen):
    factories.registration(citizen, centre_code="baku-1", closed_at=timezone.now())
    assert signed_in_staff_client(case_worker).get(staff_record(citizen)).status_code == 404


def test_a_case_worker_is_refused_a_person_with_no_registration(case_worker, other_citizen):
    assert signed_in_staff_client(case_worker).get(staff_record(other_citizen)).status_code == 404
    assert refusals_of(case_worker).exists()


def test_a_refusal_for_a_person_who_does_not_exist_looks_the_same(case_worker):
    response = signed_in_staff_client(case_worker).get(
        reverse("accounts:staff_person", args=[999999])
    )
    assert response.status_code == 404
    assert refusals_of(case_worker).get().details["object_id"] == 999999


def test_an_operator_is_refused_a_person_not_identified_in_a_call(operator, citizen):
    assert signed_in_staff_client(operator).get(staff_record(citizen)).status_code == 404
    assert refusals_of(operator).exists()


def test_an_operator_is_refused_once_the_call_has_ended(operator, citizen):
    CallSession.objects.create(
        operator=operator,
        caller=citizen,
        reference="142-X",
        identified_by="test",
        started_at=timezone.now(),
        ended_at=timezone.now(),
    )
    assert signed_in_staff_client(operator).get(staff_record(citizen)).status_code == 404


def test_a_commission_member_is_refused_a_person_without_a_disability_referral(citizen):
    member = factories.staff_user("commission_member", centre_code="baku-1")
    factories.registration(citizen, centre_code="baku-1", subsystem="targeted_assistance")
    assert signed_in_staff_client(member).get(staff_record(citizen)).status_code == 404


@pytest.mark.parametrize("role", ["analyst", "auditor"])
def test_roles_without_personal_data_get_403_on_every_personal_page(role, registered_citizen):
    user = factories.staff_user(role)
    response = signed_in_staff_client(user).get(staff_record(registered_citizen))
    assert response.status_code == 403
    assert refusals_of(user).get().details["page"] == "staff person record"


def test_an_employer_representative_cannot_open_a_staff_record(registered_citizen):
    employer = Employer.objects.create(
        voen="1401555071", name="Test MMC", legal_form="llc", region="baku"
    )
    representative = PersonFactory.create()
    EmployerRepresentative.objects.create(person=representative, employer=employer)
    # A representative signs in as a citizen: staff pages send them to the staff sign-in.
    response = signed_in_citizen_client(representative).get(staff_record(registered_citizen))
    assert response.status_code == 302
    assert "/staff/sign-in/" in response["Location"]


def test_a_representative_never_sees_another_employers_staff():
    from meis.labour.models import Assurance
    from meis.labour.services import contract_conclude
    from meis.labour.tests.factories import EmployerFactory, draft

    mine, theirs = EmployerFactory.create(), EmployerFactory.create()
    representative = PersonFactory.create()
    EmployerRepresentative.objects.create(person=representative, employer=mine)
    worker = PersonFactory.create()
    contract = contract_conclude(
        employer=theirs,
        draft=draft(worker.fin, start_on=timezone.localdate(), concluded_on=timezone.localdate()),
        actor=None,
        assurance=Assurance.ONE_TIME_CODE,
    )
    client = signed_in_citizen_client(representative)
    assert client.get(reverse("employers:home", args=[mine.voen])).status_code == 200
    for url in (
        reverse("employers:home", args=[theirs.voen]),
        reverse("employers:history", args=[theirs.voen]),
        reverse("employers:contract", args=[theirs.voen, contract.pk]),
        reverse("employers:contract", args=[mine.voen, contract.pk]),
        reverse("employers:contract_terminate", args=[mine.voen, contract.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert worker.fin not in response.content.decode()
    assert (
        worker.fin not in client.get(reverse("employers:home", args=[mine.voen])).content.decode()
    )


def test_a_citizen_without_a_binding_is_refused_every_employer(citizen):
    from meis.labour.tests.factories import EmployerFactory

    employer = EmployerFactory.create()
    client = signed_in_citizen_client(citizen)
    assert client.get(reverse("employers:list")).status_code == 404
    assert client.get(reverse("employers:home", args=[employer.voen])).status_code == 404


def test_an_analyst_cannot_start_a_call(analyst):
    response = signed_in_staff_client(analyst).get(reverse("accounts:call_start"))
    assert response.status_code == 403
    assert refusals_of(analyst).exists()


def test_a_citizen_is_refused_another_citizens_record(citizen, other_citizen):
    response = signed_in_citizen_client(citizen).get(
        reverse("accounts:household_member", args=[other_citizen.pk])
    )
    assert response.status_code == 404
    assert refusals_of(citizen.citizen_account.user).get().person == other_citizen


def test_a_citizen_cannot_use_the_staff_record_page(citizen, other_citizen):
    response = signed_in_citizen_client(citizen).get(staff_record(other_citizen))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:staff_sign_in"))


def test_a_parent_is_refused_an_adult_child(citizen):
    head = factories.MembershipFactory(person=citizen, relation=Relation.HEAD)
    adult = factories.PersonFactory(birth_on=datetime.date(1990, 1, 1))
    factories.MembershipFactory(household=head.household, person=adult, relation=Relation.CHILD)
    response = signed_in_citizen_client(citizen).get(
        reverse("accounts:household_member", args=[adult.pk])
    )
    assert response.status_code == 404


def test_my_record_links_only_to_the_members_a_parent_may_open(citizen):
    head = factories.MembershipFactory(person=citizen, relation=Relation.HEAD)
    minor = factories.PersonFactory(birth_on=timezone.localdate() - datetime.timedelta(days=3650))
    adult = factories.PersonFactory(birth_on=datetime.date(1990, 1, 1))
    for child in (minor, adult):
        factories.MembershipFactory(household=head.household, person=child, relation=Relation.CHILD)

    page = signed_in_citizen_client(citizen).get(reverse("accounts:my_record")).content.decode()

    assert reverse("accounts:household_member", args=[minor.pk]) in page
    assert reverse("accounts:household_member", args=[adult.pk]) not in page  # it would be a 404


def test_a_child_is_refused_the_parents_record(citizen):
    head = factories.MembershipFactory(person=citizen, relation=Relation.HEAD)
    child = factories.IdentityDocumentFactory(
        person=factories.PersonFactory(
            birth_on=timezone.localdate() - datetime.timedelta(days=6000)
        )
    ).person
    factories.MembershipFactory(household=head.household, person=child, relation=Relation.CHILD)
    response = signed_in_citizen_client(child).get(
        reverse("accounts:household_member", args=[citizen.pk])
    )
    assert response.status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in_from_every_personal_page(client, citizen):
    for url in [
        reverse("accounts:my_record"),
        reverse("accounts:who_looked"),
        staff_record(citizen),
    ]:
        assert client.get(url).status_code == 302


# --- The audit trail and "who looked" --------------------------------------------------------
def test_an_auditor_searches_the_trail_by_fin(auditor, case_worker, registered_citizen):
    signed_in_staff_client(case_worker).get(staff_record(registered_citizen))
    response = signed_in_staff_client(auditor).get(
        reverse("audit:search"), {"fin": registered_citizen.fin.lower()}
    )
    assert response.status_code == 200
    assert case_worker.username in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.AUDIT_SEARCH, actor=auditor).exists()


def test_an_auditor_searches_by_actor_and_date(auditor, case_worker, registered_citizen):
    signed_in_staff_client(case_worker).get(staff_record(registered_citizen))
    today = timezone.localdate().isoformat()
    page = signed_in_staff_client(auditor).get(
        reverse("audit:search"),
        {"actor": case_worker.username, "occurred_from": today, "occurred_to": today},
    )
    assert registered_citizen.fin in page.content.decode()


def test_a_malformed_fin_in_the_audit_search_is_a_field_error(auditor):
    page = signed_in_staff_client(auditor).get(reverse("audit:search"), {"fin": "IIIIIII"})
    assert page.status_code == 200
    assert "govuk-error-message" in page.content.decode()


@pytest.mark.parametrize("role", ["case_worker", "analyst", "call_centre_operator"])
def test_other_staff_are_refused_the_audit_trail(role):
    user = factories.staff_user(role, centre_code="baku-1")
    assert signed_in_staff_client(user).get(reverse("audit:search")).status_code == 403
    assert refusals_of(user).exists()


def test_who_looked_shows_institution_role_and_purpose_but_not_the_name(
    case_worker, registered_citizen
):
    signed_in_staff_client(case_worker).get(staff_record(registered_citizen))
    page = signed_in_citizen_client(registered_citizen).get(reverse("accounts:who_looked"))
    text = page.content.decode()
    assert "Baku DOST centre No. 1" in text
    assert "registration R-" in text
    assert case_worker.username not in text


def test_who_looked_does_not_list_refusals_or_the_persons_own_visits(
    other_centre_case_worker, registered_citizen
):
    signed_in_staff_client(other_centre_case_worker).get(staff_record(registered_citizen))
    client = signed_in_citizen_client(registered_citizen)
    client.get(reverse("accounts:my_record"))
    assert (
        "Baku DOST centre No. 2" not in client.get(reverse("accounts:who_looked")).content.decode()
    )


def test_the_development_mailbox_is_not_routed_without_debug(client):
    assert client.get("/az/dev/messages/").status_code == 404


def test_role_groups_are_the_only_source_of_staff_roles(case_worker, registered_citizen):
    case_worker.groups.set([Group.objects.get_or_create(name="analyst")[0]])
    assert (
        signed_in_staff_client(case_worker).get(staff_record(registered_citizen)).status_code == 403
    )


# --- Labour inspection and the employee's contracts (issue 15, items 3 and 6) ------------------
# A citizen reaches only their own contracts (404 for another's); only a labour inspector opens
# the inspection pages (403, audited, for every other role); an inspector's read of a person's
# contract data is audited.
def _contract_of(person):
    from meis.labour.models import Assurance
    from meis.labour.services import contract_conclude
    from meis.labour.tests.factories import EmployerFactory, draft

    return contract_conclude(
        employer=EmployerFactory.create(),
        draft=draft(person.fin, start_on=datetime.date(2020, 3, 16)),
        actor=None,
        assurance=Assurance.ONE_TIME_CODE,
    )


def test_a_citizen_is_refused_another_citizens_contract(citizen, other_citizen):
    theirs = _contract_of(other_citizen)
    client = signed_in_citizen_client(citizen)
    assert (
        client.get(reverse("inspection:my_contract_dispute", args=[theirs.pk])).status_code == 404
    )
    assert theirs.number not in client.get(reverse("inspection:my_contracts")).content.decode()


@pytest.mark.parametrize(
    "role",
    ["case_worker", "centre_head", "call_centre_operator", "analyst", "auditor", "administrator"],
)
def test_staff_other_than_inspectors_get_403_on_the_labour_inspection(role):
    user = factories.staff_user(role, centre_code="baku-1")
    assert signed_in_staff_client(user).get(reverse("inspection:home")).status_code == 403
    assert refusals_of(user).get().details["page"].startswith("labour inspection")


def test_a_citizen_and_a_representative_get_403_on_the_labour_inspection(citizen, other_citizen):
    employer = Employer.objects.create(
        voen="1401555071", name="Test MMC", legal_form="llc", region="baku"
    )
    EmployerRepresentative.objects.create(person=other_citizen, employer=employer)
    for person in (citizen, other_citizen):
        response = signed_in_citizen_client(person).get(reverse("inspection:home"))
        assert response.status_code == 403
        assert refusals_of(person.citizen_account.user).exists()


def test_an_inspectors_read_of_a_disputed_contract_is_audited(citizen):
    from meis.inspection.services import dispute_open

    dispute = dispute_open(
        contract=_contract_of(citizen), person=citizen, reason="wage", text="x", actor=None
    ).dispute
    inspector = factories.staff_user("labour_inspector", institution="State Labour Inspection")
    response = signed_in_staff_client(inspector).get(
        reverse("inspection:dispute", args=[dispute.pk])
    )
    assert response.status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.PERSON_READ, person=citizen)
    assert (event.actor, event.actor_role) == (inspector, "labour_inspector")
    assert event.actor_institution == "State Labour Inspection"


# --- End of the labour-inspection block --------------------------------------------------------
