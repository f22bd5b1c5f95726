"""Downloads are offered under a name a person can trust: what they see is what they save."""

from __future__ import annotations

import pytest
from django.http import HttpResponse

from meis.core.downloads import content_disposition, download_headers_set, download_name

PDF = "application/pdf"


@pytest.mark.parametrize(
    ("name", "content_type", "offered"),
    [
        # A right-to-left override makes "invoice\u202egpj.exe" look like "invoiceexe.jpg".
        ("invoice\u202egpj.exe", PDF, "invoicegpj.pdf"),
        ("\u2067scan\u2069\u200e.pdf\u200f", PDF, "scan.pdf"),
        ("zero\u200bwidth\ufeff.png", "image/png", "zerowidth.png"),
        ("photo.exe", "image/jpeg", "photo.jpg"),
        ("Scan.PDF", PDF, "Scan.pdf"),
        ("report.pdf.exe", PDF, "report.pdf.pdf"),
        ("../../etc/passwd", PDF, "passwd.pdf"),
        ("C:\\Users\\a\\card.png", "image/png", "card.png"),
        ("line\nbreak\ttab\x00nul.pdf", PDF, "linebreaktabnul.pdf"),
        ('a"b;c<d>.pdf', PDF, "a_b_c_d_.pdf"),
        ("Qərar Gülşən.pdf", PDF, "Qərar Gülşən.pdf"),
        ("Решение.pdf", PDF, "Решение.pdf"),
        ("...", PDF, "document.pdf"),
        ("\u202e", "image/png", "document.png"),
        ("CON.pdf", PDF, "_CON.pdf"),
        ("x" * 300 + ".pdf", PDF, "x" * 100 + ".pdf"),
        ("errors-1234567891-5", "text/csv; charset=utf-8", "errors-1234567891-5.csv"),
        ("pain001-2026-11-IBAZ.xml", "application/xml", "pain001-2026-11-IBAZ.xml"),
    ],
)
def test_the_offered_name_keeps_the_words_and_takes_the_extension_from_the_content(
    name, content_type, offered
):
    assert download_name(name, content_type=content_type) == offered


def test_the_header_carries_an_ascii_name_and_the_exact_utf8_name():
    header = content_disposition("Qərar Gülşən.pdf")

    assert header == (
        'attachment; filename="Qerar Gulsen.pdf"; '
        "filename*=UTF-8''Q%C9%99rar%20G%C3%BCl%C5%9F%C9%99n.pdf"
    )


def test_a_name_without_ascii_letters_still_has_an_ascii_fallback():
    assert content_disposition("Решение.pdf").startswith('attachment; filename="document.pdf";')


def test_a_response_is_marked_as_a_download_never_sniffed():
    response = download_headers_set(HttpResponse(b"%PDF-"), name="x\u202e.pdf", content_type=PDF)

    assert response["Content-Type"] == PDF
    assert response["Content-Disposition"].startswith('attachment; filename="x.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"
