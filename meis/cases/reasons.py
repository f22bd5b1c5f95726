"""Legal reasons for a refusal, per service, and how to appeal (translated, English msgids).

Targeted social assistance has the seven refusal grounds of the Rules (docs/domain.md §2,
dsmf.gov.az/az/udsy/imtinaya-esas-sebebler); every other service uses the general grounds.
"""

from __future__ import annotations

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

APPEAL_TEXT = _(
    "If you disagree, you may appeal to the Ministry of Labour and Social Protection of "
    "Population or to a court within the time the law allows. Quote your reference number."
)


def refusal_reasons(service_code: str) -> dict[str, Promise]:
    """The legal refusal reasons a case worker may choose for a service, by code."""
    return _BY_SERVICE.get(service_code, GENERAL_REASONS)
