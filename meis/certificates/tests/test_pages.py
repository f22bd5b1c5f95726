"""The certificates pages' forms: the GOV.UK field and error patterns, and the organisation a
verifier arriving by the QR code declares on the result page."""

from __future__ import annotations

import pytest
from django.test import Client

from meis.accounts.tests.conftest import signed_in_citizen_client, signed_in_staff_client
from meis.audit.models import AuditEvent
from meis.certificates.tests.test_journey import _operator, code_in, get_certificate

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_check_page_shows_the_error_summary_and_field_patterns(catalogue):
    page = Client().get("/en/verify/", {"code": ""}).content.decode()
    assert "<title>Error: Check a certificate" in page
    assert 'class="govuk-error-summary"' in page
    assert '<a href="#id_code">' in page
    assert 'class="govuk-input govuk-input--width-20 govuk-input--error"' in page
    assert 'id="pdf_file"' in page
    assert 'class="govuk-file-upload"' in page
    assert page.count('id="id_organisation"') == 1
    assert page.count('id="pdf_organisation"') == 1

    no_file = Client().post("/en/verify/pdf/", {"organisation": "Bank"})
    assert no_file.status_code == 400
    assert '<a href="#pdf_file">' in no_file.content.decode()


def test_the_organisation_is_url_encoded_on_the_way_to_the_result(catalogue):
    response = Client().get("/en/verify/", {"code": "ZZZZZ-ZZZZZ-ZZZZZ", "organisation": "A&B"})
    assert response.status_code == 302
    assert response["Location"] == "/en/verify/ZZZZZ-ZZZZZ-ZZZZZ/?organisation=A%26B"


def test_a_verifier_from_the_qr_code_names_their_organisation(pensioner, catalogue):
    code = code_in(get_certificate(signed_in_citizen_client(pensioner)))
    bank = Client(REMOTE_ADDR="10.4.4.4")

    first = bank.get(f"/en/verify/{code}/").content.decode()
    assert 'name="organisation"' in first
    assert 'class="govuk-input' in first

    named = bank.get(f"/en/verify/{code}/", {"organisation": " Kapital Bank "}).content.decode()
    assert 'name="organisation"' not in named
    assert "The holder will see that Kapital Bank checked this certificate." in named
    checks = AuditEvent.objects.filter(action="certificate.verify").order_by("id")
    assert [c.actor_institution for c in checks] == ["", "Kapital Bank"]

    unknown = bank.get("/en/verify/ZZZZZ-ZZZZZ-ZZZZZ/").content.decode()
    assert 'name="organisation"' not in unknown


def test_the_citizen_and_staff_forms_use_radios_selects_and_error_summaries(pensioner, catalogue):
    page = (
        signed_in_citizen_client(pensioner)
        .post("/en/certificates/", {"type_code": "pension"})
        .content.decode()
    )
    assert "<title>Error: My certificates" in page
    assert 'class="govuk-select"' in page
    assert 'class="govuk-radios"' in page
    assert '<a href="#id_purpose_0">' in page

    desk = signed_in_staff_client(_operator()).post("/en/backoffice/certificates/", {"issue": "1"})
    body = desk.content.decode()
    assert "<title>Error: E-certificates desk" in body
    assert '<a href="#id_fin">' in body
    assert 'class="govuk-input govuk-input--width-10 govuk-input--error"' in body


def test_a_declared_organisation_cannot_hide_or_reorder_what_the_holder_reads(pensioner, catalogue):
    code = code_in(get_certificate(signed_in_citizen_client(pensioner)))
    declared = "Kapital\u202e knaB\u200b\n\tBank\x00" + "x" * 300
    Client(REMOTE_ADDR="10.4.4.5").get(f"/en/verify/{code}/", {"organisation": declared})

    logged = AuditEvent.objects.filter(action="certificate.verify").latest("id")
    assert logged.actor_institution.startswith("Kapital knaB Bank x")
    assert len(logged.actor_institution) == 120
    assert not any(not c.isprintable() for c in logged.actor_institution)


@pytest.mark.parametrize("typed", ["a/b", "ABCDE/FGHIJ/KLMNO", "x" * 40, "ABCDE-FGHIJ"])
def test_a_malformed_code_is_a_field_error_not_a_server_error(catalogue, typed):
    response = Client().get("/az/verify/", {"code": typed})
    assert response.status_code == 200
    page = response.content.decode()
    assert '<a href="#id_code">' in page
    assert "15 hərf və rəqəm" in page


def test_a_typed_code_goes_to_its_printed_form(catalogue):
    response = Client().get("/en/verify/", {"code": "abcde fghjk mnpqr"})
    assert response["Location"] == "/en/verify/ABCDE-FGHJK-MNPQR/"
