"""case_submit and the transitions: idempotency, locking, the clock, delivery, usage."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from meis.audit.models import AuditEvent
from meis.cases import services
from meis.cases.models import Case, CaseDocument, CaseEvent, CaseStatus
from meis.cases.tests.conftest import answers, pdf
from meis.notifications.models import Message
from meis.usage.models import UsageEvent

pytestmark = pytest.mark.django_db


def submit(citizen: Any, version: Any, centre: Any, *, key: str | None = None, **extra: Any) -> Any:
    arguments: dict[str, Any] = {
        "person": citizen,
        "version": version,
        "answers": answers(),
        "channel": "portal",
        "actor": AnonymousUser(),
        "centre": centre,
        "contact_channel": "portal",
        "contact_value": "",
        "idempotency_key": key or str(uuid.uuid4()),
        "documents": [("identity_card", pdf()), ("family_composition_certificate", pdf())],
    }
    arguments.update(extra)
    return services.case_submit(**arguments)


def test_submit_writes_case_audit_usage_and_outbox_task_in_one_go(citizen, version, centre):
    result = submit(citizen, version, centre)
    case = result.case
    assert result.created
    assert case.reference.startswith(f"MEIS-{case.submitted_on.year}-")
    assert case.status == CaseStatus.SUBMITTED
    assert case.subsystem == "targeted_assistance"
    assert case.documents.count() == 2
    assert AuditEvent.objects.filter(action="case.submit", object_id=str(case.pk)).exists()
    assert UsageEvent.objects.filter(service_code="targeted-social-assistance").count() == 1
    assert DBTaskResult.objects.filter(task_path__endswith="case_precheck").exists()
    assert CaseEvent.objects.filter(case=case, kind="submitted").exists()


def test_a_double_submit_makes_one_case(citizen, version, centre):
    key = str(uuid.uuid4())
    first = submit(citizen, version, centre, key=key)
    second = submit(citizen, version, centre, key=key)
    assert second.case.pk == first.case.pk
    assert not second.created
    assert Case.objects.count() == 1
    assert UsageEvent.objects.count() == 1


def test_another_person_cannot_reuse_a_key(citizen, other_citizen, version, centre):
    key = str(uuid.uuid4())
    submit(citizen, version, centre, key=key)
    with pytest.raises(services.IdempotencyKeyReused):
        submit(other_citizen, version, centre, key=key)


def test_invalid_answers_leave_nothing_behind(citizen, version, centre):
    with pytest.raises(services.CaseInvalid) as raised:
        submit(citizen, version, centre, answers=answers(members="0"))
    assert "members" in raised.value.errors
    assert Case.objects.count() == 0
    assert CaseDocument.objects.count() == 0


def test_missing_required_document_rolls_back_and_deletes_stored_files(citizen, version, centre):
    from django.core.files.storage import default_storage

    with pytest.raises(services.CaseInvalid) as raised:
        submit(citizen, version, centre, documents=[("identity_card", pdf())])
    assert "family_composition_certificate" in raised.value.errors
    assert Case.objects.count() == 0
    assert CaseDocument.objects.count() == 0
    _dirs, files = (
        default_storage.listdir("case-documents")
        if default_storage.exists("case-documents")
        else ([], [])
    )
    assert not [f for f in files if CaseDocument.objects.filter(storage_name__endswith=f).exists()]


def test_two_workers_acting_on_the_same_version_cannot_both_win(
    citizen, version, centre, worker, worker_2
):
    case = submit(citizen, version, centre).case
    services.case_claim(case=case, actor=worker, expected_version=case.version)
    with pytest.raises(services.CaseConflict):
        services.case_claim(case=case, actor=worker_2, expected_version=case.version)
    case.refresh_from_db()
    assert case.assigned_to == worker


def test_the_state_machine_refuses_illegal_transitions(citizen, version, centre, worker):
    case = submit(citizen, version, centre).case
    case = services.case_claim(case=case, actor=worker, expected_version=case.version)
    with pytest.raises(services.IllegalTransition):
        services.case_claim(case=case, actor=worker, expected_version=case.version)
    # Final, or waiting for a second officer if the rules find the family eligible: either way
    # no longer "in review".
    case = services.case_reject(
        case=case,
        actor=worker,
        reason="tsa_vehicle",
        departure_reason="The family uses a car registered to a relative.",
        expected_version=case.version,
    )
    with pytest.raises(services.IllegalTransition):
        services.case_approve(case=case, actor=worker, expected_version=case.version)


def test_a_worker_must_take_the_case_before_deciding(citizen, version, centre, worker, worker_2):
    case = submit(citizen, version, centre).case
    case = services.case_claim(case=case, actor=worker, expected_version=case.version)
    with pytest.raises(services.CaseActionError):
        services.case_approve(case=case, actor=worker_2, expected_version=case.version)


def test_refusal_needs_a_legal_reason_of_the_service(citizen, version, centre, worker):
    case = submit(citizen, version, centre).case
    case = services.case_claim(case=case, actor=worker, expected_version=case.version)
    with pytest.raises(services.CaseActionError):
        services.case_reject(
            case=case, actor=worker, reason="made_up", expected_version=case.version
        )


def test_request_information_stops_the_clock_and_the_answer_restarts_it(
    citizen, version, centre, worker, citizen_client
):
    from meis.accounts.services import citizen_account_get_or_create

    citizen.verified_phone = "+994501234567"
    citizen.save()
    with time_machine.travel(datetime.datetime(2020, 3, 19, 10, tzinfo=datetime.UTC)):
        case = submit(citizen, version, centre).case
        assert case.due_on == datetime.date(2020, 4, 16)  # Novruz 2020 and the swap skipped
        case = services.case_claim(case=case, actor=worker, expected_version=case.version)
    with time_machine.travel(datetime.datetime(2020, 4, 1, 10, tzinfo=datetime.UTC)):
        case = services.case_request_information(
            case=case, actor=worker, text="Send the utility bills.", expected_version=case.version
        )
        assert case.status == CaseStatus.AWAITING_INFORMATION
        assert case.due_on is None
        assert Message.objects.filter(
            case_reference=case.reference, event="information_requested"
        ).exists()
    user = citizen_account_get_or_create(person=citizen)
    with time_machine.travel(datetime.datetime(2020, 4, 6, 10, tzinfo=datetime.UTC)):
        case = services.case_answer(
            case=case,
            actor=user,
            text="Attached.",
            files=[pdf("bills.pdf")],
            expected_version=case.version,
        )
    assert case.status == CaseStatus.IN_REVIEW
    # 1 April to 6 April are 4 working days (1, 2, 3, 6 April) added back to the deadline.
    assert case.due_on == datetime.date(2020, 4, 22)
    assert case.documents.filter(original_name="bills.pdf").exists()


def test_filed_on_19_march_2020_the_deadline_skips_novruz(citizen, version, centre):
    with time_machine.travel(datetime.datetime(2020, 3, 19, 10, tzinfo=datetime.UTC)):
        case = submit(citizen, version, centre).case
    assert case.submitted_on == datetime.date(2020, 3, 19)
    assert case.due_on == datetime.date(2020, 4, 16)


def test_the_decision_goes_to_the_given_contact_in_the_citizens_language(
    citizen, version, centre, worker
):
    citizen.verified_phone = "+994501234567"
    citizen.preferred_language = "en"
    citizen.save()
    case = submit(
        citizen, version, centre, contact_channel="sms", contact_value="+994501234567"
    ).case
    case = services.case_claim(case=case, actor=worker, expected_version=case.version)
    case = services.case_reject(
        case=case, actor=worker, reason="tsa_vehicle", expected_version=case.version
    )
    # A rules-backed service's refusal letter (with the rules' explanation).
    messages = Message.objects.filter(case_reference=case.reference, event="case_refusal")
    assert {m.channel for m in messages} == {"portal", "sms"}
    sms = messages.get(channel="sms")
    assert sms.recipient == "+994501234567"
    assert sms.language == "en"
    portal = messages.get(channel="portal")
    assert "vehicle" in portal.body_text
    assert "appeal" in portal.body_text


def test_an_unverified_contact_never_gets_the_decision(citizen, version, centre, worker):
    case = submit(
        citizen, version, centre, contact_channel="sms", contact_value="+994559999999"
    ).case
    case = services.case_claim(case=case, actor=worker, expected_version=case.version)
    services.case_reject(
        case=case, actor=worker, reason="tsa_vehicle", expected_version=case.version
    )
    sms = Message.objects.get(case_reference=case.reference, channel="sms")
    assert sms.status == "failed_permanently"


def test_the_citizen_withdraws_their_application(citizen, version, centre):
    from meis.accounts.services import citizen_account_get_or_create

    case = submit(citizen, version, centre).case
    user = citizen_account_get_or_create(person=citizen)
    case = services.case_withdraw(case=case, actor=user, expected_version=case.version)
    assert case.status == CaseStatus.WITHDRAWN


def test_another_citizen_cannot_withdraw(citizen, other_citizen, version, centre):
    from meis.accounts.services import citizen_account_get_or_create

    case = submit(citizen, version, centre).case
    with pytest.raises(services.CaseActionError):
        services.case_withdraw(
            case=case,
            actor=citizen_account_get_or_create(person=other_citizen),
            expected_version=case.version,
        )


def test_breached_cases_are_escalated_once(citizen, version, centre):
    with time_machine.travel(datetime.datetime(2020, 3, 19, 10, tzinfo=datetime.UTC)):
        case = submit(citizen, version, centre).case
    assert services.cases_escalate_breached(on=datetime.date(2020, 4, 17)) == 1
    assert services.cases_escalate_breached(on=datetime.date(2020, 4, 18)) == 0
    case.refresh_from_db()
    assert case.escalated_at is not None


def test_the_precheck_task_stores_the_handlers_explanation(citizen, version, centre):
    case = submit(citizen, version, centre).case
    services.case_precheck_store(case_id=case.pk)
    case.refresh_from_db()
    assert case.pre_check["outcome"] in {"eligible", "not_eligible", "incomplete"}
    assert case.pre_check["explanation"]


def test_the_timeline_keeps_the_decision_in_the_citizens_language(citizen, version, centre, worker):
    citizen.preferred_language = "ru"
    citizen.save()
    case = submit(citizen, version, centre).case
    case = services.case_claim(case=case, actor=worker, expected_version=case.version)
    with translation.override("az"):  # the case worker's own language
        case = services.case_reject(
            case=case, actor=worker, reason="tsa_vehicle", expected_version=case.version
        )
    with translation.override("ru"):
        expected = services.decision_text(case)
    event = case.events.filter(kind="rejected").get()
    assert event.note == expected
    assert any("\u0400" <= ch <= "\u04ff" for ch in expected)  # really Russian


def test_an_instant_service_is_filed_and_approved_at_once(citizen, version, centre):
    from django.utils import timezone

    from meis.catalog.selectors import eservice_version_current

    decided_at = timezone.now()
    case = services.case_submit_instant(
        person=citizen,
        version=eservice_version_current(code="certificate-pension"),
        answers={"purpose": "other"},
        channel="portal",
        actor=AnonymousUser(),
        centre=centre,
        idempotency_key=str(uuid.uuid4()),
        decided_at=decided_at,
        note="Pension certificate",
    )
    assert (case.status, case.decided_at, case.due_on, case.version) == (
        CaseStatus.APPROVED,
        decided_at,
        None,
        2,
    )
    assert sorted(case.events.values_list("kind", "actor_role", "note")) == [
        ("approved", "system", "Pension certificate"),
        ("submitted", "anonymous", ""),
    ]
    usage = UsageEvent.objects.filter(service_code="certificate-pension")
    assert sorted(usage.values_list("kind", flat=True)) == ["application", "instant"]
    assert AuditEvent.objects.filter(action="case.submit", object_id=str(case.pk)).exists()
