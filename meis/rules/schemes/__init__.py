"""The registry of schemes: name → Scheme."""

from __future__ import annotations

from meis.rules.engine import Scheme
from meis.rules.errors import SchemeError
from meis.rules.schemes import (
    contributions,
    disability_pension,
    minimum_wage,
    old_age_pension,
    presidential_stipend,
    targeted_assistance,
    training_stipend,
    unemployment_insurance,
)
from meis.rules.schemes.social_benefits import (
    age,
    child_under_one,
    childbirth,
    disability,
    disabled_child,
    funeral,
    survivor,
)

SCHEMES: dict[str, Scheme] = {
    scheme.name: scheme
    for scheme in (
        old_age_pension.scheme,
        disability_pension.scheme,
        age.scheme,
        disability.scheme,
        disabled_child.scheme,
        survivor.scheme,
        childbirth.scheme,
        funeral.scheme,
        child_under_one.scheme,
        targeted_assistance.scheme,
        unemployment_insurance.scheme,
        contributions.scheme,
        minimum_wage.scheme,
        training_stipend.scheme,
        presidential_stipend.scheme,
    )
}


def get_scheme(name: str) -> Scheme:
    try:
        return SCHEMES[name]
    except KeyError:
        known = ", ".join(sorted(SCHEMES))
        raise SchemeError(f"unknown scheme {name!r} (known: {known})") from None
