"""Issue 21: an error summary names the field before its error ("<label>: <error>") and links
to the field, on the question pages (the shared cases/_errors.html), the documents page and the
check page (where a document or an answer is named, never by its code)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from meis.cases.models import ApplicationDraft
from meis.cases.tests.conftest import SERVICE, answers, pdf

pytestmark = pytest.mark.django_db


def summary(html: str) -> list[str]:
    """The error summary's lines, each as `href | text` (text alone for a line without a link)."""
    body = html.split('govuk-error-summary__list">', 1)[1].split("</ul>", 1)[0]
    lines = re.findall(r"<li>(.*?)</li>", body, re.S)
    return [
        re.sub(r'<a href="([^"]*)">(.*)</a>', r"\1 | \2", " ".join(line.split())) for line in lines
    ]


def test_the_questions_summary_names_the_field_and_links_to_it(citizen, version, citizen_client):
    client = citizen_client(citizen)
    client.post(reverse("cases:apply", kwargs={"code": SERVICE}))

    response = client.post(
        reverse("cases:apply_questions", kwargs={"code": SERVICE}), answers(members="abc")
    )

    assert summary(response.content.decode()) == [
        "#id_members | Number of family members: Enter a whole number, like 3."
    ]


def test_the_documents_summary_names_the_document_and_links_to_its_upload(
    citizen, version, citizen_client
):
    client = citizen_client(citizen)
    url = reverse("cases:apply_documents", kwargs={"code": SERVICE})
    client.post(reverse("cases:apply", kwargs={"code": SERVICE}))
    client.post(url, {"document": "identity_card", "file": pdf("my-card.pdf")})

    response = client.post(url, {"continue": "1"})

    html = response.content.decode()
    assert summary(html) == [
        "#file-family_composition_certificate | Family composition certificate: "
        "Upload Family composition certificate."
    ]
    assert 'id="file-family_composition_certificate"' in html


def test_the_check_page_names_a_missing_document_not_its_code(
    citizen, version, centre, citizen_client
):
    client = citizen_client(citizen)
    client.post(reverse("cases:apply", kwargs={"code": SERVICE}))
    client.post(reverse("cases:apply_questions", kwargs={"code": SERVICE}), answers())
    client.post(
        reverse("cases:apply_contact", kwargs={"code": SERVICE}),
        {"centre": centre.pk, "channel": "portal", "value": ""},
    )
    draft = ApplicationDraft.objects.get(person=citizen)

    response = client.post(
        reverse("cases:apply_check", kwargs={"code": SERVICE}), {"key": str(draft.key)}
    )

    html = response.content.decode()
    assert summary(html) == [
        "#documents | Copy of the identity card: Upload this document.",
        "#documents | Family composition certificate: Upload this document.",
    ]
    assert 'id="documents"' in html
