"""Legal reasons for a refusal, per service (translated, English msgids), and the ones the
rules' result gives.

Targeted social assistance has the seven refusal grounds of the Rules (docs/domain.md §2,
dsmf.gov.az/az/udsy/imtinaya-esas-sebebler), each a refusal of the rule's trace; every other
service uses the general grounds, and a rule's unmet requirement is "conditions not met".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

GENERAL_REASONS: dict[str, Promise] = {
    "conditions_not_met": _("The legal conditions for this service are not met."),
    "documents_invalid": _("The documents submitted are missing, invalid or do not match."),
    "information_not_provided": _("The information requested was not provided."),
    "data_mismatch": _("The data in the application does not match the state registries."),
}

TARGETED_ASSISTANCE_REASONS: dict[str, Promise] = {
    "tsa_data_mismatch": _(
        "The data in the application-declaration does not match the results of the checks."
    ),
    "tsa_income_above_criteria": _(
        "The family's average monthly income is not below the sum of the need criteria."
    ),
    "tsa_purchases": _(
        "Purchases or sales in the last 12 months exceed 12 times the living minimum."
    ),
    "tsa_vehicle": _(
        "The family owns or uses a vehicle (other than a state-issued rehabilitation vehicle)."
    ),
    "tsa_refused_jobs": _(
        "An able-bodied member who does not work refused two suitable jobs offered by the "
        "employment service (you may apply again after one month)."
    ),
    "tsa_utility_spending": _(
        "Average monthly utility and communication spending per person is at least 15 per cent "
        "of the living minimum."
    ),
    "tsa_real_estate": _(
        "The family has two or more real-estate units of the same purpose at different addresses."
    ),
}

_BY_SERVICE: dict[str, dict[str, Promise]] = {
    "targeted-social-assistance": TARGETED_ASSISTANCE_REASONS,
}


# Dismissing an appeal: the decision appealed against stands.
APPEAL_REASONS: dict[str, Promise] = {
    "appeal_decision_stands": _(
        "The decision appealed against is right: the facts and the law give the same result."
    ),
}


def decision_reasons(service_code: str, *, is_appeal: bool = False) -> dict[str, Promise]:
    """The legal reasons a refusal may give: the service's, and for an appeal its dismissal."""
    reasons = refusal_reasons(service_code)
    return {**APPEAL_REASONS, **reasons} if is_appeal else reasons


def refusal_reasons(service_code: str) -> dict[str, Promise]:
    """The legal refusal reasons a case worker may choose for a service, by code."""
    return _BY_SERVICE.get(service_code, GENERAL_REASONS)


# The targeted-assistance rule's refusals (its trace's `refusals`) as the legal reasons above.
_RULE_REFUSALS: dict[str, str] = {
    "is_refused_for_data_mismatch": "tsa_data_mismatch",
    "is_refused_for_income": "tsa_income_above_criteria",
    "is_refused_for_purchases": "tsa_purchases",
    "is_refused_for_vehicle": "tsa_vehicle",
    "is_refused_for_refused_jobs": "tsa_refused_jobs",
    "is_refused_for_utility_spending": "tsa_utility_spending",
    "is_refused_for_real_estate": "tsa_real_estate",
}


def rule_grounds(service_code: str, trace: Mapping[str, Any]) -> list[str]:
    """The legal reasons a rules' refusal rests on, as codes of `refusal_reasons` (empty when
    the rules do not refuse): each refusal of the trace, else "conditions not met" for an
    unmet requirement."""
    reasons = refusal_reasons(service_code)
    grounds = [
        _RULE_REFUSALS[name]
        for name in trace.get("refusals", [])
        if _RULE_REFUSALS.get(name) in reasons
    ]
    if not grounds and trace.get("unmet_requirements") and "conditions_not_met" in reasons:
        grounds.append("conditions_not_met")
    return grounds
