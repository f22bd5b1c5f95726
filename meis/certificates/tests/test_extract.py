"""The signed extract of a commission decision: issued once per decision, verifiable by code,
never chosen on the certificates page; a later decision shows on its check as a change."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone

from meis.accounts.services import citizen_account_get_or_create
from meis.accounts.tests.conftest import signed_in_citizen_client
from meis.audit.models import AuditEvent
from meis.cases.models import Case
from meis.certificates import extracts
from meis.certificates.extracts import disability_decision_extract_issue
from meis.certificates.models import Certificate
from meis.certificates.services import CertificateError, certificate_revoke
from meis.certificates.tests.test_examinations import assert_genuine
from meis.lifeevents.models import DisabilityDecision

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def signed_decision(person, **fields):
    values = {
        "person": person,
        "degree": "II",
        "percentage": 70,
        "cause": "general_illness",
        "decided_on": timezone.localdate() - datetime.timedelta(days=3),
        "reexamine_on": timezone.localdate() + datetime.timedelta(days=362),
        "commission_name": "Bakı şəhər 3 nömrəli TSEK",
        "number": "TSEK-2026-0311",
        "categories": ["self_care", "mobility"],
    }
    values.update(fields)
    return DisabilityDecision.objects.create(**values)


def stored_pdf(certificate: Certificate) -> bytes:
    with default_storage.open(certificate.pdf_name, "rb") as stored:
        return bytes(stored.read())


def code_of(pdf: bytes) -> str:
    match = re.search(rb"verify/([0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5})/", pdf)
    assert match
    return match.group(1).decode()


def test_the_extract_is_issued_once_per_decision(citizen, catalogue, signing_dir):
    decision = signed_decision(citizen)
    first = disability_decision_extract_issue(decision=decision, language="en", members=4)
    again = disability_decision_extract_issue(decision=decision, language="az")
    assert again.pk == first.pk
    assert again.language == "en"
    assert Certificate.objects.count() == 1
    assert first.person == citizen
    assert first.disability_decision == decision
    assert first.case is None  # issued for the decision, not applied for
    assert not Case.objects.exists()
    assert first.expires_on == decision.reexamine_on - datetime.timedelta(days=1)
    assert AuditEvent.objects.filter(action="certificate.issue", person=citizen).count() == 1
    assert_genuine(stored_pdf(first), signing_dir)

    rows = dict(first.facts["rows"])
    assert first.facts["title"] == "Extract of the expert commission's decision"
    assert rows["Decision number"] == "TSEK-2026-0311"
    assert rows["Commission"] == "Bakı şəhər 3 nömrəli TSEK"
    assert rows["Degree"] == "Degree II"
    assert rows["Loss of body functions"] == "70%"
    assert rows["Life-activity categories limited"] == "self-care, mobility"
    assert rows["Cause of the disability"] == "general illness"
    assert rows["Disability established from"] == f"{decision.decided_on:%d.%m.%Y}"
    assert rows["Signed"] == (
        "With enhanced electronic signatures by the chair and 4 members of the commission"
    )


def test_the_extract_is_verified_by_its_code(citizen, catalogue):
    decision = signed_decision(citizen)
    extract = disability_decision_extract_issue(decision=decision, language="az")
    code = code_of(stored_pdf(extract))

    page = Client(REMOTE_ADDR="10.6.6.6").get(f"/az/verify/{code}/", {"organisation": "Bank"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Tibbi-sosial ekspert komissiyasının qərarından çıxarış" in body
    assert "TSEK-2026-0311" in body
    assert "özünəxidmət, hərəkət" in body
    check = AuditEvent.objects.get(action="certificate.verify")
    assert (check.person, check.actor_institution) == (citizen, "Bank")

    looked = signed_in_citizen_client(citizen).get("/en/my/who-looked/").content.decode()
    assert "Bank" in looked
    listing = signed_in_citizen_client(citizen).get("/az/certificates/").content.decode()
    assert f'href="/az/certificates/{extract.pk}/pdf/"' in listing


def test_a_later_decision_shows_on_the_check_as_a_change(citizen, catalogue):
    decision = signed_decision(citizen)
    code = code_of(stored_pdf(disability_decision_extract_issue(decision=decision, language="en")))
    client = Client(REMOTE_ADDR="10.6.6.7")
    assert "The registers have changed" not in client.get(f"/en/verify/{code}/").content.decode()

    signed_decision(
        citizen,
        degree="III",
        percentage=45,
        decided_on=timezone.localdate(),
        examination="appeal",
        number="TSEK-2026-0400",
    )
    body = client.get(f"/en/verify/{code}/").content.decode()
    assert "The registers have changed since this certificate was issued" in body


def test_an_indefinite_decision_gives_an_extract_with_no_end(citizen, catalogue):
    decision = signed_decision(citizen, reexamine_on=None, number="", commission_name="")
    extract = disability_decision_extract_issue(decision=decision, language="en")
    assert extract.is_indefinite
    rows = dict(extract.facts["rows"])
    assert rows["Re-examination on"] == "indefinite"
    assert rows["Decision number"] == "not recorded"
    assert rows["Signed"] == (
        "With enhanced electronic signatures by the chair and the members of the commission"
    )
    body = Client().get(f"/en/verify/{code_of(stored_pdf(extract))}/").content.decode()
    assert "No end date" in body
    assert "Valid" in body


def test_after_the_holder_revokes_it_a_new_extract_is_issued(citizen, catalogue):
    decision = signed_decision(citizen)
    first = disability_decision_extract_issue(decision=decision, language="ru")
    certificate_revoke(
        certificate=first,
        actor=citizen_account_get_or_create(person=citizen),
        reason="",
        request=None,
    )
    second = disability_decision_extract_issue(decision=decision, language="ru")
    assert second.pk != first.pk
    assert second.status == "issued"
    assert second.facts["title"] == "Выписка из решения медико-социальной экспертной комиссии"


def test_the_extract_is_not_offered_on_the_certificates_page(citizen, catalogue):
    signed_decision(citizen)
    client = signed_in_citizen_client(citizen)
    assert 'value="disability_extract"' not in client.get("/en/certificates/").content.decode()
    form = {"type_code": "disability_extract", "language": "en", "purpose": "other"}
    refused = client.post("/en/certificates/", form)
    assert refused.status_code == 200
    assert refused["Content-Type"].startswith("text/html")
    assert not Certificate.objects.exists()


def test_an_unknown_language_is_refused(citizen, catalogue):
    with pytest.raises(CertificateError):
        disability_decision_extract_issue(decision=signed_decision(citizen), language="de")
    assert not Certificate.objects.exists()


def test_another_citizen_cannot_download_my_extract(citizen, other_citizen, catalogue):
    extract = disability_decision_extract_issue(decision=signed_decision(citizen), language="en")
    intruder = signed_in_citizen_client(other_citizen)
    assert intruder.get(f"/en/certificates/{extract.pk}/pdf/").status_code == 404
    assert intruder.post(f"/en/certificates/{extract.pk}/revoke/").status_code == 404
    assert "TSEK-2026-0311" not in intruder.get("/en/certificates/").content.decode()


def test_two_calls_racing_for_one_decision_end_with_one_extract(citizen, catalogue, monkeypatch):
    """The second call found none in force, then lost the race: the index refuses its row and
    it returns the winner's extract, its own PDF deleted."""
    decision = signed_decision(citizen)
    winner = disability_decision_extract_issue(decision=decision, language="en")
    in_force = extracts._in_force
    calls: list[object] = []

    def first_misses(d):
        calls.append(d)
        return None if len(calls) == 1 else in_force(d)

    monkeypatch.setattr(extracts, "_in_force", first_misses)
    saved: list[str] = []
    save = default_storage.save

    def save_and_note(name, content):
        saved.append(save(name, content))
        return saved[-1]

    monkeypatch.setattr(default_storage, "save", save_and_note)

    loser = disability_decision_extract_issue(decision=decision, language="en")
    assert loser.pk == winner.pk
    assert Certificate.objects.count() == 1
    assert saved
    assert not default_storage.exists(saved[0])
