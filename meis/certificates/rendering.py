"""The certificate as one A4 PDF page: typst with a bundled DejaVu Sans, QR code by `qr`.

The typst template is compiled by one `typst.Compiler` per process (fonts loaded once); each
certificate passes its data as JSON in `sys.inputs`, so no user text is ever typst source.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import typst
from django.conf import settings

from meis.certificates.facts import Text, text
from meis.certificates.qr import qr_code, svg
from meis.core.addresses import public_base_url

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "typst" / "certificate.typ"
FONTS = HERE / "fonts"

LABELS: dict[str, Text] = {
    "number": text("Arayışın kodu", "Certificate code", "Код справки"),
    "issued": text("Verilmə tarixi", "Issued on", "Дата выдачи"),
    "valid": text("Etibarlıdır", "Valid until", "Действительна до"),
    "recipient": text("Təqdim ediləcəyi yer", "Presented to", "Для представления в"),
    "code": text("Yoxlama kodu", "Verification code", "Код проверки"),
    "check": text(
        "Arayışın həqiqiliyini yoxlayın:",
        "Check that this certificate is genuine:",
        "Проверьте подлинность справки:",
    ),
    "signed": text(
        "Sənəd Nazirliyin gücləndirilmiş elektron imzası ilə imzalanıb (PAdES).",
        "This document is signed with the Ministry's advanced electronic signature (PAdES).",
        "Документ подписан усиленной электронной подписью Министерства (PAdES).",
    ),
}
ISSUER = text(
    "Əmək və Əhalinin Sosial Müdafiəsi Nazirliyi",
    "Ministry of Labour and Social Protection of the Population",
    "Министерство труда и социальной защиты населения",
)
COUNTRY = text("Azərbaycan Respublikası", "Republic of Azerbaijan", "Азербайджанская Республика")


@dataclass(frozen=True)
class Page:
    lang: str
    title: str
    rows: list[list[str]]
    code: str
    issued: str
    valid: str
    recipient: str


def _base_url() -> str:
    base: str = settings.CERTIFICATE_VERIFY_BASE_URL or public_base_url()
    return base.rstrip("/")


def verify_url(code: str) -> str:
    """The public check page of a code, as printed under the QR code."""
    return f"{_base_url()}/verify/{code}/"


def qr_url(code: str) -> str:
    """The short address in the QR code: `HTTPS://HOST/V/<CODE>`, which redirects to verify_url.

    Scheme and host are case-insensitive, so they are written in capitals; with the code's
    alphabet (digits, capitals, '-') the whole address fits the QR alphanumeric mode (5.5 bits a
    character instead of 8), a smaller symbol that is cheaper to make and easier to scan. A path
    in CERTIFICATE_VERIFY_BASE_URL keeps its case (paths are case-sensitive): with lowercase
    letters there, segno falls back to byte mode and the address still works.
    """
    parts = urlsplit(_base_url())
    base = urlunsplit((parts.scheme.upper(), parts.netloc.upper(), parts.path, "", ""))
    return f"{base}/V/{code.upper()}"


@functools.cache
def _compiler() -> typst.Compiler:
    return typst.Compiler(input=TEMPLATE, root=HERE, font_paths=[FONTS], ignore_system_fonts=True)


def qr_svg(url: str) -> str:
    """The QR code of `url` as inline SVG, with a quiet zone of two modules.

    The symbol is segno's (`segno.make_qr(url, error="m")`, never a Micro QR, which many phone
    scanners do not read), but its mask is chosen and the symbol finished and drawn in numpy by
    `qr`: segno's pure Python takes about 2.5 ms for the mask and 0.25 ms (up to 2 ms under
    load) for the SVG per certificate. typst scales it to the width the template gives.
    """
    return svg(qr_code(url, error="m").matrix, border=2, dark="#0b0c0c")


def pdf_render(page: Page) -> bytes:
    """The certificate page as PDF bytes (unsigned)."""
    url = verify_url(page.code)
    data = {
        "lang": page.lang,
        "country": COUNTRY[page.lang],
        "issuer": ISSUER[page.lang],
        "title": page.title,
        "rows": page.rows,
        "code": page.code,
        "issued": page.issued,
        "valid": page.valid,
        "recipient": page.recipient or "—",
        "url": url,
        "labels": {name: label[page.lang] for name, label in LABELS.items()},
    }
    pdf = _compiler().compile(
        sys_inputs={"data": json.dumps(data), "qr": qr_svg(qr_url(page.code))}
    )
    assert isinstance(pdf, bytes)  # noqa: S101 — typst returns bytes for a single PDF
    return pdf
