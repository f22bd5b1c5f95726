"""Issue 4's "Done when" in real Chromium: a demo citizen applies for targeted social assistance
with two documents, a case worker of the right centre asks for more information, the citizen
answers, the worker approves, and the citizen reads the decision and its reason on the timeline
(and it is in the outbox for the contact they gave); an operator files the same application for
a caller. Every page of the journey is checked with axe-core against WCAG 2.2 AA."""

from __future__ import annotations

import re
import zlib
from typing import cast

import pytest

from meis.accounts.tests import factories
from meis.accounts.tests.conftest import totp_now
from meis.cases.models import Case, CaseStatus, Channel
from meis.notifications.models import Message

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SERVICE = "targeted-social-assistance"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
EMAIL = "citizen.journey@example.az"
REASON = "The family's average monthly income is below the sum of the need criteria."


def small_pdf(text: str) -> bytes:
    """A small, well-formed one-page PDF (objects, a cross-reference table and a trailer)."""
    stream = zlib.compress(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode())
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _pdf_file(name: str) -> dict[str, object]:
    return {"name": name, "mimeType": "application/pdf", "buffer": small_pdf(name)}


class Axe:
    """Runs axe-core on each page it is given and keeps the violations by page."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.violations: dict[str, list[str]] = {}
        self.pages: list[str] = []

    def check(self, page, label: str) -> None:
        page.evaluate(self.source)  # not an inline <script>: the CSP refuses those
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
        )
        self.pages.append(label)
        found = [
            f"{v['id']} ({v['impact']}): {v['help']} — "
            + ", ".join(str(node["target"][0]) for node in v["nodes"])
            for v in result["violations"]
        ]
        if found:
            self.violations[label] = found


@pytest.fixture
def axe(axe_source: str) -> Axe:
    return Axe(axe_source)


@pytest.fixture
def people(db):
    document = factories.IdentityDocumentFactory()
    citizen = document.person
    factories.registration(citizen, centre_code="baku-1")
    _family_of_four_on_400_a_month(citizen)
    worker = factories.staff_user(
        "case_worker",
        centre_code="baku-1",
        subsystems=["targeted_assistance"],
        institution="Baku DOST centre No. 1",
    )
    return document, citizen, worker


def _family_of_four_on_400_a_month(citizen) -> None:
    """What the registers hold of the citizen's family: the pre-check, and the award the worker
    approves, come from them (the answers the journey types agree with them)."""
    import datetime

    from meis.lifeevents.models import HouseholdMeans
    from meis.registry.models import Household, Relation
    from meis.registry.tests.factories import HouseholdFactory, HouseholdMembershipFactory

    family = cast(Household, HouseholdFactory())
    HouseholdMembershipFactory(household=family, person=citizen, relation=Relation.HEAD)
    for relation in (Relation.SPOUSE, Relation.CHILD, Relation.CHILD):
        HouseholdMembershipFactory(household=family, relation=relation)
    HouseholdMeans.objects.create(
        household=family,
        income_12_months_qepik=480_000,
        purchases_sales_12_months_qepik=0,
        has_vehicle=False,
        refused_suitable_jobs=0,
        utility_spending_12_months_qepik=0,
        same_purpose_real_estate_units=0,
        declaration_matches_checks=True,
        updated_on=datetime.date(2020, 1, 1),
    )


def _sign_in_citizen(page, base: str, document, citizen) -> None:
    page.goto(f"{base}/en/sign-in/")
    page.fill("#id_document_number", document.number)
    page.fill("#id_fin", citizen.fin)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/sign-in/code/"))
    message = Message.objects.filter(person=citizen, event="one_time_code").latest("id")
    code = re.search(r"\b(\d{6})\b", message.body_text).group(1)
    page.fill("#id_code", code)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/my/record/"))


def _sign_in_staff(page, base: str, user) -> None:
    page.goto(f"{base}/en/staff/sign-in/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", factories.STAFF_PASSWORD)
    page.fill("#id_otp_token", totp_now(user))
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/staff/$"))


def _apply(page, base: str, axe: Axe | None, *, channel: str, contact: str = "") -> str:
    """Start → questions → two documents → contact (→ code) → check → send; the reference."""

    def check(label: str) -> None:
        if axe is not None:
            axe.check(page, label)

    page.goto(f"{base}/en/apply/{SERVICE}/")
    check("apply: start")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/questions/$"))
    check("apply: questions")
    page.click("main form button[type=submit]")  # nothing filled in: the error summary
    page.wait_for_selector(".govuk-error-summary")  # the page after the POST, however slow
    check("apply: questions with errors")
    page.fill("#id_members", "4")
    page.fill("#id_income_12_months_qepik", "4800")
    page.check("input[name=has_vehicle][value=no]")
    page.fill("#id_bank_account_iban", _iban())
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/documents/$"))
    check("apply: documents")
    page.set_input_files(  # an executable named .pdf: refused by content, with the reason
        "#file-identity_card",
        {"name": "card.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00payload"},
    )
    page.locator("form", has=page.locator("#file-identity_card")).locator(
        "button[type=submit]"
    ).last.click()
    page.wait_for_load_state()
    page.wait_for_selector(".govuk-error-summary")  # the page after the POST, however slow
    check("apply: documents with a refused file")
    for code in ("identity_card", "family_composition_certificate"):
        page.set_input_files(f"#file-{code}", _pdf_file(f"{code}.pdf"))
        page.locator("form", has=page.locator(f"#file-{code}")).locator(
            "button[type=submit]"
        ).last.click()
        page.wait_for_load_state()
        assert f"{code}.pdf" in page.inner_text("main")
    check("apply: documents uploaded")
    page.click("button[name=continue]")
    page.wait_for_url(re.compile(r"/contact/$"))
    check("apply: contact")
    page.check(f"input[name=channel][value={channel}]")
    page.fill("#id_value", contact)
    page.click("main form button[type=submit]")
    if channel != "portal":
        page.wait_for_url(re.compile(r"/contact/code/$"))
        check("apply: contact code")
        sent = Message.objects.filter(is_contact_verification=True, recipient=contact).latest("id")
        page.fill("#id_code", re.search(r"\b(\d{6})\b", sent.body_text).group(1))
        page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/check/$"))
    assert "Copy of the identity card" in page.inner_text("main")
    check("apply: check your answers")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/confirmation/$"))
    check("apply: confirmation")
    return page.inner_text("[data-testid=reference]").strip()


def _iban() -> str:
    from meis.cases.tests.conftest import iban

    return iban()


def test_a_citizen_applies_a_worker_asks_approves_and_the_citizen_reads_the_decision(
    browser, live_server, people, axe, js_errors
):
    document, citizen, worker = people
    base = live_server.url
    citizen_context = browser.new_context(viewport={"width": 1280, "height": 900})
    citizen_page = citizen_context.new_page()
    citizen_page.on("pageerror", lambda error: js_errors.append(str(error)))
    _sign_in_citizen(citizen_page, base, document, citizen)

    reference = _apply(citizen_page, base, axe, channel="email", contact=EMAIL)
    case = Case.objects.get(reference=reference)
    assert case.person == citizen
    assert case.channel == Channel.PORTAL
    assert case.documents.count() == 2
    assert case.contact_value == EMAIL
    assert case.due_on is not None
    received = Message.objects.filter(case_reference=reference, event="case_received")
    assert received.filter(channel="email", recipient=EMAIL).exists()
    citizen_page.goto(f"{base}/en/applications/")
    assert reference in citizen_page.inner_text("main")
    axe.check(citizen_page, "my applications")

    # The case worker of the citizen's centre takes the case and asks for more information.
    staff_context = browser.new_context(viewport={"width": 1280, "height": 900})
    staff_page = staff_context.new_page()
    _sign_in_staff(staff_page, base, worker)
    staff_page.goto(f"{base}/en/backoffice/cases/")
    axe.check(staff_page, "backoffice: queue")
    staff_page.click(f"text={reference}")
    staff_page.wait_for_url(re.compile(rf"/backoffice/cases/{reference}/$"))
    axe.check(staff_page, "backoffice: case (submitted)")
    staff_page.click("button[value=claim]")
    staff_page.wait_for_load_state()
    assert staff_page.inner_text("[data-testid=status]") == "Being reviewed"
    axe.check(staff_page, "backoffice: case (in review)")
    staff_page.fill("#request-text", "Upload your employer's salary statement for last year.")
    staff_page.click("button[value=request_information]")
    staff_page.wait_for_load_state()
    assert staff_page.inner_text("[data-testid=status]") == "Waiting for your information"

    # The citizen answers with text and a file.
    citizen_page.goto(f"{base}/en/applications/{reference}/")
    assert "salary statement" in citizen_page.inner_text("main")
    axe.check(citizen_page, "case page (information requested)")
    citizen_page.click("main form button[type=submit] >> text=Send your answer")  # empty
    citizen_page.wait_for_load_state()
    assert citizen_page.locator(".govuk-error-summary").is_visible()
    assert citizen_page.title().startswith("Error:")
    axe.check(citizen_page, "case page (answer with errors)")
    citizen_page.fill("#id_text", "The salary statement is attached.")
    citizen_page.set_input_files("#id_file", _pdf_file("salary-statement.pdf"))
    citizen_page.click("main form button[type=submit] >> text=Send your answer")
    citizen_page.wait_for_load_state()
    assert "salary-statement.pdf" in citizen_page.inner_text("main")

    # The worker approves, with the reason for the applicant.
    staff_page.reload()
    assert staff_page.inner_text("[data-testid=status]") == "Being reviewed"
    staff_page.click("button[value=reject]")  # no legal reason chosen: refused with a message
    staff_page.wait_for_load_state()
    assert staff_page.locator("[data-testid=error]").is_visible()
    assert staff_page.title().startswith("Error:")
    axe.check(staff_page, "backoffice: case (action error)")
    staff_page.fill("#approve-text", REASON)
    staff_page.click("button[value=approve]")
    staff_page.wait_for_load_state()
    assert staff_page.inner_text("[data-testid=status]") == "Approved"
    axe.check(staff_page, "backoffice: case (approved)")
    staff_context.close()

    # The citizen sees the decision and its reason, on the page and on the timeline.
    citizen_page.goto(f"{base}/en/applications/{reference}/")
    assert citizen_page.inner_text("[data-testid=status]") == "Approved"
    assert REASON in citizen_page.inner_text("[data-testid=decision]")
    timeline = citizen_page.inner_text("[data-testid=timeline]")
    assert "Approved" in timeline
    assert REASON in timeline
    assert worker.username not in timeline
    axe.check(citizen_page, "case page (approved)")
    citizen_context.close()

    case.refresh_from_db()
    assert case.status == CaseStatus.APPROVED
    # A rules-backed approval grants the award; its letter carries the note too.
    decision = Message.objects.filter(case_reference=reference, event="case_award")
    assert decision.filter(channel="email", recipient=EMAIL).exists()
    assert REASON in decision.get(channel="email").body_text
    assert js_errors == []
    assert axe.violations == {}, axe.violations


def test_an_operator_files_the_same_application_for_a_caller(
    browser, live_server, people, js_errors
):
    document, citizen, _ = people
    operator = factories.staff_user("call_centre_operator", institution="Call centre 142")
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on("pageerror", lambda error: js_errors.append(str(error)))
    _sign_in_staff(page, base, operator)
    page.goto(f"{base}/en/staff/calls/new/")
    page.fill("#id_document_number", document.number)
    page.fill("#id_fin", citizen.fin)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(rf"/staff/persons/{citizen.pk}/$"))

    page.goto(f"{base}/en/apply/{SERVICE}/")
    assert citizen.full_name in page.inner_text("main")  # "you are filing for the caller …"
    reference = _apply(page, base, None, channel="portal")
    context.close()

    case = Case.objects.get(reference=reference)
    assert case.person == citizen
    assert case.channel == Channel.CALL_CENTRE
    assert case.acting_user == operator
    assert case.documents.count() == 2
    assert case.status == CaseStatus.SUBMITTED
    assert js_errors == []
