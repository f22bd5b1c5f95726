"""Uploads are judged by their content, never by their name or declared type."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from meis.cases.services.documents import DocumentRefused, NoScanner, document_check, virus_scanner
from meis.catalog.definitions import DocumentDefinition

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


def test_it_accepts_a_real_pdf_and_records_its_sha256():
    checked = document_check(upload=upload(b"%PDF-1.7\n1 0 obj\n%%EOF"), definition=DEFINITION)
    assert checked.content_type == "application/pdf"
    assert len(checked.sha256) == 64


def test_it_accepts_jpeg_and_png_by_their_magic_bytes():
    assert document_check(
        upload=upload(b"\xff\xd8\xff\xe0" + b"0" * 20, "a.pdf"), definition=DEFINITION
    )
    assert document_check(
        upload=upload(b"\x89PNG\r\n\x1a\n" + b"0" * 20, "a.txt"), definition=DEFINITION
    )


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


@pytest.mark.parametrize("marker", [b"/JavaScript", b"/JS", b"/Launch", b"/J#61vaScript"])
def test_it_refuses_pdfs_with_active_content(marker):
    content = b"%PDF-1.4\n1 0 obj << /OpenAction << /S " + marker + b" >> >>\n%%EOF"
    with pytest.raises(DocumentRefused, match="scripts"):
        document_check(upload=upload(content), definition=DEFINITION)


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
