"""Access through the funnel (refusals are 404 and audited), and the applying pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meis.accounts.services import citizen_account_get_or_create
from meis.audit.models import AuditEvent
from meis.cases.models import ApplicationDraft, Case, CaseStatus
from meis.cases.tests.conftest import answers, pdf
from meis.cases.tests.test_services import submit
from meis.notifications.models import Message

pytestmark = pytest.mark.django_db


def test_a_citizen_cannot_see_another_citizens_case(
    citizen, other_citizen, version, centre, citizen_client
):
    case = submit(citizen, version, centre).case
    response = citizen_client(other_citizen).get(
        reverse("cases:case_detail", kwargs={"reference": case.reference})
    )
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action="access.refused", person=citizen).exists()


def test_a_citizen_sees_their_case_and_timeline(citizen, version, centre, citizen_client):
    case = submit(citizen, version, centre).case
    response = citizen_client(citizen).get(
        reverse("cases:case_detail", kwargs={"reference": case.reference})
    )
    assert response.status_code == 200
    assert case.reference in response.content.decode()
    assert 'data-testid="timeline"' in response.content.decode()


def test_a_worker_of_another_centre_gets_404_and_is_audited(
    citizen, version, centre, worker_elsewhere, staff_client
):
    case = submit(citizen, version, centre).case
    response = staff_client(worker_elsewhere).get(
        reverse("backoffice:case", kwargs={"reference": case.reference})
    )
    assert response.status_code == 404
    assert AuditEvent.objects.filter(
        action="access.refused", actor=worker_elsewhere, person=citizen
    ).exists()


def test_a_worker_of_another_subsystem_gets_404(
    citizen, version, centre, worker_other_subsystem, staff_client
):
    case = submit(citizen, version, centre).case
    response = staff_client(worker_other_subsystem).get(
        reverse("backoffice:case", kwargs={"reference": case.reference})
    )
    assert response.status_code == 404


def test_an_open_case_lets_the_worker_read_the_applicants_record(
    citizen, version, centre, worker, staff_client
):
    case = submit(citizen, version, centre).case
    response = staff_client(worker).get(
        reverse("backoffice:case", kwargs={"reference": case.reference})
    )
    assert response.status_code == 200
    assert citizen.fin in response.content.decode()
    assert AuditEvent.objects.filter(action="case.read", actor=worker).exists()
    assert AuditEvent.objects.filter(action="person.read", actor=worker, person=citizen).exists()


def test_the_queue_shows_the_centres_cases_by_deadline(
    citizen, version, centre, worker, worker_elsewhere, staff_client
):
    case = submit(citizen, version, centre).case
    assert case.reference in staff_client(worker).get(reverse("backoffice:queue")).content.decode()
    assert (
        case.reference
        not in staff_client(worker_elsewhere).get(reverse("backoffice:queue")).content.decode()
    )


def test_backoffice_claim_with_a_stale_page_loses(
    citizen, version, centre, worker, worker_2, staff_client
):
    case = submit(citizen, version, centre).case
    url = reverse("backoffice:case", kwargs={"reference": case.reference})
    staff_client(worker).post(url, {"action": "claim", "version": case.version})
    response = staff_client(worker_2).post(url, {"action": "claim", "version": case.version})
    assert response.status_code == 200
    assert 'data-testid="error"' in response.content.decode()
    case.refresh_from_db()
    assert case.assigned_to == worker


def test_the_staff_case_page_names_documents_and_the_citizen_not_codes(
    citizen, version, centre, worker, staff_client
):
    """Staff read a document's type by name and a citizen who acted by their registry name, not
    as 'identity_card' or the account's user name 'citizen-<FİN>'."""
    user = citizen_account_get_or_create(person=citizen)
    case = submit(citizen, version, centre, actor=user).case

    page = (
        staff_client(worker)
        .get(reverse("backoffice:case", kwargs={"reference": case.reference}))
        .content.decode()
    )

    assert "identity_card" not in page
    assert "family_composition_certificate" not in page
    assert f"citizen-{citizen.fin}" not in page
    assert f"— {citizen.full_name}" in page  # the timeline's actor


def test_documents_download_only_through_the_funnel(
    citizen, other_citizen, version, centre, citizen_client
):
    case = submit(citizen, version, centre).case
    document = case.documents.first()
    url = reverse("cases:document_download", kwargs={"public_id": document.public_id})
    assert citizen_client(other_citizen).get(url).status_code == 404
    response = citizen_client(citizen).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def _apply(client, code="targeted-social-assistance"):
    client.post(reverse("cases:apply", kwargs={"code": code}))
    client.post(reverse("cases:apply_questions", kwargs={"code": code}), answers())
    for document in ("identity_card", "family_composition_certificate"):
        client.post(
            reverse("cases:apply_documents", kwargs={"code": code}),
            {"document": document, "file": pdf(f"{document}.pdf")},
        )


def test_the_portal_journey_makes_one_case_even_when_submitted_twice(
    citizen, version, centre, citizen_client
):
    citizen.verified_phone = "+994501234567"
    citizen.save()
    client = citizen_client(citizen)
    code = "targeted-social-assistance"
    _apply(client)
    response = client.post(
        reverse("cases:apply_contact", kwargs={"code": code}),
        {"centre": centre.pk, "channel": "sms", "value": "050 123 45 67"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/check/")
    draft = ApplicationDraft.objects.get(person=citizen)
    check = reverse("cases:apply_check", kwargs={"code": code})
    first = client.post(check, {"key": str(draft.key)})
    second = client.post(check, {"key": str(draft.key)})
    assert first.status_code == second.status_code == 302
    assert Case.objects.count() == 1
    case = Case.objects.get()
    assert case.documents.count() == 2
    confirmation = client.get(first["Location"]).content.decode()
    assert case.reference in confirmation


def test_a_new_contact_needs_its_one_time_code(citizen, version, centre, citizen_client):
    client = citizen_client(citizen)
    code = "targeted-social-assistance"
    _apply(client)
    response = client.post(
        reverse("cases:apply_contact", kwargs={"code": code}),
        {"centre": centre.pk, "channel": "sms", "value": "055 765 43 21"},
    )
    assert response["Location"].endswith("/contact/code/")
    message = Message.objects.filter(is_contact_verification=True).latest("id")
    assert message.recipient == "+994557654321"
    verify = reverse("cases:apply_contact_verify", kwargs={"code": code})
    wrong = client.post(
        verify, {"code": "000000" if "000000" not in message.body_text else "111111"}
    )
    assert "govuk-error-summary" in wrong.content.decode()
    sent_code = next(
        word
        for word in message.body_text.split()
        if word.strip(".,").isdigit() and len(word.strip(".,")) == 6
    ).strip(".,")
    assert client.post(verify, {"code": sent_code}).status_code == 302
    citizen.refresh_from_db()
    assert citizen.verified_phone == "+994557654321"


def test_contact_codes_to_one_number_stop_at_the_limit_with_a_translated_error(
    citizen, version, centre, citizen_client, settings
):
    # Issue 22: the contact step sent 30 codes to one number in 4 seconds.
    settings.MEIS_CONTACT_CODE_LIMIT_PER_DESTINATION = 3
    client = citizen_client(citizen)
    code = "targeted-social-assistance"
    _apply(client)
    contact = reverse("cases:apply_contact", kwargs={"code": code})
    answers = [
        client.post(contact, {"centre": centre.pk, "channel": "sms", "value": "055 765 43 21"})
        for _ in range(5)
    ]

    assert [a.status_code for a in answers] == [302, 302, 302, 200, 200]
    assert "Too many codes were requested" in answers[3].content.decode()
    sent = Message.objects.filter(is_contact_verification=True, recipient="+994557654321")
    assert sent.count() == 3
    in_azerbaijani = client.post(
        reverse("cases:apply_contact", kwargs={"code": code}).replace("/en/", "/az/"),
        {"centre": centre.pk, "channel": "sms", "value": "055 765 43 21"},
    ).content.decode()
    assert "Həddən çox kod istənilib" in in_azerbaijani


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"members": "abc"},
        {"members": "-1", "has_vehicle": "maybe"},
        {"income_12_months_qepik": "1e9999"},
        {"members": "9" * 500},
    ],
)
def test_bad_answers_show_the_error_summary_and_never_500(citizen, version, citizen_client, data):
    client = citizen_client(citizen)
    client.post(reverse("cases:apply", kwargs={"code": "targeted-social-assistance"}))
    response = client.post(
        reverse("cases:apply_questions", kwargs={"code": "targeted-social-assistance"}), data
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


def test_a_disguised_upload_is_refused_with_a_reason(citizen, version, citizen_client):
    client = citizen_client(citizen)
    code = "targeted-social-assistance"
    client.post(reverse("cases:apply", kwargs={"code": code}))
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("cases:apply_documents", kwargs={"code": code}),
        {"document": "identity_card", "file": SimpleUploadedFile("a.pdf", b"MZ\x90\x00payload")},
    )
    assert response.status_code == 200
    assert "content was checked" in response.content.decode()


def test_an_operator_files_for_the_identified_caller(
    citizen, version, centre, call_operator, call_with, staff_client
):
    call_with(citizen)
    client = staff_client(call_operator)
    code = "targeted-social-assistance"
    _apply(client)
    client.post(
        reverse("cases:apply_contact", kwargs={"code": code}),
        {"centre": centre.pk, "channel": "portal", "value": ""},
    )
    draft = ApplicationDraft.objects.get(person=citizen)
    response = client.post(
        reverse("cases:apply_check", kwargs={"code": code}), {"key": str(draft.key)}
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.channel == "call_centre"
    assert case.acting_user == call_operator
    assert case.person == citizen
    assert case.status == CaseStatus.SUBMITTED


def test_an_operator_without_a_call_cannot_apply(version, call_operator, staff_client):
    response = staff_client(call_operator).get(
        reverse("cases:apply", kwargs={"code": "targeted-social-assistance"})
    )
    assert response.status_code == 302


def test_the_catalogue_page_shows_apply_now(version, client):
    response = client.get(reverse("catalog:detail", kwargs={"code": "targeted-social-assistance"}))
    assert (
        reverse("cases:apply", kwargs={"code": "targeted-social-assistance"})
        in response.content.decode()
    )


def test_a_closed_case_no_longer_opens_the_applicants_record(
    citizen, version, centre, worker, staff_client
):
    from meis.cases import services

    case = submit(citizen, version, centre).case
    record = reverse("accounts:staff_person", args=[citizen.pk])
    assert staff_client(worker).get(record).status_code == 200
    services.case_withdraw(case=case, actor=worker, expected_version=case.version)
    assert staff_client(worker).get(record).status_code == 404
    assert AuditEvent.objects.filter(action="access.refused", actor=worker, person=citizen).exists()


def test_continuing_without_a_required_document_names_the_missing_one(
    citizen, version, citizen_client
):
    client = citizen_client(citizen)
    code = "targeted-social-assistance"
    url = reverse("cases:apply_documents", kwargs={"code": code})
    client.post(reverse("cases:apply", kwargs={"code": code}))
    client.post(url, {"document": "identity_card", "file": pdf("my-card.pdf")})
    page = client.post(url, {"continue": "1"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Upload Family composition certificate." in body
    assert "my-card.pdf" in body
    client.post(url, {"document": "family_composition_certificate", "file": pdf("family.pdf")})
    response = client.post(url, {"continue": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:apply_contact", kwargs={"code": code})
