"""Uploads are judged by their content, never by their name or declared type."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from meis.cases.services.documents import DocumentRefused, NoScanner, document_check, virus_scanner
from meis.catalog.definitions import DocumentDefinition
from meis.core.tests import samples

DEFINITION = DocumentDefinition(
    code="identity_card",
    name={"az": "x", "en": "x", "ru": "x"},
    required=True,
    content_types=("pdf", "jpeg", "png"),
    max_size_kb=100,
    max_count=2,
)


def upload(
    content: bytes, name: str = "file.pdf", kind: str = "application/pdf"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, kind)


# As the seed catalogue's largest documents: room for a bomb of about a megabyte.
LARGE = DocumentDefinition(
    code="income_statement",
    name={"az": "x", "en": "x", "ru": "x"},
    required=True,
    content_types=("pdf", "jpeg", "png"),
    max_size_kb=10240,
    max_count=2,
)


def test_it_accepts_a_real_pdf_and_records_its_sha256():
    content = samples.pdf_bytes()

    checked = document_check(upload=upload(content), definition=DEFINITION)

    assert checked.content_type == "application/pdf"
    assert checked.content == content
    assert checked.sha256 == hashlib.sha256(content).hexdigest()


def test_it_accepts_jpeg_and_png_by_their_magic_bytes():
    jpeg = document_check(upload=upload(samples.jpeg_with_gps(), "a.pdf"), definition=DEFINITION)
    png = document_check(upload=upload(samples.png_bytes(), "a.txt"), definition=DEFINITION)

    assert (jpeg.content_type, png.content_type) == ("image/jpeg", "image/png")
    assert jpeg.sha256 == hashlib.sha256(jpeg.content).hexdigest()  # of what is stored


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"MZ\x90\x00" + b"\x00" * 100, "invoice.pdf"),  # Windows executable named .pdf
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 50, "scan.pdf"),  # Linux executable
        (b"#!/bin/sh\nrm -rf /\n", "card.jpg"),
        (b"<html><script>alert(1)</script>", "card.png"),
    ],
)
def test_it_refuses_disguised_files(content, name):
    with pytest.raises(DocumentRefused, match="content was checked"):
        document_check(upload=upload(content, name), definition=DEFINITION)


@pytest.mark.parametrize(
    ("sample", "reason"),
    [
        (samples.pdf_javascript_in_object_stream, "scripts or embedded programs"),
        (samples.pdf_embedded_executable, "scripts or embedded programs"),
        (samples.pdf_submit_form, "a form that can send or load data"),
        (samples.pdf_xfa, "a form that can send or load data"),
        (samples.pdf_encrypted, "Remove the password"),
        (samples.pdf_flate_bomb, "too large or too complex"),
        (samples.pdf_object_stream_bomb, "damaged"),
        (lambda: samples.png_declaring(30000, 30000), "too large in pixels"),
        (lambda: samples.png_declaring(65535, 65535), "too large in pixels"),
        (samples.jpeg_garbage, "damaged"),
    ],
)
def test_it_refuses_the_hostile_corpus_with_a_reason(sample, reason):
    with translation.override("en"), pytest.raises(DocumentRefused, match=reason):
        document_check(upload=upload(sample(), "document.pdf"), definition=LARGE)


def test_it_keeps_a_copy_without_the_links_that_leave_the_pdf():
    checked = document_check(upload=upload(samples.pdf_uri_link()), definition=DEFINITION)

    with pikepdf.open(io.BytesIO(checked.content)) as stored:
        assert "/A" not in stored.pages[0].Annots[0]
        assert "/OpenAction" not in stored.Root
    assert checked.sha256 == hashlib.sha256(checked.content).hexdigest()


def test_it_refuses_empty_files():
    with pytest.raises(DocumentRefused, match="empty"):
        document_check(upload=upload(b""), definition=DEFINITION)


def test_it_refuses_oversized_files():
    with pytest.raises(DocumentRefused, match="smaller than 100 KB"):
        document_check(upload=upload(b"%PDF-" + b"0" * 200_000), definition=DEFINITION)


def test_it_refuses_a_zip_bomb_named_pdf():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.txt", b"0" * 5_000_000)
    with pytest.raises(DocumentRefused, match="content was checked"):
        document_check(upload=upload(buffer.getvalue(), "bomb.pdf"), definition=DEFINITION)


def test_it_refuses_a_type_the_service_does_not_take():
    pdf_only = DocumentDefinition(
        code="d",
        name={"az": "x", "en": "x", "ru": "x"},
        required=True,
        content_types=("pdf",),
        max_size_kb=100,
        max_count=1,
    )
    with pytest.raises(DocumentRefused):
        document_check(upload=upload(b"\x89PNG\r\n\x1a\n0000", "a.pdf"), definition=pdf_only)


def test_without_clamd_the_scanner_accepts_and_says_so(settings):
    settings.MEIS_CLAMD_SOCKET = ""
    settings.MEIS_VIRUS_SCANNER = ""
    scanner = virus_scanner()
    assert isinstance(scanner, NoScanner)
    assert scanner.scan(b"x") == "not scanned"


class InfectedScanner:
    def scan(self, content: bytes) -> str:
        raise DocumentRefused("virus")


def test_a_configured_scanner_refuses_infected_files(settings):
    from meis.cases.services.documents import CheckedDocument, document_store

    settings.MEIS_VIRUS_SCANNER = "meis.cases.tests.test_documents.InfectedScanner"
    with pytest.raises(DocumentRefused):
        document_store(checked=CheckedDocument(b"%PDF-", "application/pdf", "0" * 64))


def test_the_clamd_scanner_speaks_instream(tmp_path):
    import socket
    import threading

    from meis.cases.services.documents import ClamdScanner

    path = str(tmp_path / "clamd.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(1)
    received = []

    def serve() -> None:
        connection, _ = server.accept()
        data = b""
        while not data.endswith(b"\x00\x00\x00\x00"):
            data += connection.recv(65536)
        received.append(data)
        connection.sendall(b"stream: Eicar-Signature FOUND\x00")
        connection.close()

    thread = threading.Thread(target=serve)
    thread.start()
    with pytest.raises(DocumentRefused):
        ClamdScanner(path).scan(b"X5O!P%@AP")
    thread.join()
    server.close()
    assert received[0].startswith(b"zINSTREAM\x00")
