"""The signed PDF: Azerbaijani letters, a decodable QR code, a PAdES signature validators accept."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from meis.certificates.services import certificate_issue
from meis.certificates.signing import PdfVerdict, demo_ca_ensure, pdf_check

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
TOOLS = ("pdftotext", "pdftoppm", "pdfsig", "zbarimg")
needs_tools = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in TOOLS),
    reason="poppler-utils and zbar-tools are needed (.ci/run installs them)",
)


def issue(person, tmp_path: Path, lang: str = "az") -> tuple[bytes, Path, str]:
    issued = certificate_issue(
        person=person,
        type_code="pension",
        language=lang,
        recipient="Kapital Bank",
        actor=AnonymousUser(),
    )
    path = tmp_path / "certificate.pdf"
    path.write_bytes(issued.pdf)
    return issued.pdf, path, issued.code


def run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=False).stdout  # noqa: S603


@needs_tools
def test_every_azerbaijani_letter_survives_text_extraction(pensioner, catalogue, tmp_path):
    _, path, code = issue(pensioner, tmp_path)
    extracted = run("pdftotext", "-layout", str(path), "-")
    for word in (
        "Əliyeva",
        "Gülşən",
        "İsmayıl qızı",
        "Pensiyaçı",
        "Müdafiəsi",
        "başlanğıc",
        "Azərbaycan",
    ):
        assert word in extracted
    for letter in "əğıİöşüçƏ":
        assert letter in extracted
    assert code in extracted
    assert re.search(r"^Pages:\s+1$", run("pdfinfo", str(path)), re.M)


@needs_tools
def test_the_page_renders_and_its_qr_code_leads_to_the_check_page(pensioner, catalogue, tmp_path):
    _, path, code = issue(pensioner, tmp_path)
    run("pdftoppm", "-r", "110", "-png", str(path), str(tmp_path / "page"))
    png = tmp_path / "page-1.png"
    assert png.stat().st_size > 10_000  # a blank A4 page compresses to a few hundred bytes
    decoded = run("zbarimg", "--quiet", "--raw", str(png)).strip()
    assert decoded == f"HTTPS://MEIS.EXAMPLE/V/{code}"  # QR alphanumeric mode: all capitals
    page = Client(REMOTE_ADDR="10.9.9.9").get(urlsplit(decoded).path, follow=True)
    assert page.redirect_chain == [(f"/az/verify/{code}/", 302)]
    assert page.status_code == 200
    assert "Gülşən" in page.content.decode()


@needs_tools
def test_pdfsig_finds_an_intact_signature_over_the_whole_document(pensioner, catalogue, tmp_path):
    _, path, _ = issue(pensioner, tmp_path)
    report = run("pdfsig", str(path))
    assert "Signature is Valid." in report
    assert "Total document signed" in report
    assert "ETSI.CAdES.detached" in report


def test_pyhanko_validates_the_signature_against_the_demo_ca(
    pensioner, catalogue, tmp_path, signing_dir
):
    pdf, _, _ = issue(pensioner, tmp_path)
    signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    root = load_cert_from_pemder(str(signing_dir / "ca.pem"))
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[root]))
    assert status.bottom_line
    assert status.intact
    assert status.valid
    assert status.trusted
    assert pdf_check(pdf).verdict == PdfVerdict.GENUINE


def test_an_altered_copy_fails(pensioner, catalogue, tmp_path):
    pdf, _, _ = issue(pensioner, tmp_path)
    index = pdf.index(b"/Producer") if b"/Producer" in pdf else len(pdf) // 3
    altered = pdf[:index] + bytes([pdf[index] ^ 0x01]) + pdf[index + 1 :]
    assert pdf_check(altered).verdict in (PdfVerdict.ALTERED, PdfVerdict.NOT_PDF)
    appended = pdf + b"\n% appended after signing\n"
    assert pdf_check(appended).verdict != PdfVerdict.GENUINE


def test_a_pdf_signed_by_another_key_is_reported_as_such(pensioner, catalogue, tmp_path, settings):
    pdf, _, _ = issue(pensioner, tmp_path)
    other = tmp_path / "other"
    demo_ca_ensure(other)
    settings.CERTIFICATE_TRUST_ROOTS = str(other / "ca.pem")
    settings.CERTIFICATE_SIGNING_P12 = str(other / "signing.p12")
    assert pdf_check(pdf).verdict == PdfVerdict.OTHER_KEY


def test_a_file_that_is_not_a_pdf_is_reported_as_such():
    assert pdf_check(b"GIF89a not a certificate").verdict == PdfVerdict.NOT_PDF
    assert pdf_check(b"%PDF-1.7 garbage").verdict in (PdfVerdict.NOT_PDF, PdfVerdict.UNSIGNED)
