"""What the decision and appeal stories share: the registers' facts, filing and taking a case.

`Registers` stands in for the registers behind `case_rules_result` (another part of the system
gathers them): a test sets the facts each scheme's rules read, and may change them later (a
corrected record before an appeal). The fixtures are in this folder's conftest.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.contrib.auth.models import AnonymousUser, User

from meis.cases import services
from meis.cases.models import Case
from meis.cases.tests.conftest import answers, iban, pdf
from meis.catalog.handlers import PreCheck, handler_resolve
from meis.catalog.selectors import eservice_version_current, version_definition
from meis.centres.models import ServiceCentre
from meis.registry.models import Person

TARGETED = "targeted-social-assistance"
OLD_AGE = "old-age-pension"

# A family of four with 400 AZN a month: 4 × 160 − 400 = 240 AZN in 2020 (docs/domain.md §2).
FAMILY_OF_FOUR = {
    "members": 4,
    "income_12_months_qepik": 480_000,
    "declaration_matches_checks": True,
    "purchases_sales_12_months_qepik": 0,
    "has_vehicle": False,
    "refused_suitable_jobs": 0,
    "utility_spending_12_months_qepik": 0,
    "same_purpose_real_estate_units": 0,
}
# A woman born 10 Jul 1958 reaches 61 y 6 m on 10 Jan 2020; 25 years of record give the minimum
# pension, 200 AZN (docs/domain.md §3). With 10 years she has no right.
PENSIONER = {
    "sex": "female",
    "birth_on": "1958-07-10",
    "insurance_record_months": 300,
    "pension_capital_qepik": 1_000_000,
}
PENSIONER_SHORT_RECORD = {**PENSIONER, "insurance_record_months": 120}
PENSION_AGE_ON = date(2020, 1, 10)


class Registers:
    """The facts the rules read for each scheme, as the registers would give them."""

    def __init__(self) -> None:
        self.facts: dict[str, dict[str, Any]] = {}

    def __call__(self, case: Case, *, on: date | None = None) -> PreCheck:
        handler = handler_resolve(version_definition(case.service_version).handler)
        scheme = getattr(handler, "scheme", "")
        if scheme not in self.facts:
            return handler.evaluate({}, on=on or case.submitted_on)  # facts missing
        return handler.evaluate(self.facts[scheme], on=on or case.submitted_on)


# The documents each service asks for (the pensions and benefits: the identity card).
_DOCUMENTS = {TARGETED: ["identity_card", "family_composition_certificate"]}


def file(person: Person, centre: ServiceCentre, *, code: str = TARGETED, **submit: Any) -> Case:
    """File an application to service `code` for `person` (documents as the service asks)."""
    data = (
        answers()
        if code == TARGETED
        else {"contact_phone": "050 123 45 67", "bank_account_iban": iban()}
    )
    arguments: dict[str, Any] = {
        "person": person,
        "version": eservice_version_current(code=code),
        "answers": data,
        "channel": "portal",
        "actor": AnonymousUser(),
        "centre": centre,
        "contact_channel": "portal",
        "contact_value": "",
        "idempotency_key": str(uuid.uuid4()),
        "documents": [(document, pdf()) for document in _DOCUMENTS.get(code, ["identity_card"])],
    }
    arguments.update(submit)
    return services.case_submit(**arguments).case


def taken_by(case: Case, worker: User) -> Case:
    """The case claimed by `worker` (it is theirs, being reviewed)."""
    return services.case_claim(case=case, actor=worker, expected_version=case.version)
