"""Hostile files through the real pages: refused on the documents step with the reason, or
stored sanitised and handed back as a download under a name that cannot mislead."""

from __future__ import annotations

import io

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meis.cases.models import CaseDocument
from meis.cases.tests.conftest import SERVICE, pdf
from meis.cases.tests.test_services import submit
from meis.core.tests import samples

pytestmark = pytest.mark.django_db


def _documents_step(client):
    client.post(reverse("cases:apply", kwargs={"code": SERVICE}))
    return reverse("cases:apply_documents", kwargs={"code": SERVICE})


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        pytest.param(
            samples.pdf_javascript_in_object_stream(),
            "The selected PDF contains scripts or embedded programs.",
            id="javascript-in-object-stream",
        ),
        pytest.param(samples.pdf_encrypted(), "Remove the password", id="encrypted"),
        pytest.param(samples.png_declaring(30000, 30000), "too large in pixels", id="huge-png"),
        pytest.param(samples.jpeg_garbage(), "damaged", id="garbage-jpeg"),
    ],
)
def test_the_documents_step_refuses_a_hostile_file_and_says_why(
    citizen, version, citizen_client, content, reason
):
    client = citizen_client(citizen)
    url = _documents_step(client)

    response = client.post(
        url, {"document": "identity_card", "file": SimpleUploadedFile("card.pdf", content)}
    )

    assert response.status_code == 200
    assert reason in response.content.decode()
    assert not CaseDocument.objects.exists()


def test_the_documents_step_refuses_a_flate_bomb(citizen, version, citizen_client):
    client = citizen_client(citizen)
    url = _documents_step(client)
    bomb = SimpleUploadedFile("statement.pdf", samples.pdf_flate_bomb())

    response = client.post(url, {"document": "identity_card", "file": bomb})

    assert "too large or too complex to check" in response.content.decode()
    assert not CaseDocument.objects.exists()


def test_a_benign_upload_on_the_documents_step_is_kept(citizen, version, citizen_client):
    client = citizen_client(citizen)
    url = _documents_step(client)

    response = client.post(url, {"document": "identity_card", "file": pdf("my-card.pdf")})

    assert response.status_code == 302
    assert CaseDocument.objects.get().original_name == "my-card.pdf"


def test_a_stored_document_downloads_sanitised_under_a_safe_name(
    citizen, version, centre, citizen_client
):
    tricky = SimpleUploadedFile("invoice\u202egpj.exe", samples.pdf_uri_link())
    documents = [("identity_card", tricky), ("family_composition_certificate", pdf())]
    case = submit(citizen, version, centre, documents=documents).case
    document = case.documents.get(document_code="identity_card")

    response = citizen_client(citizen).get(
        reverse("cases:document_download", kwargs={"public_id": document.public_id})
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"invoicegpj.pdf\"; filename*=UTF-8''invoicegpj.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    with pikepdf.open(io.BytesIO(b"".join(response.streaming_content))) as stored:
        assert "/A" not in stored.pages[0].Annots[0]
        assert "/OpenAction" not in stored.Root
