"""Issue 22: a `remove=` that is not a document's id answered 500 on the documents step."""

import pytest
from django.urls import reverse

from meis.cases.models import CaseDocument
from meis.cases.tests.conftest import pdf

pytestmark = pytest.mark.django_db

CODE = "targeted-social-assistance"


@pytest.mark.parametrize("hostile", ["not-a-uuid", "\x00", "a/b", "x" * 200, ""])
def test_removing_a_document_by_a_hostile_id_removes_nothing_and_returns_to_the_step(
    citizen, version, citizen_client, hostile
):
    client = citizen_client(citizen)
    url = reverse("cases:apply_documents", kwargs={"code": CODE})
    client.post(reverse("cases:apply", kwargs={"code": CODE}))
    client.post(url, {"document": "identity_card", "file": pdf("my-card.pdf")})

    response = client.post(url, {"remove": hostile})

    assert response.status_code == 302
    assert response["Location"] == url
    assert CaseDocument.objects.count() == 1


def test_removing_a_document_by_its_id_removes_it(citizen, version, citizen_client):
    client = citizen_client(citizen)
    url = reverse("cases:apply_documents", kwargs={"code": CODE})
    client.post(reverse("cases:apply", kwargs={"code": CODE}))
    client.post(url, {"document": "identity_card", "file": pdf("my-card.pdf")})
    document = CaseDocument.objects.get()

    client.post(url, {"remove": str(document.public_id)})

    assert CaseDocument.objects.count() == 0


def test_an_answer_with_a_nul_is_refused_and_the_draft_keeps_none(citizen, version, citizen_client):
    """On PostgreSQL the draft's JSON could not hold the NUL: the answer page answered 500."""
    from meis.cases.models import ApplicationDraft

    client = citizen_client(citizen)
    client.post(reverse("cases:apply", kwargs={"code": CODE}))
    response = client.post(
        reverse("cases:apply_questions", kwargs={"code": CODE}),
        {"members": "\x00", "bank_account_iban": "AZ\x00"},
    )

    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    answers = ApplicationDraft.objects.get().answers
    assert "\x00" not in "".join(str(value) for value in answers.values())
