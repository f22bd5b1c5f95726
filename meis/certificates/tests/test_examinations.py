"""The disability examination e-services: a citizen opens "Information on your last
expert-commission examination" or "History of your expert-commission examinations" in the
catalogue, follows it to the certificates page and gets a signed statement at once, which anyone
can check by its code. A person with no decision is told so; nobody sees another's statement."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.test import Client
from django.utils import timezone
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from meis.accounts.tests.conftest import signed_in_citizen_client
from meis.cases.models import Case, CaseStatus
from meis.catalog.models import EService
from meis.certificates.models import Certificate
from meis.certificates.signing import PdfVerdict, pdf_check
from meis.certificates.tests.test_journey import code_in
from meis.lifeevents.models import DisabilityDecision
from meis.usage.models import UsageEvent

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
LAST = "disability-last-examination"
HISTORY = "disability-examinations-history"


def decisions_for(person):
    """An old degree II decision (2019, re-examined since) and the latest, by percentage."""
    today = timezone.localdate()
    old = DisabilityDecision.objects.create(
        person=person,
        degree="II",
        cause="work_injury",
        decided_on=datetime.date(2019, 5, 14),
        reexamine_on=datetime.date(2020, 5, 14),
        commission_name="Gəncə regional TSEK",
        number="TSEK-2019-0042",
    )
    latest = DisabilityDecision.objects.create(
        person=person,
        degree="III",
        percentage=45,
        cause="general_illness",
        decided_on=today - datetime.timedelta(days=40),
        reexamine_on=today + datetime.timedelta(days=325),
        commission_name="Bakı şəhər 3 nömrəli TSEK",
        number="TSEK-2026-0107",
        examination="reexamination",
        categories=["mobility", "work"],
    )
    return old, latest


def start_from_the_catalogue(client: Client, service_code: str) -> str:
    """The service's page in the catalogue, and where its start button leads."""
    page = client.get(f"/en/services/{service_code}/").content.decode()
    assert "Get the certificate" in page
    assert "not available online yet" not in page
    match = re.search(r'href="(/en/certificates/)"[^>]*>\s*Get the certificate', page)
    assert match, page
    return match.group(1)


def statement(client: Client, type_code: str, language: str = "en") -> bytes:
    """Click through from the certificates page: choose the statement and get the PDF."""
    page = client.get("/en/certificates/").content.decode()
    assert f'value="{type_code}"' in page
    response = client.post(
        "/en/certificates/",
        {"type_code": type_code, "language": language, "purpose": "other", "recipient": ""},
    )
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    return response.content


def assert_genuine(pdf: bytes, signing_dir) -> None:
    signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    root = load_cert_from_pemder(str(signing_dir / "ca.pem"))
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[root]))
    assert status.bottom_line
    assert status.intact
    assert status.trusted
    assert pdf_check(pdf).verdict == PdfVerdict.GENUINE


def test_the_two_services_are_certificates_issued_at_once(catalogue):
    for code in (LAST, HISTORY):
        service = EService.objects.get(code=code)
        assert service.channel == "certificate"
        assert service.handler == "meis.catalog.handlers.instant_certificate"
        assert service.is_instant


def test_a_citizen_gets_the_last_examination_from_the_catalogue(citizen, catalogue, signing_dir):
    decisions_for(citizen)
    client = signed_in_citizen_client(citizen)
    assert start_from_the_catalogue(client, LAST) == "/en/certificates/"
    pdf = statement(client, "disability_last_examination")
    assert_genuine(pdf, signing_dir)

    certificate = Certificate.objects.get()
    assert certificate.person == citizen
    assert Case.objects.get(certificate=certificate).status == CaseStatus.APPROVED
    assert UsageEvent.objects.filter(kind="certificate_issued", service_code=LAST).exists()
    rows = dict(certificate.facts["rows"])
    assert certificate.facts["title"] == "Information on the last expert-commission examination"
    assert rows["Commission"] == "Bakı şəhər 3 nömrəli TSEK"
    assert rows["Decision number"] == "TSEK-2026-0107"
    assert rows["Examination"] == "re-examination"
    assert rows["Loss of body functions"] == "45%"
    assert rows["Cause of the disability"] == "general illness"
    assert rows["Life-activity categories limited"] == "mobility, work"
    assert "TSEK-2019-0042" not in str(certificate.facts)

    code = code_in(pdf)
    page = Client(REMOTE_ADDR="10.5.5.5").get(f"/en/verify/{code}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Information on the last expert-commission examination" in body
    assert "Bakı şəhər 3 nömrəli TSEK" in body
    assert "Valid" in body


def test_the_history_lists_every_examination_newest_first(citizen, catalogue, signing_dir):
    old, latest = decisions_for(citizen)
    client = signed_in_citizen_client(citizen)
    start_from_the_catalogue(client, HISTORY)
    pdf = statement(client, "disability_examinations", language="az")
    assert_genuine(pdf, signing_dir)

    certificate = Certificate.objects.get()
    assert certificate.language == "az"
    rows = certificate.facts["rows"]
    labels = [label for label, _ in rows]
    newest = labels.index(f"{latest.decided_on:%d.%m.%Y}, Bakı şəhər 3 nömrəli TSEK")
    oldest = labels.index("14.05.2019, Gəncə regional TSEK")
    assert newest < oldest
    assert dict(rows)["Qeydə alınmış müayinələr"] == "2"
    assert "əmək xəsarəti" in dict(rows)["14.05.2019, Gəncə regional TSEK"]
    assert UsageEvent.objects.filter(kind="certificate_issued", service_code=HISTORY).exists()

    body = Client(REMOTE_ADDR="10.5.5.6").get(f"/az/verify/{code_in(pdf)}/").content.decode()
    assert "TSEK-lərdə keçirilmiş müayinələr barədə məlumat" in body
    assert "TSEK-2019-0042" in body


def test_an_indefinite_decision_says_so(citizen, catalogue):
    DisabilityDecision.objects.create(
        person=citizen, degree="I", decided_on=datetime.date(2018, 3, 1), reexamine_on=None
    )
    statement(signed_in_citizen_client(citizen), "disability_last_examination")
    rows = dict(Certificate.objects.get().facts["rows"])
    assert rows["Re-examination on"] == "indefinite"
    assert rows["Commission"] == "not recorded"  # a decision from the old register
    assert rows["Life-activity categories limited"] == "none recorded"


@pytest.mark.parametrize("type_code", ["disability_last_examination", "disability_examinations"])
def test_a_person_without_decisions_is_told_so(citizen, catalogue, type_code):
    pdf = statement(signed_in_citizen_client(citizen), type_code)
    assert pdf.startswith(b"%PDF-")
    rows = dict(Certificate.objects.get().facts["rows"])
    assert rows["An expert commission (TSEK) decision is recorded"] == "No"
    assert "The register holds no expert-commission decision about you" in rows["Note"]


def test_the_statement_is_in_the_chosen_language(citizen, catalogue):
    decisions_for(citizen)
    statement(signed_in_citizen_client(citizen), "disability_last_examination", language="ru")
    certificate = Certificate.objects.get()
    assert certificate.facts["title"] == "Сведения о последнем освидетельствовании МСЭК"
    assert dict(certificate.facts["rows"])["Вид освидетельствования"] == (
        "повторное освидетельствование"
    )


def test_another_citizen_sees_neither_the_statement_nor_the_decisions(
    citizen, other_citizen, catalogue
):
    decisions_for(citizen)
    statement(signed_in_citizen_client(citizen), "disability_examinations")
    mine = Certificate.objects.get()

    intruder = signed_in_citizen_client(other_citizen)
    assert intruder.get(f"/en/certificates/{mine.pk}/pdf/").status_code == 404
    assert intruder.post(f"/en/certificates/{mine.pk}/revoke/").status_code == 404
    listing = intruder.get("/en/certificates/").content.decode()
    assert "Certificates you have received" not in listing

    statement(intruder, "disability_examinations")
    theirs = Certificate.objects.exclude(pk=mine.pk).get()
    assert theirs.person == other_citizen
    assert "TSEK-20" not in str(theirs.facts["rows"])
    assert "Bakı şəhər" not in str(theirs.facts["rows"])
    assert dict(theirs.facts["rows"])["An expert commission (TSEK) decision is recorded"] == "No"
