# mypy: disable-error-code="no-untyped-def,misc,arg-type,attr-defined"
"""The pre-check on the pages: the case worker sees the outcome, the explanation and every fact
with where it came from — a contradicted one with both values; the citizen sees, with the
decision, the facts the rules used."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meis.cases.models import Case
from meis.cases.selectors import case_pre_check
from meis.cases.tests.test_pre_check import applies, disabled_adult, family, pensioner

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _catalogue(version):
    """The seed catalogue (the cases conftest's `version` imports it)."""


def stored(case: Case) -> Case:
    Case.objects.filter(pk=case.pk).update(pre_check=case_pre_check(case))
    case.refresh_from_db()
    return case


def page_of(client, case: Case) -> str:
    response = client.get(reverse("backoffice:case", kwargs={"reference": case.reference}))
    assert response.status_code == 200
    return str(response.content.decode())


def test_the_case_worker_sees_the_amount_and_that_every_fact_came_from_the_registry(
    worker, staff_client
):
    case = stored(applies(family(), "targeted-social-assistance"))

    html = page_of(staff_client(worker), case)

    assert 'data-testid="pre-check-outcome">Eligible' in html
    assert "240.00 AZN" in html
    assert 'data-fact="members" data-provenance="registry"' in html
    assert 'data-fact="income_12_months_qepik" data-provenance="registry"' in html
    assert "pre-check-contradictions" not in html


def test_the_case_worker_sees_a_contradicted_fact_with_the_declared_and_the_register_values(
    worker, staff_client
):
    case = stored(applies(family(), "targeted-social-assistance", income_12_months_qepik=600_000))

    html = page_of(staff_client(worker), case)

    assert 'data-testid="pre-check-contradictions"' in html
    assert 'data-fact="income_12_months_qepik" data-provenance="declared"' in html
    assert "6,000.00 AZN" in html
    assert "The register says: 4,800.00 AZN" in html
    assert "Declared, contradicts the register" in html


def test_the_case_worker_sees_a_near_miss_named(centre, staff_client):
    from meis.cases.tests.conftest import staff

    pensions_worker = staff("wp", "case_worker", centre, ["pensions"])
    case = stored(applies(pensioner(record=296), "old-age-pension"))

    html = page_of(staff_client(pensions_worker), case)

    assert 'data-testid="pre-check-outcome">Not eligible' in html
    assert "Near miss: record 4 months short" in html
    assert "Legal ground: the Law" in html


def test_the_case_worker_sees_which_facts_are_missing(centre, staff_client):
    from meis.cases.tests.conftest import staff
    from meis.registry.tests.factories import PersonFactory

    pensions_worker = staff("wp", "case_worker", centre, ["pensions"])
    case = stored(applies(PersonFactory(), "disability-pension"))

    html = page_of(staff_client(pensions_worker), case)

    assert 'data-testid="pre-check-outcome">Incomplete' in html
    assert "Date the disability was established" in html
    assert "No disability decision of the expert commission is in the register." in html


def test_the_citizen_sees_with_the_decision_the_facts_the_rules_used(citizen_client):
    person = disabled_adult(record=150)
    case = stored(applies(person, "disability-pension"))
    Case.objects.filter(pk=case.pk).update(status="approved")

    response = citizen_client(person).get(
        reverse("cases:case_detail", kwargs={"reference": case.reference})
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="pre-check-facts"' in html
    assert "From the state registers" in html


def test_the_citizen_sees_no_assessment_before_the_decision(citizen_client):
    person = disabled_adult(record=150)
    case = stored(applies(person, "disability-pension"))

    response = citizen_client(person).get(
        reverse("cases:case_detail", kwargs={"reference": case.reference})
    )

    assert 'data-testid="pre-check-facts"' not in response.content.decode()
