"""The certificates' fixtures (a demo signing key, the catalogue, a pensioner) for the API's
certificate tests, and a registered bank with a certificate to verify."""

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from meis.api import ratelimit
from meis.api.models import Scope
from meis.api.services import client_register
from meis.certificates.services import certificate_issue
from meis.certificates.tests.conftest import (  # noqa: F401
    _signing_key,
    catalogue,
    pensioner,
    signing_dir,
)


@pytest.fixture
def bank() -> Any:
    """A registered bank (scope certificates:verify) and its first credential."""
    ratelimit.rate_limit_reset()
    return client_register(
        name="kapital", institution="Kapital Bank", scopes=[Scope.CERTIFICATES_VERIFY]
    )


@pytest.fixture
def certificate_code(pensioner, catalogue) -> str:  # noqa: F811 — the fixtures imported above
    return certificate_issue(
        person=pensioner,
        type_code="pension",
        language="az",
        recipient="Kapital Bank",
        actor=AnonymousUser(),
    ).code
